/**
 * An IAM role that storage, key and registry constructs can grant access to.
 * Workload roles (IRSA, Pod Identity) and node roles implement it.
 */
export interface Grantee {
  /** ARN of the role, named in key and resource policies. */
  readonly roleArn: string;
  /** Name of the role, to attach inline policies to. */
  readonly roleName: string;
}
