import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { App } from "cdktf";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { NvidiaDevicePlugin } from "../../constructs/kubernetes/device-plugins";
import { dedicatedTenantPool, restrictedContainerSecurityContext } from "../../constructs/kubernetes/pod-placement";
import { TenantNamespace } from "../../constructs/kubernetes/tenant-namespace";
import { clusterGuards, ECR_IMAGE } from "../constructs/kubernetes/engine";
import { enforceCompliance } from "../../lib/compliance/aspect";
import { check } from "../../lib/compliance/engine";
import { Report } from "../../lib/compliance/finding";
import { Rule } from "../../lib/compliance/rule";
import { SecureStack } from "../../lib/secure-stack";
import { addDocument } from "../../lib/terraform/load";
import { Json, TfModule } from "../../lib/terraform/model";
import { DEFAULT_CONFIG } from "../../stacks/config/default";
import { PlatformConfigInput } from "../../stacks/config/schema";
import { synthesizePlatform } from "../../stacks/synth";
import { TfDoc } from "./mutations";

/** One synthesized stack: its name, where cdktf wrote it (relative to the out folder) and its JSON. */
export interface SynthesizedStack {
  readonly name: string;
  readonly source: string;
  readonly doc: TfDoc;
  /** The stacks it depends on (the manifest's `dependencies`), applied before it. */
  readonly dependencies: readonly string[];
}

/** A platform synthesized for evidence: every stack's JSON and the report the check inside synth gave. */
export interface Platform {
  /** `reference`, or a variant's name. */
  readonly name: string;
  readonly description: string;
  readonly stacks: readonly SynthesizedStack[];
  /** The report(s) of the compliance check that ran inside synth, one per stack. */
  readonly inSynth: readonly Report[];
}

/** Reads every stack of a cdktf.out folder, in the order of its manifest. */
function readOutdir(outdir: string): SynthesizedStack[] {
  const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string; dependencies: string[] }>;
  };
  return Object.entries(manifest.stacks).map(([name, stack]) => ({
    name,
    source: stack.synthesizedStackPath,
    doc: JSON.parse(readFileSync(path.join(outdir, stack.synthesizedStackPath), "utf8")) as TfDoc,
    dependencies: stack.dependencies,
  }));
}

/** Runs `synth(outdir)` in a fresh temporary folder, reads what it wrote and removes the folder. */
function inTemporaryFolder<T>(synth: (outdir: string) => T): { result: T; stacks: SynthesizedStack[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "saip-evidence-"));
  try {
    const outdir = path.join(dir, "cdktf.out");
    const result = synth(outdir);
    return { result, stacks: readOutdir(outdir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A platform config synthesized the way `npm run synth` does it (`synthesizePlatform`), from a config file. */
function platformFrom(name: string, description: string, config?: PlatformConfigInput): Platform {
  const { result, stacks } = inTemporaryFolder((outdir) => {
    let configFile: string | undefined;
    if (config) {
      configFile = path.join(path.dirname(outdir), "platform.json");
      writeFileSync(configFile, JSON.stringify(config, null, 2));
    }
    return synthesizePlatform({ outdir, configFile });
  });
  return { name, description, stacks, inSynth: [result.report] };
}

/** The reference platform: the embedded default config, every stack `buildPlatform` makes. */
export function synthesizeReference(): Platform {
  return platformFrom("reference", "the reference platform (stacks/config/default.ts), synthesized with synthesizePlatform()");
}

const DIGEST = `sha256:${"4f3a9c1e".repeat(8)}`;

/**
 * A tenant's Kubernetes objects synthesized alone, with the compliance check
 * inside synth: a TenantNamespace (its policies, quota and the role binding
 * that makes its group a tenant group), a tenant job built from the
 * namespace's pod defaults, the NVIDIA device plugin DaemonSet (which the
 * reference's Bottlerocket GPU pools do not need), and a cluster role binding.
 *
 * The reference platform's only workloads are device plugins, which carry
 * waivers for what a device plugin needs (the kubelet's socket directory),
 * so the job gives the workload rules an unwaived compliant case. No
 * construct writes a cluster role binding, so that one is hand-written: it
 * binds the platform's operators (not a tenant group), which gives the
 * cluster-binding rule its compliant case and its mutation a tenant group
 * to add.
 */
function kubernetesConstructs(outdir: string): Report[] {
  const reports: Report[] = [];
  const app = new App({ outdir });
  const stack = new SecureStack(app, "kubernetes");
  new KubernetesProvider(stack, "kubernetes", {});
  // The gate on the cluster's vpc-cni add-on reads it through the AWS provider.
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const tenant = new TenantNamespace(stack, "FraudModels", {
    name: "fraud-models",
    groups: ["fraud-ml-engineers"],
    gpuQuota: 16,
    endpointCidrs: ["10.40.0.0/16"],
    dedicatedPool: dedicatedTenantPool("fraud-models"),
    ...clusterGuards(stack),
  });
  new JobV1(stack, "FineTune", {
    metadata: { name: "fine-tune", namespace: tenant.namespaceName },
    spec: {
      template: {
        metadata: {},
        spec: {
          ...tenant.tenantPodSpecDefaults(),
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
  // The reference's NVIDIA pools run Bottlerocket, whose OS runs the plugin: the DaemonSet AL2023 NVIDIA pools get.
  new NvidiaDevicePlugin(stack, "NvidiaDevicePlugin", {
    image: `111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror/nvidia/k8s-device-plugin@${DIGEST}`,
    waiverExpires: "2027-06-30",
  });
  new ClusterRoleBindingV1(stack, "OperatorsView", {
    metadata: { name: "platform-operators-view" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
    subject: [{ kind: "Group", name: "platform-operators", apiGroup: "rbac.authorization.k8s.io" }],
  });
  enforceCompliance(app, { onReport: (_stack, report) => reports.push(report) });
  app.synth();
  return reports;
}

/** The variant's log-archive account, in the placeholder style of the examples. */
export const LOG_ARCHIVE = { accountId: "444455556666", roleArn: "arn:aws:iam::444455556666:role/log-archive-deployer" };

/** Variants: platforms that exercise rules the reference platform gives nothing to check. */
export const VARIANT_DESCRIPTIONS = {
  "efs-log-archive":
    'the reference config with storage.fileSystem "efs" instead of FSx for Lustre and a log-archive account (audit.archive) holding the trail\'s bucket, the Config delivery bucket, the backup copy vaults and the control-plane log copy, synthesized with synthesizePlatform()',
  "kubernetes-constructs":
    "a TenantNamespace synthesized alone with a tenant job built from its pod defaults (restrictedContainerSecurityContext), the NVIDIA device plugin DaemonSet and a cluster role binding for the platform's operators",
} as const;

export type VariantName = keyof typeof VARIANT_DESCRIPTIONS;

/** How each variant is synthesized. */
export const VARIANT_PLATFORMS: Record<VariantName, () => Platform> = {
  "efs-log-archive": () =>
    platformFrom("efs-log-archive", VARIANT_DESCRIPTIONS["efs-log-archive"], {
      ...DEFAULT_CONFIG,
      storage: { ...DEFAULT_CONFIG.storage, fileSystem: "efs" },
      audit: { ...DEFAULT_CONFIG.audit, archive: LOG_ARCHIVE },
    }),
  "kubernetes-constructs": () => {
    const { result, stacks } = inTemporaryFolder(kubernetesConstructs);
    return { name: "kubernetes-constructs", description: VARIANT_DESCRIPTIONS["kubernetes-constructs"], stacks, inSynth: result };
  },
};

/**
 * Rules that judge nothing on the reference platform (nothing they apply
 * to, or only resources a waiver covers), and the variant where they do.
 * Exact on purpose: the matrix test fails when the reference gains an
 * unwaived finding of a rule listed here (remove the entry then), so a
 * reference that stops producing what a rule checks cannot hide behind a
 * variant.
 */
export const VARIANTS: Readonly<Record<string, VariantName>> = {
  // The reference platform uses FSx for Lustre.
  "aws-efs-cmk": "efs-log-archive",
  "aws-efs-backup-policy": "efs-log-archive",
  // The reference's only workloads are the device plugins, waived for the kubelet's socket directory they must mount as root.
  "k8s-pod-no-host-path": "kubernetes-constructs",
  "k8s-container-run-as-non-root": "kubernetes-constructs",
  // No construct and no stack writes a cluster role binding.
  "k8s-no-cluster-binding-to-tenant-groups": "kubernetes-constructs",
  // The reference's NVIDIA pools run Bottlerocket, whose OS runs the device plugin: no DaemonSet to judge.
  "k8s-gpu-device-plugin-volume-mounts": "kubernetes-constructs",
};

/**
 * Recommended rules the reference platform fails by design, and why. No
 * platform the stacks synthesize passes them yet, so they have no compliant
 * case to break: the matrix checks instead that every one of their findings
 * on the reference fails (the finding each synth report shows), and their
 * rule tests prove pass, fail and unresolved. An entry goes, for a VARIANTS
 * entry or none, when a platform passes the rule.
 */
export const FAILS_ON_REFERENCE: Readonly<Record<string, string>> = {};

/**
 * Recommended rules the single-account reference platform fails by design
 * (every report says so), and the variant that passes them, where they are
 * proved and their mutation runs. The matrix checks too that each of their
 * findings on the reference still fails, as a single-account platform's must.
 */
export const PROVED_ON_VARIANT: Readonly<Record<string, VariantName>> = {
  // The reference keeps its trail bucket, Config delivery bucket and recovery points in the account they record.
  "aws-audit-storage-separate-account": "efs-log-archive",
};

/**
 * The engine's module for stack `name`, read the way `saip check cdktf.out` reads it: with the stacks it depends
 * on as its upstream, built into `built`. `replace` gives one stack other JSON (a mutated copy).
 */
export function moduleOf(
  platform: Platform,
  name: string,
  replace?: { readonly name: string; readonly doc: TfDoc },
  built: Map<string, TfModule> = new Map(),
): TfModule {
  const known = built.get(name);
  if (known) return known;
  const stack = platform.stacks.find((s) => s.name === name);
  if (!stack) throw new Error(`${platform.name} has no stack ${name}`);
  const module = new TfModule(name);
  addDocument(module, (name === replace?.name ? replace.doc : stack.doc) as unknown as Json, stack.source);
  built.set(name, module);
  for (const dependency of stack.dependencies) module.upstream.push(moduleOf(platform, dependency, replace, built));
  return module;
}

/** Every finding of `rules` over a platform's stacks, as written to disk. */
export function checkPlatform(platform: Platform, rules: readonly Rule[]) {
  const built = new Map<string, TfModule>();
  return check(
    platform.stacks.map((s) => moduleOf(platform, s.name, undefined, built)),
    { rules },
  ).findings;
}
