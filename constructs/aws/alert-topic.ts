import { Token } from "cdktf";
import { Construct } from "constructs";
import { recordAssumption } from "../../lib/compliance/construct-assumptions";

/** Where findings and tamper alarms are sent: the platform's own topic (`ThreatDetection`) or a landing zone's. */
export interface IAlertTopic {
  readonly topicArn: string;
  /** True for a topic brought in by ARN: its policy, key and subscribers are assumed, not checked. */
  readonly imported: boolean;
}

/** Alert topics a landing zone already runs. */
export class AlertTopic {
  /**
   * A landing zone's security alert topic, by ARN: the platform's findings
   * rule and tamper alarms publish to it, and nothing here can change its
   * policy or subscriptions, so it is reported as assumed that its policy lets
   * events.amazonaws.com publish for this account's rules (EventBridge
   * publishes as that service, with the rule as aws:SourceArn), that its key
   * (if any) lets EventBridge make data keys, and that someone is subscribed.
   */
  static fromTopicArn(scope: Construct, id: string, topicArn: string): IAlertTopic {
    if (Token.isUnresolved(topicArn) || !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(topicArn)) {
      throw new Error(
        `${scope.node.path}/${id}: topicArn must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>) known at synth, got '${topicArn}'.`,
      );
    }
    recordAssumption(
      new Construct(scope, id),
      `existing alert topic ${topicArn}`,
      "a topic policy that lets events.amazonaws.com publish for this account's rules, a key EventBridge may use if it is encrypted, and subscribers who act on findings",
    );
    return { topicArn, imported: true };
  }
}
