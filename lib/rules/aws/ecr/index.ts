import { Rule } from "../../../compliance/rule";
import { ecrCmk } from "./cmk";
import { ecrContinuousScanning } from "./continuous-scanning";
import { ecrImmutableTags } from "./immutable-tags";
import { ecrPushOnlyByPublishers } from "./push-only-by-publishers";
import { ecrScanOnPush } from "./scan-on-push";

export const ecrRules: Rule[] = [ecrImmutableTags, ecrScanOnPush, ecrCmk, ecrPushOnlyByPublishers, ecrContinuousScanning];
