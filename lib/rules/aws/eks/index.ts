import { Rule } from "../../../compliance/rule";
import { eksPrivateEndpoint } from "./private-endpoint";

export const eksRules: Rule[] = [eksPrivateEndpoint];
