import { Rule } from "../../../compliance/rule";
import { iamNodeRoleLeastPrivilege } from "./node-role-least-privilege";
import { iamPolicyNoAdmin } from "./policy-no-admin";
import { resourcePolicyNoPublicAllow } from "./resource-policy-no-public-allow";
import { iamRoleTrustNoWildcard } from "./role-trust-no-wildcard";
import { iamServiceLinkedRoleCreated } from "./service-linked-role-created";

export const iamRules: Rule[] = [iamNodeRoleLeastPrivilege, iamPolicyNoAdmin, iamRoleTrustNoWildcard, resourcePolicyNoPublicAllow, iamServiceLinkedRoleCreated];
