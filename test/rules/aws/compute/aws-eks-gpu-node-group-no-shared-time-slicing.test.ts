import { nvidiaSettings } from "../../../../constructs/aws/node-pool-user-data";
import { eksGpuNodeGroupNoSharedTimeSlicing } from "../../../../lib/rules/aws/compute/eks-gpu-node-group-no-shared-time-slicing";
import { checkJson, findingFor, statuses } from "../../harness";

const b64 = (text: string) => Buffer.from(text).toString("base64");
const sliced = b64(nvidiaSettings({ timeSlicingReplicas: 4 }).join("\n"));
const tenantTaint = { key: "saip.io/tenant", value: "research", effect: "NO_SCHEDULE" };
const group = (lt: string, extra: object = {}) => ({
  ami_type: "BOTTLEROCKET_x86_64_NVIDIA",
  instance_types: ["g6e.xlarge"],
  launch_template: { id: `\${aws_launch_template.${lt}.id}` },
  ...extra,
});

describe("aws-eks-gpu-node-group-no-shared-time-slicing", () => {
  it("passes whole GPUs, MIG slices and time-slicing on a tenant's own pool, fails time-slicing or MPS where tenants share, and leaves what it cannot tell unresolved", () => {
    const findings = checkJson(eksGpuNodeGroupNoSharedTimeSlicing, {
      resource: {
        aws_launch_template: {
          whole: { user_data: b64(nvidiaSettings().join("\n")) },
          mig: { user_data: b64(nvidiaSettings({ mig: { gpu: "a100.40gb", profile: "3g.20gb" } }).join("\n")) },
          sliced: { user_data: sliced },
          mps: { user_data: b64('[settings.kubelet-device-plugins.nvidia]\ndevice-sharing-strategy = "mps"\n') },
        },
        aws_eks_node_group: {
          whole: group("whole"),
          mig: group("mig"),
          dedicated: group("sliced", { taint: [tenantTaint] }),
          shared: group("sliced", { taint: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }] }),
          soft: group("sliced", { taint: [{ ...tenantTaint, effect: "PREFER_NO_SCHEDULE" }] }),
          mps: group("mps"),
          hidden: group("sliced", { taint: "${var.taints}" }),
          al2023: { ami_type: "AL2023_x86_64_NVIDIA", instance_types: ["g6e.xlarge"] },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_eks_node_group.whole": "pass",
      "aws_eks_node_group.mig": "pass",
      "aws_eks_node_group.dedicated": "pass",
      "aws_eks_node_group.shared": "fail",
      "aws_eks_node_group.soft": "fail",
      "aws_eks_node_group.mps": "fail",
      "aws_eks_node_group.hidden": "fail",
      "aws_eks_node_group.al2023": "fail",
    });
    const message = (name: string) => findingFor(findings, `aws_eks_node_group.${name}`).message;
    expect(message("mig")).toMatch(/each MIG slice goes to one container/);
    expect(message("dedicated")).toMatch(/"time-slicing" on a pool dedicated to tenant research/);
    expect(message("shared")).toMatch(/"time-slicing" on a pool more than one tenant may use .*with no isolation/);
    expect(message("mps")).toMatch(/"mps" on a pool more than one tenant may use/);
    expect(message("hidden")).toMatch(/^unresolved: .*whether the pool is dedicated to one tenant cannot be told: taint is .*var\.taints/);
    expect(message("al2023")).toMatch(
      /^unresolved: on AL2023_x86_64_NVIDIA nodes, time-slicing is set in the NVIDIA device plugin's own configuration/,
    );
  });
});
