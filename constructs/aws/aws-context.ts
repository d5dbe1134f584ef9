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
  /**
   * The context `scope` deploys into: the nearest one made for another account
   * (`AwsContext.forAccount`) above it, else the one context of its stack.
   */
  static of(scope: Construct): AwsContext {
    const stack = TerraformStack.of(scope);
    for (let s: Construct | undefined = scope; s && s !== stack; s = s.node.scope) {
      const found = s.node.tryFindChild(ID);
      if (found instanceof AwsContext) return found;
    }
    return (stack.node.tryFindChild(ID) as AwsContext | undefined) ?? new AwsContext(stack, ID);
  }

  /**
   * The context of everything under `scope` when its resources are created in
   * another account (through a provider that assumes a role there): that
   * account, with the stack's partition and region. No lookup is made, since
   * the account is known.
   */
  static forAccount(scope: Construct, accountId: string): AwsContext {
    const stackContext = AwsContext.of(TerraformStack.of(scope));
    return new AwsContext(scope, ID, { accountId, partition: stackContext.partition, region: stackContext.region });
  }

  readonly accountId: string;
  readonly partition: string;
  readonly region: string;

  private constructor(scope: Construct, id: string, known?: { accountId: string; partition: string; region: string }) {
    super(scope, id);
    this.accountId = known?.accountId ?? new DataAwsCallerIdentity(this, "Account").accountId;
    this.partition = known?.partition ?? new DataAwsPartition(this, "Partition").partition;
    this.region = known?.region ?? new DataAwsRegion(this, "Region").region;
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
