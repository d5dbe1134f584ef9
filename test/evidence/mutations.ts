/**
 * One deliberate breakage per rule: an edit of compliant synthesized
 * Terraform JSON that undoes exactly what the rule guards. The matrix test
 * applies each to a deep clone of the stack where the rule passes, re-runs
 * the engine and expects the rule to fail for the resource the edit returns.
 *
 * Mutations edit the JSON directly, the way a hand-written resource or a raw
 * override would; they never go through our constructs. They find their
 * target by what it is (a key with rotation on, a bucket with a versioning
 * resource), not by its name, so they follow the constructs as they change.
 */

// Terraform JSON is edited freely here; a precise type would only restate the provider schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = Record<string, any>;

/** One stack's Terraform JSON: `{ resource: { TYPE: { NAME: body } } }`. */
export interface TfDoc {
  resource?: Record<string, Record<string, Body>>;
  [key: string]: unknown;
}

export interface Mutation {
  /** What the edit does, in words: test titles and docs/requirements.md quote it. */
  readonly breaks: string;
  /**
   * Edits `doc` (a deep clone of one stack's compliant JSON) in place and
   * returns the address (`TYPE.NAME`) of the resource the rule must now fail.
   * `passing` holds the addresses the rule passes in this stack, for
   * mutations that must skip resources a waiver covers. Throws when the
   * stack has nothing to break.
   */
  readonly apply: (doc: TfDoc, passing: ReadonlySet<string>) => string;
}

// ---------------------------------------------------------------- helpers

const isBody = (value: unknown): value is Body => typeof value === "object" && value !== null && !Array.isArray(value);

/** Resources of `type` as `[name, body]`, without cdktf's `//` entries. */
export function resourcesOf(doc: TfDoc, type: string): Array<[string, Body]> {
  return Object.entries(doc.resource?.[type] ?? {}).filter(([name, body]) => name !== "//" && isBody(body));
}

/** The first resource of `type` that satisfies `test`; throws naming what was looked for. */
function find(doc: TfDoc, type: string, what: string, test: (body: Body, name: string) => boolean = () => true): [string, Body] {
  const found = resourcesOf(doc, type).find(([name, body]) => test(body, name));
  if (!found) throw new Error(`no ${type} ${what} in this stack to break`);
  return found;
}

const address = (type: string, name: string) => `${type}.${name}`;

/**
 * Removes a resource the way a user removing it from the configuration would:
 * with the depends_on entries naming it, which Terraform would reject as
 * references to an undeclared resource.
 */
function removeResource(doc: TfDoc, type: string, name: string): void {
  delete doc.resource![type][name];
  for (const bodies of Object.values(doc.resource ?? {})) {
    for (const body of Object.values(bodies)) {
      if (isBody(body) && Array.isArray(body.depends_on)) body.depends_on = body.depends_on.filter((d: unknown) => d !== `${type}.${name}`);
    }
  }
}

/** The first block of a nested block written as an object or a list of objects. */
function first(value: unknown): Body | undefined {
  if (Array.isArray(value)) return value.find(isBody);
  return isBody(value) ? value : undefined;
}

/** All blocks of a nested block written as an object or a list of objects. */
function blocks(value: unknown): Body[] {
  if (Array.isArray(value)) return value.filter(isBody);
  return isBody(value) ? [value] : [];
}

/** A nested block to edit, created when absent. */
function blockOf(body: Body, key: string): Body {
  const value = body[key];
  if (Array.isArray(value)) {
    if (!isBody(value[0])) value[0] = {};
    return value[0];
  }
  if (!isBody(value)) body[key] = {};
  return body[key];
}

/** `TYPE.NAME` of the resource an interpolation starts with (`${aws_s3_bucket.x.id}` -> `aws_s3_bucket.x`). */
function referenced(value: unknown): string | undefined {
  return typeof value === "string" ? /^\$\{\s*([A-Za-z][\w-]*\.[\w-]+)/.exec(value)?.[1] : undefined;
}

/** Whether a string interpolates an attribute of `target` (`TYPE.NAME`). */
function refersTo(value: unknown, target: string): boolean {
  return typeof value === "string" && value.includes(`\${${target}.`);
}

/** Resources of `type` whose argument `key` refers to `target`. */
function attachedTo(doc: TfDoc, type: string, key: string, target: string): Array<[string, Body]> {
  return resourcesOf(doc, type).filter(([, body]) => refersTo(body[key], target));
}

/** The first `type` resource attached (through `key`) to a resource; returns it with the address it configures. */
function configOf(
  doc: TfDoc,
  type: string,
  key: string,
  what: string,
  test: (body: Body) => boolean = () => true,
): { name: string; body: Body; target: string } {
  const [name, body] = find(doc, type, what, (b) => referenced(b[key]) !== undefined && test(b));
  return { name, body, target: referenced(body[key]) as string };
}

/** Rewrites the statements of a policy JSON string held at `body[key]`. */
function editPolicy(body: Body, key: string, edit: (statements: Body[]) => Body[]): void {
  const policy = JSON.parse(body[key]);
  const statements: Body[] = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  policy.Statement = edit(statements);
  body[key] = JSON.stringify(policy);
}

const hasPolicy = (body: Body) => typeof body.policy === "string" && body.policy.trim().startsWith("{");

/** A node group's launch template (followed through `launch_template.id`). */
function launchTemplateOf(doc: TfDoc, group: Body): [string, Body] {
  const target = referenced(first(group.launch_template)?.id);
  const name = target?.split(".")[1];
  const template = name ? doc.resource?.aws_launch_template?.[name] : undefined;
  if (!name || !template) throw new Error("the node group has no launch template in this stack");
  return [name, template];
}

/** A launch template's base64 user data with one line of its text replaced; throws when the line is not there. */
function editUserData(userData: unknown, from: string, to: string): string {
  const text = Buffer.from(String(userData), "base64").toString("utf8");
  if (!text.includes(from)) throw new Error(`the launch template's user data has no line ${from}`);
  return Buffer.from(text.replace(from, to)).toString("base64");
}

// Kubernetes: where each workload type keeps its pod spec.
const POD_SPEC: Record<string, string[]> = {
  kubernetes_pod_v1: ["spec"],
  kubernetes_pod: ["spec"],
  kubernetes_cron_job_v1: ["spec", "job_template", "spec", "template", "spec"],
  kubernetes_cron_job: ["spec", "job_template", "spec", "template", "spec"],
};
const WORKLOADS = [
  "kubernetes_deployment_v1",
  "kubernetes_deployment",
  "kubernetes_daemon_set_v1",
  "kubernetes_daemonset",
  "kubernetes_stateful_set_v1",
  "kubernetes_stateful_set",
  "kubernetes_job_v1",
  "kubernetes_job",
  ...Object.keys(POD_SPEC),
];

/** The first workload (any type that runs pods) the rule passes, with a readable pod spec and a container. */
function workload(doc: TfDoc, passing: ReadonlySet<string>): { addr: string; spec: Body; container: Body } {
  for (const type of WORKLOADS) {
    for (const [name, body] of resourcesOf(doc, type)) {
      if (!passing.has(address(type, name))) continue;
      let spec: Body | undefined = body;
      for (const key of POD_SPEC[type] ?? ["spec", "template", "spec"]) spec = first(spec?.[key]);
      const container = first(spec?.container);
      if (spec && container) return { addr: address(type, name), spec, container };
    }
  }
  throw new Error("no Kubernetes workload with a container that the rule passes in this stack to break");
}

const NAMESPACE_TYPES = ["kubernetes_namespace_v1", "kubernetes_namespace"];
const NAMESPACE_REFERENCE = /^\$\{\s*(kubernetes_namespace(?:_v1)?\.[\w-]+)\.(?:metadata(?:\[0\]|\.0)\.name|id)\s*\}$/;

/** The address of the namespace resource an object lives in, by reference or by literal name. */
function namespaceAddressOf(doc: TfDoc, object: Body): string | undefined {
  const value = first(object.metadata)?.namespace;
  if (typeof value !== "string") return undefined;
  const byReference = NAMESPACE_REFERENCE.exec(value)?.[1];
  if (byReference) return byReference;
  for (const type of NAMESPACE_TYPES) {
    const hit = resourcesOf(doc, type).find(([, ns]) => first(ns.metadata)?.name === value);
    if (hit) return address(type, hit[0]);
  }
  return undefined;
}

function namespaceBody(doc: TfDoc, addr: string): Body | undefined {
  const [type, name] = addr.split(".");
  return doc.resource?.[type]?.[name];
}

/** An object of one of `types` that lives in a declared namespace and satisfies `test`; returns it with its namespace. */
function inNamespace(
  doc: TfDoc,
  types: string[],
  what: string,
  test: (body: Body, namespace: Body) => boolean,
): { type: string; name: string; body: Body; namespace: string } {
  for (const type of types) {
    for (const [name, body] of resourcesOf(doc, type)) {
      const namespace = namespaceAddressOf(doc, body);
      const ns = namespace ? namespaceBody(doc, namespace) : undefined;
      if (namespace && ns && test(body, ns)) return { type, name, body, namespace };
    }
  }
  throw new Error(`no ${what} in a namespace of this stack to break`);
}

const isDefaultDeny = (policy: Body) => {
  const spec = first(policy.spec);
  const selector = first(spec?.pod_selector) ?? {};
  const types: unknown = spec?.policy_types;
  return (
    spec !== undefined &&
    Object.keys(first(selector.match_labels) ?? {}).length === 0 &&
    blocks(selector.match_expressions).length === 0 &&
    Array.isArray(types) &&
    types.includes("Ingress") &&
    types.includes("Egress") &&
    blocks(spec.ingress).length === 0 &&
    blocks(spec.egress).length === 0
  );
};

const GPU_QUOTA = "requests.nvidia.com/gpu";
const TENANT_LABEL = "saip.io/tenant";
const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** A container's security context, created when absent. */
const securityContextOf = (container: Body) => blockOf(container, "security_context");

// ------------------------------------------------------------- mutations

export const MUTATIONS: Record<string, Mutation> = {
  // KMS
  "aws-kms-key-rotation": {
    breaks: "sets enable_key_rotation false on one key",
    apply(doc) {
      const [name, key] = find(
        doc,
        "aws_kms_key",
        "with rotation on",
        (k) => k.enable_key_rotation === true || k.enable_key_rotation === "true",
      );
      key.enable_key_rotation = false;
      return address("aws_kms_key", name);
    },
  },
  "aws-kms-key-policy-no-wildcard-principal": {
    breaks: 'adds an Allow statement for Principal "*" to one key policy',
    apply(doc) {
      const [name, key] = find(doc, "aws_kms_key", "with an inline policy", hasPolicy);
      editPolicy(key, "policy", (s) => [...s, { Sid: "Mutation", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }]);
      return address("aws_kms_key", name);
    },
  },
  "aws-kms-key-no-account-administration": {
    breaks: "gives the account root kms:Put* on one key again, so any IAM administrator could rewrite its policy",
    apply: (doc) => {
      const [name, key] = find(doc, "aws_kms_key", "with an inline policy", hasPolicy);
      editPolicy(key, "policy", (s) => [
        ...s,
        {
          Sid: "Mutation",
          Effect: "Allow",
          Principal: {
            AWS: "arn:${data.aws_partition.aws_context_partition.partition}:iam::${data.aws_caller_identity.aws_context_account.account_id}:root",
          },
          Action: "kms:Put*",
          Resource: "*",
        },
      ]);
      return address("aws_kms_key", name);
    },
  },
  "aws-vpc-interface-endpoint-policy": {
    breaks: "removes the policy of the KMS interface endpoint, leaving AWS's default that lets any account's credentials through",
    apply: (doc) => {
      const [name, endpoint] = find(
        doc,
        "aws_vpc_endpoint",
        "for KMS with a policy",
        (e) => typeof e.service_name === "string" && e.service_name.endsWith(".kms") && e.policy !== undefined,
      );
      delete endpoint.policy;
      return address("aws_vpc_endpoint", name);
    },
  },
  "aws-backup-restore-tested": {
    breaks: "deletes the restore testing selection for S3, so the buckets the vault backs up are never test-restored",
    apply(doc) {
      const [name] = find(doc, "aws_backup_restore_testing_selection", "for S3", (s) => s.protected_resource_type === "S3");
      delete doc.resource!.aws_backup_restore_testing_selection[name];
      const [vault] = find(doc, "aws_backup_vault", "");
      return address("aws_backup_vault", vault);
    },
  },
  "aws-lb-clients-authenticated": {
    breaks: "removes mutual TLS from the inference entry's HTTPS listener, so it forwards any client in its ranges",
    apply(doc) {
      const [, listener] = find(doc, "aws_lb_listener", "with mutual TLS", (l) => l.mutual_authentication !== undefined);
      delete listener.mutual_authentication;
      const lb = referenced(listener.load_balancer_arn) as string;
      return lb;
    },
  },
  "aws-kms-key-deletion-window": {
    breaks: "sets deletion_window_in_days to 7 on one key",
    apply(doc) {
      const [name, key] = find(doc, "aws_kms_key", "");
      key.deletion_window_in_days = 7;
      return address("aws_kms_key", name);
    },
  },
  "aws-kms-key-usable-by-consumers": {
    breaks:
      "removes from one ECR repository's key the statement that lets callers use it through ECR, so CreateRepository cannot create its grants",
    apply(doc) {
      const [name, repo] = find(
        doc,
        "aws_ecr_repository",
        "encrypted with a key of the stack",
        (r) => referenced(first(r.encryption_configuration)?.kms_key)?.startsWith("aws_kms_key.") === true,
      );
      const key = doc.resource!.aws_kms_key[(referenced(first(repo.encryption_configuration)?.kms_key) as string).split(".")[1]];
      editPolicy(key, "policy", (statements) => statements.filter((st) => !JSON.stringify(st.Condition ?? {}).includes("ecr.")));
      return address("aws_ecr_repository", name);
    },
  },
  "aws-kms-model-key-attestation": {
    breaks: "drops the kms:RecipientAttestation condition from the model key's decrypt statement",
    apply(doc) {
      const isModelKey = (k: Body, name: string) =>
        first(k.tags)?.["saip:asset"] === "models" ||
        attachedTo(doc, "aws_kms_alias", "target_key_id", address("aws_kms_key", name)).some(([, alias]) =>
          String(alias.name).endsWith("/models"),
        );
      const [name, key] = find(doc, "aws_kms_key", "for models with an inline policy", (k, n) => hasPolicy(k) && isModelKey(k, n));
      editPolicy(key, "policy", (statements) =>
        statements.map((s) =>
          JSON.stringify(s.Condition ?? {}).includes("kms:RecipientAttestation") ? { ...s, Condition: undefined } : s,
        ),
      );
      return address("aws_kms_key", name);
    },
  },

  // S3
  "aws-s3-bucket-cmk-encryption": {
    breaks: "switches one bucket's default encryption from aws:kms to AES256",
    apply(doc) {
      const { body, target } = configOf(doc, "aws_s3_bucket_server_side_encryption_configuration", "bucket", "with aws:kms", (c) =>
        blocks(c.rule).some((r) => String(first(r.apply_server_side_encryption_by_default)?.sse_algorithm).startsWith("aws:kms")),
      );
      for (const rule of blocks(body.rule)) {
        const sse = first(rule.apply_server_side_encryption_by_default);
        if (!sse) continue;
        sse.sse_algorithm = "AES256";
        delete sse.kms_master_key_id;
      }
      return target;
    },
  },
  "aws-s3-bucket-versioning": {
    breaks: "deletes the aws_s3_bucket_versioning of one bucket",
    apply(doc) {
      const { target } = configOf(
        doc,
        "aws_s3_bucket_versioning",
        "bucket",
        "attached to a bucket",
        (v) => first(v.versioning_configuration)?.status === "Enabled",
      );
      for (const [name] of attachedTo(doc, "aws_s3_bucket_versioning", "bucket", target))
        removeResource(doc, "aws_s3_bucket_versioning", name);
      return target;
    },
  },
  "aws-s3-bucket-public-access-block": {
    breaks: "sets block_public_policy false in one bucket's public access block",
    apply(doc) {
      const { body, target } = configOf(doc, "aws_s3_bucket_public_access_block", "bucket", "attached to a bucket");
      body.block_public_policy = false;
      return target;
    },
  },
  "aws-s3-bucket-tls-only": {
    breaks: "removes the aws:SecureTransport deny statement from one bucket policy",
    apply(doc) {
      const secureTransport = (s: Body) =>
        JSON.stringify(s.Condition ?? {})
          .toLowerCase()
          .includes("aws:securetransport");
      const { body, target } = configOf(
        doc,
        "aws_s3_bucket_policy",
        "bucket",
        "that denies insecure transport",
        (p) => hasPolicy(p) && (JSON.parse(p.policy).Statement ?? []).some(secureTransport),
      );
      editPolicy(body, "policy", (statements) => statements.filter((s) => !secureTransport(s)));
      return target;
    },
  },
  "aws-s3-bucket-access-logging": {
    breaks: "deletes the aws_s3_bucket_logging of one bucket",
    apply(doc) {
      const { target } = configOf(doc, "aws_s3_bucket_logging", "bucket", "attached to a bucket");
      for (const [name] of attachedTo(doc, "aws_s3_bucket_logging", "bucket", target)) delete doc.resource!.aws_s3_bucket_logging[name];
      return target;
    },
  },
  "aws-s3-bucket-ownership-enforced": {
    breaks: "sets object_ownership to ObjectWriter (ACLs back on) for one bucket",
    apply(doc) {
      const { body, target } = configOf(doc, "aws_s3_bucket_ownership_controls", "bucket", "attached to a bucket");
      blockOf(body, "rule").object_ownership = "ObjectWriter";
      return target;
    },
  },
  "aws-s3-bucket-policy-no-public-allow": {
    breaks: 'adds an unconditioned Allow s3:GetObject for Principal "*" to one bucket policy',
    apply(doc) {
      // The finding is on the policy resource, where Checkov's CKV_AWS_70 gives it.
      const { name, body } = configOf(doc, "aws_s3_bucket_policy", "bucket", "with a policy", hasPolicy);
      editPolicy(body, "policy", (s) => [
        ...s,
        { Sid: "Mutation", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" },
      ]);
      return address("aws_s3_bucket_policy", name);
    },
  },
  "aws-s3-bucket-named-writer": {
    breaks: "takes s3:PutObject on one data store out of every role policy, as when only the backup role could use its key",
    apply(doc, passing) {
      const [name] = find(
        doc,
        "aws_s3_bucket",
        "holding datasets, models or artifacts with a writer",
        (b, n) => passing.has(address("aws_s3_bucket", n)) && ["datasets", "models", "artifacts"].includes(first(b.tags)?.Purpose),
      );
      for (const [, policy] of resourcesOf(doc, "aws_iam_role_policy").filter(
        ([, p]) => hasPolicy(p) && p.policy.includes(`\${aws_s3_bucket.${name}.arn}/`),
      )) {
        editPolicy(policy, "policy", (statements) =>
          statements.map((s) =>
            JSON.stringify(s.Resource).includes(`\${aws_s3_bucket.${name}.arn}/`)
              ? { ...s, Action: [s.Action].flat().filter((a: string) => !/^s3:(PutObject|\*)$/.test(a)) }
              : s,
          ),
        );
      }
      return address("aws_s3_bucket", name);
    },
  },
  "aws-s3-tenant-prefix-keys": {
    breaks: "drops a tenant prefix's key from a shared bucket's policy, so an IAM prefix alone keeps tenants apart",
    apply(doc) {
      const [, policy] = find(
        doc,
        "aws_s3_bucket_policy",
        "that holds a tenant prefix to its key",
        (p) => hasPolicy(p) && p.policy.includes("DenyOtherKeysUnderPrefix1"),
      );
      editPolicy(policy, "policy", (statements) => statements.filter((s) => s.Sid !== "DenyOtherKeysUnderPrefix1"));
      const bucket = /^\$\{aws_s3_bucket\.([\w-]+)\.id\}$/.exec(policy.bucket)?.[1];
      if (!bucket) throw new Error(`bucket policy names ${policy.bucket}, not a bucket of this stack`);
      return address("aws_s3_bucket", bucket);
    },
  },
  "aws-s3-model-store-publisher-only": {
    breaks: "drops the statement that denies writes by everyone but the publisher from the models bucket's policy",
    apply(doc) {
      const [, policy] = find(
        doc,
        "aws_s3_bucket_policy",
        "that only the publisher writes",
        (p) => hasPolicy(p) && p.policy.includes("WritesOnlyByPublishers"),
      );
      editPolicy(policy, "policy", (statements) => statements.filter((s) => s.Sid !== "WritesOnlyByPublishers"));
      const bucket = /^\$\{aws_s3_bucket\.([\w-]+)\.id\}$/.exec(policy.bucket)?.[1];
      if (!bucket) throw new Error(`bucket policy names ${policy.bucket}, not a bucket of this stack`);
      return address("aws_s3_bucket", bucket);
    },
  },

  // Logging
  "aws-cloudwatch-log-group-cmk": {
    breaks: "removes kms_key_id from one log group",
    apply(doc) {
      const [name, group] = find(doc, "aws_cloudwatch_log_group", "with a key", (g) => g.kms_key_id !== undefined);
      delete group.kms_key_id;
      return address("aws_cloudwatch_log_group", name);
    },
  },
  "aws-cloudwatch-log-group-retention": {
    breaks: "sets retention_in_days to 30 on one log group",
    apply(doc) {
      const [name, group] = find(doc, "aws_cloudwatch_log_group", "");
      group.retention_in_days = 30;
      return address("aws_cloudwatch_log_group", name);
    },
  },
  "aws-eks-workload-log-collection": {
    breaks: "removes the Pod Identity association of the container log collector's add-on, so Fluent Bit has no role to write with",
    apply(doc) {
      const [, addon] = find(
        doc,
        "aws_eks_addon",
        "that collects container logs",
        (a) => a.addon_name === "amazon-cloudwatch-observability",
      );
      delete addon.pod_identity_association;
      const [cluster] = find(doc, "aws_eks_cluster", "");
      return address("aws_eks_cluster", cluster);
    },
  },
  "aws-cloudtrail-logging-enabled": {
    breaks: "sets enable_logging false (the trail stops recording)",
    apply(doc) {
      const [name, trail] = find(doc, "aws_cloudtrail", "");
      trail.enable_logging = false;
      return address("aws_cloudtrail", name);
    },
  },
  "aws-cloudtrail-multi-region": {
    breaks: "sets is_multi_region_trail false",
    apply(doc) {
      const [name, trail] = find(doc, "aws_cloudtrail", "");
      trail.is_multi_region_trail = false;
      return address("aws_cloudtrail", name);
    },
  },
  "aws-cloudtrail-log-file-validation": {
    breaks: "sets enable_log_file_validation false",
    apply(doc) {
      const [name, trail] = find(doc, "aws_cloudtrail", "");
      trail.enable_log_file_validation = false;
      return address("aws_cloudtrail", name);
    },
  },
  "aws-cloudtrail-cmk": {
    breaks: "removes the trail's kms_key_id",
    apply(doc) {
      const [name, trail] = find(doc, "aws_cloudtrail", "with a key", (t) => t.kms_key_id !== undefined);
      delete trail.kms_key_id;
      return address("aws_cloudtrail", name);
    },
  },
  "aws-cloudtrail-s3-data-events": {
    breaks: "removes the event selectors that record S3 object data events",
    apply(doc) {
      const [name, trail] = find(doc, "aws_cloudtrail", "");
      const s3Objects = (selector: Body) => JSON.stringify(selector).includes("AWS::S3::Object");
      if (trail.advanced_event_selector !== undefined)
        trail.advanced_event_selector = blocks(trail.advanced_event_selector).filter((s) => !s3Objects(s));
      if (trail.event_selector !== undefined) trail.event_selector = blocks(trail.event_selector).filter((s) => !s3Objects(s));
      return address("aws_cloudtrail", name);
    },
  },
  "aws-cloudtrail-bucket-object-lock": {
    breaks: "turns the trail bucket's Object Lock retention from COMPLIANCE to GOVERNANCE mode",
    apply(doc) {
      const [name, trail] = find(
        doc,
        "aws_cloudtrail",
        "delivering to a bucket of this stack",
        (t) => referenced(t.s3_bucket_name)?.startsWith("aws_s3_bucket.") === true,
      );
      const bucket = referenced(trail.s3_bucket_name) as string;
      const locks = attachedTo(doc, "aws_s3_bucket_object_lock_configuration", "bucket", bucket);
      if (locks.length === 0) throw new Error(`${bucket} has no aws_s3_bucket_object_lock_configuration to break`);
      for (const [, lock] of locks) blockOf(blockOf(lock, "rule"), "default_retention").mode = "GOVERNANCE";
      return address("aws_cloudtrail", name);
    },
  },
  "aws-audit-storage-separate-account": {
    breaks:
      "creates the trail's bucket through the trail's own provider configuration (drops its provider meta-argument), so in the account it watches",
    apply(doc) {
      const [name, trail] = find(doc, "aws_cloudtrail", "delivering to a bucket of this stack created through another provider", (t) => {
        const bucket = referenced(t.s3_bucket_name);
        const body = bucket?.startsWith("aws_s3_bucket.")
          ? resourcesOf(doc, "aws_s3_bucket").find(([n]) => `aws_s3_bucket.${n}` === bucket)
          : undefined;
        return body !== undefined && body[1].provider !== undefined && body[1].provider !== t.provider;
      });
      const bucket = referenced(trail.s3_bucket_name) as string;
      const [, body] = resourcesOf(doc, "aws_s3_bucket").find(([n]) => `aws_s3_bucket.${n}` === bucket)!;
      if (trail.provider === undefined) delete body.provider;
      else body.provider = trail.provider;
      return address("aws_cloudtrail", name);
    },
  },
  "aws-cloudtrail-digest-delivery": {
    breaks: "makes the trail bucket's KMS-only deny cover the digest prefix too, as a policy requiring SSE-KMS for every object does",
    apply(doc) {
      const [name, trail] = find(
        doc,
        "aws_cloudtrail",
        "delivering to a bucket of this stack",
        (t) => referenced(t.s3_bucket_name)?.startsWith("aws_s3_bucket.") === true,
      );
      const bucket = referenced(trail.s3_bucket_name) as string;
      const [[, policy]] = attachedTo(doc, "aws_s3_bucket_policy", "bucket", bucket);
      editPolicy(policy, "policy", (statements) =>
        statements.map(({ NotResource, ...s }) =>
          JSON.stringify(NotResource ?? "").includes("CloudTrail-Digest")
            ? { ...s, Resource: `\${${bucket}.arn}/*` }
            : { NotResource, ...s },
        ),
      );
      return address("aws_cloudtrail", name);
    },
  },

  // ECR
  "aws-ecr-immutable-tags": {
    breaks: "sets image_tag_mutability MUTABLE on one repository",
    apply(doc) {
      const [name, repo] = find(doc, "aws_ecr_repository", "");
      repo.image_tag_mutability = "MUTABLE";
      return address("aws_ecr_repository", name);
    },
  },
  "aws-ecr-scan-on-push": {
    breaks: "sets scan_on_push false on one repository (and drops any registry-wide scanning rule)",
    apply(doc) {
      const [name, repo] = find(doc, "aws_ecr_repository", "");
      blockOf(repo, "image_scanning_configuration").scan_on_push = false;
      delete doc.resource!.aws_ecr_registry_scanning_configuration;
      return address("aws_ecr_repository", name);
    },
  },
  "aws-ecr-push-only-by-publishers": {
    breaks: "drops the statement that denies pushes by everyone but the publisher from one repository policy",
    apply(doc) {
      const [, policy] = find(
        doc,
        "aws_ecr_repository_policy",
        "that denies pushes",
        (p) => typeof p.policy === "string" && p.policy.includes("PushOnlyByPublishers"),
      );
      const parsed = JSON.parse(policy.policy);
      parsed.Statement = parsed.Statement.filter((s: Body) => s.Effect !== "Deny");
      policy.policy = JSON.stringify(parsed);
      const repository = /^\$\{aws_ecr_repository\.([\w-]+)\.name\}$/.exec(policy.repository)?.[1];
      if (!repository) throw new Error(`repository policy names ${policy.repository}, not a repository of this stack`);
      return address("aws_ecr_repository", repository);
    },
  },
  "aws-ecr-continuous-scanning": {
    breaks: "turns the registry's scanning back to basic scan on push, which never rescans",
    apply(doc) {
      const [, config] = find(doc, "aws_ecr_registry_scanning_configuration", "with enhanced scanning", (c) => c.scan_type === "ENHANCED");
      Object.assign(config, {
        scan_type: "BASIC",
        rule: [{ scan_frequency: "SCAN_ON_PUSH", repository_filter: [{ filter: "*", filter_type: "WILDCARD" }] }],
      });
      const [name] = find(doc, "aws_ecr_repository", "");
      return address("aws_ecr_repository", name);
    },
  },
  "aws-ecr-cmk": {
    breaks: "switches one repository to AES256 encryption without a KMS key",
    apply(doc) {
      const [name, repo] = find(doc, "aws_ecr_repository", "");
      const config = blockOf(repo, "encryption_configuration");
      config.encryption_type = "AES256";
      delete config.kms_key;
      return address("aws_ecr_repository", name);
    },
  },

  // File systems
  "aws-efs-cmk": {
    breaks: "removes kms_key_id from the EFS file system",
    apply(doc) {
      const [name, fs] = find(doc, "aws_efs_file_system", "with a key", (f) => f.kms_key_id !== undefined);
      delete fs.kms_key_id;
      return address("aws_efs_file_system", name);
    },
  },
  "aws-efs-backup-policy": {
    breaks: "sets the EFS backup policy status to DISABLED",
    apply(doc) {
      const { body, target } = configOf(doc, "aws_efs_backup_policy", "file_system_id", "attached to a file system");
      blockOf(body, "backup_policy").status = "DISABLED";
      return target;
    },
  },
  "aws-fsx-lustre-cmk": {
    breaks: "removes kms_key_id from the Lustre file system",
    apply(doc) {
      const [name, fs] = find(doc, "aws_fsx_lustre_file_system", "with a key", (f) => f.kms_key_id !== undefined);
      delete fs.kms_key_id;
      return address("aws_fsx_lustre_file_system", name);
    },
  },
  "aws-fsx-lustre-backups": {
    breaks: "sets automatic_backup_retention_days 0 on the Lustre file system",
    apply(doc) {
      const [name, fs] = find(doc, "aws_fsx_lustre_file_system", "");
      fs.automatic_backup_retention_days = 0;
      return address("aws_fsx_lustre_file_system", name);
    },
  },

  // Backup
  "aws-backup-vault-cmk": {
    breaks: "removes kms_key_arn from the backup vault",
    apply(doc) {
      const [name, vault] = find(doc, "aws_backup_vault", "with a key", (v) => v.kms_key_arn !== undefined);
      delete vault.kms_key_arn;
      return address("aws_backup_vault", name);
    },
  },
  "aws-backup-vault-locked": {
    breaks: "deletes the vault's aws_backup_vault_lock_configuration",
    apply(doc) {
      const { target } = configOf(doc, "aws_backup_vault_lock_configuration", "backup_vault_name", "attached to a vault");
      for (const [lock] of attachedTo(doc, "aws_backup_vault_lock_configuration", "backup_vault_name", target))
        removeResource(doc, "aws_backup_vault_lock_configuration", lock);
      return target;
    },
  },
  "aws-backup-selection-covers-resources": {
    breaks: "empties the plan's backup selection (no resources, tags or conditions)",
    apply(doc) {
      const { target } = configOf(doc, "aws_backup_selection", "plan_id", "attached to a plan");
      for (const [, selection] of attachedTo(doc, "aws_backup_selection", "plan_id", target)) {
        selection.resources = [];
        delete selection.selection_tag;
        delete selection.condition;
      }
      return target;
    },
  },

  // Detection
  "aws-guardduty-eks-protection": {
    breaks: "disables the EKS_AUDIT_LOGS detector feature",
    apply(doc) {
      const { body, target } = configOf(
        doc,
        "aws_guardduty_detector_feature",
        "detector_id",
        "EKS_AUDIT_LOGS",
        (f) => f.name === "EKS_AUDIT_LOGS",
      );
      body.status = "DISABLED";
      return target;
    },
  },
  "aws-guardduty-s3-protection": {
    breaks: "disables the S3_DATA_EVENTS detector feature",
    apply(doc) {
      const { body, target } = configOf(
        doc,
        "aws_guardduty_detector_feature",
        "detector_id",
        "S3_DATA_EVENTS",
        (f) => f.name === "S3_DATA_EVENTS",
      );
      body.status = "DISABLED";
      return target;
    },
  },
  "aws-guardduty-findings-routed": {
    breaks: "deletes the EventBridge targets of the rule that matches GuardDuty findings",
    apply(doc) {
      // The findings, not the tamper alarm on DeleteDetector, which also names source aws.guardduty.
      const matchesGuardDuty = (r: Body) => typeof r.event_pattern === "string" && r.event_pattern.includes("GuardDuty Finding");
      const [ruleName] = find(doc, "aws_cloudwatch_event_rule", "matching GuardDuty findings", matchesGuardDuty);
      const targets = attachedTo(doc, "aws_cloudwatch_event_target", "rule", address("aws_cloudwatch_event_rule", ruleName));
      if (targets.length === 0) throw new Error(`aws_cloudwatch_event_rule.${ruleName} has no target to delete`);
      for (const [name] of targets) delete doc.resource!.aws_cloudwatch_event_target[name];
      const [detector] = find(doc, "aws_guardduty_detector", "");
      return address("aws_guardduty_detector", detector);
    },
  },
  "aws-detection-tamper-alarms": {
    breaks: "disables the EventBridge rule that alarms when a key policy is replaced or a key disabled or scheduled for deletion",
    apply(doc) {
      const [, rule] = find(
        doc,
        "aws_cloudwatch_event_rule",
        "matching PutKeyPolicy",
        (r) => typeof r.event_pattern === "string" && r.event_pattern.includes("PutKeyPolicy"),
      );
      rule.state = "DISABLED";
      const [trail] = find(doc, "aws_cloudtrail", "");
      return address("aws_cloudtrail", trail);
    },
  },
  "aws-sns-topic-cmk": {
    breaks: "removes kms_master_key_id from one topic",
    apply(doc) {
      const [name, topic] = find(doc, "aws_sns_topic", "with a key", (t) => t.kms_master_key_id !== undefined);
      delete topic.kms_master_key_id;
      return address("aws_sns_topic", name);
    },
  },
  "aws-sns-alert-topic-subscribed": {
    breaks: "deletes every subscription of the topic that receives findings",
    apply(doc) {
      const [name] = find(
        doc,
        "aws_sns_topic",
        "with subscriptions",
        (_t, n) => attachedTo(doc, "aws_sns_topic_subscription", "topic_arn", address("aws_sns_topic", n)).length > 0,
      );
      for (const [sub] of attachedTo(doc, "aws_sns_topic_subscription", "topic_arn", address("aws_sns_topic", name)))
        delete doc.resource!.aws_sns_topic_subscription[sub];
      return address("aws_sns_topic", name);
    },
  },
  "aws-securityhub-config-recorder": {
    breaks: "turns the AWS Config recorder off (is_enabled false on its status)",
    apply(doc) {
      const [, status] = find(doc, "aws_config_configuration_recorder_status", "turned on", (s) => s.is_enabled === true);
      status.is_enabled = false;
      const [account] = find(doc, "aws_securityhub_account", "");
      return address("aws_securityhub_account", account);
    },
  },
  "aws-state-backend-encrypted-locked": {
    breaks: "replaces the stack's s3 backend with a local state file",
    apply(doc) {
      const terraform = doc.terraform as Body | undefined;
      if (!terraform?.backend?.s3) throw new Error("no s3 backend in this stack to break");
      terraform.backend = { local: { path: "terraform.tfstate" } };
      return "terraform";
    },
  },
  "aws-state-backend-backed-up": {
    breaks: "takes the state bucket out of the backup selection that keeps it",
    apply(doc) {
      const name = (doc.terraform as Body | undefined)?.backend?.s3?.bucket;
      const [bucket] = find(doc, "aws_s3_bucket", `named ${name} by the s3 backend`, (b) => b.bucket === name);
      const arn = `\${aws_s3_bucket.${bucket}.arn}`;
      const selections = resourcesOf(doc, "aws_backup_selection").filter(([, s]) => (s.resources ?? []).includes(arn));
      if (selections.length === 0) throw new Error("no aws_backup_selection selects the state bucket in this stack");
      // AWS Backup refuses an empty selection: the selection now keeps something else, as a plan for other data would.
      for (const [, selection] of selections) selection.resources = ["arn:aws:s3:::another-bucket"];
      return "terraform";
    },
  },

  // Network
  "aws-security-group-no-open-ingress": {
    breaks: "puts 0.0.0.0/0 on one ingress rule",
    apply(doc) {
      const [name, rule] = find(doc, "aws_vpc_security_group_ingress_rule", "with a CIDR source", (r) => typeof r.cidr_ipv4 === "string");
      rule.cidr_ipv4 = "0.0.0.0/0";
      return address("aws_vpc_security_group_ingress_rule", name);
    },
  },
  "aws-default-security-group-closed": {
    breaks: "adds an allow-all-from-self ingress rule to the default security group",
    apply(doc) {
      const [, group] = find(doc, "aws_default_security_group", "");
      group.ingress = [{ protocol: "-1", from_port: 0, to_port: 0, self: true }];
      // The finding is on the VPC the group manages, as CKV2_AWS_12 reports it.
      const vpc = /^\$\{aws_vpc\.([\w-]+)\.id\}$/.exec(String(group.vpc_id));
      if (!vpc) throw new Error("the platform's default security group names no aws_vpc");
      return address("aws_vpc", vpc[1]);
    },
  },
  "aws-subnet-no-public-ip": {
    breaks: "sets map_public_ip_on_launch true on one subnet",
    apply(doc) {
      const [name, subnet] = find(doc, "aws_subnet", "");
      subnet.map_public_ip_on_launch = true;
      return address("aws_subnet", name);
    },
  },
  "aws-vpc-flow-logs": {
    breaks: "deletes the VPC's flow logs",
    apply(doc) {
      const { target } = configOf(doc, "aws_flow_log", "vpc_id", "attached to a VPC");
      for (const [log] of attachedTo(doc, "aws_flow_log", "vpc_id", target)) delete doc.resource!.aws_flow_log[log];
      return target;
    },
  },
  "aws-vpc-ecr-pull-path": {
    breaks: "deletes the VPC's ecr.dkr interface endpoint, so image manifests are out of reach without egress",
    apply(doc) {
      const { name, target } = configOf(doc, "aws_vpc_endpoint", "vpc_id", "for ecr.dkr", (e) =>
        String(e.service_name).endsWith(".ecr.dkr"),
      );
      delete doc.resource!.aws_vpc_endpoint[name];
      return target;
    },
  },

  // Compute
  "aws-launch-template-imdsv2": {
    breaks: "sets metadata_options.http_tokens optional in one launch template",
    apply(doc) {
      const [name, template] = find(doc, "aws_launch_template", "");
      blockOf(template, "metadata_options").http_tokens = "optional";
      return address("aws_launch_template", name);
    },
  },
  "aws-launch-template-imds-hop-limit": {
    breaks: "sets metadata_options.http_put_response_hop_limit 2 in one launch template",
    apply(doc) {
      const [name, template] = find(doc, "aws_launch_template", "");
      blockOf(template, "metadata_options").http_put_response_hop_limit = 2;
      return address("aws_launch_template", name);
    },
  },
  "aws-launch-template-ebs-cmk": {
    breaks: "removes kms_key_id from the EBS volume of one launch template",
    apply(doc) {
      const [name, template] = find(doc, "aws_launch_template", "with an EBS mapping", (t) =>
        blocks(t.block_device_mappings).some((m) => first(m.ebs)),
      );
      for (const mapping of blocks(template.block_device_mappings)) delete first(mapping.ebs)?.kms_key_id;
      return address("aws_launch_template", name);
    },
  },
  "aws-launch-template-no-public-ip": {
    breaks: "sets associate_public_ip_address true on one launch template's network interface",
    apply(doc) {
      const [name, template] = find(doc, "aws_launch_template", "");
      if (blocks(template.network_interfaces).length === 0) template.network_interfaces = [{ device_index: 0 }];
      for (const nic of blocks(template.network_interfaces)) nic.associate_public_ip_address = true;
      return address("aws_launch_template", name);
    },
  },
  "aws-eks-node-group-no-remote-access": {
    breaks: "adds a remote_access block with an SSH key to one node group",
    apply(doc) {
      const [name, group] = find(doc, "aws_eks_node_group", "");
      group.remote_access = { ec2_ssh_key: "operators" };
      return address("aws_eks_node_group", name);
    },
  },
  "aws-eks-gpu-node-group-taint": {
    breaks: "removes the accelerator NoSchedule taint from one GPU node group",
    apply(doc) {
      const accelerator = (t: Body) => ["nvidia.com/gpu", "aws.amazon.com/neuron"].includes(t.key);
      const [name, group] = find(doc, "aws_eks_node_group", "with an accelerator taint", (g) => blocks(g.taint).some(accelerator));
      group.taint = blocks(group.taint).filter((t) => !accelerator(t));
      return address("aws_eks_node_group", name);
    },
  },
  "aws-eks-node-group-verified-boot": {
    breaks: "switches one Bottlerocket node group to the AL2023 image of the same kind",
    apply(doc) {
      const [name, group] = find(doc, "aws_eks_node_group", "on Bottlerocket", (g) => String(g.ami_type).startsWith("BOTTLEROCKET"));
      group.ami_type = String(group.ami_type).endsWith("_NVIDIA") ? "AL2023_x86_64_NVIDIA" : "AL2023_x86_64_STANDARD";
      return address("aws_eks_node_group", name);
    },
  },
  "aws-eks-node-group-release-pinned": {
    breaks: "drops release_version from one node group, so EKS picks the newest image",
    apply(doc) {
      const [name, group] = find(doc, "aws_eks_node_group", "with a release_version", (g) => typeof g.release_version === "string");
      delete group.release_version;
      return address("aws_eks_node_group", name);
    },
  },
  "aws-eks-gpu-node-group-device-injection": {
    breaks:
      'switches one Bottlerocket NVIDIA pool\'s device plugin to device-list-strategy "envvar", which passes GPUs as NVIDIA_VISIBLE_DEVICES',
    apply(doc) {
      const [name, group] = find(doc, "aws_eks_node_group", "on Bottlerocket NVIDIA", (g) =>
        /^BOTTLEROCKET_.*_NVIDIA$/.test(String(g.ami_type)),
      );
      const [, template] = launchTemplateOf(doc, group);
      template.user_data = editUserData(template.user_data, 'device-list-strategy = "volume-mounts"', 'device-list-strategy = "envvar"');
      return address("aws_eks_node_group", name);
    },
  },
  "aws-eks-gpu-node-group-no-shared-time-slicing": {
    breaks: "time-slices the GPUs of one NVIDIA pool that no tenant taint reserves, which tenants share",
    apply(doc) {
      const shared = (g: Body) =>
        /^BOTTLEROCKET_.*_NVIDIA$/.test(String(g.ami_type)) && !blocks(g.taint).some((t) => t.key === "saip.io/tenant");
      const [name, group] = find(doc, "aws_eks_node_group", "shared, on Bottlerocket NVIDIA", shared);
      const [, template] = launchTemplateOf(doc, group);
      const header = "[settings.kubelet-device-plugins.nvidia]";
      template.user_data = editUserData(template.user_data, header, `${header}\ndevice-sharing-strategy = "time-slicing"`);
      return address("aws_eks_node_group", name);
    },
  },
  "aws-confidential-node-group-enabled": {
    breaks: "turns SEV-SNP (or Nitro Enclaves) off in a confidential pool's launch template",
    apply(doc) {
      const mode = (g: Body) => first(g.labels)?.["saip.io/confidential"];
      const [name, group] = find(
        doc,
        "aws_eks_node_group",
        "labelled confidential",
        (g) => mode(g) === "sev-snp" || mode(g) === "nitro-enclaves",
      );
      const [, template] = launchTemplateOf(doc, group);
      if (mode(group) === "sev-snp") blockOf(template, "cpu_options").amd_sev_snp = "disabled";
      else blockOf(template, "enclave_options").enabled = false;
      return address("aws_eks_node_group", name);
    },
  },
  "aws-confidential-attested-key-used": {
    breaks: "names a node role, instead of the enclave workloads' Pod Identity roles, as the only principal that decrypts with attestation",
    apply(doc) {
      const attested = (s: Body) => JSON.stringify(s.Condition ?? {}).includes("kms:RecipientAttestation") && s.Effect === "Allow";
      const [name, key] = find(
        doc,
        "aws_kms_key",
        "whose policy decrypts with attestation",
        (k) => hasPolicy(k) && JSON.parse(k.policy).Statement.some(attested),
      );
      const [node] = find(
        doc,
        "aws_iam_role",
        "trusted by EC2 (a node role)",
        (r) => typeof r.assume_role_policy === "string" && r.assume_role_policy.includes("ec2.amazonaws.com"),
      );
      editPolicy(key, "policy", (statements) =>
        statements.map((s) => (attested(s) ? { ...s, Principal: { AWS: `\${aws_iam_role.${node}.arn}` } } : s)),
      );
      return address("aws_kms_key", name);
    },
  },

  // EKS
  "aws-eks-private-endpoint": {
    breaks: "sets vpc_config.endpoint_public_access true",
    apply(doc) {
      const [name, cluster] = find(doc, "aws_eks_cluster", "");
      blockOf(cluster, "vpc_config").endpoint_public_access = true;
      return address("aws_eks_cluster", name);
    },
  },
  "aws-eks-secrets-encryption": {
    breaks: "removes the cluster's encryption_config",
    apply(doc) {
      const [name, cluster] = find(doc, "aws_eks_cluster", "");
      delete cluster.encryption_config;
      return address("aws_eks_cluster", name);
    },
  },
  "aws-eks-control-plane-logging": {
    breaks: 'removes "audit" from enabled_cluster_log_types',
    apply(doc) {
      const [name, cluster] = find(
        doc,
        "aws_eks_cluster",
        "logging audit",
        (c) => Array.isArray(c.enabled_cluster_log_types) && c.enabled_cluster_log_types.includes("audit"),
      );
      cluster.enabled_cluster_log_types = cluster.enabled_cluster_log_types.filter((t: unknown) => t !== "audit");
      return address("aws_eks_cluster", name);
    },
  },
  "aws-eks-access-entries": {
    breaks: "sets access_config.bootstrap_cluster_creator_admin_permissions true",
    apply(doc) {
      const [name, cluster] = find(doc, "aws_eks_cluster", "");
      blockOf(cluster, "access_config").bootstrap_cluster_creator_admin_permissions = true;
      return address("aws_eks_cluster", name);
    },
  },

  // IAM
  "aws-iam-node-role-least-privilege": {
    breaks: "attaches AdministratorAccess to one node role",
    apply(doc) {
      const trustsEc2 = (r: Body) => typeof r.assume_role_policy === "string" && r.assume_role_policy.includes("ec2.amazonaws.com");
      const [name] = find(doc, "aws_iam_role", "trusted by EC2", trustsEc2);
      const attachments = (doc.resource!.aws_iam_role_policy_attachment ??= {});
      attachments.mutation_administrator_access = {
        role: `\${aws_iam_role.${name}.name}`,
        policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess",
      };
      return address("aws_iam_role", name);
    },
  },

  "aws-iam-policy-no-admin": {
    breaks: 'adds an Allow of Action "*" to one IAM policy of the platform',
    apply(doc) {
      const [name, policy] = find(doc, "aws_iam_role_policy", "with a policy", hasPolicy);
      editPolicy(policy, "policy", (s) => [...s, { Sid: "Mutation", Effect: "Allow", Action: "*", Resource: "*" }]);
      return address("aws_iam_role_policy", name);
    },
  },

  "aws-iam-service-linked-role-created": {
    breaks: "deletes the aws_iam_service_linked_role a key policy names, leaving the policy to a role a new account lacks",
    apply(doc) {
      const [name, key] = find(
        doc,
        "aws_kms_key",
        "naming AWSServiceRoleForAutoScaling",
        (k) => hasPolicy(k) && k.policy.includes("AWSServiceRoleForAutoScaling"),
      );
      // Only the role the key waits for: other service-linked roles (AWS Config's) stay, as do the references to them.
      const named = [key.depends_on ?? []].flat().filter((d: string) => d.startsWith("aws_iam_service_linked_role."));
      named.forEach((d: string) => delete doc.resource!.aws_iam_service_linked_role[d.split(".")[1]]);
      key.depends_on = [key.depends_on ?? []].flat().filter((d: string) => !named.includes(d));
      return address("aws_kms_key", name);
    },
  },
  "aws-iam-role-trust-no-wildcard": {
    breaks: 'adds an Allow sts:AssumeRole for Principal {"AWS": "*"} to one role\'s trust policy',
    apply(doc) {
      const [name, role] = find(
        doc,
        "aws_iam_role",
        "with a literal trust policy",
        (r) => typeof r.assume_role_policy === "string" && r.assume_role_policy.trim().startsWith("{"),
      );
      editPolicy(role, "assume_role_policy", (s) => [
        ...s,
        { Sid: "Mutation", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" },
      ]);
      return address("aws_iam_role", name);
    },
  },
  "aws-resource-policy-no-public-allow": {
    breaks: "drops the aws:PrincipalAccount condition from one VPC endpoint policy's wildcard statement",
    apply(doc) {
      const limited = (s: Body) => s.Principal === "*" && JSON.stringify(s.Condition ?? {}).includes("aws:PrincipalAccount");
      const [name, endpoint] = find(
        doc,
        "aws_vpc_endpoint",
        'whose policy limits "*" to the account',
        (e) => hasPolicy(e) && [JSON.parse(e.policy).Statement].flat().some(limited),
      );
      editPolicy(endpoint, "policy", (statements) => statements.map((s) => (limited(s) ? { ...s, Condition: undefined } : s)));
      return address("aws_vpc_endpoint", name);
    },
  },

  // Inference
  "aws-lb-internal": {
    breaks: "sets internal false on the load balancer",
    apply(doc) {
      const [name, lb] = find(doc, "aws_lb", "");
      lb.internal = false;
      return address("aws_lb", name);
    },
  },
  "aws-lb-waf-rate-limited": {
    breaks: "removes the rate-based rule from the load balancer's web ACL",
    apply(doc) {
      const { body, target } = configOf(
        doc,
        "aws_wafv2_web_acl_association",
        "resource_arn",
        "for a load balancer",
        (a) => referenced(a.web_acl_arn) !== undefined,
      );
      const [, aclName] = (referenced(body.web_acl_arn) as string).split(".");
      const acl = doc.resource!.aws_wafv2_web_acl[aclName];
      acl.rule = blocks(acl.rule).filter((r) => !first(r.statement)?.rate_based_statement);
      return target;
    },
  },
  "aws-lb-access-logs": {
    breaks: "sets access_logs.enabled false on the load balancer",
    apply(doc) {
      const [name, lb] = find(doc, "aws_lb", "with access logs", (l) => first(l.access_logs) !== undefined);
      blockOf(lb, "access_logs").enabled = false;
      return address("aws_lb", name);
    },
  },

  // Kubernetes
  "k8s-namespace-psa-restricted": {
    breaks: "lowers one namespace's pod-security enforce label to baseline",
    apply(doc) {
      for (const type of NAMESPACE_TYPES) {
        const hit = resourcesOf(doc, type).find(
          ([, ns]) => first(ns.metadata)?.labels?.["pod-security.kubernetes.io/enforce"] === "restricted",
        );
        if (hit) {
          first(hit[1].metadata)!.labels["pod-security.kubernetes.io/enforce"] = "baseline";
          return address(type, hit[0]);
        }
      }
      throw new Error("no namespace enforcing the restricted profile in this stack to break");
    },
  },
  "k8s-namespace-default-deny": {
    breaks: "deletes one namespace's default-deny network policy",
    apply(doc) {
      const { type, namespace } = inNamespace(
        doc,
        ["kubernetes_network_policy_v1", "kubernetes_network_policy"],
        "default-deny network policy",
        isDefaultDeny,
      );
      for (const [name, policy] of resourcesOf(doc, type))
        if (namespaceAddressOf(doc, policy) === namespace && isDefaultDeny(policy)) removeResource(doc, type, name);
      return namespace;
    },
  },
  "k8s-namespace-gpu-quota": {
    breaks: `removes ${GPU_QUOTA} from one tenant namespace's resource quota`,
    apply(doc) {
      const caps = (quota: Body) => first(first(quota.spec)?.hard)?.[GPU_QUOTA] !== undefined;
      const { type, namespace } = inNamespace(
        doc,
        ["kubernetes_resource_quota_v1", "kubernetes_resource_quota"],
        "resource quota capping GPUs",
        caps,
      );
      for (const [, quota] of resourcesOf(doc, type))
        if (namespaceAddressOf(doc, quota) === namespace && caps(quota)) delete first(first(quota.spec)?.hard)![GPU_QUOTA];
      return namespace;
    },
  },
  "k8s-container-not-privileged": {
    breaks: "sets security_context.privileged true on one workload's container",
    apply(doc, passing) {
      const { addr, container } = workload(doc, passing);
      securityContextOf(container).privileged = true;
      return addr;
    },
  },
  "k8s-pod-no-host-namespaces": {
    breaks: "sets host_network true on one workload's pod spec",
    apply(doc, passing) {
      const { addr, spec } = workload(doc, passing);
      spec.host_network = true;
      return addr;
    },
  },
  "k8s-pod-no-host-path": {
    breaks: "adds a hostPath volume of / to one workload's pod spec",
    apply(doc, passing) {
      const { addr, spec } = workload(doc, passing);
      spec.volume = [...blocks(spec.volume), { name: "host-root", host_path: { path: "/" } }];
      return addr;
    },
  },
  "k8s-container-run-as-non-root": {
    breaks: "sets security_context.run_as_user 0 (root) on one workload's container",
    apply(doc, passing) {
      const { addr, container } = workload(doc, passing);
      securityContextOf(container).run_as_user = 0;
      return addr;
    },
  },
  "k8s-container-no-privilege-escalation": {
    breaks: "sets security_context.allow_privilege_escalation true on one workload's container",
    apply(doc, passing) {
      const { addr, container } = workload(doc, passing);
      securityContextOf(container).allow_privilege_escalation = true;
      return addr;
    },
  },
  "k8s-container-read-only-root-fs": {
    breaks: "sets security_context.read_only_root_filesystem false on one workload's container",
    apply(doc, passing) {
      const { addr, container } = workload(doc, passing);
      securityContextOf(container).read_only_root_filesystem = false;
      return addr;
    },
  },
  "k8s-image-pinned-by-digest": {
    breaks: "replaces one container image's sha256 digest with the tag latest",
    apply(doc, passing) {
      const { addr, container } = workload(doc, passing);
      const image = String(container.image).replace(DIGEST, "");
      container.image = /:[^/]+$/.test(image) ? image.replace(/:[^/]+$/, ":latest") : `${image}:latest`;
      return addr;
    },
  },
  "k8s-network-policy-enforced": {
    breaks: "drops the postcondition of the vpc-cni read one network policy waits for, so nothing checks that the CNI enforces it",
    apply(doc, passing) {
      const data = (doc.data ?? {}) as Record<string, Record<string, Body>>;
      for (const type of ["kubernetes_network_policy_v1", "kubernetes_network_policy"]) {
        for (const [name, policy] of resourcesOf(doc, type)) {
          const gate = blocks(policy)
            .flatMap((p) => (Array.isArray(p.depends_on) ? p.depends_on : []))
            .map((d: string) => /^data\.aws_eks_addon\.([\w-]+)$/.exec(d)?.[1])
            .find(Boolean);
          if (!gate || !passing.has(address(type, name)) || !data.aws_eks_addon?.[gate]) continue;
          delete data.aws_eks_addon[gate].lifecycle;
          return address(type, name);
        }
      }
      throw new Error("no network policy waiting for a vpc-cni gate in this stack to break");
    },
  },
  "k8s-namespace-placement-enforced": {
    breaks: "deletes the ValidatingAdmissionPolicyBinding that puts the tenant placement policy in force",
    apply(doc, passing) {
      const bindings = resourcesOf(doc, "kubernetes_manifest").filter(([, m]) => m.manifest?.kind === "ValidatingAdmissionPolicyBinding");
      const namespace = ["kubernetes_namespace_v1", "kubernetes_namespace"]
        .flatMap((type) => resourcesOf(doc, type).map(([name]) => address(type, name)))
        .find((a) => passing.has(a));
      if (bindings.length === 0 || !namespace) throw new Error("no tenant namespace under a placement binding in this stack to break");
      for (const [name] of bindings) removeResource(doc, "kubernetes_manifest", name);
      return namespace;
    },
  },
  "k8s-namespace-gpu-bypass-denied": {
    breaks: "puts the GPU device policy's binding in Warn and Audit mode, which admit the pod",
    apply(doc, passing) {
      const binding = resourcesOf(doc, "kubernetes_manifest").find(
        ([, m]) => m.manifest?.kind === "ValidatingAdmissionPolicyBinding" && m.manifest?.spec?.policyName === "saip-gpu-devices",
      );
      const namespace = ["kubernetes_namespace_v1", "kubernetes_namespace"]
        .flatMap((type) => resourcesOf(doc, type).map(([name]) => address(type, name)))
        .find((a) => passing.has(a));
      if (!binding || !namespace) throw new Error("no tenant namespace under the GPU device binding in this stack to break");
      binding[1].manifest.spec.validationActions = ["Warn", "Audit"];
      return namespace;
    },
  },
  "k8s-gpu-device-plugin-volume-mounts": {
    breaks: 'sets the NVIDIA device plugin\'s DEVICE_LIST_STRATEGY to "envvar"',
    apply(doc, passing) {
      for (const type of ["kubernetes_daemon_set_v1", "kubernetes_daemonset"]) {
        for (const [name, body] of resourcesOf(doc, type)) {
          if (!passing.has(address(type, name))) continue;
          const spec = first(first(first(body.spec)?.template)?.spec);
          for (const container of blocks(spec?.container)) {
            const entry = blocks(container.env).find((e) => e.name === "DEVICE_LIST_STRATEGY");
            if (entry) {
              entry.value = "envvar";
              return address(type, name);
            }
          }
        }
      }
      throw new Error("no NVIDIA device plugin DaemonSet with DEVICE_LIST_STRATEGY in this stack to break");
    },
  },
  "k8s-image-admission-enforced": {
    breaks: "lets the image provenance policy fail open (failurePolicy Ignore), so an evaluation error admits any image",
    apply(doc, passing) {
      const policy = resourcesOf(doc, "kubernetes_manifest").find(
        ([, m]) => m.manifest?.kind === "ValidatingAdmissionPolicy" && JSON.stringify(m.manifest).includes(".image.matches("),
      );
      const namespace = ["kubernetes_namespace_v1", "kubernetes_namespace"]
        .flatMap((type) => resourcesOf(doc, type).map(([name]) => address(type, name)))
        .find((a) => passing.has(a));
      if (!policy || !namespace) throw new Error("no namespace under the image provenance policy in this stack to break");
      policy[1].manifest.spec.failurePolicy = "Ignore";
      return namespace;
    },
  },
  "k8s-image-signature-enforced": {
    breaks: "lets the signature constraints only warn (enforcementAction warn), so a pod with an unsigned image starts with a warning",
    apply(doc, passing) {
      const constraints = resourcesOf(doc, "kubernetes_manifest").filter(([, m]) =>
        m.manifest?.apiVersion?.startsWith("constraints.gatekeeper.sh/"),
      );
      const namespace = ["kubernetes_namespace_v1", "kubernetes_namespace"]
        .flatMap((type) => resourcesOf(doc, type).map(([name]) => address(type, name)))
        .find((a) => passing.has(a));
      if (constraints.length === 0 || !namespace) throw new Error("no namespace under the signature constraint in this stack to break");
      for (const [, constraint] of constraints) constraint.manifest.spec.enforcementAction = "warn";
      return namespace;
    },
  },
  "k8s-manifest-kind-known-at-plan": {
    breaks: "installs Gatekeeper's chart in the stack of the constraint template, whose kind the chart installs",
    apply(doc, passing) {
      const template = resourcesOf(doc, "kubernetes_manifest").find(
        ([name, m]) => m.manifest?.kind === "ConstraintTemplate" && passing.has(address("kubernetes_manifest", name)),
      );
      if (!template) throw new Error("no constraint template in this stack to break");
      const releases = ((doc.resource ??= {}).helm_release ??= {});
      releases.gatekeeper_here = { name: "gatekeeper", chart: "gatekeeper", namespace: "gatekeeper-system" };
      return address("kubernetes_manifest", template[0]);
    },
  },
  "k8s-image-from-private-registry": {
    breaks: "points one container image at nvcr.io instead of the platform's ECR",
    apply(doc, passing) {
      const { addr, container } = workload(doc, passing);
      container.image = String(container.image).replace(/^[^/]+/, "nvcr.io");
      return addr;
    },
  },
  "k8s-no-cluster-binding-to-tenant-groups": {
    breaks: "adds a tenant's group as a subject of one cluster role binding",
    apply(doc) {
      const types = ["kubernetes_cluster_role_binding_v1", "kubernetes_cluster_role_binding"];
      const binding = types.flatMap((type) => resourcesOf(doc, type).map(([name, body]) => ({ type, name, body })))[0];
      if (!binding) throw new Error("no cluster role binding in this stack to break");
      // A group the tenant's own role binding names, in a namespace labelled as a tenant's.
      const tenantBinding = inNamespace(
        doc,
        ["kubernetes_role_binding_v1", "kubernetes_role_binding"],
        "role binding with a group in a tenant namespace",
        (b, ns) => first(ns.metadata)?.labels?.[TENANT_LABEL] !== undefined && blocks(b.subject).some((s) => s.kind === "Group"),
      );
      const group = blocks(tenantBinding.body.subject).find((s) => s.kind === "Group")!.name;
      binding.body.subject = [...blocks(binding.body.subject), { kind: "Group", name: group, api_group: "rbac.authorization.k8s.io" }];
      return address(binding.type, binding.name);
    },
  },
};
