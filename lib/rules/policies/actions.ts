import { TfResource } from "../../terraform/model";
import { isWholeInterpolation } from "../../terraform/values";
import { PolicyStatementJson, resolve, stringList } from "../helpers";

/** IAM action matching: case-insensitive, `*` for any run of characters and `?` for one. */
export function actionMatches(pattern: string, action: string): boolean {
  let regex = ACTION_PATTERNS.get(pattern);
  if (!regex) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    ACTION_PATTERNS.set(pattern, (regex = new RegExp(`^${source}$`, "i")));
  }
  return regex.test(action);
}

/** Compiled action patterns: policies repeat the same few, and rules match them many times. */
const ACTION_PATTERNS = new Map<string, RegExp>();

/** A policy field's strings with whole interpolations resolved; undefined when one is not known before apply. */
export function knownStrings(resource: TfResource, value: PolicyStatementJson["Action"]): string[] | undefined {
  const out: string[] = [];
  for (const text of stringList(value)) {
    if (!isWholeInterpolation(text)) {
      out.push(text);
      continue;
    }
    const resolved = resolve(resource, text);
    if (resolved.state !== "known") return undefined;
    out.push(...stringList(resolved.value));
  }
  return out;
}

/** Whether a statement's Action (or NotAction) covers `action`; "unknown" when its actions are not known before apply. */
export function coversAction(resource: TfResource, statement: PolicyStatementJson, action: string): boolean | "unknown" {
  const negated = statement.Action === undefined && statement.NotAction !== undefined;
  const patterns = knownStrings(resource, negated ? statement.NotAction : statement.Action);
  if (!patterns) return "unknown";
  const listed = patterns.some((p) => actionMatches(p, action));
  return negated ? !listed : listed;
}
