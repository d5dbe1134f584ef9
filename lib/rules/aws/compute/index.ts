import { Rule } from "../../../compliance/rule";

export const computeRules: Rule[] = [];
