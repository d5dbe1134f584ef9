import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { providerKey, TfResource } from "../../../terraform/model";
import { attached, blocksOf, describe, resolve, valueAt } from "../../helpers";
import { trailBucket } from "./util";

/** Where a provider configuration creates resources, as far as the configuration tells. */
type Account =
  | { readonly kind: "account"; readonly id: string; readonly how: string }
  /** No assume_role and no allowed_account_ids: whatever account the credentials at apply time belong to. */
  | { readonly kind: "ambient" }
  | { readonly kind: "unknown"; readonly why: string };

const ROLE_ACCOUNT = /^arn:[\w-]+:iam::(\d{12}):role\//;
const VAULT_ACCOUNT = /^arn:[\w-]+:backup:[\w-]*:(\d{12}):backup-vault:/;
const DESTINATION_ACCOUNT = /^arn:[\w-]+:logs:[\w-]*:(\d{12}):destination:/;

/** The account a provider configuration of the resource's module works in (its last assume_role, as the AWS provider chains them). */
function accountOf(resource: TfResource): Account {
  const key = providerKey(resource);
  const config = resource.module.providers.get(key);
  // Terraform gives an undeclared default configuration an empty body; an undeclared alias is an error it reports.
  if (!config)
    return key.includes(".") ? { kind: "unknown", why: `provider ${key} is not configured in this module` } : { kind: "ambient" };
  const role = blocksOf(config.assume_role).at(-1)?.role_arn;
  if (role !== undefined) {
    const match = typeof role === "string" ? ROLE_ACCOUNT.exec(role) : null;
    if (match) return { kind: "account", id: match[1], how: `provider ${key} assumes ${role}` };
    return { kind: "unknown", why: `provider ${key}'s assume_role.role_arn is ${JSON.stringify(role)}, whose account cannot be told` };
  }
  const allowed = config.allowed_account_ids;
  if (Array.isArray(allowed) && allowed.length === 1 && typeof allowed[0] === "string" && /^\d{12}$/.test(allowed[0]))
    return { kind: "account", id: allowed[0], how: `provider ${key} allows only account ${allowed[0]}` };
  return { kind: "ambient" };
}

/** The module path of an address (`module.a[0].`), `""` for the root. */
const modulePath = (resource: TfResource) => /^(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*/.exec(resource.address)![0];

/** Whether `storage` is created in another account than `watched`, by the provider configurations each is created through. */
function judgeStorage(storage: TfResource, watched: TfResource, what: string): Outcome {
  const key = providerKey(storage);
  if (modulePath(storage) === modulePath(watched) && key === providerKey(watched))
    return fail(
      `${what} ${storage.address} is created through the same provider configuration (${key}) as ${watched.address}, so in the account it watches: an admin of this account can stop or delete it`,
    );
  if (modulePath(storage) !== "" || modulePath(watched) !== "")
    return unresolved(
      `${storage.address} and ${watched.address} are created through the providers their module calls pass, which are not followed`,
    );
  const there = accountOf(storage);
  if (there.kind === "unknown") return unresolved(`${what} ${storage.address}: ${there.why}`);
  if (there.kind === "ambient")
    return unresolved(
      `${what} ${storage.address} is created through provider ${key}, which names no account (no assume_role, no single allowed_account_ids), so its account cannot be told`,
    );
  const here = accountOf(watched);
  if (here.kind === "unknown") return unresolved(`${watched.address}: ${here.why}`);
  if (here.kind === "account" && here.id === there.id)
    return fail(
      `${what} ${storage.address} is in account ${there.id} (${there.how}), the account ${watched.address} watches (${here.how})`,
    );
  const watcher = here.kind === "account" ? `account ${here.id}` : `the default credentials of provider ${providerKey(watched)}`;
  return pass(`${what} ${storage.address} is created in account ${there.id} (${there.how}), not in ${watcher} where ${watched.address} is`);
}

/** A backup plan's copy destinations: each copy_action's vault, by reference or by a literal ARN's account. */
function judgeBackupPlan(plan: TfResource): Outcome {
  const arns = blocksOf(plan.body.rule).flatMap((r) => blocksOf(r.copy_action).map((c) => c.destination_vault_arn));
  if (arns.length === 0)
    return fail(
      `${plan.address} copies no recovery point out of the account it protects (no copy_action): an admin of this account can delete every one`,
    );
  const outcomes = arns.map((arn): Outcome => {
    const resolved = resolve(plan, arn);
    if (resolved.state === "reference") {
      if (resolved.target.type !== "aws_backup_vault")
        return unresolved(`copy_action.destination_vault_arn refers to ${resolved.target.address}, which is not an aws_backup_vault`);
      return judgeStorage(resolved.target, plan, "copy vault");
    }
    const match = resolved.state === "known" && typeof resolved.value === "string" ? VAULT_ACCOUNT.exec(resolved.value) : null;
    if (!match) return unresolved(`copy_action.destination_vault_arn is ${describe(resolved)}`);
    const here = accountOf(plan);
    if (here.kind === "account" && here.id === match[1])
      return fail(`${plan.address} copies to a vault in account ${here.id}, the account it protects (${here.how})`);
    if (here.kind === "account") return pass(`${plan.address} copies recovery points to account ${match[1]}, not account ${here.id}`);
    return unresolved(
      `${plan.address} copies to a vault in account ${match[1]}, and the account it protects cannot be told from its provider`,
    );
  });
  return worst(outcomes);
}

/** A copy's destination, by reference to a resource of the module or by a literal ARN's account. */
function judgeDestination(from: TfResource, watched: TfResource, arn: unknown, type: string, pattern: RegExp, what: string): Outcome {
  const resolved = resolve(from, arn as never);
  if (resolved.state === "reference") {
    if (resolved.target.type !== type) return unresolved(`the ${what} refers to ${resolved.target.address}, which is not an ${type}`);
    return judgeStorage(resolved.target, watched, what);
  }
  const match = resolved.state === "known" && typeof resolved.value === "string" ? pattern.exec(resolved.value) : null;
  if (!match) return unresolved(`the ${what}'s ARN is ${describe(resolved)}`);
  const here = accountOf(watched);
  if (here.kind === "account" && here.id === match[1])
    return fail(`${watched.address} copies to account ${here.id}, the account it watches (${here.how})`);
  if (here.kind === "account") return pass(`${watched.address} copies to account ${match[1]}, not account ${here.id}`);
  return unresolved(`${watched.address} copies to account ${match[1]}, and the account it watches cannot be told from its provider`);
}

/**
 * A cluster's control-plane log group (`/aws/eks/<name>/cluster`, where EKS writes the Kubernetes audit log): each
 * subscription filter on it must deliver to a CloudWatch Logs destination of another account.
 */
function judgeClusterLogs(cluster: TfResource): Outcome {
  const name = valueAt(cluster, "name");
  if (name.state !== "known" || typeof name.value !== "string" || name.value.includes("${"))
    return unresolved(`the cluster's name is ${describe(name)}, so its control-plane log group cannot be told`);
  const groupName = `/aws/eks/${name.value}/cluster`;
  const groups = cluster.module
    .ofType("aws_cloudwatch_log_group")
    .filter((g) => valueAt(g, "name").state === "known" && g.body.name === groupName);
  const filters = [
    ...new Set([
      ...groups.flatMap((g) => attached(g, "aws_cloudwatch_log_subscription_filter", "log_group_name", "name")),
      ...cluster.module.ofType("aws_cloudwatch_log_subscription_filter").filter((f) => f.body.log_group_name === groupName),
    ]),
  ];
  if (filters.length === 0)
    return fail(
      `the control-plane log group ${groupName} of ${cluster.address} is copied to no other account (no aws_cloudwatch_log_subscription_filter): an admin of this account can delete the Kubernetes audit log`,
    );
  return worst(
    filters.map((f) =>
      judgeDestination(
        f,
        cluster,
        f.body.destination_arn,
        "aws_cloudwatch_log_destination",
        DESTINATION_ACCOUNT,
        "control-plane log copy's destination",
      ),
    ),
  );
}

/** A failure over an unresolved outcome over a pass; messages of the same status joined. */
function worst(outcomes: readonly Outcome[]): Outcome {
  for (const status of ["fail", "unresolved", "pass"] as const) {
    const found = outcomes.filter((o) => o.status === status);
    if (found.length > 0) return { status, message: found.map((o) => o.message).join("; ") };
  }
  return unresolved("nothing to judge");
}

export const auditStorageSeparateAccount: Rule = {
  id: "aws-audit-storage-separate-account",
  title: "Audit storage is created in another account than the one it watches",
  requirements: ["AICP-AUDIT-05"],
  severity: "recommended",
  waivable: true,
  appliesTo: ["aws_cloudtrail", "aws_config_delivery_channel", "aws_backup_plan", "aws_eks_cluster"],
  remediation:
    "Create the trail's bucket, the AWS Config delivery bucket, a backup copy vault and the destination of a copy of each cluster's control-plane log group (a subscription filter to an aws_cloudwatch_log_destination) through a second aws provider whose assume_role names a role in a log-archive account (provider = aws.archive), as the AWS Security Reference Architecture does (the platform's audit.archive); in single-account mode, waive this with the reason.",
  examples: {
    good: [
      `
      provider "aws" {}

      provider "aws" {
        alias = "archive"
        assume_role {
          role_arn = "arn:aws:iam::222222222222:role/log-archive-writer"
        }
      }

      resource "aws_s3_bucket" "audit" {
        provider = aws.archive
        bucket   = "platform-audit"
      }

      resource "aws_cloudtrail" "org" {
        name           = "org"
        s3_bucket_name = aws_s3_bucket.audit.bucket
      }
    `,
    ],
    bad: [
      `
      provider "aws" {}

      resource "aws_s3_bucket" "audit" {
        bucket = "platform-audit"
      }

      resource "aws_cloudtrail" "org" {
        name           = "org"
        s3_bucket_name = aws_s3_bucket.audit.bucket
      }
    `,
    ],
  },
  check(resource) {
    if (resource.type === "aws_backup_plan") return judgeBackupPlan(resource);
    if (resource.type === "aws_eks_cluster") return judgeClusterLogs(resource);
    const found = trailBucket(resource);
    if ("status" in found) return found;
    return judgeStorage(found.bucket, resource, resource.type === "aws_cloudtrail" ? "the trail's bucket" : "the Config delivery bucket");
  },
};
