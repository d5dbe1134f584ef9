import { Rule } from "../../../compliance/rule";
import { kmsKeyDeletionWindow } from "./kms-key-deletion-window";
import { kmsKeyPolicyNoWildcardPrincipal } from "./kms-key-policy-no-wildcard-principal";
import { kmsKeyRotation } from "./kms-key-rotation";
import { kmsKeyUsableByConsumers } from "./kms-key-usable-by-consumers";
import { kmsKeyNoAccountAdministration } from "./kms-key-no-account-administration";

export const kmsRules: Rule[] = [
  kmsKeyRotation,
  kmsKeyPolicyNoWildcardPrincipal,
  kmsKeyDeletionWindow,
  kmsKeyUsableByConsumers,
  kmsKeyNoAccountAdministration,
];
