import { Rule } from "../../../compliance/rule";

export const fileSystemRules: Rule[] = [];
