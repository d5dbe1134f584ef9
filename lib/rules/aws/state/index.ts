import { Rule } from "../../../compliance/rule";
import { stateBackendEncryptedLocked } from "./state-backend-encrypted-locked";

export const stateRules: Rule[] = [stateBackendEncryptedLocked];
