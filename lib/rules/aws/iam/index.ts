import { Rule } from "../../../compliance/rule";
import { iamNodeRoleLeastPrivilege } from "./iam-node-role-least-privilege";
import { iamPolicyNoAdmin } from "./iam-policy-no-admin";
import { resourcePolicyNoPublicAllow } from "./resource-policy-no-public-allow";
import { iamRoleTrustNoWildcard } from "./iam-role-trust-no-wildcard";
import { iamServiceLinkedRoleCreated } from "./iam-service-linked-role-created";

export const iamRules: Rule[] = [
  iamNodeRoleLeastPrivilege,
  iamPolicyNoAdmin,
  iamRoleTrustNoWildcard,
  resourcePolicyNoPublicAllow,
  iamServiceLinkedRoleCreated,
];
