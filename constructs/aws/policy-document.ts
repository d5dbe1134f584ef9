/** IAM and resource policy documents, built as data and rendered as JSON for Terraform. */

export type Principal = { AWS: string | string[] } | { Service: string | string[] } | { Federated: string | string[] } | "*";

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Principal;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  /** Everything but these: a deny that spares what an AWS service must write its own way. */
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/**
 * A policy whose statements can still be added to until synth: constructs
 * hand out `grant*` methods that append here. Rendering with JSON.stringify
 * keeps references such as `${aws_s3_bucket.models.arn}` as Terraform
 * interpolations inside the string, which the compliance engine can read.
 */
export class PolicyDocument {
  private readonly statements: PolicyStatement[] = [];

  constructor(statements: PolicyStatement[] = []) {
    statements.forEach((s) => this.addStatement(s));
  }

  addStatement(statement: PolicyStatement): void {
    if (statement.Sid && this.statements.some((s) => s.Sid === statement.Sid)) {
      throw new Error(`Policy statement ids must be unique: '${statement.Sid}' is used twice.`);
    }
    this.statements.push(statement);
  }

  /**
   * Adds a statement unless one with the same Sid and content is there:
   * constructs that share a key each ask for the service access they need.
   */
  addStatementOnce(statement: PolicyStatement & { Sid: string }): void {
    const existing = this.statements.find((s) => s.Sid === statement.Sid);
    if (!existing) return this.addStatement(statement);
    if (JSON.stringify(existing) !== JSON.stringify(statement)) {
      throw new Error(`Policy statement '${statement.Sid}' is added twice with different content.`);
    }
  }

  get isEmpty(): boolean {
    return this.statements.length === 0;
  }

  toJson(): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: this.statements });
  }
}
