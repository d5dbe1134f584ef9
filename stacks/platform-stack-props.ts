import { TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import type { IAccessLogBucket } from "../constructs/aws/access-log-bucket";
import type { IAlertTopic } from "../constructs/aws/alert-topic";
import type { IAuditTrail } from "../constructs/aws/audit-trail";
import type { DataBucket } from "../constructs/aws/choices";
import type { IPlatformKey } from "../constructs/aws/platform-key";
import type { IPrivateNetwork } from "../constructs/aws/private-network";

/**
 * Something a team already has, given to the platform stack in code: the object itself, or a function the stack
 * calls with itself where it needs it. Use the function for anything that makes constructs (an import such as
 * `PrivateNetwork.fromVpcAttributes`, which reads the landing zone's subnets with postconditions, or a construct of
 * your own): made inside the platform stack, the check inside synth sees it and its recorded assumptions, and it
 * can use what the stack made before it (`stack.keys`, `stack.buckets`, `stack.accessLogs`).
 */
export type InStack<T, S> = T | ((stack: S) => T);

/**
 * What the platform stack takes from a team's code instead of making its own. Each field replaces the same
 * thing the config's `landingZone` section can name; naming one thing in both is an error. The engine still
 * checks the whole stack, and what it cannot see of an imported resource is reported as assumed, never as
 * compliant.
 */
export interface PlatformStackProps<S> {
  /**
   * The VPC the cluster, file system and load balancer live in. Its range must be the config's `network.cidr`,
   * which the config's checks (the service range, the inference entry's clients) are made against.
   * @default - the platform's own PrivateNetwork, or `landingZone.vpc`
   */
  readonly network?: InStack<IPrivateNetwork, S>;
  /**
   * The trail that records the platform's API calls. A trail of your own (`AuditTrail`) is read by the
   * platform's auditor; an imported one (`AuditTrail.fromTrailArn`) is the organization's, read by its auditors.
   * @default - the platform's own AuditTrail, or `landingZone.organizationTrailArn`
   */
  readonly trail?: InStack<IAuditTrail, S>;
  /**
   * The topic security findings and tamper alarms go to. With it, `detection.alertEmails` and
   * `alertSubscriptions` must be empty: the topic's subscribers are its own.
   * @default - a topic of the platform's own, or `landingZone.alertTopicArn`
   */
  readonly alertTopic?: InStack<IAlertTopic, S>;
  /**
   * Receives every bucket's S3 server access logs. An imported one cannot be used with inference: the load
   * balancer's access logs need a bucket policy only the platform's own bucket is given here.
   * @default - the platform's own AccessLogBucket, or `landingZone.accessLogBucketName`
   */
  readonly accessLogs?: InStack<IAccessLogBucket, S>;
  /**
   * Keys that encrypt the data buckets, by bucket, in place of the keyring's: a landing zone's key
   * (`PlatformKey.fromKeyArn`) whose policy lets S3 use it for this account. Only buckets take a brought-in key:
   * the keys AWS services use on the platform's behalf (logs, cluster secrets, node volumes, registry, backup)
   * need statements for those services in their key policy, which an imported key's policy cannot be given here.
   * @default - the keyring's key of each bucket's class
   */
  readonly bucketKeys?: Partial<Record<DataBucket, InStack<IPlatformKey, S>>>;
}

/** Calls `given` with the stack when it is a function, and refuses a construct made in another stack. */
export function takeInStack<T, S extends TerraformStack>(stack: S, field: string, given: InStack<T, S> | undefined): T | undefined {
  if (given === undefined) return undefined;
  const value = typeof given === "function" ? (given as (stack: S) => T)(stack) : given;
  // A construct of another stack would reach this one through remote state, whose values the check cannot read.
  if (value instanceof Construct && TerraformStack.of(value as IConstruct) !== stack) {
    throw new Error(
      `${stack.node.path}: ${field} was made in stack '${TerraformStack.of(value as IConstruct).node.path}'; pass a function (stack) => ... that makes it in this stack, where the check sees it.`,
    );
  }
  return value;
}

/** Refuses a thing named both in code and in the config, naming both places. */
export function refuseTwice(stack: IConstruct, field: string, inCode: unknown, configField: string, inConfig: unknown): void {
  if (inCode !== undefined && inConfig !== undefined) {
    throw new Error(`${stack.node.path}: ${field} is given in code and the config names ${configField}; name it in one place.`);
  }
}
