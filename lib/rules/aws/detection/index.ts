import { Rule } from "../../../compliance/rule";
import { guarddutyFindingsRouted } from "./guardduty-findings-routed";
import { guarddutyEksProtection } from "./guardduty-eks-protection";
import { guarddutyS3Protection } from "./guardduty-s3-protection";
import { snsTopicCmk } from "./sns-topic-cmk";
import { snsAlertTopicSubscribed } from "./sns-alert-topic-subscribed";
import { securityhubConfigRecorder } from "./securityhub-config-recorder";
import { tamperAlarms } from "./detection-tamper-alarms";

export const detectionRules: Rule[] = [
  guarddutyEksProtection,
  guarddutyS3Protection,
  guarddutyFindingsRouted,
  snsTopicCmk,
  snsAlertTopicSubscribed,
  securityhubConfigRecorder,
  tamperAlarms,
];
