import { Rule } from "../../../compliance/rule";
import { s3BucketVersioning } from "./bucket-versioning";

export const s3Rules: Rule[] = [s3BucketVersioning];
