import { Rule } from "../../../compliance/rule";

export const ecrRules: Rule[] = [];
