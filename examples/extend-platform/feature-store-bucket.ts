import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { Construct } from "constructs";
import { SecureBucket } from "secure-ai-platform/aws";
import type { Grantee, IAccessLogBucket, IPlatformKey } from "secure-ai-platform/aws";

export interface FeatureStoreBucketProps {
  /** Key that encrypts every object: a platform key, or the landing zone's (`PlatformKey.fromKeyArn`). */
  readonly key: IPlatformKey;
  /** Where the server access logs go, under `feature-store/`: the platform's bucket (`stack.accessLogs`) or the landing zone's. */
  readonly accessLogs: IAccessLogBucket;
  /** Backs the bucket up with this AWS Backup plan and role (the platform's, `stack.backup`). @default - not backed up */
  readonly backup?: { readonly planId: string; readonly role: Grantee };
  /** Days a replaced or deleted feature file version is kept. @default 30 */
  readonly noncurrentVersionDays?: number;
}

/**
 * The recommendations team's offline feature store: a bucket of feature
 * tables (Parquet) the training jobs read. A `SecureBucket`, so it is private,
 * versioned, TLS-only, access-logged and encrypted under the key it is given;
 * the team adds only its name, its retention and its backup.
 */
export class FeatureStoreBucket extends SecureBucket {
  constructor(scope: Construct, id: string, props: FeatureStoreBucketProps) {
    super(scope, id, {
      purpose: "feature-store",
      key: props.key,
      accessLogs: props.accessLogs,
      bucketPrefix: "recsys-feature-store-",
      noncurrentVersionDays: props.noncurrentVersionDays ?? 30,
    });
    if (props.backup) {
      // AWS Backup reads the objects and writes recovery points with the bucket's key, through grants for AWS
      // resources (AWS Backup developer guide, "Encryption for backups in AWS Backup"); an imported key's grants
      // go to the backup role's policy. S3 backups need versioning, which SecureBucket always turns on.
      props.key.grantEncryptDecrypt(props.backup.role);
      props.key.grantAwsResourceGrants(props.backup.role);
      new BackupSelection(this, "Backup", {
        name: "recsys-feature-store",
        planId: props.backup.planId,
        iamRoleArn: props.backup.role.roleArn,
        resources: [this.bucketArn],
      });
    }
  }
}
