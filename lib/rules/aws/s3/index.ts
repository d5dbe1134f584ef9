import { Rule } from "../../../compliance/rule";
import { s3BucketAccessLogging } from "./s3-bucket-access-logging";
import { s3BucketCmkEncryption } from "./s3-bucket-cmk-encryption";
import { s3BucketNamedWriter } from "./s3-bucket-named-writer";
import { s3BucketOwnershipEnforced } from "./s3-bucket-ownership-enforced";
import { s3BucketPolicyNoPublicAllow } from "./s3-bucket-policy-no-public-allow";
import { s3BucketPublicAccessBlock } from "./s3-bucket-public-access-block";
import { s3BucketTlsOnly } from "./s3-bucket-tls-only";
import { s3BucketVersioning } from "./s3-bucket-versioning";
import { s3ModelStorePublisherOnly } from "./s3-model-store-publisher-only";
import { s3TenantPrefixKeys } from "./s3-tenant-prefix-keys";

export const s3Rules: Rule[] = [
  s3BucketCmkEncryption,
  s3BucketVersioning,
  s3BucketPublicAccessBlock,
  s3BucketTlsOnly,
  s3BucketAccessLogging,
  s3BucketOwnershipEnforced,
  s3BucketPolicyNoPublicAllow,
  s3BucketNamedWriter,
  s3ModelStorePublisherOnly,
  s3TenantPrefixKeys,
];
