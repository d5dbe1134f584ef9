import { Rule } from "../../../compliance/rule";

export const loggingRules: Rule[] = [];
