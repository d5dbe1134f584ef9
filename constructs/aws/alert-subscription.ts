// No provider imports here: the config schema checks subscriptions with the same function.

/** The SNS protocols an alert subscriber may use besides email; the config schema reads this list. */
export const ALERT_PROTOCOLS = ["https", "sqs", "lambda"] as const;

/** A subscriber of the alert topic other than an email address. */
export interface AlertSubscription {
  readonly protocol: (typeof ALERT_PROTOCOLS)[number];
  /** The https:// URL, or the queue's or function's ARN. */
  readonly endpoint: string;
}

/** Why an alert subscription cannot work, or undefined when it can. */
export function alertSubscriptionProblem(subscription: AlertSubscription): string | undefined {
  const { protocol, endpoint } = subscription;
  if (protocol === "https")
    return /^https:\/\/[^\s/]+(\/\S*)?$/.test(endpoint) ? undefined : `an https subscription needs an https:// URL, got '${endpoint}'`;
  if (protocol === "sqs")
    return /^arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]+(\.fifo)?$/.test(endpoint)
      ? undefined
      : `an sqs subscription needs an SQS queue ARN, got '${endpoint}'`;
  if (protocol === "lambda")
    return /^arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/.test(endpoint)
      ? undefined
      : `a lambda subscription needs a Lambda function ARN, got '${endpoint}'`;
  return `protocol must be https, sqs or lambda, got '${String(protocol)}'`;
}
