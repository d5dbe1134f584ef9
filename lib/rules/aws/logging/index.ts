import { Rule } from "../../../compliance/rule";
import { auditStorageSeparateAccount } from "./audit-storage-separate-account";
import { cloudtrailBucketObjectLock } from "./cloudtrail-bucket-object-lock";
import { cloudtrailDigestDelivery } from "./cloudtrail-digest-delivery";
import { cloudtrailCmk } from "./cloudtrail-cmk";
import { cloudtrailLogFileValidation } from "./cloudtrail-log-file-validation";
import { cloudtrailLoggingEnabled } from "./cloudtrail-logging-enabled";
import { cloudtrailMultiRegion } from "./cloudtrail-multi-region";
import { cloudtrailS3DataEvents } from "./cloudtrail-s3-data-events";
import { cloudwatchLogGroupCmk } from "./cloudwatch-log-group-cmk";
import { cloudwatchLogGroupRetention } from "./cloudwatch-log-group-retention";
import { eksWorkloadLogCollection } from "./eks-workload-log-collection";

export const loggingRules: Rule[] = [
  cloudwatchLogGroupCmk,
  cloudwatchLogGroupRetention,
  eksWorkloadLogCollection,
  cloudtrailLoggingEnabled,
  cloudtrailMultiRegion,
  cloudtrailLogFileValidation,
  cloudtrailCmk,
  cloudtrailS3DataEvents,
  cloudtrailBucketObjectLock,
  cloudtrailDigestDelivery,
  auditStorageSeparateAccount,
];
