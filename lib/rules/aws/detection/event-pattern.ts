import { Outcome, unresolved } from "../../../compliance/rule";
import { isObject, Json, TfModule, TfResource } from "../../../terraform/model";
import { describe, documentAt, valueAt } from "../../helpers";

/*
 * EventBridge event patterns, matched the way EventBridge matches them
 * (EventBridge user guide, "Event patterns" and "Content filtering"): every
 * field of the pattern must match the event; a list matches when one of its
 * items does; an object descends into the event's field; `$or` holds when
 * one branch does. Content filters the engine does not know give "unknown".
 */

export type Match = "yes" | "no" | "unknown";

/** A pattern's JSON, undefined when the rule has none (a scheduled rule), or why it cannot be read. */
export function readEventPattern(rule: TfResource): Json | Outcome | undefined {
  const pattern = documentAt(rule, "event_pattern");
  if (pattern.state === "absent") return undefined;
  if (pattern.state !== "known") return unresolved(`${rule.address} event_pattern is ${describe(pattern)}`);
  if (typeof pattern.value !== "string") return pattern.value;
  try {
    return JSON.parse(pattern.value) as Json;
  } catch {
    return unresolved(`${rule.address} event_pattern is not JSON the engine can read (a function call, an interpolation or malformed)`);
  }
}

const hasInterpolation = (value: Json) => typeof value === "string" && value.includes("${");

function itemMatches(item: Json, value: Json | undefined): Match {
  if (typeof item === "string" || typeof item === "number" || typeof item === "boolean" || item === null) {
    if (hasInterpolation(item)) return "unknown";
    return value !== undefined && value === item ? "yes" : "no";
  }
  if (!isObject(item)) return "unknown";
  const [filter, argument] = Object.entries(item)[0] ?? [];
  if (filter === "exists") return (value !== undefined) === (argument === true) ? "yes" : "no";
  if (filter === "numeric") return numericMatches(argument, value);
  if (typeof value !== "string") return value === undefined ? "no" : "unknown";
  if (filter === "prefix" && typeof argument === "string")
    return hasInterpolation(argument) ? "unknown" : value.startsWith(argument) ? "yes" : "no";
  if (filter === "suffix" && typeof argument === "string")
    return hasInterpolation(argument) ? "unknown" : value.endsWith(argument) ? "yes" : "no";
  if (filter === "equals-ignore-case" && typeof argument === "string") return value.toLowerCase() === argument.toLowerCase() ? "yes" : "no";
  if (filter === "anything-but") {
    const excluded = Array.isArray(argument) ? argument : [argument];
    if (!excluded.every((e) => typeof e === "string" && !hasInterpolation(e))) return "unknown";
    return excluded.includes(value) ? "no" : "yes";
  }
  return "unknown";
}

/** `{"numeric": [">=", 7, "<", 9]}`: every comparison holds for a number. */
function numericMatches(argument: Json | undefined, value: Json | undefined): Match {
  if (typeof value !== "number") return value === undefined ? "no" : "unknown";
  if (!Array.isArray(argument) || argument.length % 2 !== 0) return "unknown";
  for (let i = 0; i < argument.length; i += 2) {
    const [op, bound] = [argument[i], argument[i + 1]];
    if (typeof bound !== "number") return "unknown";
    const holds =
      op === ">"
        ? value > bound
        : op === ">="
          ? value >= bound
          : op === "<"
            ? value < bound
            : op === "<="
              ? value <= bound
              : op === "="
                ? value === bound
                : undefined;
    if (holds === undefined) return "unknown";
    if (!holds) return "no";
  }
  return "yes";
}

/**
 * Whether the pattern matches an event: "yes", "no" or "unknown". Fields the
 * event does not carry but the pattern names under `narrowable` (such as
 * `detail.requestParameters`, the resources a call names) count as matching:
 * the pattern then watches some resources, which `narrowed` collects.
 */
export function patternMatches(pattern: Json, event: Json, narrowable: readonly string[] = [], path = "", narrowed: string[] = []): Match {
  if (!isObject(pattern)) return "unknown";
  let verdict: Match = "yes";
  const fold = (m: Match) => {
    if (m === "no") verdict = "no";
    else if (m === "unknown" && verdict === "yes") verdict = "unknown";
  };
  for (const [field, expected] of Object.entries(pattern)) {
    if ((verdict as Match) === "no") break;
    if (field === "$or") {
      if (!Array.isArray(expected)) return "unknown";
      const branches = expected.map((b) => patternMatches(b, event, narrowable, path, narrowed));
      fold(branches.includes("yes") ? "yes" : branches.includes("unknown") ? "unknown" : "no");
      continue;
    }
    const at = path ? `${path}.${field}` : field;
    const value = isObject(event) ? event[field] : undefined;
    if (value === undefined && narrowable.some((n) => at === n || at.startsWith(`${n}.`))) {
      narrowed.push(at);
      continue;
    }
    if (Array.isArray(expected)) {
      const items = expected.map((item) => itemMatches(item, value));
      fold(items.includes("yes") ? "yes" : items.includes("unknown") ? "unknown" : "no");
    } else if (isObject(expected)) {
      fold(
        value === undefined
          ? narrowable.some((n) => n.startsWith(`${at}.`))
            ? patternMatches(expected, {}, narrowable, at, narrowed)
            : "no"
          : patternMatches(expected, value, narrowable, at, narrowed),
      );
    } else {
      fold("unknown");
    }
  }
  return verdict;
}

/** Why an event rule delivers nothing (another bus than default, disabled), undefined when it delivers, or an unresolved outcome. */
export function ruleInactive(rule: TfResource): string | Outcome | undefined {
  const bus = valueAt(rule, "event_bus_name");
  if (bus.state === "unknown" || bus.state === "reference") return unresolved(`${rule.address} event_bus_name is ${describe(bus)}`);
  if (bus.state === "known" && !/^(default|arn:aws[\w-]*:events:[\w-]+:\d{12}:event-bus\/default)$/.test(String(bus.value))) {
    return `listens on the event bus ${describe(bus)}, but AWS services publish to the default bus`;
  }
  for (const key of ["state", "is_enabled"]) {
    const value = valueAt(rule, key);
    if (value.state === "unknown" || value.state === "reference") return unresolved(`${rule.address} ${key} is ${describe(value)}`);
    if (value.state === "known" && (String(value.value).toUpperCase() === "DISABLED" || value.value === false || value.value === "false"))
      return `is disabled (${key} is ${describe(value)})`;
  }
  return undefined;
}

/** The event rules a target's `rule` names: by a `.name` or `.id` reference, or by literal name; an outcome when unknown. */
export function targetRules(module: TfModule, target: TfResource): TfResource[] | Outcome {
  const value = valueAt(target, "rule");
  if (
    value.state === "reference" &&
    value.target.type === "aws_cloudwatch_event_rule" &&
    (value.attribute === "name" || value.attribute === "id")
  )
    return [value.target];
  if (value.state === "known" && typeof value.value === "string") {
    return module.ofType("aws_cloudwatch_event_rule").filter((r) => {
      const name = valueAt(r, "name");
      return name.state === "known" && name.value === value.value;
    });
  }
  if (value.state === "reference" || value.state === "absent") return [];
  return unresolved(`${target.address} rule is ${describe(value)}`);
}
