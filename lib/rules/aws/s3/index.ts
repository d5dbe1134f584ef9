import { Rule } from "../../../compliance/rule";
import { s3BucketAccessLogging } from "./bucket-access-logging";
import { s3BucketCmkEncryption } from "./bucket-cmk-encryption";
import { s3BucketNamedWriter } from "./bucket-named-writer";
import { s3BucketOwnershipEnforced } from "./bucket-ownership-enforced";
import { s3BucketPolicyNoPublicAllow } from "./bucket-policy-no-public-allow";
import { s3BucketPublicAccessBlock } from "./bucket-public-access-block";
import { s3BucketTlsOnly } from "./bucket-tls-only";
import { s3BucketVersioning } from "./bucket-versioning";
import { s3ModelStorePublisherOnly } from "./model-store-publisher-only";

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
];
