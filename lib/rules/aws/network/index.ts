import { Rule } from "../../../compliance/rule";

export const networkRules: Rule[] = [];
