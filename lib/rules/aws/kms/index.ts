import { Rule } from "../../../compliance/rule";
import { kmsKeyDeletionWindow } from "./key-deletion-window";
import { kmsKeyPolicyNoWildcardPrincipal } from "./key-policy-no-wildcard-principal";
import { kmsKeyRotation } from "./key-rotation";
import { kmsKeyUsableByConsumers } from "./key-usable-by-consumers";
import { kmsKeyNoAccountAdministration } from "./key-no-account-administration";

export const kmsRules: Rule[] = [kmsKeyRotation, kmsKeyPolicyNoWildcardPrincipal, kmsKeyDeletionWindow, kmsKeyUsableByConsumers, kmsKeyNoAccountAdministration];
