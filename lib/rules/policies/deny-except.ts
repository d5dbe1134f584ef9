import { isObject, Json } from "../../terraform/model";
import { stringList } from "../helpers";
import { exactness } from "./public-access";
import { LocatedStatement } from "./statements";

/** Condition operators and keys by which a deny spares named principals only. */
const SPARING_OPERATORS = ["arnnotequals", "arnnotlike", "stringnotequals", "stringnotlike"];

/**
 * Whether a Deny of everyone spares only named principals: no condition (it
 * spares no one), or a single negated match on aws:PrincipalArn whose values
 * are exact ARNs. `what` names the denied requests in messages ("pushes").
 */
export function sparedByDeny(located: LocatedStatement, what: string): { kind: "nobody" | "named" | "open" | "unknown"; why: string } {
  const { statement, source } = located;
  const condition: Json | undefined = statement.Condition;
  if (condition === undefined) return { kind: "nobody", why: `denies ${what} by everyone` };
  if (!isObject(condition)) return { kind: "unknown", why: "its Condition is not an object the engine can read" };
  const entries = Object.entries(condition);
  if (entries.length !== 1 || !SPARING_OPERATORS.includes(entries[0][0].toLowerCase())) {
    return { kind: "open", why: `its Condition (${Object.keys(condition).join(", ")}) is not a single negated match on aws:PrincipalArn` };
  }
  const keys = entries[0][1];
  if (!isObject(keys) || Object.keys(keys).length !== 1 || Object.keys(keys)[0].toLowerCase() !== "aws:principalarn") {
    return {
      kind: "open",
      why: `its ${entries[0][0]} condition tests ${isObject(keys) ? Object.keys(keys).join(", ") : "something"} rather than aws:PrincipalArn alone`,
    };
  }
  const values = stringList(Object.values(keys)[0]);
  if (values.length === 0) return { kind: "open", why: "its aws:PrincipalArn condition names no principal" };
  for (const value of values) {
    const exact = exactness(source, value);
    if (exact === "wildcard")
      return { kind: "open", why: `it spares aws:PrincipalArn ${value}, a pattern that matches more than one principal` };
    if (exact === "unknown") return { kind: "unknown", why: `it spares aws:PrincipalArn ${value}, which is not known before apply` };
  }
  return { kind: "named", why: `denies ${what} by everyone but ${values.join(", ")}` };
}
