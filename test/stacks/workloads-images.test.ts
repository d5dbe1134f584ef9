import { DEFAULT_CONFIG } from "../../stacks/config/default";
import { platformConfigSchema, PlatformConfigInput } from "../../stacks/config/schema";
import { needsNvidiaDevicePlugin } from "../../stacks/workloads-stack";

const DIGEST = "sha256:" + "ab".repeat(32);
const parse = (kubernetes: object, change: (c: PlatformConfigInput) => void = () => undefined) => {
  const config = structuredClone(DEFAULT_CONFIG);
  change(config);
  return platformConfigSchema.safeParse({ ...config, kubernetes });
};
const issues = (result: ReturnType<typeof parse>) =>
  result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);

describe("device plugin images in the config", () => {
  it("take private ECR images in the platform's region, pinned by digest", () => {
    const result = parse({
      nvidiaDevicePluginImage: `444455556666.dkr.ecr.eu-west-1.amazonaws.com/mirror/nvidia/k8s-device-plugin@${DIGEST}`,
    });
    expect(issues(result)).toEqual([]);
  });

  // Before, nvcr.io and public.ecr.aws were the defaults: a VPC without egress never pulled them.
  it.each([
    [`nvcr.io/nvidia/k8s-device-plugin@${DIGEST}`, "kubernetes.nvidiaDevicePluginImage: must be an image in the platform's private ECR"],
    [
      `public.ecr.aws/aws-nitro-enclaves/aws-nitro-enclaves-k8s-device-plugin@${DIGEST}`,
      "kubernetes.nvidiaDevicePluginImage: must be an image in the platform's private ECR",
    ],
    [
      "444455556666.dkr.ecr.eu-west-1.amazonaws.com/mirror/nvidia/k8s-device-plugin:v0.17.1",
      "kubernetes.nvidiaDevicePluginImage: must be an image pinned by digest",
    ],
  ])("refuse %s, naming the field", (image, message) => {
    expect(issues(parse({ nvidiaDevicePluginImage: image })).join("\n")).toContain(message);
  });

  it("refuse an image in another region, which the VPC's endpoints do not reach", () => {
    expect(
      issues(parse({ nitroEnclavesDevicePluginImage: `444455556666.dkr.ecr.us-east-1.amazonaws.com/ecr-public/x@${DIGEST}` })),
    ).toEqual(["kubernetes.nitroEnclavesDevicePluginImage: is in us-east-1, but the platform's VPC endpoints reach ECR in eu-west-1 only"]);
  });
});

describe("needsNvidiaDevicePlugin", () => {
  type Pool = Parameters<typeof needsNvidiaDevicePlugin>[0][number];
  const pool = (amiType?: string, instanceTypes = ["g6e.xlarge"]) =>
    ({ name: "gpu", purpose: "inference", instanceTypes, amiType, efa: false, confidential: "none" }) as Pool;
  it("deploys the DaemonSet for AL2023 NVIDIA pools, and not when every NVIDIA pool runs Bottlerocket (the default), which carries the plugin", () => {
    expect(needsNvidiaDevicePlugin([pool()])).toBe(false);
    expect(needsNvidiaDevicePlugin([pool("AL2023_x86_64_NVIDIA")])).toBe(true);
    expect(needsNvidiaDevicePlugin([pool("BOTTLEROCKET_x86_64_NVIDIA")])).toBe(false);
    expect(needsNvidiaDevicePlugin([pool("BOTTLEROCKET_x86_64_NVIDIA"), pool("AL2023_x86_64_NVIDIA")])).toBe(true);
    expect(needsNvidiaDevicePlugin([pool(undefined, ["m7i.xlarge"])])).toBe(false);
  });
});
