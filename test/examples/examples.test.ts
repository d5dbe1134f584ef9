import { App } from "cdktf";
import { createHash } from "node:crypto";
import { enforceCompliance } from "../../lib/compliance/aspect";
import { check } from "../../lib/compliance/engine";
import { ALL_RULES } from "../../lib/rules";
import { loadTerraform } from "../../lib/terraform/load";
import { loadConfigFile } from "../../stacks/config/load";
import { PlatformStack } from "../../stacks/platform-stack";
import { buildPlatform, synthesizePlatform, SynthSummary } from "../../stacks/synth";
import { addTeamResources, buildExample, CONFIG_FILE, ExampleResult, FEATURE_KEY_ARN } from "../../examples/extend-platform/main";
import { CONFIG_EXAMPLES, configFileOf, readStacks, resourcesOf, StackJson, stackWith, tempOutdir } from "./helpers";
import { beyondSingleAccount } from "../single-account";

/** Before the extend-platform waiver expires (2027-06-30), so these tests do not depend on the day they run. */
const BEFORE_EXPIRY = new Date("2026-12-01T00:00:00Z");

const sha384 = (text: string) => createHash("sha384").update(text).digest("hex");

describe.each(CONFIG_EXAMPLES)("examples/%s", (example) => {
  it("validates and synthesizes every stack with no failing finding", () => {
    const { summary, outdir } = synthesized[example]();
    expect(beyondSingleAccount(summary.report.findings.filter((f) => f.status === "fail"))).toEqual([]);
    expect(summary.report.findings.length).toBeGreaterThan(50);
    expect(summary.stacks.map((s) => s.name)).toContain("platform");
    expect(
      readStacks(outdir)
        .map((s) => s.name)
        .sort(),
    ).toEqual(summary.stacks.map((s) => s.name).sort());
  });
});

/** Synthesizes a config example once for the assertions of its block. */
function synthOnce(example: string): () => { summary: SynthSummary; outdir: string; platform: StackJson } {
  let result: { summary: SynthSummary; outdir: string; platform: StackJson } | undefined;
  return () => {
    if (!result) {
      const outdir = tempOutdir(example);
      const summary = synthesizePlatform({ configFile: configFileOf(example), outdir });
      result = { summary, outdir, platform: stackWith(outdir, "aws_eks_cluster") };
    }
    return result;
  };
}

/** One synth per config example, shared by every block below that asserts on it. */
const synthesized = Object.fromEntries(CONFIG_EXAMPLES.map((example) => [example, synthOnce(example)])) as Record<
  (typeof CONFIG_EXAMPLES)[number],
  ReturnType<typeof synthOnce>
>;

const purposeOf = (group: StackJson) => group.labels?.["saip.io/pool-purpose"];
const launchTemplateOf = (platform: StackJson, group: StackJson) => {
  const name = /^\$\{aws_launch_template\.([\w-]+)\.id\}$/.exec(group.launch_template.id)?.[1];
  return resourcesOf(platform, "aws_launch_template")[name as string];
};

describe("examples/regulated-training", () => {
  const synth = synthesized["regulated-training"];

  it("runs p5 training with EFA on the Capacity Block, in one zone", () => {
    const { platform } = synth();
    const group = resourcesOf(platform, "aws_eks_node_group").pretraining_pool;
    expect(group).toMatchObject({
      capacity_type: "CAPACITY_BLOCK",
      instance_types: ["p5.48xlarge"],
      subnet_ids: [expect.stringContaining("private_subnet1")],
    });
    const template = launchTemplateOf(platform, group);
    expect(template.instance_market_options).toEqual({ market_type: "capacity-block" });
    expect(template.capacity_reservation_specification.capacity_reservation_target.capacity_reservation_id).toBe("cr-0123456789abcdef0");
    expect(template.network_interfaces).toEqual([expect.objectContaining({ interface_type: "efa" })]);
    // A Capacity Block brings its own placement; a placement group of ours would leave it unused.
    expect(template.placement).toBeUndefined();
  });

  it("dedicates a tainted pool to every tenant, trains only, and serves nothing", () => {
    const { platform } = synth();
    const groups = Object.values(resourcesOf(platform, "aws_eks_node_group"));
    const tenantPools = groups.filter((g) => g.labels?.["saip.io/tenant"]);
    expect(tenantPools.map((g) => g.labels["saip.io/tenant"]).sort()).toEqual(["aml-analytics", "credit-risk", "foundation-models"]);
    for (const g of tenantPools)
      expect(g.taint).toContainEqual({ key: "saip.io/tenant", value: g.labels["saip.io/tenant"], effect: "NO_SCHEDULE" });
    expect(groups.map(purposeOf).sort()).toEqual(["system", "training", "training", "training"]);
    expect(resourcesOf(platform, "aws_lb")).toEqual({});
    expect(Object.keys(resourcesOf(platform, "aws_fsx_lustre_file_system"))).toHaveLength(1);
  });

  it("keeps audit evidence for seven years and backups for a year", () => {
    const { platform } = synth();
    const locks = Object.values(resourcesOf(platform, "aws_s3_bucket_object_lock_configuration")).map((l) => l.rule.default_retention);
    expect(locks).toContainEqual({ mode: "COMPLIANCE", days: 2557 });
    const trailLogs = Object.values(resourcesOf(platform, "aws_cloudwatch_log_group")).find((g) =>
      String(g.name).startsWith("/saip/cloudtrail/"),
    );
    expect(trailLogs?.retention_in_days).toBe(2557);
    expect(Object.values(resourcesOf(platform, "aws_backup_vault_lock_configuration"))[0]).toMatchObject({
      min_retention_days: 90,
      max_retention_days: 365,
    });
    expect(Object.values(resourcesOf(platform, "aws_backup_plan"))[0].rule[0].lifecycle).toEqual({ delete_after: 365 });
    expect(
      Object.values(resourcesOf(platform, "aws_sns_topic_subscription"))
        .map((s) => s.endpoint)
        .sort(),
    ).toEqual(["ml-platform-oncall@example.com", "security-operations@example.com"]);
  });

  it("keeps the trail's bucket, Config delivery, backup copies and control-plane logs in the log-archive account", () => {
    const { platform } = synth();
    expect(platform.provider.aws).toContainEqual(expect.objectContaining({ alias: "archive", allowed_account_ids: ["444455556666"] }));
    const trail = Object.values(resourcesOf(platform, "aws_cloudtrail"))[0];
    const bucket = resourcesOf(platform, "aws_s3_bucket")[String(trail.s3_bucket_name).split(".")[1]];
    expect(bucket.provider).toBe("aws.archive");
    const lock = Object.entries(resourcesOf(platform, "aws_s3_bucket_object_lock_configuration")).find(
      ([, l]) => l.bucket === String(trail.s3_bucket_name).replace(/\.bucket\}$/, ".id}"),
    );
    expect(lock?.[1]).toMatchObject({ provider: "aws.archive", rule: { default_retention: { mode: "COMPLIANCE", days: 2557 } } });
    const channel = Object.values(resourcesOf(platform, "aws_config_delivery_channel"))[0];
    expect(resourcesOf(platform, "aws_s3_bucket")[String(channel.s3_bucket_name).split(".")[1]].provider).toBe("aws.archive");
    const copies = Object.values(resourcesOf(platform, "aws_backup_plan"))[0].rule.map((r: StackJson) => r.copy_action[0].lifecycle);
    expect(copies).toEqual([{ delete_after: 365 }, { delete_after: 90 }]);
    // FSx backups keep the file system's key, so the checkpoints key is shared with the archive; the datasets key is not.
    const sharedWith = (key: string) =>
      JSON.parse(resourcesOf(platform, "aws_kms_key")[key].policy).Statement.map((st: StackJson) => st.Sid);
    expect(sharedWith("keys_checkpoints_key")).toContain("CopyGrantsTo444455556666");
    expect(sharedWith("keys_backups_key")).toContain("CopyGrantsTo444455556666");
    expect(sharedWith("keys_datasets_key")).not.toContain("CopyGrantsTo444455556666");
    expect(Object.values(resourcesOf(platform, "aws_cloudwatch_log_subscription_filter"))[0].log_group_name).toBe(
      "${aws_cloudwatch_log_group.cluster_control_plane_logs.name}",
    );
  });
});

describe("examples/confidential-inference", () => {
  const synth = synthesized["confidential-inference"];

  it("lets only an attested enclave decrypt with the models key, with the documented placeholder measurement", () => {
    const { platform, summary } = synth();
    const modelsKey = resourcesOf(platform, "aws_kms_key").keys_models_key;
    const statements = JSON.parse(modelsKey.policy).Statement as StackJson[];
    const allow = statements.find((s) => s.Sid === "EnclaveUseWithAttestation");
    // The pod that starts the enclave decrypts with its own Pod Identity role: pods cannot use the node role.
    expect(allow?.Principal.AWS).toEqual(["${aws_iam_role.claims_scoring_model_enclave_role.arn}"]);
    const trust = JSON.parse(resourcesOf(platform, "aws_iam_role").claims_scoring_model_enclave_role.assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
    expect(trust.Condition.StringEquals).toMatchObject({
      "aws:RequestTag/kubernetes-namespace": "claims-scoring",
      "aws:RequestTag/kubernetes-service-account": "model-enclave",
    });
    // The models publisher wraps data keys under the attested key; it can never decrypt with it.
    const publisher = statements.find((s) => s.Principal?.AWS === "${aws_iam_role.models_publisher.arn}");
    expect(publisher?.Action).toEqual([
      "kms:Encrypt",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:ReEncryptTo",
      "kms:DescribeKey",
      "kms:GenerateDataKey",
    ]);
    const used = summary.report.findings.filter((f) => f.ruleId === "aws-confidential-attested-key-used");
    expect(used.map((f) => [f.resource, f.status])).toEqual([["aws_kms_key.keys_models_key", "pass"]]);
    expect(allow?.Condition).toEqual({
      StringEqualsIgnoreCase: {
        "kms:RecipientAttestation:ImageSha384": sha384("saip example placeholder: confidential-inference enclave image (PCR0)"),
        "kms:RecipientAttestation:PCR1": sha384("saip example placeholder: confidential-inference kernel and bootstrap (PCR1)"),
        "kms:RecipientAttestation:PCR2": sha384("saip example placeholder: confidential-inference application (PCR2)"),
      },
    });
    expect(statements.find((s) => s.Sid === "DenyDecryptWithoutAttestation")?.Effect).toBe("Deny");
    const attestation = summary.report.findings.filter((f) => f.ruleId === "aws-kms-model-key-attestation");
    expect(attestation.map((f) => [f.resource, f.status])).toEqual([["aws_kms_key.keys_models_key", "pass"]]);
  });

  it("runs SEV-SNP and Nitro Enclaves pools only, with no training pool and no file system", () => {
    const { platform } = synth();
    const groups = Object.values(resourcesOf(platform, "aws_eks_node_group"));
    expect(groups.map(purposeOf)).not.toContain("training");
    expect(
      groups
        .map((g) => g.labels?.["saip.io/confidential"])
        .filter(Boolean)
        .sort(),
    ).toEqual(["nitro-enclaves", "sev-snp"]);
    const snp = launchTemplateOf(platform, groups.find((g) => g.labels?.["saip.io/confidential"] === "sev-snp") as StackJson);
    expect(snp.cpu_options).toEqual({ amd_sev_snp: "enabled" });
    const enclaves = launchTemplateOf(platform, groups.find((g) => g.labels?.["saip.io/confidential"] === "nitro-enclaves") as StackJson);
    expect(enclaves.enclave_options).toEqual({ enabled: true });
    expect(resourcesOf(platform, "aws_fsx_lustre_file_system")).toEqual({});
    expect(resourcesOf(platform, "aws_efs_file_system")).toEqual({});
  });

  it("puts a strict per-client rate limit on the inference entry", () => {
    const { platform } = synth();
    const acl = Object.values(resourcesOf(platform, "aws_wafv2_web_acl"))[0];
    const rate = (acl.rule as StackJson[]).find((r) => r.statement.rate_based_statement)?.statement.rate_based_statement;
    expect(rate).toEqual({ aggregate_key_type: "IP", evaluation_window_sec: 60, limit: 100 });
    expect(Object.values(resourcesOf(platform, "aws_lb")).map((lb) => lb.internal)).toEqual([true]);
  });
});

describe("examples/edge-inference", () => {
  const synth = synthesized["edge-inference"];

  it("spreads a small VPC over exactly two zones", () => {
    const { platform } = synth();
    expect(Object.values(resourcesOf(platform, "aws_vpc")).map((v) => v.cidr_block)).toEqual(["10.60.0.0/21"]);
    // Two node subnets, and two /26s the inference entry's load balancer has to itself.
    const subnets = Object.values(resourcesOf(platform, "aws_subnet"));
    expect(subnets.map((s) => s.availability_zone).sort()).toEqual(["eu-central-1a", "eu-central-1a", "eu-central-1b", "eu-central-1b"]);
    expect(subnets.map((s) => s.cidr_block).sort()).toEqual(["10.60.0.0/25", "10.60.0.128/25", "10.60.1.0/26", "10.60.1.64/26"]);
  });

  it("runs one small GPU inference pool of one to two nodes beside the system pool", () => {
    const { platform } = synth();
    const groups = resourcesOf(platform, "aws_eks_node_group");
    expect(Object.values(groups).map(purposeOf).sort()).toEqual(["inference", "system"]);
    expect(groups.inference_pool).toMatchObject({
      instance_types: ["g6.xlarge"],
      scaling_config: { min_size: 1, desired_size: 1, max_size: 2 },
    });
  });

  it("stores only models and artifacts, with no file system, and keeps logs the year the schema requires", () => {
    const { platform } = synth();
    // The audit trail's and AWS Config's buckets are part of every platform; the data buckets are the config's.
    expect(
      Object.values(resourcesOf(platform, "aws_s3_bucket"))
        .map((b) => b.tags?.Purpose)
        .filter(Boolean)
        .sort(),
    ).toEqual(["artifacts", "audit", "config", "models"]);
    expect(resourcesOf(platform, "aws_efs_file_system")).toEqual({});
    expect(resourcesOf(platform, "aws_fsx_lustre_file_system")).toEqual({});
    expect(new Set(Object.values(resourcesOf(platform, "aws_cloudwatch_log_group")).map((g) => g.retention_in_days))).toEqual(
      new Set([365]),
    );
  });
});

describe("examples/extend-platform", () => {
  let result: ExampleResult;
  let outdir: string;
  beforeAll(() => {
    outdir = tempOutdir("extend-platform");
    result = buildExample(outdir, { now: BEFORE_EXPIRY });
  });
  const findings = () => result.reports.flatMap((r) => r.findings);

  it("synthesizes the platform and the team's additions with no failing finding", () => {
    expect(result.stacks.length).toBeGreaterThanOrEqual(1);
    expect(result.stacks).toContain(result.platform);
    expect(beyondSingleAccount(findings().filter((f) => f.status === "fail"))).toEqual([]);
    expect(
      readStacks(outdir)
        .map((s) => s.name)
        .sort(),
    ).toEqual(result.stacks.map((s) => s.node.id).sort());
  });

  it("checks the team's feature store with the same rules as the platform's buckets", () => {
    const bucket = result.team.featureStore.resource;
    const address = `${bucket.terraformResourceType}.${bucket.friendlyUniqueId}`;
    const own = findings().filter((f) => f.resource === address);
    // aws-s3-bucket-named-writer judges the platform's own stores (datasets, models, artifacts) only, and
    // aws-s3-model-store-publisher-only the model store.
    const storeOnly = ["aws-s3-bucket-named-writer", "aws-s3-model-store-publisher-only"];
    const platformBucket = findings().filter((f) => f.resource === "aws_s3_bucket.models_bucket" && !storeOnly.includes(f.ruleId));
    expect(own.map((f) => f.ruleId).sort()).toEqual(platformBucket.map((f) => f.ruleId).sort());
    expect(own.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(["aws-s3-bucket-cmk-encryption", "aws-s3-bucket-tls-only", "aws-s3-bucket-access-logging"]),
    );
    expect(own.every((f) => f.status === "pass")).toBe(true);
    // Encrypted with the landing zone's key, imported by ARN, not a key of its own.
    const encryption = Object.values(
      resourcesOf(stackWith(outdir, "aws_eks_cluster"), "aws_s3_bucket_server_side_encryption_configuration"),
    ).find((e) => e.bucket === `\${${address}.id}`);
    expect(encryption?.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(FEATURE_KEY_ARN);
  });

  it("builds into the landing zone's VPC and relies on its trail, and every report says what it assumed of them and of the key", () => {
    const platform = stackWith(outdir, "aws_eks_cluster");
    expect(resourcesOf(platform, "aws_vpc")).toEqual({});
    expect(resourcesOf(platform, "aws_cloudtrail")).toEqual({});
    // The landing zone's subnets, each read with a postcondition that stops the plan on public IPs.
    const reads = Object.entries(platform.data.aws_subnet as Record<string, { id: string }>);
    const subnets = Object.fromEntries(reads.filter(([name]) => name.includes("private_subnet")));
    expect(Object.values(subnets).map((s) => s.id)).toEqual([
      "subnet-0a1b2c3d4e5f60001",
      "subnet-0a1b2c3d4e5f60002",
      "subnet-0a1b2c3d4e5f60003",
    ]);
    expect(Object.values(resourcesOf(platform, "aws_eks_cluster"))[0].vpc_config.subnet_ids).toEqual(
      Object.keys(subnets).map((name) => `\${data.aws_subnet.${name}.id}`),
    );
    // The load balancer's subnets are read too (checked to have the ranges given), and it is placed in them once read.
    const balancerReads = reads.filter(([name]) => name.includes("load_balancer_subnet"));
    expect(balancerReads.map(([, s]) => s.id)).toEqual([
      "subnet-0a1b2c3d4e5f60101",
      "subnet-0a1b2c3d4e5f60102",
      "subnet-0a1b2c3d4e5f60103",
    ]);
    expect(Object.values(resourcesOf(platform, "aws_lb"))[0].subnets).toEqual(
      balancerReads.map(([name]) => `\${data.aws_subnet.${name}.id}`),
    );
    // Node and load balancer subnets alike lie in the config's zones, one each, in order, so EFS and the load
    // balancer get one subnet per zone; the node subnets lie inside network.cidr.
    type Read = { lifecycle: { postcondition: { condition: string }[] } };
    const zoneOf = (read: Read) =>
      read.lifecycle.postcondition.map((p) => /availability_zone == "([a-z0-9-]+)"/.exec(p.condition)?.[1]).find(Boolean);
    const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
    expect(Object.values(subnets).map((s) => zoneOf(s as unknown as Read))).toEqual(zones);
    expect(balancerReads.map(([, s]) => zoneOf(s as unknown as Read))).toEqual(zones);
    for (const read of Object.values(subnets) as unknown as Read[])
      expect(read.lifecycle.postcondition.map((p) => p.condition)).toContainEqual(
        expect.stringContaining('cidrhost(self.cidr_block, 0)), 0) == "10.70.0.0"'),
      );
    // The VPC's range is read back and held to network.cidr at plan.
    expect(Object.values(platform.data.aws_vpc as Record<string, { id: string }>).map((v) => v.id)).toEqual(["vpc-0a1b2c3d4e5f60718"]);
    const assumed = result.reports.flatMap((r) => r.assumptions ?? []).map((a) => a.subject);
    expect(assumed).toEqual([
      "existing VPC vpc-0a1b2c3d4e5f60718",
      "endpoint policies of VPC vpc-0a1b2c3d4e5f60718",
      "existing organization trail arn:aws:cloudtrail:eu-west-1:999988887777:trail/org-trail",
      `existing KMS key ${FEATURE_KEY_ARN}`,
    ]);
  });

  it("grants the tenant's training role the feature store and the imported key on the role's own policy", () => {
    const policies = Object.values(resourcesOf(stackWith(outdir, "aws_eks_cluster"), "aws_iam_role_policy")).filter(
      (p) => p.role === "${aws_iam_role.recommendations_training_role.name}",
    );
    const statements = policies.flatMap((p) => JSON.parse(p.policy).Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({ Sid: "Decrypt", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: FEATURE_KEY_ARN }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Sid: "PrefixObjects", Resource: expect.stringContaining("/recommendations/*") }),
    );
  });

  it("reports the legacy key's waiver with its reason, and waives only that rule", () => {
    const address = `aws_kms_key.${result.team.legacyKey.friendlyUniqueId}`;
    // The platform's own waivers (the device plugins') are there too; the team's is the one on its key.
    const waivers = result.reports.flatMap((r) => r.waivers).filter((w) => w.resource === address);
    expect(waivers).toEqual([
      expect.objectContaining({
        rule: "aws-kms-key-rotation",
        resource: address,
        owner: "recsys-platform-team",
        expires: "2027-06-30",
        matched: 1,
        expired: false,
        reason: expect.stringMatching(/data-sharing agreement/),
      }),
    ]);
    const own = findings().filter((f) => f.resource === address);
    expect(own.filter((f) => f.status === "waived").map((f) => f.ruleId)).toEqual(["aws-kms-key-rotation"]);
    expect(own.filter((f) => f.status !== "waived").every((f) => f.status === "pass")).toBe(true);
  });

  it("carries the waiver inside the JSON, so checking cdktf.out gives the same result without a waivers file", async () => {
    const report = check(await loadTerraform([outdir]), { rules: ALL_RULES, now: BEFORE_EXPIRY });
    expect(report.summary).toEqual({
      pass: findings().filter((f) => f.status === "pass").length,
      // The single-account audit storage (beyondSingleAccount), as the check inside synth gave it.
      fail: findings().filter((f) => f.status === "fail").length,
      waived: findings().filter((f) => f.status === "waived").length,
    });
    expect(report.findings.filter((f) => f.status === "waived").map((f) => f.ruleId)).toContain("aws-kms-key-rotation");
    // And what was assumed of the landing zone, from the terraform block's comment key.
    expect(report.assumptions?.map((a) => a.subject)).toEqual(result.reports.flatMap((r) => r.assumptions ?? []).map((a) => a.subject));
  });

  it("fails synth without the waiver, naming the rule and the legacy key", () => {
    const app = new App({ outdir: tempOutdir("extend-platform-unwaived") });
    const platform = buildPlatform(app, loadConfigFile(CONFIG_FILE)).find(
      (s): s is PlatformStack => s instanceof PlatformStack,
    ) as PlatformStack;
    addTeamResources(platform);
    enforceCompliance(app, { now: BEFORE_EXPIRY });
    expect(() => app.synth()).toThrow(/aws-kms-key-rotation.*aws_kms_key\.legacy_feature_key/);
  });

  it("fails synth once the waiver has expired", () => {
    expect(() => buildExample(tempOutdir("extend-platform-expired"), { now: new Date("2027-07-01T00:00:00Z") })).toThrow(
      /expired on 2027-06-30/,
    );
  });
});
