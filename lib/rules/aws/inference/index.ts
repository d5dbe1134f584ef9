import { Rule } from "../../../compliance/rule";
import { lbAccessLogs } from "./lb-access-logs";
import { lbInternal } from "./lb-internal";
import { lbWafRateLimited } from "./lb-waf-rate-limited";

export const inferenceRules: Rule[] = [lbInternal, lbWafRateLimited, lbAccessLogs];
