import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";

const ID = "AwsContext";

/**
 * The account, partition and region a stack deploys into, looked up once per
 * stack so policies never hard-code them.
 */
export class AwsContext extends Construct {
  /** The one context of the stack that holds `scope`. */
  static of(scope: Construct): AwsContext {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(ID) as AwsContext | undefined) ?? new AwsContext(stack, ID);
  }

  readonly accountId: string;
  readonly partition: string;
  readonly region: string;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, "Account").accountId;
    this.partition = new DataAwsPartition(this, "Partition").partition;
    this.region = new DataAwsRegion(this, "Region").region;
  }

  /** `arn:<partition>:<service>:<region>:<account>:<resource>`; pass "" to leave region or account out. */
  arn(service: string, resource: string, opts: { region?: string; account?: string } = {}): string {
    const region = opts.region ?? this.region;
    const account = opts.account ?? this.accountId;
    return `arn:${this.partition}:${service}:${region}:${account}:${resource}`;
  }

  /** The account root, which lets IAM policies in this account grant use of a key. */
  get accountRootArn(): string {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }
}
