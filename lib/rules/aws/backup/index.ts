import { Rule } from "../../../compliance/rule";
import { backupSelectionCoversResources } from "./selection-covers-resources";
import { backupVaultCmk } from "./vault-cmk";
import { backupVaultLocked } from "./vault-locked";
import { backupRestoreTested } from "./restore-tested";

export const backupRules: Rule[] = [backupVaultCmk, backupVaultLocked, backupSelectionCoversResources, backupRestoreTested];
