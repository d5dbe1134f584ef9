import { Rule } from "../../../compliance/rule";
import { backupSelectionCoversResources } from "./backup-selection-covers-resources";
import { backupVaultCmk } from "./backup-vault-cmk";
import { backupVaultLocked } from "./backup-vault-locked";
import { backupRestoreTested } from "./backup-restore-tested";

export const backupRules: Rule[] = [backupVaultCmk, backupVaultLocked, backupSelectionCoversResources, backupRestoreTested];
