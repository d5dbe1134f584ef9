import { Rule } from "../../../compliance/rule";
import { stateBackendBackedUp } from "./state-backend-backed-up";
import { stateBackendEncryptedLocked } from "./state-backend-encrypted-locked";

export const stateRules: Rule[] = [stateBackendEncryptedLocked, stateBackendBackedUp];
