import { Rule } from "../../../compliance/rule";
import { stateBackendEncryptedLocked } from "./backend-encrypted-locked";

export const stateRules: Rule[] = [stateBackendEncryptedLocked];
