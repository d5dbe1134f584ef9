import { Rule } from "../../../compliance/rule";

export const confidentialRules: Rule[] = [];
