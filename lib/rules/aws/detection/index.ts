import { Rule } from "../../../compliance/rule";
import { guarddutyEksProtection } from "./guardduty-eks-protection";
import { guarddutyS3Protection } from "./guardduty-s3-protection";
import { snsTopicCmk } from "./sns-topic-cmk";

export const detectionRules: Rule[] = [guarddutyEksProtection, guarddutyS3Protection, snsTopicCmk];
