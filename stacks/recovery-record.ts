import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { ITerraformDependable, TerraformStack } from "cdktf";
import type { StateLocation } from "./bootstrap-stack";

/** Where a stack's code is kept beside its state: one object per stack, a new version at every apply. */
export const recoveryKey = (stackName: string) => `recovery/${stackName}/cdk.tf.json`;

export interface RecoveryRecordOptions {
  /** The region of the stack's default AWS provider; in another region than the bucket's, records go through an `aws.state` provider. */
  readonly region: string;
  /** The validated config the platform was built from, kept too (`recovery/config.json`). @default - not kept */
  readonly config?: object;
  /** What must exist before the object is written (the bootstrap stack's bucket and policy). @default - nothing */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Keeps the stack's own Terraform JSON beside its state, in the versioned
 * state bucket, at every apply: restoring a known good state needs the code
 * that was applied as much as the state it left, and a later synth may not
 * produce it again (another release, another config, a team's own code).
 *
 * Terraform reads the file when it plans (`source` and `source_hash`, the
 * provider's trigger for KMS-encrypted objects, whose ETag is no MD5), so the
 * record is the JSON being applied, this resource included. The object takes
 * the bucket's default encryption, the state key; the bucket's versions and
 * its backups keep the earlier records.
 */
export function keepStackForRecovery(stack: TerraformStack, location: StateLocation, options: RecoveryRecordOptions): S3Object {
  const file = "${path.module}/cdk.tf.json";
  const provider =
    location.region === options.region ? undefined : new AwsProvider(stack, "state-region", { alias: "state", region: location.region });
  const record = new S3Object(stack, "RecoveryRecord", {
    provider,
    bucket: location.bucket,
    key: recoveryKey(stack.node.id),
    source: file,
    sourceHash: `\${filemd5("${file}")}`,
    contentType: "application/json",
    dependsOn: options.dependsOn,
  });
  if (options.config)
    new S3Object(stack, "ConfigRecord", {
      provider,
      bucket: location.bucket,
      key: "recovery/config.json",
      content: JSON.stringify(options.config, null, 2),
      contentType: "application/json",
      dependsOn: options.dependsOn,
    });
  return record;
}
