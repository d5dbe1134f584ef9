import { Rule } from "../../../compliance/rule";
import { iamNodeRoleLeastPrivilege } from "./node-role-least-privilege";

export const iamRules: Rule[] = [iamNodeRoleLeastPrivilege];
