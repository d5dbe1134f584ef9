import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { addressFrom, isObject, JsonObject, TfResource } from "../../../terraform/model";
import { blocksOf, describe, firstBlock, resolve, valueAt } from "../../helpers";

/** The s3 backend block of a module's terraform settings, if it has one. */
function s3Backend(settings: TfResource): JsonObject | undefined {
  const block = blocksOf(settings.body.backend).find((b) => b.s3 !== undefined);
  const body = block ? firstBlock(block.s3) : undefined;
  return isObject(body ?? null) ? body : undefined;
}

/** An S3 ARN pattern of AWS Backup's `resources` (wildcards allowed) as a test of a bucket's name. */
function selectsBucketName(pattern: string, name: string): boolean {
  const match = /^arn:[\w-]+:s3:::(.+)$/.exec(pattern);
  if (!match) return pattern === "*";
  const glob = new RegExp(`^${match[1].replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
  return glob.test(name);
}

/** Whether `selection` selects `bucket`, by reference to it, by its ARN, or cannot be told. */
function selects(selection: TfResource, bucket: TfResource, name: string): "yes" | "no" | "unknown" {
  const resources = valueAt(selection, "resources");
  let unknown = resources.state === "unknown" || resources.state === "reference";
  const entries = resources.state === "known" ? (Array.isArray(resources.value) ? resources.value : [resources.value]) : [];
  for (const entry of entries) {
    const value = resolve(selection, entry);
    if (value.state === "reference") {
      if (value.target === bucket) return "yes";
      continue;
    }
    if (value.state === "known" && typeof value.value === "string" && selectsBucketName(value.value, name)) return "yes";
    if (value.state === "unknown") unknown = true;
  }
  // A selection by tag or condition may pick the bucket up; which tags it carries at apply is another rule's concern.
  if (blocksOf(selection.body.selection_tag).length > 0 || blocksOf(selection.body.condition).length > 0) unknown = true;
  return unknown ? "unknown" : "no";
}

export const stateBackendBackedUp: Rule = {
  id: "aws-state-backend-backed-up",
  title: "The bucket that keeps the Terraform state is backed up by AWS Backup",
  requirements: ["AICP-RESILIENCE-05"],
  // Recommended, as the backend's encryption rule: a waiver in code cannot reach the terraform block.
  severity: "recommended",
  waivable: true,
  appliesTo: ["terraform"],
  applies: (settings) => s3Backend(settings) !== undefined,
  effect:
    "The state a rebuild starts from survives an administrator who deletes its object versions: AWS Backup keeps recovery points of the state bucket, where the vault's lock keeps them.",
  remediation:
    "Select the state bucket (versioned) in an aws_backup_selection of a plan whose vault is locked, in the module that creates the bucket or one applied after it that reads it (the bootstrap stack's StateBackup does).",
  examples: {
    good: [
      `
      resource "aws_s3_bucket" "state" {
        bucket = "platform-tfstate"
      }

      resource "aws_backup_selection" "state" {
        name         = "state"
        plan_id      = "plan-1"
        iam_role_arn = "arn:aws:iam::111122223333:role/backup"
        resources    = [aws_s3_bucket.state.arn]
      }

      terraform {
        backend "s3" {
          bucket = "platform-tfstate"
          key    = "bootstrap.tfstate"
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_s3_bucket" "state" {
        bucket = "platform-tfstate"
      }

      terraform {
        backend "s3" {
          bucket = "platform-tfstate"
          key    = "bootstrap.tfstate"
        }
      }
    `,
    ],
  },
  check(settings): Outcome {
    const name = s3Backend(settings)!.bucket;
    if (typeof name !== "string" || name.includes("${"))
      return unresolved(
        `the s3 backend's bucket is ${JSON.stringify(name ?? "(set at init)")}, so which bucket keeps the state cannot be told`,
      );
    const bucket = settings.module.ofTypeInScope("aws_s3_bucket").find((b) => {
      const bucketName = valueAt(b, "bucket");
      return bucketName.state === "known" && bucketName.value === name;
    });
    if (!bucket)
      return unresolved(
        `the state bucket ${name} is not created in this module or one applied before it, so whether it is backed up cannot be told`,
      );
    const at = (resource: TfResource) => addressFrom(resource, settings.module);
    let open: TfResource | undefined;
    for (const selection of settings.module.ofTypeInScope("aws_backup_selection")) {
      const verdict = selects(selection, bucket, name);
      if (verdict === "yes") return pass(`the state bucket ${name} (${at(bucket)}) is selected by ${at(selection)}`);
      if (verdict === "unknown") open ??= selection;
    }
    if (open)
      return unresolved(
        `whether ${at(open)} selects the state bucket ${name} cannot be told: its resources are ${describe(valueAt(open, "resources"))} or it selects by tag`,
      );
    return fail(
      `no aws_backup_selection selects the state bucket ${name} (${at(bucket)}): whoever may write the state may delete its versions, and a rebuild has nothing to start from`,
    );
  },
};
