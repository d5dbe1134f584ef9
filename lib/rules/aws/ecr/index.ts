import { Rule } from "../../../compliance/rule";
import { ecrCmk } from "./ecr-cmk";
import { ecrContinuousScanning } from "./ecr-continuous-scanning";
import { ecrImmutableTags } from "./ecr-immutable-tags";
import { ecrPushOnlyByPublishers } from "./ecr-push-only-by-publishers";
import { ecrScanOnPush } from "./ecr-scan-on-push";

export const ecrRules: Rule[] = [ecrImmutableTags, ecrScanOnPush, ecrCmk, ecrPushOnlyByPublishers, ecrContinuousScanning];
