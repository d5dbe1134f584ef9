import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { check } from "../../lib/compliance/engine";
import { ALL_RULES } from "../../lib/rules";
import { addDocument } from "../../lib/terraform/load";
import { JsonObject, TfModule } from "../../lib/terraform/model";
import { synthesizePlatform } from "../../stacks/synth";

type Doc = { resource: Record<string, Record<string, JsonObject>>; provider: Record<string, JsonObject[]>; data: Record<string, unknown> };

const outdir = path.join(mkdtempSync(path.join(tmpdir(), "saip-workloads-")), "cdktf.out");
synthesizePlatform({ outdir });
const read = (id: string): Doc => JSON.parse(readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
const workloads = read("workloads");
const platform = read("platform");
const admission = read("admission");
const admissionPolicy = read("admission-policy");

/** The engine's module for a copy of the workloads stack, with the stacks applied before it as its upstream. */
function workloadsModule(doc: Doc): TfModule {
  const moduleOf = (id: string, json: Doc) => {
    const module = new TfModule(id);
    addDocument(module, json as unknown as JsonObject, `${id}/cdk.tf.json`);
    return module;
  };
  const module = moduleOf("workloads", doc);
  const bootstrapModule = moduleOf("bootstrap", read("bootstrap"));
  const platformModule = moduleOf("platform", platform);
  platformModule.upstream.push(bootstrapModule);
  const before = moduleOf("admission", admission);
  before.upstream.push(platformModule);
  const policy = moduleOf("admission-policy", admissionPolicy);
  policy.upstream.push(before);
  module.upstream.push(policy);
  return module;
}
/** A nested block as cdktf writes it (an object) or as HCL tools do (a list of one). */
const first = (value: unknown): JsonObject => (Array.isArray(value) ? value[0] : value) as JsonObject;

const ofType = (doc: Doc, type: string) => Object.entries(doc.resource[type] ?? {});

/** Runs the catalogue over a (mutated) copy of the workloads stack; returns failing `rule address` pairs. */
function failingAfter(mutate: (doc: Doc) => void): string[] {
  const doc = structuredClone(workloads);
  mutate(doc);
  return check([workloadsModule(doc)], { rules: ALL_RULES })
    .findings.filter((f) => f.status === "fail")
    .map((f) => `${f.ruleId} ${f.resource}`);
}

describe("two tenants on one cluster, in the synthesized workloads stack", () => {
  it("get separate namespaces enforcing restricted pod security", () => {
    const namespaces = ofType(workloads, "kubernetes_namespace_v1").map(([, body]) => first(body.metadata));
    expect(namespaces.map((m) => m.name).sort()).toEqual(["fraud-models", "research"]);
    for (const m of namespaces) expect((m.labels as JsonObject)["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("get their own default-deny policy, GPU quota, role and binding", () => {
    for (const tenant of ["fraud_models", "research"]) {
      expect(ofType(workloads, "kubernetes_network_policy_v1").filter(([name]) => name.startsWith(tenant)).length).toBeGreaterThanOrEqual(
        2,
      );
      const quotas = ofType(workloads, "kubernetes_resource_quota_v1").filter(([name]) => name.startsWith(tenant));
      expect(quotas).toHaveLength(1);
      expect(JSON.stringify(quotas[0][1])).toContain("requests.nvidia.com/gpu");
      expect(ofType(workloads, "kubernetes_role_v1").filter(([name]) => name.startsWith(tenant))).toHaveLength(1);
      expect(ofType(workloads, "kubernetes_role_binding_v1").filter(([name]) => name.startsWith(tenant))).toHaveLength(1);
    }
    expect(ofType(workloads, "kubernetes_cluster_role_binding_v1")).toEqual([]);
  });

  it("do not share GPU nodes: the dedicated tenant has its own labelled, tainted pools, for inference and training", () => {
    const groups = ofType(platform, "aws_eks_node_group").map(([, body]) => body);
    const research = groups.filter((g) => JSON.stringify(g.labels ?? {}).includes('"saip.io/tenant":"research"'));
    expect(research.map((g) => g.node_group_name).sort()).toEqual(["research-inference", "research-training"]);
    for (const pool of research) expect(JSON.stringify(pool.taint)).toContain("saip.io/tenant");
    const shared = groups.filter((g) => !JSON.stringify(g.labels ?? {}).includes("saip.io/tenant"));
    expect(shared.length).toBeGreaterThan(0);
  });

  it("get workload identities whose roles live in the platform stack", () => {
    const associations = ofType(workloads, "aws_eks_pod_identity_association");
    // Inference and training for each tenant, and the enclave workload of fraud-models (attestation.workloads).
    expect(associations).toHaveLength(5);
    for (const [, body] of associations)
      expect(String(body.role_arn)).toMatch(/terraform_remote_state\.cross_stack_reference_input_platform/);
  });

  it("bind the enclave workload's service account to the Pod Identity role the attested models key names", () => {
    const accounts = ofType(workloads, "kubernetes_service_account_v1").map(([, body]) => first(body.metadata));
    expect(accounts).toContainEqual({ name: "model-enclave", namespace: expect.stringContaining("fraud") });
    const [, association] = ofType(workloads, "aws_eks_pod_identity_association").find(([name]) => name.includes("model_enclave")) ?? [];
    expect(association).toMatchObject({ service_account: expect.stringContaining("model_enclave") });
    const output = /outputs\.([\w-]+)/.exec(String(association?.role_arn))?.[1];
    expect(JSON.stringify((platform as unknown as { output: Record<string, unknown> }).output[output as string])).toContain(
      "aws_iam_role.fraud_models_model_enclave_role.arn",
    );
  });

  it("reach the cluster through references to the platform stack, not copied values", () => {
    const provider = workloads.provider.kubernetes[0];
    expect(provider.host).toMatch(/^\$\{data\.terraform_remote_state\.cross_stack_reference_input_platform\.outputs\./);
    expect(provider.cluster_ca_certificate).toMatch(/base64decode\(data\.terraform_remote_state/);
    // A token per request from the AWS CLI: none kept in the state, none expiring during a long apply.
    expect(provider.token).toBeUndefined();
    expect(provider.exec).toEqual([
      {
        api_version: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: ["eks", "get-token", "--cluster-name", expect.stringMatching(/^\$\{data\.terraform_remote_state\./), "--region", "eu-west-1"],
      },
    ]);
  });

  it("pass every rule as synthesized", () => {
    expect(failingAfter(() => undefined)).toEqual([]);
  });

  describe("fail the matching rule when isolation is removed", () => {
    it("without the default-deny policy", () => {
      expect(
        failingAfter((doc) => {
          for (const [name] of ofType(doc, "kubernetes_network_policy_v1"))
            if (name.startsWith("research") && name.includes("default_deny")) delete doc.resource.kubernetes_network_policy_v1[name];
        }),
      ).toContainEqual(expect.stringMatching(/^k8s-namespace-default-deny kubernetes_namespace_v1\.research/));
    });

    it("with pod security relaxed", () => {
      expect(
        failingAfter((doc) => {
          const [, body] = ofType(doc, "kubernetes_namespace_v1").find(([, b]) => first(b.metadata).name === "research") ?? [];
          (first(body?.metadata).labels as JsonObject)["pod-security.kubernetes.io/enforce"] = "privileged";
        }),
      ).toContainEqual(expect.stringMatching(/^k8s-namespace-psa-restricted kubernetes_namespace_v1\.research/));
    });

    it("without a GPU quota", () => {
      expect(
        failingAfter((doc) => {
          for (const [name] of ofType(doc, "kubernetes_resource_quota_v1"))
            if (name.startsWith("fraud_models")) delete doc.resource.kubernetes_resource_quota_v1[name];
        }),
      ).toContainEqual(expect.stringMatching(/^k8s-namespace-gpu-quota kubernetes_namespace_v1\.fraud_models/));
    });

    it("with a cluster-wide binding for a tenant group", () => {
      expect(
        failingAfter((doc) => {
          doc.resource.kubernetes_cluster_role_binding_v1 = {
            research_everywhere: {
              metadata: [{ name: "research-everywhere" }],
              role_ref: [{ api_group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" }],
              subject: [{ kind: "Group", name: "research-scientists", api_group: "rbac.authorization.k8s.io" }],
            },
          };
        }),
      ).toContainEqual("k8s-no-cluster-binding-to-tenant-groups kubernetes_cluster_role_binding_v1.research_everywhere");
    });

    it("with a privileged device plugin", () => {
      expect(
        failingAfter((doc) => {
          const [, plugin] = ofType(doc, "kubernetes_daemon_set_v1")[0];
          const container = first(first(first(first(plugin.spec).template).spec).container);
          first(container.security_context).privileged = true;
        }),
      ).toContainEqual(expect.stringMatching(/^k8s-container-not-privileged kubernetes_daemon_set_v1\./));
    });
  });

  // Defect: both stacks kept their state (the cluster token, the roles) in local plaintext files.
  it("keep every stack's state in the bootstrap stack's bucket, encrypted with its key and locked", () => {
    for (const id of ["bootstrap", "platform", "admission", "admission-policy", "workloads"]) {
      const terraform = (JSON.parse(readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8")) as { terraform: JsonObject })
        .terraform;
      expect(terraform.backend).toEqual({
        s3: {
          bucket: "ai-platform-tfstate-eu-west-1",
          key: `${id}.tfstate`,
          region: "eu-west-1",
          encrypt: true,
          kms_key_id: "alias/ai-platform/terraform-state",
          use_lockfile: true,
        },
      });
    }
  });

  it("read the platform stack's outputs from its state in the bucket", () => {
    const remote = (workloads.data.terraform_remote_state as Record<string, JsonObject>).cross_stack_reference_input_platform;
    expect(remote).toMatchObject({
      backend: "s3",
      config: {
        bucket: "ai-platform-tfstate-eu-west-1",
        key: "platform.tfstate",
        encrypt: true,
        kms_key_id: "alias/ai-platform/terraform-state",
      },
    });
  });
});

describe("the synthesized platform, once deployed in a VPC without egress", () => {
  // Before, the plugins pulled from nvcr.io and public.ecr.aws and stayed in ImagePullBackOff.
  // The GPU pools run Bottlerocket's NVIDIA variant, which carries the NVIDIA device plugin in the OS: no DaemonSet for it.
  it("pulls the device plugins from the platform's ECR mirror repositories, by digest", () => {
    const images = ofType(workloads, "kubernetes_daemon_set_v1").map(([, ds]) =>
      String(first(first(first(first(ds.spec).template).spec).container).image),
    );
    expect(images.sort()).toEqual([
      expect.stringMatching(
        /^111122223333\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/mirror\/aws-nitro-enclaves\/aws-nitro-enclaves-k8s-device-plugin@sha256:[0-9a-f]{64}$/,
      ),
    ]);
    const gpuAmis = ofType(platform, "aws_eks_node_group")
      .map(([, g]) => String(g.ami_type))
      .filter((ami) => ami.includes("NVIDIA"));
    expect([...new Set(gpuAmis)]).toEqual(["BOTTLEROCKET_x86_64_NVIDIA"]);
    const caches = ofType(platform, "aws_ecr_pull_through_cache_rule").map(([, r]) => r.ecr_repository_prefix);
    expect(caches).toContain("ecr-public");
    expect(ofType(platform, "aws_ecr_repository").map(([, r]) => r.name)).toEqual(
      expect.arrayContaining(["mirror/nvidia/k8s-device-plugin", "mirror/aws-nitro-enclaves/aws-nitro-enclaves-k8s-device-plugin"]),
    );
  });

  it("lets every pool's nodes make the first pull through the caches", () => {
    const roles = ofType(platform, "aws_eks_node_group").map(([, g]) => String(g.node_role_arn).replace(/\.arn\}$/, ".name}"));
    const cacheGrants = ofType(platform, "aws_iam_role_policy")
      .filter(([, p]) => String(p.policy).includes("ecr:BatchImportUpstreamImage"))
      .map(([, p]) => p.role);
    expect(new Set(cacheGrants)).toEqual(new Set(roles));
  });

  // Before, vpc-cni had no configuration_values and every NetworkPolicy was ignored.
  it("let the inference entry's requests and health checks reach each tenant's serving pods through the default deny", () => {
    const entries = ofType(workloads, "kubernetes_network_policy_v1").filter(([name]) => name.endsWith("_allow_inference_entry"));
    expect(entries.map(([name]) => name)).toEqual(["fraud_models_allow_inference_entry", "research_allow_inference_entry"]);
    for (const [, entry] of entries) {
      expect(JSON.stringify(entry.spec)).toContain('"ports":[{"port":"8080","protocol":"TCP"}]');
      // Only the load balancer's own subnets: the node subnets (10.40.0.0/20 and on) hold host processes that would bypass the entry.
      const cidrs = [...JSON.stringify(entry.spec).matchAll(/"cidr":"([^"]+)"/g)].map((m) => m[1]);
      expect(cidrs).toEqual(["10.40.48.0/22", "10.40.52.0/22", "10.40.56.0/22"]);
    }
    const lb = ofType(platform, "aws_lb")[0][1];
    const lbSubnets = ofType(platform, "aws_subnet").filter(([name]) => name.includes("load_balancer_subnet"));
    expect(lbSubnets.map(([, s]) => s.cidr_block)).toEqual(["10.40.48.0/22", "10.40.52.0/22", "10.40.56.0/22"]);
    expect(lb.subnets).toEqual(lbSubnets.map(([name]) => `\${aws_subnet.${name}.id}`));
    // Nodes run in the private subnets only, never in the load balancer's.
    for (const [, group] of ofType(platform, "aws_eks_node_group"))
      expect(JSON.stringify(group.subnet_ids)).not.toContain("load_balancer_subnet");
  });

  it("provision volumes under the checkpoints key by default, not the account's default EBS key", () => {
    const [[, storageClass], ...others] = ofType(workloads, "kubernetes_storage_class_v1");
    expect(others).toEqual([]);
    expect(storageClass).toMatchObject({
      metadata: { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storage_provisioner: "ebs.csi.aws.com",
      parameters: {
        type: "gp3",
        encrypted: "true",
        kmsKeyId: expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross_stack_reference_input_platform\.outputs\./),
      },
      reclaim_policy: "Retain",
    });
    const output = /outputs\.([\w-]+)/.exec(String((storageClass.parameters as JsonObject).kmsKeyId))?.[1];
    expect(JSON.stringify((platform as unknown as { output: Record<string, unknown> }).output[output as string])).toContain(
      "aws_kms_key.keys_checkpoints_key.arn",
    );
  });

  it("enforces network policies: the CNI has them on, and the tenants' policies wait for a gate that checks it", () => {
    const [, cni] = ofType(platform, "aws_eks_addon").find(([, a]) => a.addon_name === "vpc-cni")!;
    expect(JSON.parse(String(cni.configuration_values))).toEqual({ enableNetworkPolicy: "true" });
    const gates = Object.keys((workloads.data.aws_eks_addon ?? {}) as JsonObject);
    expect(gates).toEqual(["vpc_cni_network_policy"]);
    for (const [, policy] of ofType(workloads, "kubernetes_network_policy_v1"))
      expect(policy.depends_on).toEqual(["data.aws_eks_addon.vpc_cni_network_policy"]);
    // With enforcement on, tenants reach their buckets only through a policy admitting S3's ranges.
    const s3 = ofType(workloads, "kubernetes_network_policy_v1")
      .filter(([name]) => name.endsWith("_allow_s3"))
      .map(([name, p]) => [name, p.for_each]);
    expect(s3).toEqual([
      ["fraud_models_allow_s3", expect.stringMatching(/data\.aws_ec2_managed_prefix_list\.s3_prefix_list\.entries/)],
      ["research_allow_s3", expect.stringMatching(/data\.aws_ec2_managed_prefix_list\.s3_prefix_list\.entries/)],
    ]);
    // The signature verifier downloads signature blobs from ECR's layer bucket, behind the same gate in its own stack.
    expect(Object.keys((admission.data.aws_eks_addon ?? {}) as JsonObject)).toEqual(["vpc_cni_network_policy"]);
    expect(admission.resource.kubernetes_network_policy_v1.signature_verifier_allow_s3).toMatchObject({
      for_each: expect.stringMatching(/data\.aws_ec2_managed_prefix_list\.s3_prefix_list\.entries/),
      depends_on: ["data.aws_eks_addon.vpc_cni_network_policy"],
    });
    expect((workloads.data.aws_ec2_managed_prefix_list as JsonObject).s3_prefix_list).toMatchObject({ name: "com.amazonaws.eu-west-1.s3" });
  });

  // Before, the research namespace carried scheduler.alpha annotations EKS never reads.
  it("enforces tenant placement with a ValidatingAdmissionPolicy and no namespace annotations", () => {
    const manifests = ofType(workloads, "kubernetes_manifest").map(([, m]) => (m.manifest as JsonObject).kind);
    // The placement, image provenance and GPU device policies, each with its Deny binding(s), and the two signature
    // constraints; the constraint template and Ratify's Verifiers are in the admission-policy stack, applied before.
    expect(manifests.sort()).toEqual([
      "SaipSignedImages",
      "SaipSignedImages",
      "ValidatingAdmissionPolicy",
      "ValidatingAdmissionPolicy",
      "ValidatingAdmissionPolicy",
      "ValidatingAdmissionPolicyBinding",
      "ValidatingAdmissionPolicyBinding",
      "ValidatingAdmissionPolicyBinding",
      "ValidatingAdmissionPolicyBinding",
    ]);
    expect(
      Object.values(admissionPolicy.resource.kubernetes_manifest)
        .map((m) => (m.manifest as JsonObject).kind)
        .sort(),
    ).toEqual(["ConstraintTemplate", "Verifier", "Verifier"]);
    for (const [, ns] of ofType(workloads, "kubernetes_namespace_v1")) expect(first(ns.metadata).annotations).toBeUndefined();
    const research = ofType(workloads, "kubernetes_namespace_v1")
      .map(([, ns]) => first(ns.metadata))
      .find((m) => m.name === "research")!;
    expect((research.labels as JsonObject)["saip.io/placement"]).toBe("dedicated");
  });

  // Before, a tenant's group could create pods in the seconds between its role binding and the constraints.
  it("gives tenants' groups their role only once every admission policy binding and signature constraint is in force", () => {
    const manifests = ofType(workloads, "kubernetes_manifest")
      .filter(([, m]) => ["ValidatingAdmissionPolicyBinding", "SaipSignedImages"].includes(String((m.manifest as JsonObject).kind)))
      .map(([name]) => `kubernetes_manifest.${name}`);
    expect(manifests).toHaveLength(6);
    for (const [, binding] of ofType(workloads, "kubernetes_role_binding_v1"))
      expect([...(binding.depends_on as string[])].sort()).toEqual(manifests.sort());
  });

  it("admits signed images in a VPC without egress, saying revocation is not checked there", () => {
    const signature = check([workloadsModule(structuredClone(workloads))], { rules: ALL_RULES }).findings.filter(
      (f) => f.ruleId === "k8s-image-signature-enforced" && f.resource === "kubernetes_namespace_v1.fraud_models",
    );
    expect(signature.map((f) => f.status)).toEqual(["pass"]);
    expect(signature[0].message).toMatch(/revocation is not enforced \(the trust policy skips it\)/);
  });

  it("fails the new rules when what makes the controls work is removed", () => {
    expect(failingAfter((doc) => delete (doc.data as { aws_eks_addon?: unknown }).aws_eks_addon)).toContainEqual(
      expect.stringMatching(/^k8s-network-policy-enforced kubernetes_network_policy_v1\./),
    );
    expect(failingAfter((doc) => delete (doc.resource as { kubernetes_manifest?: unknown }).kubernetes_manifest)).toEqual(
      expect.arrayContaining([
        "k8s-namespace-placement-enforced kubernetes_namespace_v1.fraud_models",
        "k8s-namespace-placement-enforced kubernetes_namespace_v1.research",
      ]),
    );
    expect(
      failingAfter((doc) => {
        const [, plugin] = ofType(doc, "kubernetes_daemon_set_v1")[0];
        const container = first(first(first(first(plugin.spec).template).spec).container);
        container.image = String(container.image).replace(/^[^/]+/, "nvcr.io");
      }),
    ).toContainEqual(expect.stringMatching(/^k8s-image-from-private-registry kubernetes_daemon_set_v1\./));
  });
});
