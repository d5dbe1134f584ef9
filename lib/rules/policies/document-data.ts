import { Outcome, unresolved } from "../../compliance/rule";
import { isObject, Json, JsonObject, TfResource } from "../../terraform/model";
import { blocksOf, rawAt } from "../../terraform/values";

const DATA_DOCUMENT = /^\$\{\s*data\.aws_iam_policy_document\.([\w-]+)\.(json|minified_json)\s*\}$/;

/**
 * The `data.aws_iam_policy_document` of the module a policy argument refers
 * to as a whole, if it does (one declared elsewhere stays unknown).
 */
export function policyDocumentSource(resource: TfResource, path: string): TfResource | undefined {
  const raw = rawAt(resource.body, path);
  if (typeof raw !== "string") return undefined;
  const match = DATA_DOCUMENT.exec(raw);
  return match ? resource.module.get(`data.aws_iam_policy_document.${match[1]}`) : undefined;
}

/** `principals { type = "AWS", identifiers = [...] }` blocks as a policy's Principal. */
function principalOf(blocks: JsonObject[]): Json | undefined {
  if (blocks.length === 0) return undefined;
  const principal: JsonObject = {};
  for (const block of blocks) {
    const type = block.type;
    const identifiers = Array.isArray(block.identifiers) ? block.identifiers : [block.identifiers ?? null];
    if (type === "*" && identifiers.includes("*")) return "*";
    if (typeof type !== "string") return `${String(type)}`;
    principal[type] = [...(Array.isArray(principal[type]) ? (principal[type] as Json[]) : []), ...identifiers];
  }
  return principal;
}

/** `condition { test, variable, values }` blocks as a policy's Condition. */
function conditionOf(blocks: JsonObject[]): JsonObject | undefined {
  if (blocks.length === 0) return undefined;
  const condition: JsonObject = {};
  for (const block of blocks) {
    const test = String(block.test);
    const operator = isObject(condition[test]) ? (condition[test] as JsonObject) : (condition[test] = {});
    operator[String(block.variable)] = block.values ?? null;
  }
  return condition;
}

/**
 * The policy an `aws_iam_policy_document` data source renders, read from its
 * statement blocks the way Terraform writes it, so hand-written Terraform
 * that builds policies this way is judged like literal JSON. Documents merged
 * from other documents are left unresolved: the merge happens at plan.
 */
export function statementsOfPolicyDocument(data: TfResource): JsonObject[] | Outcome {
  for (const merged of ["source_policy_documents", "override_policy_documents", "source_json", "override_json"]) {
    if (data.body[merged] !== undefined) return unresolved(`${data.address} merges ${merged}, which is only known at plan`);
  }
  if (typeof data.body.statement === "string") return unresolved(`${data.address} statement is ${data.body.statement}`);
  return blocksOf(data.body.statement).map((block) => {
    const statement: JsonObject = { Effect: typeof block.effect === "string" ? block.effect : "Allow" };
    if (typeof block.sid === "string") statement.Sid = block.sid;
    const pairs: Array<[string, Json | undefined]> = [
      ["Action", block.actions],
      ["NotAction", block.not_actions],
      ["Resource", block.resources],
      ["NotResource", block.not_resources],
      ["Principal", principalOf(blocksOf(block.principals))],
      ["NotPrincipal", principalOf(blocksOf(block.not_principals))],
      ["Condition", conditionOf(blocksOf(block.condition))],
    ];
    for (const [key, value] of pairs) if (value !== undefined) statement[key] = value;
    return statement;
  });
}
