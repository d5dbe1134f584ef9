import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { DefaultServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/default-service-account-v1";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { Testing } from "cdktf";
import { dedicatedTenantPool, GPU_TOLERATION, restrictedContainerSecurityContext } from "../../../constructs/kubernetes/pod-placement";
import { TenantNamespace, TenantNamespaceProps } from "../../../constructs/kubernetes/tenant-namespace";
import { SecureStack } from "../../../lib/secure-stack";
import { clusterGuards, ECR_IMAGE, failures, findingsOf, statusOf, synthJson, TfJson } from "./engine";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
const BASE: TenantNamespaceProps = { name: "team-a", groups: ["team-a-developers"], gpuQuota: 4, endpointCidrs: ["10.0.0.0/16"] };

function setup(props: Partial<TenantNamespaceProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const tenant = new TenantNamespace(stack, "TeamA", { ...BASE, ...clusterGuards(stack), ...props });
  return { stack, tenant, synth: Testing.synth(stack), json: synthJson(stack) };
}

const NS_REF = "${kubernetes_namespace_v1.team_a.metadata[0].name}";
const LABELS = { "saip.io/tenant": "team-a" };
const policy = (json: TfJson, name: string) => json.resource.kubernetes_network_policy_v1[name];

describe("TenantNamespace", () => {
  it("names the namespace after the tenant and enforces, audits and warns on the restricted standard at a pinned version", () => {
    const { synth, json } = setup();
    expect(synth).toHaveResourceWithProperties(NamespaceV1, {
      metadata: {
        name: "team-a",
        labels: {
          "saip.io/tenant": "team-a",
          "saip.io/placement": "shared",
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "v1.33",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/audit-version": "v1.33",
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/warn-version": "v1.33",
        },
      },
    });
    // No dedicated pool, no placement annotations.
    expect(json.resource.kubernetes_namespace_v1.team_a.metadata.annotations).toBeUndefined();
  });

  it("pins another Pod Security version when asked", () => {
    const { json } = setup({ podSecurityVersion: "v1.32" });
    expect(json.resource.kubernetes_namespace_v1.team_a.metadata.labels["pod-security.kubernetes.io/enforce-version"]).toBe("v1.32");
  });

  it("denies all ingress and egress of every pod in a policy named default-deny, with no rules", () => {
    const { json } = setup();
    expect(policy(json, "team_a_default_deny")).toEqual({
      metadata: { name: "default-deny", namespace: NS_REF, labels: LABELS },
      spec: { pod_selector: {}, policy_types: ["Ingress", "Egress"] },
      // Applied only once the gate has read the cluster's vpc-cni add-on and found network policy on.
      depends_on: ["data.aws_eks_addon.vpc_cni_network_policy"],
    });
  });

  it("allows DNS to CoreDNS in kube-system only, on UDP and TCP 53", () => {
    const { synth } = setup();
    expect(synth).toHaveResourceWithProperties(NetworkPolicyV1, {
      metadata: { name: "allow-dns", namespace: NS_REF, labels: LABELS },
      spec: {
        pod_selector: {},
        policy_types: ["Egress"],
        egress: [
          {
            to: [
              {
                namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "kube-system" } },
                pod_selector: { match_labels: { "k8s-app": "kube-dns" } },
              },
            ],
            ports: [
              { port: "53", protocol: "UDP" },
              { port: "53", protocol: "TCP" },
            ],
          },
        ],
      },
    });
  });

  it("allows traffic within the namespace, both ways, selected by the namespace's name label", () => {
    const { json } = setup();
    const same = { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "team-a" } } };
    expect(policy(json, "team_a_allow_same_namespace").spec).toEqual({
      pod_selector: {},
      policy_types: ["Ingress", "Egress"],
      ingress: [{ from: [same] }],
      egress: [{ to: [same] }],
    });
  });

  it("allows HTTPS to the VPC endpoints' ranges and the Pod Identity agent, nothing wider", () => {
    const { json } = setup({ endpointCidrs: ["10.0.0.0/24", "10.0.1.0/24"] });
    expect(policy(json, "team_a_allow_vpc_endpoints").spec.egress).toEqual([
      { to: [{ ip_block: { cidr: "10.0.0.0/24" } }, { ip_block: { cidr: "10.0.1.0/24" } }], ports: [{ port: "443", protocol: "TCP" }] },
    ]);
    expect(policy(json, "team_a_allow_pod_identity_agent").spec.egress).toEqual([
      { to: [{ ip_block: { cidr: "169.254.170.23/32" } }], ports: [{ port: "80", protocol: "TCP" }] },
    ]);
    // No policy of the namespace has a rule without peers (which would allow everyone).
    for (const p of Object.values(json.resource.kubernetes_network_policy_v1)) {
      for (const rule of [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])])
        expect((rule.from ?? rule.to ?? []).length).toBeGreaterThan(0);
    }
  });

  it("creates no endpoint policy when there are no endpoint ranges (an egress rule without peers would allow 443 anywhere)", () => {
    const { json } = setup({ endpointCidrs: [] });
    // The signature verifier's namespace (clusterGuards) has its own policies.
    expect(
      Object.keys(json.resource.kubernetes_network_policy_v1)
        .filter((k) => !k.startsWith("signature_verifier_"))
        .sort(),
    ).toEqual(["team_a_allow_dns", "team_a_allow_pod_identity_agent", "team_a_allow_same_namespace", "team_a_default_deny"]);
  });

  it("caps GPUs, compute and objects, and allows no LoadBalancer or NodePort services", () => {
    const { json, synth } = setup();
    expect(synth).toHaveResourceWithProperties(ResourceQuotaV1, { metadata: { name: "tenant-quota", namespace: NS_REF, labels: LABELS } });
    expect(json.resource.kubernetes_resource_quota_v1.team_a_quota.spec.hard).toEqual({
      "requests.nvidia.com/gpu": "4",
      "requests.cpu": "32",
      "limits.cpu": "64",
      "requests.memory": "128Gi",
      "limits.memory": "256Gi",
      pods: "50",
      services: "10",
      secrets: "50",
      configmaps: "50",
      persistentvolumeclaims: "10",
      "services.loadbalancers": "0",
      "services.nodeports": "0",
    });
  });

  it("takes other caps, including a GPU quota of 0", () => {
    const { json } = setup({ gpuQuota: 0, quota: { requestsCpu: "8", limitsMemory: "64Gi", pods: 5, configMaps: 3 } });
    expect(json.resource.kubernetes_resource_quota_v1.team_a_quota.spec.hard).toMatchObject({
      "requests.nvidia.com/gpu": "0",
      "requests.cpu": "8",
      "limits.memory": "64Gi",
      pods: "5",
      configmaps: "3",
      "limits.cpu": "64",
    });
  });

  it("gives containers default requests and limits, so the compute quota does not reject them", () => {
    const { synth } = setup();
    expect(synth).toHaveResourceWithProperties(LimitRangeV1, {
      metadata: { name: "container-defaults", namespace: NS_REF, labels: LABELS },
      spec: { limit: [{ type: "Container", default_request: { cpu: "250m", memory: "512Mi" }, default: { cpu: "1", memory: "2Gi" } }] },
    });
  });

  it("manages the default service account so it mounts no API token", () => {
    const { synth, tenant } = setup();
    expect(synth).toHaveResourceWithProperties(DefaultServiceAccountV1, {
      automount_service_account_token: false,
      metadata: { namespace: NS_REF },
    });
    expect(tenant.serviceAccountName).toMatch(/^\$\{TfToken/);
  });

  it("gives developers namespaced rights only: no escalate, bind, impersonate or wildcard, secrets never listed", () => {
    const { json } = setup();
    const role = json.resource.kubernetes_role_v1.team_a_developer_role;
    expect(role.metadata).toMatchObject({ name: "tenant-developer", namespace: NS_REF });
    const rules = role.rule as Array<{ api_groups: string[]; resources: string[]; verbs: string[] }>;
    const verbs = rules.flatMap((r) => r.verbs);
    for (const forbidden of ["escalate", "bind", "impersonate", "*"]) expect(verbs).not.toContain(forbidden);
    expect(rules.flatMap((r) => [...r.resources, ...r.api_groups])).not.toContain("*");
    const secrets = rules.filter((r) => r.resources.includes("secrets")).flatMap((r) => r.verbs);
    expect(secrets.sort()).toEqual(["create", "delete", "get", "update"]);
    const verbsFor = (resource: string) => rules.filter((r) => r.resources.includes(resource)).flatMap((r) => r.verbs);
    for (const resource of ["pods", "deployments", "jobs", "services", "configmaps"]) {
      expect(verbsFor(resource).sort()).toEqual(["create", "delete", "get", "list", "patch", "update", "watch"]);
    }
    expect(verbsFor("pods/log")).toEqual(["get"]);
    expect(Object.keys(json.resource)).not.toContain("kubernetes_cluster_role_v1");
  });

  it("binds the role to the tenant's groups in the namespace", () => {
    const { synth } = setup({ groups: ["team-a-developers", "team-a-leads"] });
    expect(synth).toHaveResourceWithProperties(RoleBindingV1, {
      metadata: { name: "tenant-developer", namespace: NS_REF, labels: LABELS },
      role_ref: {
        api_group: "rbac.authorization.k8s.io",
        kind: "Role",
        name: "${kubernetes_role_v1.team_a_developer_role.metadata[0].name}",
      },
      subject: [
        { kind: "Group", name: "team-a-developers", api_group: "rbac.authorization.k8s.io" },
        { kind: "Group", name: "team-a-leads", api_group: "rbac.authorization.k8s.io" },
      ],
    });
  });

  it.each([
    [{ name: "Team_A" }, /name must be a DNS label .* got 'Team_A'/],
    [{ name: "default" }, /other than 'default' and 'kube-\*', got 'default'/],
    [{ name: "kube-system" }, /got 'kube-system'/],
    [{ groups: [] }, /groups must name at least one group, got \[\]/],
    [{ groups: ["system:authenticated"] }, /groups must not be empty or a 'system:' group .* got 'system:authenticated'/],
    [{ gpuQuota: -1 }, /gpuQuota must be a whole number of 0 or more, got -1/],
    [{ gpuQuota: 1.5 }, /gpuQuota must be a whole number of 0 or more, got 1.5/],
    [{ podSecurityVersion: "latest" }, /podSecurityVersion must pin a version .* got 'latest'/],
    [{ endpointCidrs: ["0.0.0.0/0"] }, /endpointCidrs must be VPC ranges \(\/8 or longer\), got '0.0.0.0\/0'/],
    [{ endpointCidrs: ["10.0.0.1/16"] }, /endpointCidrs: '10.0.0.1\/16' has host bits set/],
    [{ quota: { requestsMemory: "lots" } }, /quota requests.memory must be a Kubernetes quantity .* got 'lots'/],
    [{ quota: { pods: -2 } }, /quota pods must be a whole number of 0 or more, got -2/],
    [{ containerDefaults: { cpuLimit: "one" } }, /containerDefaults.cpuLimit must be a Kubernetes quantity .* got 'one'/],
    [
      { dedicatedPool: { label: "saip.io/tenant", taint: { key: "saip.io/tenant", value: "team-a", effect: "NoSchedule" as const } } },
      /dedicatedPool.label must be one node label as key=value/,
    ],
    [
      { dedicatedPool: { label: "a=b", taint: { key: "saip.io/tenant", value: "team-a", effect: "Never" as "NoSchedule" } } },
      /dedicatedPool.taint.effect must be .* got 'Never'/,
    ],
  ])("rejects %p", (props, message) => {
    expect(() => setup(props)).toThrow(message);
    expect(() => setup(props)).toThrow(/^test\/TeamA: /);
  });
});

describe("TenantNamespace pod placement", () => {
  it("without a dedicated pool, lets pods tolerate the GPU taint and selects no nodes", () => {
    const { tenant } = setup();
    expect(tenant.podPlacement).toEqual({ nodeSelector: {}, tolerations: [GPU_TOLERATION] });
    expect(GPU_TOLERATION).toEqual({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
  });

  it("with a dedicated pool, selects its nodes, tolerates its taint (EKS effect names accepted) and labels the namespace for admission, without annotations EKS ignores", () => {
    const { tenant, json } = setup({
      dedicatedPool: { label: "saip.io/tenant=team-a", taint: { key: "saip.io/tenant", value: "team-a", effect: "NO_SCHEDULE" } },
    });
    const tolerations = [{ key: "saip.io/tenant", operator: "Equal", value: "team-a", effect: "NoSchedule" }, GPU_TOLERATION];
    expect(tenant.podPlacement).toEqual({ nodeSelector: { "saip.io/tenant": "team-a" }, tolerations });
    // Before, the namespace carried scheduler.alpha.kubernetes.io annotations, which EKS's admission never reads.
    expect(json.resource.kubernetes_namespace_v1.team_a.metadata.annotations).toBeUndefined();
    expect(json.resource.kubernetes_namespace_v1.team_a.metadata.labels["saip.io/placement"]).toBe("dedicated");
  });

  it("describes the pool a NodePool with `tenant` creates", () => {
    expect(dedicatedTenantPool("team-a")).toEqual({
      label: "saip.io/tenant=team-a",
      taint: { key: "saip.io/tenant", value: "team-a", effect: "NoSchedule" },
    });
  });

  it("gives workloads pod spec defaults that satisfy the workload rules", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const tenant = new TenantNamespace(stack, "TeamA", { ...BASE, ...clusterGuards(stack), dedicatedPool: dedicatedTenantPool("team-a") });
    const defaults = tenant.tenantPodSpecDefaults();
    expect(defaults).toEqual({
      nodeSelector: { "saip.io/tenant": "team-a" },
      toleration: tenant.podPlacement.tolerations,
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    });
    new JobV1(stack, "Finetune", {
      metadata: { name: "finetune", namespace: tenant.namespaceName },
      spec: {
        template: {
          metadata: {},
          spec: {
            ...defaults,
            restartPolicy: "Never",
            container: [
              {
                name: "train",
                image: `${ECR_IMAGE}@${DIGEST}`,
                securityContext: restrictedContainerSecurityContext(),
                resources: { limits: { "nvidia.com/gpu": "1" } },
              },
            ],
          },
        },
      },
    });
    const json = synthJson(stack);
    expect(json.resource.kubernetes_job_v1.finetune.spec.template.spec).toMatchObject({
      node_selector: { "saip.io/tenant": "team-a" },
      toleration: [
        { key: "saip.io/tenant", operator: "Equal", value: "team-a", effect: "NoSchedule" },
        { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
      ],
    });
    const findings = findingsOf(stack, json);
    expect(findings.filter((f) => f.resource === "kubernetes_job_v1.finetune").map((f) => f.status)).toEqual(Array(8).fill("pass"));
    expect(failures(findings)).toEqual([]);
  });
});

describe("Two TenantNamespaces in one stack", () => {
  function twoTenants() {
    const stack = new SecureStack(Testing.app(), "test");
    const guards = clusterGuards(stack);
    const a = new TenantNamespace(stack, "TeamA", { ...BASE, ...guards, dedicatedPool: dedicatedTenantPool("team-a") });
    const b = new TenantNamespace(stack, "TeamB", {
      name: "team-b",
      groups: ["team-b-developers"],
      gpuQuota: 8,
      endpointCidrs: ["10.0.0.0/16"],
      ...guards,
      dedicatedPool: dedicatedTenantPool("team-b"),
    });
    return { stack, a, b, json: synthJson(stack) };
  }

  it("keep every object in its own namespace", () => {
    const { json } = twoTenants();
    expect(Object.keys(json.resource.kubernetes_namespace_v1).sort()).toEqual(["team_a", "team_b"]);
    for (const type of [
      "kubernetes_network_policy_v1",
      "kubernetes_resource_quota_v1",
      "kubernetes_limit_range_v1",
      "kubernetes_role_v1",
      "kubernetes_role_binding_v1",
      "kubernetes_default_service_account_v1",
    ]) {
      const objects = Object.entries(json.resource[type]).filter(([name]) => !name.startsWith("signature_verifier_"));
      for (const tenant of ["team_a", "team_b"]) {
        const own = objects.filter(([name]) => name.startsWith(`${tenant}_`));
        expect(own.length).toBeGreaterThan(0);
        for (const [, body] of own) expect(body.metadata.namespace).toBe(`\${kubernetes_namespace_v1.${tenant}.metadata[0].name}`);
      }
      expect(objects.length).toBe(objects.filter(([name]) => /^team_[ab]_/.test(name)).length);
    }
  });

  it("allow traffic only within each namespace, and keep their own quotas, bindings and placement", () => {
    const { json, a, b } = twoTenants();
    const sameNs = (t: string) =>
      policy(json, `${t}_allow_same_namespace`).spec.ingress[0].from[0].namespace_selector.match_labels["kubernetes.io/metadata.name"];
    expect([sameNs("team_a"), sameNs("team_b")]).toEqual(["team-a", "team-b"]);
    const gpus = (t: string) => json.resource.kubernetes_resource_quota_v1[`${t}_quota`].spec.hard["requests.nvidia.com/gpu"];
    expect([gpus("team_a"), gpus("team_b")]).toEqual(["4", "8"]);
    const groups = (t: string) =>
      json.resource.kubernetes_role_binding_v1[`${t}_developer_binding`].subject.map((s: { name: string }) => s.name);
    expect([groups("team_a"), groups("team_b")]).toEqual([["team-a-developers"], ["team-b-developers"]]);
    expect(a.podPlacement.nodeSelector).toEqual({ "saip.io/tenant": "team-a" });
    expect(b.podPlacement.nodeSelector).toEqual({ "saip.io/tenant": "team-b" });
    expect(b.podPlacement.tolerations).not.toContainEqual(expect.objectContaining({ value: "team-a" }));
  });

  it("pass every rule of the engine, each namespace on its own policy and quota", () => {
    const { stack, json } = twoTenants();
    const findings = findingsOf(stack, json);
    expect(failures(findings)).toEqual([]);
    for (const ns of ["team_a", "team_b"]) {
      const found = findings.filter((f) => f.resource === `kubernetes_namespace_v1.${ns}`);
      expect(found.map((f) => [f.ruleId, f.status]).sort()).toEqual([
        ["k8s-image-admission-enforced", "pass"],
        ["k8s-image-signature-enforced", "pass"],
        ["k8s-namespace-default-deny", "pass"],
        ["k8s-namespace-gpu-bypass-denied", "pass"],
        ["k8s-namespace-gpu-quota", "pass"],
        ["k8s-namespace-placement-enforced", "pass"],
        ["k8s-namespace-psa-restricted", "pass"],
      ]);
      expect(
        found
          .filter(
            (f) =>
              !["k8s-namespace-placement-enforced", "k8s-image-signature-enforced", "k8s-namespace-gpu-bypass-denied"].includes(f.ruleId),
          )
          .map((f) => f.message)
          .join(" "),
      ).toContain(`${ns}_`);
      expect(found.map((f) => f.message).join(" ")).not.toContain(ns === "team_a" ? "team_b_" : "team_a_");
    }
  });

  it("fail the default-deny rule for the namespace whose policy is removed, and only for it", () => {
    const { stack, json } = twoTenants();
    delete json.resource.kubernetes_network_policy_v1.team_b_default_deny;
    const findings = findingsOf(stack, json);
    expect(statusOf(findings, "k8s-namespace-default-deny", "kubernetes_namespace_v1.team_b")).toBe("fail");
    expect(statusOf(findings, "k8s-namespace-default-deny", "kubernetes_namespace_v1.team_a")).toBe("pass");
  });

  it("fail the cluster-binding rule when a cluster role binding grants a tenant's group", () => {
    const { stack } = twoTenants();
    new ClusterRoleBindingV1(stack, "TeamAClusterAdmin", {
      metadata: { name: "team-a-admin" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subject: [{ kind: "Group", name: "team-a-developers", apiGroup: "rbac.authorization.k8s.io" }],
    });
    expect(failures(findingsOf(stack))).toEqual([
      expect.stringMatching(
        /^k8s-no-cluster-binding-to-tenant-groups kubernetes_cluster_role_binding_v1.team_a_cluster_admin: .*team-a-developers/,
      ),
    ]);
  });
});

describe("TenantNamespace under the compliance engine", () => {
  it("has no failing finding", () => {
    const { stack } = setup();
    expect(failures(findingsOf(stack))).toEqual([]);
  });

  it("fails the default-deny rule when a raw override gives the policy an allowing rule", () => {
    const { stack, tenant } = setup();
    (tenant.node.findChild("DefaultDeny") as NetworkPolicyV1).addOverride("spec.egress", [{}]);
    expect(failures(findingsOf(stack))).toEqual([
      expect.stringMatching(/^k8s-namespace-default-deny kubernetes_namespace_v1.team_a: .*has egress rules/),
    ]);
  });

  it("fails the default-deny rule when the policy is removed", () => {
    const { stack, json } = setup();
    delete json.resource.kubernetes_network_policy_v1.team_a_default_deny;
    expect(statusOf(findingsOf(stack, json), "k8s-namespace-default-deny", "kubernetes_namespace_v1.team_a")).toBe("fail");
  });

  it.each([
    ["removed", undefined],
    ["lowered to baseline", "baseline"],
  ])("fails the PSA rule when the enforce label is %s", (_, value) => {
    const { stack, json } = setup();
    const labels = json.resource.kubernetes_namespace_v1.team_a.metadata.labels;
    if (value === undefined) delete labels["pod-security.kubernetes.io/enforce"];
    else labels["pod-security.kubernetes.io/enforce"] = value;
    expect(failures(findingsOf(stack, json))).toEqual([
      expect.stringMatching(/^k8s-namespace-psa-restricted kubernetes_namespace_v1.team_a: /),
    ]);
  });

  it("fails the GPU quota rule when the quota is removed or stops capping GPUs", () => {
    const removed = setup();
    delete removed.json.resource.kubernetes_resource_quota_v1;
    expect(failures(findingsOf(removed.stack, removed.json))).toEqual([
      expect.stringMatching(/^k8s-namespace-gpu-quota kubernetes_namespace_v1.team_a: tenant namespace without a resource quota/),
    ]);

    const uncapped = setup();
    delete uncapped.json.resource.kubernetes_resource_quota_v1.team_a_quota.spec.hard["requests.nvidia.com/gpu"];
    expect(failures(findingsOf(uncapped.stack, uncapped.json))).toEqual([
      expect.stringMatching(/^k8s-namespace-gpu-quota .*no quota caps requests.nvidia.com\/gpu/),
    ]);
  });
});

describe("TenantNamespace and S3 once network policies are enforced", () => {
  // Before, enforcement was off, so nothing noticed that no policy admitted S3's ranges behind the gateway endpoint.
  it("admits the inference entry to serving pods only, on the target port, from the load balancer's subnets", () => {
    const { json } = setup({ inferenceEntry: { sourceCidrs: ["10.0.0.0/20", "10.0.16.0/20"], port: 8443 } });
    expect(policy(json, "team_a_allow_inference_entry").spec).toEqual({
      pod_selector: { match_labels: { "saip.io/serves": "inference" } },
      policy_types: ["Ingress"],
      ingress: [
        {
          from: [{ ip_block: { cidr: "10.0.0.0/20" } }, { ip_block: { cidr: "10.0.16.0/20" } }],
          ports: [{ port: "8443", protocol: "TCP" }],
        },
      ],
    });
    expect(policy(setup().json, "team_a_allow_inference_entry")).toBeUndefined();
  });

  it("admits the S3 prefix list's ranges on 443, one policy per range, after the gate", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const list = new DataAwsEc2ManagedPrefixList(stack, "S3PrefixList", { name: "com.amazonaws.eu-west-1.s3" });
    new TenantNamespace(stack, "TeamA", { ...BASE, ...clusterGuards(stack), s3PrefixListEntries: list.entries });
    const json = synthJson(stack);
    const s3 = policy(json, "team_a_allow_s3");
    expect(s3.for_each).toMatch(/data\.aws_ec2_managed_prefix_list\.s3_prefix_list\.entries/);
    expect(s3.metadata).toEqual({
      name: 'allow-s3-${replace(replace(each.value.cidr, ".", "-"), "/", "-")}',
      namespace: NS_REF,
      labels: LABELS,
    });
    expect(s3.spec).toEqual({
      pod_selector: {},
      policy_types: ["Egress"],
      egress: [{ to: [{ ip_block: { cidr: "${each.value.cidr}" } }], ports: [{ port: "443", protocol: "TCP" }] }],
    });
    expect(s3.depends_on).toEqual(["data.aws_eks_addon.vpc_cni_network_policy"]);
    expect(failures(findingsOf(stack))).toEqual([]);
  });
});
