import { Rule } from "../../../compliance/rule";

export const detectionRules: Rule[] = [];
