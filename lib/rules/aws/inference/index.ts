import { Rule } from "../../../compliance/rule";

export const inferenceRules: Rule[] = [];
