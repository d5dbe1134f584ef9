import { Rule } from "../../../compliance/rule";
import { lbAccessLogs } from "./lb-access-logs";
import { lbInternal } from "./lb-internal";
import { lbWafRateLimited } from "./lb-waf-rate-limited";
import { lbClientsAuthenticated } from "./lb-clients-authenticated";

export const inferenceRules: Rule[] = [lbInternal, lbWafRateLimited, lbAccessLogs, lbClientsAuthenticated];
