import { imageAdmissionEnforced } from "../../../lib/rules/kubernetes/image-admission-enforced";
import { imageBindingManifests, imagePolicyManifest } from "../../../lib/rules/kubernetes/image-policy";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

type Body = ReturnType<typeof imagePolicyManifest>;
const REGISTRY = { account: "111122223333", region: "eu-west-1" };
const policyFor = (registry: { account: string; region: string }) => imagePolicyManifest(registry);
const [tenantsBinding, platformBinding] = imageBindingManifests();
const namespaces = {
  team: { metadata: { name: "team", labels: { "saip.io/tenant": "team" } } },
  operators: { metadata: { name: "operators", labels: { "saip.io/image-policy": "enforced" } } },
  plain: { metadata: { name: "plain" } },
  unknown: { metadata: { name: "unknown", labels: "${var.labels}" } },
};
const withSpec = (change: (spec: Body["spec"]) => object) => {
  const policy = imagePolicyManifest(REGISTRY);
  return { ...policy, spec: { ...policy.spec, ...change(policy.spec) } };
};

describe("k8s-image-admission-enforced", () => {
  it("passes tenant and labelled platform namespaces under the policy and its Deny bindings, and leaves unknown labels unresolved", () => {
    const findings = checkJson(imageAdmissionEnforced, {
      resource: {
        kubernetes_namespace_v1: namespaces,
        kubernetes_manifest: {
          policy: { manifest: imagePolicyManifest(REGISTRY) },
          tenants: { manifest: tenantsBinding },
          platform: { manifest: platformBinding },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_namespace_v1.team": "pass",
      "kubernetes_namespace_v1.operators": "pass",
      "kubernetes_namespace_v1.unknown": "fail",
    });
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toBe(
      "kubernetes_manifest.policy (bound with Deny by kubernetes_manifest.tenants) admits only private ECR images by digest, from account 111122223333 in eu-west-1, in this namespace",
    );
    expect(findingFor(findings, "kubernetes_namespace_v1.unknown").message).toMatch(
      /^unresolved: .*cannot tell which admission policies select it/,
    );
  });

  it("fails a tenant namespace no policy checks", () => {
    const findings = checkJson(imageAdmissionEnforced, { resource: { kubernetes_namespace_v1: { team: namespaces.team } } });
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toMatch(
      /^no ValidatingAdmissionPolicy checks images in this namespace/,
    );
  });

  it.each<[string, object, RegExp]>([
    ["without a binding", { policy: { manifest: imagePolicyManifest(REGISTRY) } }, /no binding puts kubernetes_manifest\.policy in force/],
    [
      "bound to warn only",
      {
        policy: { manifest: imagePolicyManifest(REGISTRY) },
        b: { manifest: { ...tenantsBinding, spec: { ...tenantsBinding.spec, validationActions: ["Audit"] } } },
      },
      /binds "saip-image-provenance" without the Deny action/,
    ],
    [
      "bound to other namespaces",
      { policy: { manifest: imagePolicyManifest(REGISTRY) }, b: { manifest: platformBinding } },
      /kubernetes_manifest\.b does not select this namespace/,
    ],
    [
      "failing open",
      { policy: { manifest: withSpec(() => ({ failurePolicy: "Ignore" })) }, b: { manifest: tenantsBinding } },
      /failurePolicy is "Ignore", so an evaluation error admits the pod unchecked/,
    ],
    [
      "blind to debug containers",
      {
        policy: {
          manifest: withSpec(() => ({
            matchConstraints: {
              resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }],
            },
          })),
        },
        b: { manifest: tenantsBinding },
      },
      /does not cover pods\/ephemeralcontainers/,
    ],
    [
      "without the init container check",
      {
        policy: { manifest: withSpec((spec) => ({ validations: spec.validations.filter((_, i) => i !== 1) })) },
        b: { manifest: tenantsBinding },
      },
      /it lacks the validation "!has\(object\.spec\.initContainers\) \|\| object\.spec\.initContainers\.all\(c, c\.image\.matches\('\^<account>/,
    ],
    [
      "admitting any account's registry",
      { policy: { manifest: policyFor({ account: "[0-9]{12}", region: "eu-west-1" }) }, b: { manifest: tenantsBinding } },
      /its account is the pattern "\[0-9\]\{12\}", so it admits images from other accounts' registries/,
    ],
    [
      "admitting any region's registry",
      { policy: { manifest: policyFor({ account: "111122223333", region: "[a-z0-9-]+" }) }, b: { manifest: tenantsBinding } },
      /its region is the pattern "\[a-z0-9-\]\+", so it admits images from other regions' registries/,
    ],
    [
      "admitting a second account",
      { policy: { manifest: policyFor({ account: "(111122223333|444455556666)", region: "eu-west-1" }) }, b: { manifest: tenantsBinding } },
      /its account is the pattern "\(111122223333\|444455556666\)"/,
    ],
    [
      "whose validations name different accounts",
      {
        policy: {
          manifest: withSpec(() => ({
            validations: [
              imagePolicyManifest(REGISTRY).spec.validations[0],
              ...imagePolicyManifest({ ...REGISTRY, account: "444455556666" }).spec.validations.slice(1),
            ],
          })),
        },
        b: { manifest: tenantsBinding },
      },
      /its validations admit different registries \(accounts 111122223333, 444455556666; regions eu-west-1\)/,
    ],
    [
      "skipped by a match condition",
      {
        policy: { manifest: withSpec(() => ({ matchConditions: [{ name: "never", expression: "false" }] })) },
        b: { manifest: tenantsBinding },
      },
      /matchConditions skip the policy for some requests/,
    ],
  ])("fails a tenant namespace under a policy %s", (_title, manifests, message) => {
    const findings = checkJson(imageAdmissionEnforced, {
      resource: { kubernetes_namespace_v1: { team: namespaces.team }, kubernetes_manifest: manifests },
    });
    expect(findingFor(findings, "kubernetes_namespace_v1.team").status).toBe("fail");
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toMatch(message);
  });

  it("passes a policy pinned to the account and region Terraform reads at apply, and leaves one pinned to a variable unresolved", () => {
    const account = "${data.terraform_remote_state.platform.outputs.account_id}";
    const passing = checkJson(imageAdmissionEnforced, {
      resource: {
        kubernetes_namespace_v1: { team: namespaces.team },
        kubernetes_manifest: { policy: { manifest: policyFor({ account, region: "eu-west-1" }) }, b: { manifest: tenantsBinding } },
      },
    });
    expect(findingFor(passing, "kubernetes_namespace_v1.team").message).toBe(
      `kubernetes_manifest.policy (bound with Deny by kubernetes_manifest.b) admits only private ECR images by digest, from account ${account} in eu-west-1, in this namespace`,
    );
    const open = checkJson(imageAdmissionEnforced, {
      resource: {
        kubernetes_namespace_v1: { team: namespaces.team },
        kubernetes_manifest: {
          policy: { manifest: policyFor({ account: "${var.account}", region: "eu-west-1" }) },
          b: { manifest: tenantsBinding },
        },
      },
    });
    expect(findingFor(open, "kubernetes_namespace_v1.team").message).toMatch(
      /^unresolved: .*its account is \$\{var\.account\}, which cannot be told to name one account/,
    );
  });

  it("leaves a namespace unresolved when a binding's selector cannot be read", () => {
    const findings = checkJson(imageAdmissionEnforced, {
      resource: {
        kubernetes_namespace_v1: { team: namespaces.team },
        kubernetes_manifest: {
          policy: { manifest: imagePolicyManifest(REGISTRY) },
          b: {
            manifest: {
              ...tenantsBinding,
              spec: { ...tenantsBinding.spec, matchResources: { namespaceSelector: { matchExpressions: [{ key: "x", operator: "Gt" }] } } },
            },
          },
        },
      },
    });
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toMatch(
      /^unresolved: no admission policy is known to check this namespace's images: .*operator "Gt"/,
    );
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      imageAdmissionEnforced,
      `resource "kubernetes_namespace_v1" "team" {
      metadata {
        name   = "team"
        labels = { "saip.io/tenant" = "team" }
      }
    }`,
    );
    expect(statuses(findings)).toEqual({ "kubernetes_namespace_v1.team": "fail" });
  });
});
