// The values some props allow, each written once: the props' types, the constructs' checks and the
// config schema all read these lists. No provider imports here, so the schema stays quick to load.

import { PUBLISHED_BUCKETS } from "../../lib/rules/aws/s3/s3-bucket-named-writer";

/** How the VPC reaches the internet: "none" (VPC endpoints only) or "nat" (a NAT gateway per zone). */
export const NETWORK_EGRESS = ["none", "nat"] as const;
export type NetworkEgress = (typeof NETWORK_EGRESS)[number];

/** The shared file systems for training; the config adds "none" for a platform without one. */
export const TRAINING_FILE_SYSTEM_KINDS = ["fsx-lustre", "efs"] as const;
export type TrainingFileSystemKind = (typeof TRAINING_FILE_SYSTEM_KINDS)[number];

/** The platform's data buckets, each encrypted with its own key. */
export const DATA_BUCKETS = ["datasets", "models", "checkpoints", "artifacts"] as const;
export type DataBucket = (typeof DATA_BUCKETS)[number];

/**
 * The buckets a publisher role writes (checkpoints are written by tenants' training roles); declared
 * beside the rule that checks each has a named writer, which lib/ cannot import from here.
 */
export { PUBLISHED_BUCKETS };
export type PublishedBucket = (typeof PUBLISHED_BUCKETS)[number];
