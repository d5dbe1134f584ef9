import { Rule } from "../compliance/rule";
import { backupRules } from "./aws/backup";
import { computeRules } from "./aws/compute";
import { confidentialRules } from "./aws/confidential";
import { detectionRules } from "./aws/detection";
import { ecrRules } from "./aws/ecr";
import { eksRules } from "./aws/eks";
import { fileSystemRules } from "./aws/filesystems";
import { iamRules } from "./aws/iam";
import { inferenceRules } from "./aws/inference";
import { kmsRules } from "./aws/kms";
import { loggingRules } from "./aws/logging";
import { networkRules } from "./aws/network";
import { s3Rules } from "./aws/s3";
import { stateRules } from "./aws/state";
import { kubernetesRules } from "./kubernetes";

/** Every rule the engine runs, grouped by concern. */
export const ALL_RULES: readonly Rule[] = [
  ...kmsRules,
  ...s3Rules,
  ...loggingRules,
  ...ecrRules,
  ...fileSystemRules,
  ...backupRules,
  ...detectionRules,
  ...networkRules,
  ...computeRules,
  ...eksRules,
  ...confidentialRules,
  ...iamRules,
  ...inferenceRules,
  ...stateRules,
  ...kubernetesRules,
];

const byId = new Map(ALL_RULES.map((rule) => [rule.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
