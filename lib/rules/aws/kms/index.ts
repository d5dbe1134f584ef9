import { Rule } from "../../../compliance/rule";
import { kmsKeyRotation } from "./key-rotation";

export const kmsRules: Rule[] = [kmsKeyRotation];
