import {
  GPU_DEVICE_VALIDATIONS,
  gpuDeviceBindingManifest,
  gpuDevicePolicyManifest,
  NVIDIA_DEVICE_VARIABLES,
} from "../../../lib/rules/kubernetes/gpu-device-policy";
import { namespaceGpuBypassDenied } from "../../../lib/rules/kubernetes/namespace-gpu-bypass-denied";
import { placementBindingManifest, placementPolicyManifest } from "../../../lib/rules/kubernetes/placement-policy";
import { checkJson, findingFor, statuses } from "../harness";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Policy = { manifest: any };
const tenant = (name: string) => ({ metadata: { name, labels: { "saip.io/tenant": name, "saip.io/placement": "shared" } } });
const policy = (): Policy => ({ manifest: gpuDevicePolicyManifest() });
const binding = (): Policy => ({ manifest: gpuDeviceBindingManifest() });
const judge = (manifests: Record<string, Policy | { manifest: string }>) =>
  findingFor(
    checkJson(namespaceGpuBypassDenied, {
      resource: { kubernetes_namespace_v1: { team: tenant("team") }, kubernetes_manifest: manifests },
    }),
    "kubernetes_namespace_v1.team",
  );

describe("k8s-namespace-gpu-bypass-denied", () => {
  it("passes tenant namespaces the GPU device policy and its Deny binding cover, and skips platform namespaces", () => {
    const findings = checkJson(namespaceGpuBypassDenied, {
      resource: {
        kubernetes_namespace_v1: { team: tenant("team"), platform: { metadata: { name: "platform" } } },
        kubernetes_manifest: { policy: policy(), binding: binding() },
      },
    });
    expect(statuses(findings)).toEqual({ "kubernetes_namespace_v1.team": "pass" });
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toMatch(
      /^kubernetes_manifest\.policy \(bound with Deny by kubernetes_manifest\.binding\) refuses pods here that set the NVIDIA device variables/,
    );
  });

  it("refuses the environment-variable route in every container list, through envFrom prefixes, host devices and CDI annotations", () => {
    const expressions = GPU_DEVICE_VALIDATIONS.map((v) => v.expression);
    for (const list of ["containers", "initContainers", "ephemeralContainers"]) {
      const mine = expressions.find((e) => e.startsWith(`!has(object.spec.${list})`));
      expect(mine).toBeDefined();
      for (const name of NVIDIA_DEVICE_VARIABLES) expect(mine).toContain(`'${name}'`);
      expect(mine).toMatch(
        /c\.envFrom\.all\(f, !has\(f\.prefix\) \|\| f\.prefix == '' \|\| !\[.*\]\.exists\(n, n\.startsWith\(f\.prefix\)\)\)/,
      );
    }
    expect(expressions.join("\n")).toMatch(
      /v\.hostPath\.path\.matches\('\^\/\+dev\(\/\|\$\)'\) \|\| v\.hostPath\.path\.contains\('nvidia'\)/,
    );
    expect(expressions.join("\n")).toContain("!k.startsWith('cdi.k8s.io/')");
    const spec = gpuDevicePolicyManifest().spec;
    expect(spec).toMatchObject({
      failurePolicy: "Fail",
      matchConstraints: { resourceRules: [{ operations: ["CREATE", "UPDATE"], resources: ["pods", "pods/ephemeralcontainers"] }] },
    });
    expect(gpuDeviceBindingManifest().spec).toEqual({
      policyName: "saip-gpu-devices",
      validationActions: ["Deny"],
      matchResources: { namespaceSelector: { matchExpressions: [{ key: "saip.io/tenant", operator: "Exists" }] } },
    });
  });

  it.each([
    [
      "absent (another policy only)",
      () => ({ placement: { manifest: placementPolicyManifest() }, placementBinding: { manifest: placementBindingManifest() } }),
      /^no ValidatingAdmissionPolicy refuses pods here that set NVIDIA_VISIBLE_DEVICES/,
    ],
    ["without its binding", () => ({ policy: policy() }), /no binding puts kubernetes_manifest\.policy in force/],
    [
      "in warn and audit mode",
      () => ({
        policy: policy(),
        binding: { manifest: { ...binding().manifest, spec: { ...binding().manifest.spec, validationActions: ["Warn", "Audit"] } } },
      }),
      /binds "saip-gpu-devices" without the Deny action \(Warn or Audit admit the pod\)/,
    ],
    [
      "not bound to tenant namespaces",
      () => ({
        policy: policy(),
        binding: {
          manifest: {
            ...binding().manifest,
            spec: {
              ...binding().manifest.spec,
              matchResources: { namespaceSelector: { matchLabels: { "saip.io/image-policy": "enforced" } } },
            },
          },
        },
      }),
      /does not select this namespace/,
    ],
    [
      "failing open",
      () => ({
        policy: { manifest: { ...policy().manifest, spec: { ...policy().manifest.spec, failurePolicy: "Ignore" } } },
        binding: binding(),
      }),
      /failurePolicy is "Ignore"/,
    ],
    [
      "without the ephemeral containers",
      () => ({
        policy: {
          manifest: {
            ...policy().manifest,
            spec: {
              ...policy().manifest.spec,
              matchConstraints: {
                resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }],
              },
            },
          },
        },
        binding: binding(),
      }),
      /does not cover pods\/ephemeralcontainers/,
    ],
    [
      "missing the init container check",
      () => ({
        policy: {
          manifest: {
            ...policy().manifest,
            spec: { ...policy().manifest.spec, validations: policy().manifest.spec.validations.filter((_: unknown, i: number) => i !== 1) },
          },
        },
        binding: binding(),
      }),
      /it lacks the validation "!has\(object\.spec\.initContainers\)/,
    ],
  ])("fails a tenant namespace whose GPU device policy is %s", (_, manifests, message) => {
    expect(judge(manifests())).toMatchObject({ status: "fail", message: expect.stringMatching(message) });
  });

  it("is unresolved when a manifest or the namespace's labels cannot be read", () => {
    expect(judge({ any: { manifest: "${var.policy}" } }).message).toBe(
      "unresolved: no admission policy is known to refuse GPU access around the device plugin here: kubernetes_manifest.any manifest is ${var.policy} (unresolved)",
    );
    const labels = checkJson(namespaceGpuBypassDenied, {
      resource: { kubernetes_namespace_v1: { team: { metadata: { name: "team", labels: "${var.labels}" } } } },
    });
    expect(findingFor(labels, "kubernetes_namespace_v1.team").message).toMatch(
      /^unresolved: .*var\.labels.*cannot tell whether it carries saip\.io\/tenant/,
    );
  });
});
