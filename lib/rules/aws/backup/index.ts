import { Rule } from "../../../compliance/rule";

export const backupRules: Rule[] = [];
