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
 * that builds policies this way is judged like literal JSON. Merged documents
 * are read as the provider merges them (its documentation of
 * source_policy_documents and override_policy_documents): the source
 * documents' statements first, then the document's own statements and then
 * each override document's, each replacing an earlier statement with the same
 * non-empty Sid and otherwise added. A merged document that is not known
 * before apply leaves the whole policy unresolved.
 */
export function statementsOfPolicyDocument(data: TfResource, reading: ReadonlySet<TfResource> = new Set()): JsonObject[] | Outcome {
  if (reading.has(data)) return unresolved(`${data.address} merges itself`);
  const inner = new Set([...reading, data]);
  const sources = mergedDocuments(data, ["source_json", "source_policy_documents"], inner);
  if (!Array.isArray(sources)) return sources;
  const own = ownStatements(data);
  if (!Array.isArray(own)) return own;
  const overrides = mergedDocuments(data, ["override_policy_documents", "override_json"], inner);
  if (!Array.isArray(overrides)) return overrides;
  const merged = sources.flat();
  for (const statement of [...own, ...overrides.flat()]) {
    const at = typeof statement.Sid === "string" && statement.Sid !== "" ? merged.findIndex((s) => s.Sid === statement.Sid) : -1;
    if (at >= 0) merged[at] = statement;
    else merged.push(statement);
  }
  return merged;
}

/** The statements of each document a merge argument names, in order, or why one cannot be read. */
function mergedDocuments(data: TfResource, keys: readonly string[], reading: ReadonlySet<TfResource>): JsonObject[][] | Outcome {
  const documents: JsonObject[][] = [];
  for (const key of keys) {
    const raw = data.body[key];
    if (raw === undefined || raw === null) continue;
    const items = key.endsWith("_json") ? [raw] : raw;
    if (!Array.isArray(items)) return unresolved(`${data.address} ${key} is ${JSON.stringify(raw)}, which is not known before apply`);
    for (const item of items) {
      const read = documentStatements(data, key, item, reading);
      if (!Array.isArray(read)) return read;
      documents.push(read);
    }
  }
  return documents;
}

/** One merged document: another aws_iam_policy_document of the module, or literal policy JSON. */
function documentStatements(data: TfResource, key: string, item: Json, reading: ReadonlySet<TfResource>): JsonObject[] | Outcome {
  if (item === "" || item === null) return [];
  if (typeof item !== "string") return unresolved(`${data.address} ${key} holds ${JSON.stringify(item)}, not a policy document`);
  const match = DATA_DOCUMENT.exec(item);
  if (match) {
    const other = data.module.get(`data.aws_iam_policy_document.${match[1]}`);
    return other
      ? statementsOfPolicyDocument(other, reading)
      : unresolved(`${data.address} ${key} holds ${item}, which is not a document of this configuration`);
  }
  if (item.includes("${")) return unresolved(`${data.address} ${key} holds ${item}, which is not known before apply`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(item);
  } catch {
    // Malformed JSON fails closed: the policy is not read as allowing nothing.
    return unresolved(`${data.address} ${key} holds a document that is not valid JSON`);
  }
  const statements = isObject(parsed as Json) ? (parsed as JsonObject).Statement : undefined;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  if (!list.every((s) => isObject(s)))
    return unresolved(`${data.address} ${key} holds a document whose Statement is not a list of statements`);
  return list as JsonObject[];
}

/** The document's own statement blocks as policy statements. */
function ownStatements(data: TfResource): JsonObject[] | Outcome {
  if (typeof data.body.statement === "string") return unresolved(`${data.address} statement is ${data.body.statement}`);
  return blocksOf(data.body.statement).map((block) => {
    const statement: JsonObject = { Effect: typeof block.effect === "string" ? block.effect : "Allow" };
    if (typeof block.sid === "string" && block.sid !== "") statement.Sid = block.sid;
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
