import { Rule } from "../../../compliance/rule";
import { defaultSecurityGroupClosed } from "./default-security-group-closed";
import { securityGroupNoOpenIngress } from "./security-group-no-open-ingress";
import { subnetNoPublicIp } from "./subnet-no-public-ip";
import { vpcEcrPullPath } from "./vpc-ecr-pull-path";
import { vpcFlowLogs } from "./vpc-flow-logs";
import { vpcInterfaceEndpointPolicy } from "./vpc-interface-endpoint-policy";

export const networkRules: Rule[] = [
  securityGroupNoOpenIngress,
  defaultSecurityGroupClosed,
  subnetNoPublicIp,
  vpcFlowLogs,
  vpcEcrPullPath,
  vpcInterfaceEndpointPolicy,
];
