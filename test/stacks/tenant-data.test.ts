import { Testing } from "cdktf";
import { keyAllows, keyPolicySources } from "../../lib/rules/policies/key-access";
import { readPolicies } from "../../lib/rules/policies/statements";
import { addDocument } from "../../lib/terraform/load";
import { Json, TfModule } from "../../lib/terraform/model";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { DEFAULT_CONFIG } from "../../stacks/config/default";
import { PlatformConfigInput, platformConfigSchema } from "../../stacks/config/schema";
import { PlatformStack } from "../../stacks/platform-stack";

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};
type Resources = Record<string, Record<string, Record<string, unknown>>>;

const ACCOUNT = "111122223333";
const FRAUD_ROLE = `arn:aws:iam::${ACCOUNT}:role/fraud-ml-engineers`;
const RESEARCH_ROLE = `arn:aws:iam::${ACCOUNT}:role/research-scientists`;

/** The reference platform with each tenant's people given an IAM role. */
function withPrincipals(change: (c: PlatformConfigInput) => void = () => undefined): PlatformConfigInput {
  const config = structuredClone(DEFAULT_CONFIG);
  const principals: Record<string, string[]> = { "fraud-models": [FRAUD_ROLE], research: [RESEARCH_ROLE] };
  config.tenants = (config.tenants ?? []).map((t) => ({ ...t, principalArns: principals[t.name] }));
  change(config);
  return config;
}

function synthDocument(input: PlatformConfigInput): { resource: Resources } {
  return JSON.parse(Testing.synth(new PlatformStack(Testing.app(), "platform", platformConfigSchema.parse(input))));
}
const synthPlatform = (input: PlatformConfigInput): Resources => synthDocument(input).resource;

const referenceDocument = synthDocument(DEFAULT_CONFIG);
const reference = referenceDocument.resource;

/** The statements of every inline policy on one tenant's workload roles. */
function tenantStatements(resources: Resources, tenant: string): Statement[] {
  const roles = ["inference", "training"].map((p) => `\${aws_iam_role.${tenant.replace(/-/g, "_")}_${p}_role.name}`);
  return Object.values(resources.aws_iam_role_policy)
    .filter((p) => roles.includes(p.role as string))
    .flatMap((p) => JSON.parse(p.policy as string).Statement as Statement[]);
}

describe("tenant data in the shared buckets", () => {
  it.each(["fraud-models", "research"])("of %s is reachable by its roles only, under its own prefix", (tenant) => {
    const statements = tenantStatements(reference, tenant);
    // Models (inference and training), datasets (training), checkpoints (training): four grants of three statements.
    expect(statements).toHaveLength(12);
    for (const s of statements.filter((x) => x.Sid === "PrefixObjects"))
      expect(s.Resource).toMatch(new RegExp(`^\\$\\{aws_s3_bucket\\.\\w+\\.arn\\}/${tenant}/\\*$`));
    for (const s of statements.filter((x) => [x.Action].flat().includes("s3:ListBucket"))) {
      expect(s.Condition).toEqual({ StringLike: { "s3:prefix": [`${tenant}/*`] } });
    }
    // No statement reaches every object, lists every upload, or names another tenant.
    const other = tenant === "research" ? "fraud-models" : "research";
    expect(statements.flatMap((s) => [s.Resource].flat()).filter((r) => String(r).endsWith(".arn}/*"))).toEqual([]);
    expect(statements.flatMap((s) => [s.Action].flat())).not.toContain("s3:ListBucketMultipartUploads");
    expect(JSON.stringify(statements)).not.toContain(`${other}/`);
  });

  it("gives training read-write on its own checkpoints and inference read on its own models only", () => {
    const policies = Object.entries(reference.aws_iam_role_policy);
    const grant = (name: string) => JSON.parse(reference.aws_iam_role_policy[name].policy as string).Statement as Statement[];
    expect(
      policies
        .map(([name]) => name)
        .filter((n) => n.includes("research"))
        .sort(),
    ).toEqual([
      "checkpoints_bucket_read_write_research_training_role",
      "datasets_bucket_read_research_training_role",
      "models_bucket_read_research_inference_role",
      "models_bucket_read_research_training_role",
      // Its people's own container logs (the workload logs tests below).
      "workload_logs_read_research_log_reader",
    ]);
    expect(grant("checkpoints_bucket_read_write_research_training_role").find((s) => s.Sid === "PrefixObjects")).toEqual({
      Sid: "PrefixObjects",
      Effect: "Allow",
      Action: ["s3:GetObject*", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: "${aws_s3_bucket.checkpoints_bucket.arn}/research/*",
    });
    expect([grant("models_bucket_read_research_inference_role").find((s) => s.Sid === "PrefixObjects")?.Action].flat()).toEqual([
      "s3:GetObject*",
    ]);
  });
});

describe("tenant people on the cluster", () => {
  it("reach the cluster through access entries that put their roles in the tenant's groups, with no access policy", () => {
    const resources = synthPlatform(withPrincipals());
    const entries = Object.entries(resources.aws_eks_access_entry).map(([name, e]) => ({
      name,
      principal_arn: e.principal_arn,
      type: e.type,
      kubernetes_groups: e.kubernetes_groups,
    }));
    const fraud = entries.find((e) => e.principal_arn === FRAUD_ROLE);
    const research = entries.find((e) => e.principal_arn === RESEARCH_ROLE);
    expect(fraud).toMatchObject({ type: "STANDARD", kubernetes_groups: ["fraud-ml-engineers"] });
    expect(research).toMatchObject({ type: "STANDARD", kubernetes_groups: ["research-scientists"] });
    // Only the cluster admins' entries carry an access policy; the tenants' rights come from RoleBindings.
    const associated = Object.values(resources.aws_eks_access_policy_association).map((a) => a.principal_arn);
    for (const entry of [fraud, research]) expect(associated).not.toContain(`\${aws_eks_access_entry.${entry?.name}.principal_arn}`);
    expect(associated).toHaveLength(1);
  });

  it("must name the roles of a tenant's people: groups nobody is in would make its RoleBindings grant nothing", () => {
    const issues = (principalArns: string[] | undefined) => {
      const config = structuredClone(DEFAULT_CONFIG);
      config.tenants![0] = { ...config.tenants![0], principalArns: principalArns as string[] };
      const result = platformConfigSchema.safeParse(config);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(issues([])).toEqual([
      "tenants.0.principalArns: must name at least one IAM role whose people work in the tenant; without one, no one is in its groups and its RoleBindings grant nothing",
    ]);
    expect(issues(undefined)).toEqual(["tenants.0.principalArns: required: the IAM roles whose people work in the tenant"]);
  });

  it.each<[string, (c: PlatformConfigInput) => void, RegExp]>([
    [
      "a principal that is not a role",
      (c) => {
        c.tenants![0].principalArns = [`arn:aws:iam::${ACCOUNT}:user/alice`];
      },
      /tenants\.0\.principalArns\.0.*must be an IAM role ARN/s,
    ],
    [
      "one role in two tenants",
      (c) => {
        c.tenants![1].principalArns = [FRAUD_ROLE];
      },
      /already works in tenant 'fraud-models'; a role works in one tenant only/,
    ],
    [
      "a Kubernetes system group",
      (c) => {
        c.tenants![1].groups = ["system:authenticated"];
      },
      /'system:authenticated' is a Kubernetes system group/,
    ],
  ])("refuses %s", (_name, change, message) => {
    const result = platformConfigSchema.safeParse(withPrincipals(change));
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`))).toMatch(message);
  });
});

type KeyStatement = Statement & { Principal?: { AWS?: string | string[]; Service?: string } };
const keyStatements = (resources: Resources, key: string) =>
  JSON.parse(resources.aws_kms_key[key].policy as string).Statement as KeyStatement[];
const rolePolicies = (resources: Resources, role: string) =>
  Object.values(resources.aws_iam_role_policy)
    .filter((p) => p.role === `\${aws_iam_role.${role}.name}`)
    .flatMap((p) => JSON.parse(p.policy as string).Statement as Statement[]);
const trustOf = (resources: Resources, role: string) => JSON.parse(resources.aws_iam_role[role].assume_role_policy as string).Statement;
const allowsKeyUse = (s: KeyStatement, role: string, action: string) =>
  s.Effect === "Allow" &&
  [s.Principal?.AWS].flat().includes(`\${aws_iam_role.${role}.arn}`) &&
  [s.Action].flat().some((a) => a === action || a === `${action}*`);

describe("writers of the data stores", () => {
  it.each([
    ["datasets", "keys_datasets_key", "dataset-curation-pipeline"],
    ["models", "keys_model_store_key", "model-release-pipeline"],
    ["artifacts", "keys_datasets_key", "ml-build-pipeline"],
  ])(
    "the %s bucket has a publisher role, assumed by the configured principal, that writes it and makes data keys with its key",
    (store, key, principal) => {
      const role = `${store}_publisher`;
      expect(trustOf(reference, role)).toEqual([
        {
          Sid: "NamedPrincipals",
          Effect: "Allow",
          Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/${principal}`] },
          Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
        },
      ]);
      const objects = rolePolicies(reference, role).find((s) => s.Sid === "Objects");
      expect(objects?.Resource).toBe(`\${aws_s3_bucket.${store}_bucket.arn}/*`);
      expect(objects?.Action).toContain("s3:PutObject");
      // SSE-KMS uploads need GenerateDataKey on the bucket's key; before, only the backup role had it.
      expect(keyStatements(reference, key).some((s) => allowsKeyUse(s, role, "kms:GenerateDataKey"))).toBe(true);
    },
  );

  it("lets each publisher write its own store only", () => {
    for (const store of ["datasets", "models", "artifacts"]) {
      const resources = rolePolicies(reference, `${store}_publisher`)
        .flatMap((s) => [s.Resource].flat())
        .map(String);
      expect(resources.filter((r) => r.includes("aws_s3_bucket.") && !r.includes(`aws_s3_bucket.${store}_bucket.`))).toEqual([]);
    }
  });

  it("lets the models publisher wrap data keys under the attested models key, and never decrypt with it", () => {
    const statements = keyStatements(reference, "keys_models_key");
    expect(statements.some((s) => allowsKeyUse(s, "models_publisher", "kms:GenerateDataKey"))).toBe(true);
    expect(statements.some((s) => allowsKeyUse(s, "models_publisher", "kms:Decrypt"))).toBe(false);
  });
});

describe("auditors of the trail", () => {
  it("assume the auditor role, which reads the trail bucket, decrypts with the logs key and fetches the signing keys", () => {
    expect(trustOf(reference, "auditor")[0].Principal).toEqual({ AWS: [`arn:aws:iam::${ACCOUNT}:role/security-auditor`] });
    const statements = rolePolicies(reference, "auditor");
    expect(statements.find((s) => s.Sid === "Objects")?.Resource).toBe("${aws_s3_bucket.audit_trail_bucket.arn}/*");
    expect(statements.flatMap((s) => [s.Action].flat())).toEqual(
      expect.arrayContaining(["cloudtrail:ListPublicKeys", "cloudtrail:DescribeTrails", "s3:GetObject*"]),
    );
    expect(keyStatements(reference, "keys_logs_key").some((s) => allowsKeyUse(s, "auditor", "kms:Decrypt"))).toBe(true);
  });
});

describe("the enclave workload", () => {
  it("decrypts with the attested models key through its own Pod Identity role, never a node role", () => {
    const enclave = keyStatements(reference, "keys_models_key").find((s) => s.Sid === "EnclaveUseWithAttestation");
    expect(enclave?.Principal).toEqual({ AWS: ["${aws_iam_role.fraud_models_model_enclave_role.arn}"] });
    expect(trustOf(reference, "fraud_models_model_enclave_role")[0]).toMatchObject({
      Principal: { Service: "pods.eks.amazonaws.com" },
      Condition: {
        StringEquals: {
          "aws:RequestTag/kubernetes-namespace": "fraud-models",
          "aws:RequestTag/kubernetes-service-account": "model-enclave",
        },
      },
    });
  });

  it("reads only its tenant's models, where the wrapped weights are", () => {
    const objects = rolePolicies(reference, "fraud_models_model_enclave_role").filter((s) => s.Sid === "PrefixObjects");
    expect(objects).toEqual([
      { Sid: "PrefixObjects", Effect: "Allow", Action: ["s3:GetObject*"], Resource: "${aws_s3_bucket.models_bucket.arn}/fraud-models/*" },
    ]);
  });
});

describe("config of writers, auditors and enclave workloads", () => {
  it.each<[string, (c: PlatformConfigInput) => void, string]>([
    [
      "a bucket without a publisher",
      (c) => {
        c.storage = { ...c.storage, publishers: { ...c.storage?.publishers, models: [] } };
      },
      "storage.publishers.models: the models bucket needs at least one publisher (an IAM role or user ARN); without one nobody can write it",
    ],
    [
      "a publisher that is not an IAM ARN",
      (c) => {
        c.storage = { ...c.storage, publishers: { ...c.storage?.publishers, datasets: ["alice"] } };
      },
      "storage.publishers.datasets.0: must be an IAM role or user ARN",
    ],
    [
      "no auditor",
      (c) => {
        c.audit = { auditors: [] };
      },
      "audit.auditors: must name at least one auditor (an IAM role or user ARN) who can read the audit trail and validate its log files",
    ],
    [
      "an enclave pool without the models bucket",
      (c) => {
        c.storage = { ...c.storage, buckets: ["datasets", "checkpoints"] };
      },
      "storage.buckets: a Nitro Enclaves pool needs the models bucket: its publisher wraps the weights under the attested models key, and the enclave workloads read them there",
    ],
    [
      "an enclave pool without enclave workloads",
      (c) => {
        c.attestation = { ...c.attestation, workloads: [] };
      },
      "attestation.workloads: a Nitro Enclaves pool needs at least one enclave workload (tenant and service account) whose role may decrypt with the models key; pods cannot use the node role",
    ],
    [
      "an enclave workload of an unknown tenant",
      (c) => {
        c.attestation = { ...c.attestation, workloads: [{ tenant: "nobody", serviceAccount: "model-enclave" }] };
      },
      "attestation.workloads.0.tenant: names tenant 'nobody', which is not in tenants",
    ],
    [
      "an enclave workload on the tenant's inference service account",
      (c) => {
        c.attestation = { ...c.attestation, workloads: [{ tenant: "research", serviceAccount: "inference" }] };
      },
      "attestation.workloads.0.serviceAccount: 'inference' is the tenant's own inference service account; name the enclave's service account apart",
    ],
  ])("refuses %s, naming the field", (_name, change, message) => {
    const config = structuredClone(DEFAULT_CONFIG);
    change(config);
    const result = platformConfigSchema.safeParse(config);
    expect(result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([message]);
  });
});

describe("the inference entry", () => {
  it("reaches the serving pods: the cluster's security group admits the target port from the entry's group", () => {
    const rules = Object.values(reference.aws_vpc_security_group_ingress_rule);
    expect(rules).toContainEqual(
      expect.objectContaining({
        security_group_id: "${aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}",
        referenced_security_group_id: "${aws_security_group.inference_entry_security_group.id}",
        from_port: 8080,
        to_port: 8080,
      }),
    );
  });
});

describe("recovery evidence", () => {
  it("leaves the Terraform state to the bootstrap stack's vault, beside the bucket", () => {
    const selection = Object.values(reference.aws_backup_selection)[0] as { resources: string[] };
    expect(selection.resources.filter((arn) => arn.includes("tfstate"))).toEqual([]);
  });

  it("records object-level events of the datasets, models and checkpoints buckets", () => {
    const trail = Object.values(reference.aws_cloudtrail)[0] as {
      advanced_event_selector: Array<{ field_selector: Array<{ field: string; starts_with?: string[] }> }>;
    };
    const prefixes = trail.advanced_event_selector.flatMap((s) => s.field_selector).find((f) => f.field === "resources.ARN")?.starts_with;
    expect(prefixes).toEqual(["datasets", "models", "checkpoints"].map((b) => `\${aws_s3_bucket.${b}_bucket.arn}/`));
  });
});

// A widened IAM grant must still decrypt no other tenant's objects: each tenant's prefixes are under its own keys.
describe("tenant keys on the reference platform", () => {
  const module = new TfModule("platform");
  addDocument(module, referenceDocument as Json, "platform.tf.json");
  const key = (name: string) => module.ofType("aws_kms_key").find((k) => k.address === `aws_kms_key.${name}`)!;
  const decrypts = (keyName: string, roleName: string) => {
    const { statements } = readPolicies(keyPolicySources(key(keyName)));
    const s3 = { "kms:viaservice": "s3.eu-west-1.amazonaws.com", "kms:calleraccount": "any", "aws:principalarn": "any" };
    const requester = { kind: "role" as const, arn: `\${aws_iam_role.${roleName}.arn}`, iamActions: ["kms:*"] };
    return keyAllows(statements, { requester, action: "kms:Decrypt", present: s3, absent: ["kms:encryptioncontext:*"] }).verdict;
  };
  const TENANTS = ["fraud_models", "research"];
  const PURPOSES = ["datasets", "checkpoints", "model_store"];

  it.each(TENANTS)("lets %s's roles decrypt with their own keys and no other tenant's, nor the buckets' shared keys", (tenant) => {
    const other = TENANTS.find((t) => t !== tenant)!;
    expect(decrypts(`keys_${tenant}_datasets_key`, `${tenant}_training_role`)).toBe("yes");
    expect(decrypts(`keys_${tenant}_checkpoints_key`, `${tenant}_training_role`)).toBe("yes");
    expect(decrypts(`keys_${tenant}_model_store_key`, `${tenant}_inference_role`)).toBe("yes");
    for (const purpose of PURPOSES)
      for (const role of ["training", "inference"])
        expect([purpose, role, decrypts(`keys_${other}_${purpose}_key`, `${tenant}_${role}_role`)]).toEqual([purpose, role, "no"]);
    for (const shared of ["keys_datasets_key", "keys_checkpoints_key", "keys_model_store_key"])
      expect([shared, decrypts(shared, `${tenant}_training_role`)]).toEqual([shared, "no"]);
  });

  it("lets AWS Backup read every tenant's objects, to back them up and restore them", () => {
    for (const tenant of TENANTS)
      for (const purpose of PURPOSES) expect(decrypts(`keys_${tenant}_${purpose}_key`, "backup_role")).toBe("yes");
  });

  it("gives each tenant the key ARNs its writes must name", () => {
    const outputs = (referenceDocument as unknown as { output: Record<string, { value: unknown }> }).output;
    expect(outputs.tenant_data_keys.value).toEqual({
      "fraud-models": {
        datasets: "${aws_kms_key.keys_fraud_models_datasets_key.arn}",
        checkpoints: "${aws_kms_key.keys_fraud_models_checkpoints_key.arn}",
        models: "${aws_kms_key.keys_fraud_models_model_store_key.arn}",
      },
      research: {
        datasets: "${aws_kms_key.keys_research_datasets_key.arn}",
        checkpoints: "${aws_kms_key.keys_research_checkpoints_key.arn}",
        models: "${aws_kms_key.keys_research_model_store_key.arn}",
      },
    });
  });
});

describe("restores into the models bucket", () => {
  // Before: only the publisher was spared, so AWS Backup could restore models only into a new bucket.
  it("are let through for AWS Backup's role, beside the publisher, and nobody else", () => {
    const policy = JSON.parse(reference.aws_s3_bucket_policy.models_bucket_policy.policy as string).Statement as Statement[];
    expect(policy.find((s) => s.Sid === "WritesOnlyByPublishers")!.Condition).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": ["${aws_iam_role.models_publisher.arn}", "${aws_iam_role.backup_role.arn}"] },
    });
  });
});

describe("tamper alarms on the tenants' buckets", () => {
  // Their policies hold each tenant's prefix to its key: rewriting one must raise the buckets alarm.
  it("watch the policies of the datasets and checkpoints buckets", () => {
    const rule = Object.values(reference.aws_cloudwatch_event_rule).find((r) => String(r.event_pattern).includes("PutBucketPolicy"))!;
    const names = JSON.parse(rule.event_pattern as string).detail.requestParameters.bucketName as string[];
    expect(names).toEqual(
      expect.arrayContaining(["${aws_s3_bucket.datasets_bucket.bucket}", "${aws_s3_bucket.checkpoints_bucket.bucket}"]),
    );
  });
});

describe("the alert topic's key", () => {
  const statements = (key: string) => JSON.parse(reference.aws_kms_key[key].policy as string).Statement as Array<{ Principal?: unknown }>;
  const eventBridge = (key: string) => statements(key).filter((s) => JSON.stringify(s.Principal).includes("events.amazonaws.com"));

  // EventBridge's key statement can name no source, so it must open no key that protects the trail or the logs.
  it("is a key of its own: EventBridge may use it and not the logs key", () => {
    expect(reference.aws_sns_topic.threat_detection_alert_topic.kms_master_key_id).toBe("${aws_kms_key.keys_alerts_key.arn}");
    expect(eventBridge("keys_alerts_key")).toHaveLength(1);
    expect(eventBridge("keys_logs_key")).toEqual([]);
  });
});

describe("key administration", () => {
  const config = platformConfigSchema.parse(DEFAULT_CONFIG);
  const bootstrap = JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), "bootstrap", config)));
  const modules = [referenceDocument, bootstrap].map((doc, i) => {
    const module = new TfModule(["platform", "bootstrap"][i]);
    addDocument(module, doc as Json, `${module.id}.tf.json`);
    return module;
  });
  const keys = modules.flatMap((m) => m.ofType("aws_kms_key"));
  const ADMINISTRATION = [
    "kms:PutKeyPolicy",
    "kms:UpdateKeyDescription",
    "kms:CreateAlias",
    "kms:UpdateAlias",
    "kms:TagResource",
    "kms:EnableKeyRotation",
    "kms:CancelKeyDeletion",
    "kms:DescribeKey",
  ];
  const DESTRUCTION = ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation", "kms:DeleteAlias"];
  const role = (arn: string) => ({ kind: "role" as const, arn, iamActions: [...ADMINISTRATION, ...DESTRUCTION, "kms:*"] });
  /** Whether the key's policy in force lets the role make the call; `mfa` when its session was made with MFA. */
  const may = (key: (typeof keys)[number], arn: string, action: string, mfa: boolean) => {
    const { statements, unreadable } = readPolicies(keyPolicySources(key));
    expect(unreadable).toEqual([]);
    const present: Record<string, string> = mfa ? { "aws:multifactorauthpresent": "true" } : {};
    return keyAllows(statements, { requester: role(arn), action, present, absent: ["kms:*", "aws:*"] }).verdict;
  };
  const { deployerRoleArn, breakGlassRoleArn } = config.governance;
  const OTHER_ADMIN = `arn:aws:iam::${ACCOUNT}:role/account-administrator`;

  it("covers every key of both stacks", () => {
    expect(keys.length).toBeGreaterThanOrEqual(10);
  });

  it.each(keys.map((k) => [k.address, k] as const))(
    "%s: the named administrators and the deployer manage it but cannot disable or delete it",
    (_address, key) => {
      for (const admin of [...config.keyAdministrators, deployerRoleArn]) {
        for (const action of ADMINISTRATION) expect([admin, action, may(key, admin, action, false)]).toEqual([admin, action, "yes"]);
        for (const action of DESTRUCTION) expect([admin, action, may(key, admin, action, true)]).toEqual([admin, action, "no"]);
      }
    },
  );

  it.each(keys.map((k) => [k.address, k] as const))(
    "%s: the break-glass role alone disables or deletes it, and only with MFA",
    (_address, key) => {
      for (const action of [...ADMINISTRATION, ...DESTRUCTION]) {
        expect([action, may(key, breakGlassRoleArn, action, true)]).toEqual([action, "yes"]);
        // Reading metadata is the account's to grant (AWS Config records keys through IAM); nothing else is, without MFA.
        if (action !== "kms:DescribeKey") expect([action, may(key, breakGlassRoleArn, action, false)]).toEqual([action, "no"]);
      }
    },
  );

  // Before: every key policy gave the account root kms:Put*, so any IAM administrator could rewrite a key's policy.
  it.each(keys.map((k) => [k.address, k] as const))(
    "%s: no other principal of the account manages it, whatever its IAM policies allow",
    (_address, key) => {
      for (const action of [...ADMINISTRATION, ...DESTRUCTION].filter((a) => a !== "kms:DescribeKey")) {
        expect([action, may(key, OTHER_ADMIN, action, true)]).toEqual([action, "no"]);
      }
    },
  );
});

// Container logs are evidence of what a tenant's pods did: each tenant reads its own group, and nothing in the
// platform reads or writes log groups it was not given by name.
describe("workload logs on the reference platform", () => {
  const LOG_READS = [
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "logs:StartQuery",
    "logs:GetQueryResults",
    "logs:PutLogEvents",
    "logs:CreateLogGroup",
  ];
  const policies = Object.entries(reference.aws_iam_role_policy).map(([name, p]) => ({
    name,
    role: p.role as string,
    statements: JSON.parse(p.policy as string).Statement as Statement[],
  }));
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : [v].flat());
  const touchesLogs = (s: Statement) => list(s.Action).some((a) => a === "*" || a === "logs:*" || LOG_READS.includes(a));
  const groupOf = (tenant: string) => `\${aws_cloudwatch_log_group.workload_logs_tenant_${tenant.replace(/-/g, "_")}.arn}`;

  it("gives each tenant's log reader its own group and no other", () => {
    for (const tenant of ["fraud-models", "research"]) {
      const reader = `\${aws_iam_role.${tenant.replace(/-/g, "_")}_log_reader.name}`;
      const resources = policies
        .filter((p) => p.role === reader)
        .flatMap((p) => p.statements)
        .flatMap((s) => list(s.Resource));
      expect(resources).toEqual([groupOf(tenant), `${groupOf(tenant)}:log-stream:*`]);
    }
    expect(reference.aws_iam_role.fraud_models_log_reader.assume_role_policy).toContain(FRAUD_ROLE);
    expect(reference.aws_iam_role.fraud_models_log_reader.assume_role_policy).not.toContain(RESEARCH_ROLE);
  });

  it("lets the auditor read every workload group, for investigations across tenants", () => {
    const auditor = policies
      .filter((p) => p.role === "${aws_iam_role.auditor.name}")
      .flatMap((p) => p.statements)
      .filter((s) => s.Sid === "ReadWorkloadLogs");
    expect(auditor.flatMap((s) => list(s.Resource)).filter((r) => !r.endsWith(":log-stream:*"))).toEqual(
      ["fraud_models", "research"]
        .map((t) => `\${aws_cloudwatch_log_group.workload_logs_tenant_${t}.arn}`)
        .concat(["${aws_cloudwatch_log_group.workload_logs_platform.arn}", "${aws_cloudwatch_log_group.workload_logs_performance.arn}"]),
    );
  });

  it("has no policy that reads or writes log groups it does not name, and none that creates log groups", () => {
    const broad = policies.flatMap((p) =>
      p.statements.filter(touchesLogs).flatMap((s) =>
        list(s.Resource)
          .filter((r) => !/^\$\{aws_cloudwatch_log_group\.[\w]+\.arn\}(:log-stream:\*|:\*)?$/.test(r))
          .map((r) => `${p.name}: ${r}`),
      ),
    );
    expect(broad).toEqual([]);
    expect(policies.flatMap((p) => p.statements).filter((s) => list(s.Action).includes("logs:CreateLogGroup"))).toEqual([]);
  });
});
