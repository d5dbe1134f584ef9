import { Testing } from "cdktf";
import { NodePool, NodePoolProps } from "../../../constructs/aws/node-pool";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { eksGpuNodeGroupDeviceInjection } from "../../../lib/rules/aws/compute/eks-gpu-node-group-device-injection";
import { eksGpuNodeGroupNoSharedTimeSlicing } from "../../../lib/rules/aws/compute/eks-gpu-node-group-no-shared-time-slicing";
import { SecureStack } from "../../../lib/secure-stack";
import { checkJson } from "../../rules/harness";
import { testCluster } from "./cluster-fixture";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One GPU pool synthesized alone: its node group, its launch template's user data as text, and the GPU rules' findings. */
function gpuPool(props: Partial<NodePoolProps>) {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "Key", { purpose: "checkpoints", administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
  const al2023 = props.amiType?.startsWith("AL2023");
  new NodePool(stack, "GpuPool", {
    cluster: testCluster(["subnet-1"], "platform"),
    volumeKey: key,
    purpose: "inference",
    instanceTypes: ["p4d.24xlarge"],
    releaseVersion: al2023 ? "1.35.0-20260110" : "1.34.0-18d04e52",
    ...props,
  });
  const json: Json = JSON.parse(Testing.synth(stack));
  const findings = checkJson([eksGpuNodeGroupDeviceInjection, eksGpuNodeGroupNoSharedTimeSlicing], json);
  return {
    group: json.resource.aws_eks_node_group.gpu_pool,
    userData: Buffer.from(json.resource.aws_launch_template.gpu_pool_launch_template.user_data, "base64").toString(),
    rules: Object.fromEntries(findings.map((f) => [f.ruleId, f.status])),
  };
}

const make = (props: Partial<NodePoolProps>) => () => gpuPool(props);

describe("NodePool GPUs", () => {
  it("cuts every A100 of a shared inference pool into 3g.20gb MIG slices, each one nvidia.com/gpu reached only through the plugin's volume mounts", () => {
    const { group, userData, rules } = gpuPool({ mig: { profile: "3g.20gb" } });
    // A pod asking for nvidia.com/gpu: 1 gets one slice: the plugin mounts that slice alone and the runtime ignores NVIDIA_VISIBLE_DEVICES.
    expect(userData).toContain(
      [
        "[settings.kubelet-device-plugins.nvidia]",
        'device-list-strategy = "volume-mounts"',
        "pass-device-specs = true",
        'device-partitioning-strategy = "mig"',
      ].join("\n"),
    );
    expect(userData).not.toContain("device-sharing-strategy");
    expect(userData).toContain(["[settings.kubelet-device-plugins.nvidia.mig.profile]", '"a100.40gb" = "3g.20gb"'].join("\n"));
    expect(userData).toContain(
      [
        "[settings.nvidia-container-runtime]",
        "visible-devices-as-volume-mounts = true",
        "visible-devices-envvar-when-unprivileged = false",
      ].join("\n"),
    );
    expect(group.labels).toMatchObject({ "saip.io/gpu-partition": "mig-3g.20gb", "nvidia.com/gpu.present": "true" });
    expect(rules).toEqual({ "aws-eks-gpu-node-group-device-injection": "pass", "aws-eks-gpu-node-group-no-shared-time-slicing": "pass" });
  });

  it("gives whole GPUs the same way, and time-slices only a tenant's own pool, keeping the nvidia.com/gpu name the quota counts", () => {
    const whole = gpuPool({});
    // Whole GPUs are Bottlerocket's default; the strategies are written only when used, so older releases take the user data.
    expect(whole.userData).not.toMatch(/device-(partitioning|sharing)-strategy/);
    expect(whole.group.labels["saip.io/gpu-partition"]).toBeUndefined();
    expect(whole.rules).toEqual({
      "aws-eks-gpu-node-group-device-injection": "pass",
      "aws-eks-gpu-node-group-no-shared-time-slicing": "pass",
    });
    const sliced = gpuPool({ instanceTypes: ["g6e.xlarge"], tenant: "research", timeSlicing: { replicas: 4 } });
    expect(sliced.userData).toContain('device-sharing-strategy = "time-slicing"');
    expect(sliced.userData).toContain(
      [
        "[settings.kubelet-device-plugins.nvidia.time-slicing]",
        "replicas = 4",
        "rename-by-default = false",
        "fail-requests-greater-than-one = true",
      ].join("\n"),
    );
    expect(sliced.rules["aws-eks-gpu-node-group-no-shared-time-slicing"]).toBe("pass");
  });

  it("configures the NVIDIA container toolkit of AL2023 NVIDIA nodes to read only the plugin's volume mounts", () => {
    const { userData, rules } = gpuPool({ amiType: "AL2023_x86_64_NVIDIA" });
    expect(userData).toContain(
      "nvidia-ctk config --in-place --set accept-nvidia-visible-devices-as-volume-mounts=true --set accept-nvidia-visible-devices-envvar-when-unprivileged=false",
    );
    expect(rules["aws-eks-gpu-node-group-device-injection"]).toBe("pass");
  });

  it.each([
    [
      "time-slicing on a shared pool",
      make({ instanceTypes: ["g6e.xlarge"], timeSlicing: { replicas: 4 } }),
      "timeSlicing is refused on a pool more than one tenant may use (no tenant): time-sliced pods share the GPU's memory with no isolation.",
    ],
    [
      "MIG on a GPU without it",
      make({ instanceTypes: ["g6e.2xlarge"], mig: { profile: "3g.20gb" } }),
      "mig.profile cannot partition instance type g6e.2xlarge: g6e.2xlarge has no GPU that Bottlerocket partitions with MIG: only A100 (p4d, p4de), H100 (p5) and H200 (p5e, p5en).",
    ],
    [
      "a profile of another GPU",
      make({ mig: { profile: "3g.40gb" } }),
      "mig.profile cannot partition instance type p4d.24xlarge: '3g.40gb' is not a MIG profile of the a100.40gb GPU of p4d.24xlarge: one of 1g.5gb, 2g.10gb, 3g.20gb, 7g.40gb.",
    ],
    [
      "MIG on a training pool",
      make({ purpose: "training", mig: { profile: "3g.20gb" } }),
      "mig does not apply to training pools, which keep whole GPUs.",
    ],
    [
      "MIG on a release before 1.34.0",
      make({ mig: { profile: "3g.20gb" }, releaseVersion: "1.33.0-0123abcd" }),
      "mig needs Bottlerocket 1.34.0 or later, got releaseVersion 1.33.0-0123abcd.",
    ],
    [
      "a release without the injection settings",
      make({ releaseVersion: "1.22.0-0123abcd" }),
      "releaseVersion 1.22.0-0123abcd is older than Bottlerocket 1.23.0, which first takes the settings that hand GPUs to containers only through the device plugin.",
    ],
    [
      "MIG on AL2023",
      make({ amiType: "AL2023_x86_64_NVIDIA", mig: { profile: "3g.20gb" } }),
      "mig needs a Bottlerocket NVIDIA amiType, whose settings configure it, got 'AL2023_x86_64_NVIDIA'.",
    ],
  ])("refuses %s, naming the prop", (_what, build, message) => {
    expect(build).toThrow(`test/GpuPool: ${message}`);
  });
});
