import { Rule } from "../../../compliance/rule";
import { kmsKeyDeletionWindow } from "./key-deletion-window";
import { kmsKeyPolicyNoWildcardPrincipal } from "./key-policy-no-wildcard-principal";
import { kmsKeyRotation } from "./key-rotation";

export const kmsRules: Rule[] = [kmsKeyRotation, kmsKeyPolicyNoWildcardPrincipal, kmsKeyDeletionWindow];
