import { Rule } from "../../../compliance/rule";

export const iamRules: Rule[] = [];
