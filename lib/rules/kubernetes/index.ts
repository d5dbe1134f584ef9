import { Rule } from "../../compliance/rule";

export const kubernetesRules: Rule[] = [];
