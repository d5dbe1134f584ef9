import { Rule } from "../../../compliance/rule";
import { efsBackupPolicy } from "./efs-backup-policy";
import { efsCmk } from "./efs-cmk";
import { fsxLustreBackups } from "./fsx-lustre-backups";
import { fsxLustreCmk } from "./fsx-lustre-cmk";

export const fileSystemRules: Rule[] = [efsCmk, fsxLustreCmk, fsxLustreBackups, efsBackupPolicy];
