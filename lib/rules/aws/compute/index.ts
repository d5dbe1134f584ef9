import { Rule } from "../../../compliance/rule";
import { eksGpuNodeGroupDeviceInjection } from "./eks-gpu-node-group-device-injection";
import { eksGpuNodeGroupNoSharedTimeSlicing } from "./eks-gpu-node-group-no-shared-time-slicing";
import { eksGpuNodeGroupTaint } from "./eks-gpu-node-group-taint";
import { eksNodeGroupNoRemoteAccess } from "./eks-node-group-no-remote-access";
import { eksNodeGroupReleasePinned } from "./eks-node-group-release-pinned";
import { eksNodeGroupVerifiedBoot } from "./eks-node-group-verified-boot";
import { launchTemplateEbsCmk } from "./launch-template-ebs-cmk";
import { launchTemplateImdsHopLimit } from "./launch-template-imds-hop-limit";
import { launchTemplateImdsv2 } from "./launch-template-imdsv2";
import { launchTemplateNoPublicIp } from "./launch-template-no-public-ip";

export const computeRules: Rule[] = [
  launchTemplateImdsv2,
  launchTemplateImdsHopLimit,
  launchTemplateEbsCmk,
  launchTemplateNoPublicIp,
  eksNodeGroupNoRemoteAccess,
  eksGpuNodeGroupTaint,
  eksNodeGroupVerifiedBoot,
  eksNodeGroupReleasePinned,
  eksGpuNodeGroupDeviceInjection,
  eksGpuNodeGroupNoSharedTimeSlicing,
];
