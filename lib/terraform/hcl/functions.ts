import { createHash } from "node:crypto";
import { cidrHost, cidrNetmask, cidrSubnet } from "./cidr";
import { EvalError, firstUnknown, isUnknown, isValueObject, toText, typeOf, Unknown, Value, ValueObject } from "./value";

type Impl = (args: Value[]) => Value;

/**
 * Functions that read the structure of their arguments and so give a known
 * result even where a leaf is unknown (`length([aws_instance.a.id])` is 1,
 * `merge({a = 1}, {b = var.x})` has the keys a and b). The others need every
 * argument wholly known.
 */
const STRUCTURAL = new Set([
  "merge",
  "concat",
  "lookup",
  "element",
  "length",
  "tolist",
  "toset",
  "tomap",
  "jsonencode",
  "coalescelist",
  "flatten",
  "keys",
  "values",
  "compact",
  "distinct",
  "one",
  "slice",
  "reverse",
  "zipmap",
  "contains",
  "index",
]);

/** Functions whose result depends on when or where they run: never evaluated. */
const NOT_EVALUATED = new Set([
  "timestamp",
  "uuid",
  "uuidv5",
  "bcrypt",
  "file",
  "filebase64",
  "fileexists",
  "fileset",
  "templatefile",
  "filemd5",
  "filesha256",
  "filesha1",
  "filesha512",
  "abspath",
  "plantimestamp",
  "pathexpand",
]);

/** Calls a Terraform function; `print` gives the call as HCL for an unknown result. */
export function callFunction(name: string, args: Value[], print: () => string): Value {
  const impl = FUNCTIONS[name];
  if (!impl || NOT_EVALUATED.has(name)) return new Unknown(print(), `the function ${name} is not evaluated before apply`);
  if (name === "coalesce") return impl(args);
  if (STRUCTURAL.has(name)) {
    const top = args.find(isUnknown);
    if (top) return new Unknown(print(), top.reason);
  } else {
    const u = args.map(firstUnknown).find((x) => x !== undefined);
    if (u) return new Unknown(print(), u.reason);
  }
  return impl(args);
}

const str = (v: Value, what: string) => toText(v, what);
const list = (v: Value, what: string): Value[] => {
  if (Array.isArray(v)) return v;
  throw new EvalError(`${what} must be a list, not ${typeOf(v)}`);
};
const map = (v: Value, what: string): ValueObject => {
  if (isValueObject(v)) return v;
  throw new EvalError(`${what} must be a map or object, not ${typeOf(v)}`);
};
const num = (v: Value, what: string): number => {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && !isNaN(Number(v))) return Number(v);
  throw new EvalError(`${what} must be a number, not ${typeOf(v)}`);
};
function arity(name: string, args: Value[], min: number, max = min): void {
  if (args.length < min || args.length > max)
    throw new EvalError(`${name} takes ${min === max ? min : `${min} to ${max}`} arguments, not ${args.length}`);
}
const key = (v: Value) => JSON.stringify(v instanceof Unknown ? v.text : v);
function dedupe(items: Value[]): Value[] {
  const seen = new Set<string>();
  return items.filter((v) => !seen.has(key(v)) && (seen.add(key(v)), true));
}

/** JSON text of a value; unknown leaves are written as the Terraform string that stands for them. */
export function jsonText(v: Value): string {
  return JSON.stringify(v, (_k, x: Value) => (x instanceof Unknown ? x.text : x));
}

/** Terraform's `format` verbs: %s %d %f %q %v %t %%, with width and precision. */
function format(spec: string, args: Value[]): string {
  let i = 0;
  return spec.replace(
    /%([-0]*)(\d+)?(?:\.(\d+))?([sdfqvtxXbeo%])/g,
    (_m, flags: string, width: string | undefined, precision: string | undefined, verb: string) => {
      const left = flags.includes("-");
      if (verb === "%") return "%";
      if (i >= args.length) throw new EvalError(`format: not enough arguments for ${JSON.stringify(spec)}`);
      const v = args[i++];
      let out: string;
      switch (verb) {
        case "d":
          out = String(Math.trunc(num(v, "a %d argument")));
          break;
        case "f":
          out = num(v, "a %f argument").toFixed(precision === undefined ? 6 : Number(precision));
          break;
        case "q":
          out = JSON.stringify(str(v, "a %q argument"));
          break;
        case "t":
          out = String(v === true || v === "true");
          break;
        case "x":
          out = Math.trunc(num(v, "a %x argument")).toString(16);
          break;
        case "X":
          out = Math.trunc(num(v, "a %X argument")).toString(16).toUpperCase();
          break;
        case "b":
          out = Math.trunc(num(v, "a %b argument")).toString(2);
          break;
        case "o":
          out = Math.trunc(num(v, "a %o argument")).toString(8);
          break;
        case "v":
          out = typeof v === "string" ? v : jsonText(v);
          break;
        default:
          out = str(v, "a %s argument");
          if (precision !== undefined) out = out.slice(0, Number(precision));
      }
      if (width && out.length < Number(width))
        out = left ? out.padEnd(Number(width)) : out.padStart(Number(width), flags.includes("0") && /[dfxXbo]/.test(verb) ? "0" : " ");
      return out;
    },
  );
}

function flatten(items: Value[]): Value[] {
  return items.flatMap((v) => (Array.isArray(v) ? flatten(v) : [v]));
}

const stringsOf = (v: Value, what: string) => list(v, what).map((x) => str(x, `an element of ${what}`));
const sortedSet = (items: Value[]): Value[] => {
  const out = dedupe(items);
  // Terraform orders a set of strings lexically; other element types keep their order here.
  return out.every((x) => typeof x === "string") ? (out as string[]).sort() : out;
};

/**
 * A Terraform (RE2) pattern as a JavaScript regular expression: named groups
 * are written `(?P<name>...)` there. A pattern neither reads is not known.
 */
function re2(pattern: string, flags: string, fn: string): RegExp {
  try {
    return new RegExp(pattern.replace(/\(\?P</g, "(?<"), flags);
  } catch {
    throw new EvalError(`${fn}: the pattern ${JSON.stringify(pattern)} is not a regular expression this engine reads`);
  }
}

const FUNCTIONS: Record<string, Impl> = {
  jsonencode: (a) => (arity("jsonencode", a, 1), jsonText(a[0])),
  jsondecode: (a) => {
    arity("jsondecode", a, 1);
    try {
      return JSON.parse(str(a[0], "jsondecode's argument")) as Value;
    } catch (error) {
      throw new EvalError(`jsondecode: ${(error as Error).message}`);
    }
  },
  merge: (a) => {
    const out: ValueObject = {};
    for (const m of a) if (m !== null) Object.assign(out, map(m, "an argument of merge"));
    return out;
  },
  concat: (a) => a.flatMap((l) => list(l, "an argument of concat")),
  lookup: (a) => {
    arity("lookup", a, 2, 3);
    if (isUnknown(a[1])) return new Unknown("lookup(...)", a[1].reason);
    const m = map(a[0], "lookup's map");
    const k = str(a[1], "lookup's key");
    if (k in m) return m[k];
    if (a.length === 3) return a[2];
    throw new EvalError(`lookup: no key ${JSON.stringify(k)} and no default`);
  },
  coalesce: (a) => {
    for (const v of a) {
      if (isUnknown(v)) return v;
      if (v !== null && v !== "") return v;
    }
    throw new EvalError("coalesce: every argument is null or empty");
  },
  coalescelist: (a) => {
    for (const v of a) if (list(v, "an argument of coalescelist").length > 0) return v;
    throw new EvalError("coalescelist: every list is empty");
  },
  format: (a) => format(str(a[0], "format's spec"), a.slice(1)),
  formatlist: (a) => {
    const spec = str(a[0], "formatlist's spec");
    const lists = a.slice(1);
    const n = Math.max(0, ...lists.filter(Array.isArray).map((l) => (l as Value[]).length));
    return Array.from({ length: n }, (_, i) =>
      format(
        spec,
        lists.map((l) => (Array.isArray(l) ? l[i] : l)),
      ),
    );
  },
  length: (a) => {
    arity("length", a, 1);
    const v = a[0];
    if (typeof v === "string") return [...v].length;
    if (Array.isArray(v)) return v.length;
    if (isValueObject(v)) return Object.keys(v).length;
    throw new EvalError(`length of ${typeOf(v)}`);
  },
  toset: (a) => (arity("toset", a, 1), sortedSet(list(a[0], "toset's argument"))),
  tolist: (a) => (arity("tolist", a, 1), list(a[0], "tolist's argument")),
  tomap: (a) => (arity("tomap", a, 1), map(a[0], "tomap's argument")),
  tostring: (a) => (a[0] === null ? null : str(a[0], "tostring's argument")),
  tonumber: (a) => (a[0] === null ? null : num(a[0], "tonumber's argument")),
  tobool: (a) => {
    if (a[0] === null || typeof a[0] === "boolean") return a[0];
    if (a[0] === "true" || a[0] === "false") return a[0] === "true";
    throw new EvalError(`tobool of ${typeOf(a[0])}`);
  },
  element: (a) => {
    arity("element", a, 2);
    const l = list(a[0], "element's list");
    if (l.length === 0) throw new EvalError("element of an empty list");
    const i = Math.trunc(num(a[1], "element's index"));
    return l[((i % l.length) + l.length) % l.length];
  },
  cidrsubnet: (a) => (
    arity("cidrsubnet", a, 3),
    cidrSubnet(str(a[0], "cidrsubnet's prefix"), num(a[1], "cidrsubnet's newbits"), num(a[2], "cidrsubnet's netnum"))
  ),
  cidrsubnets: (a) => {
    const prefix = str(a[0], "cidrsubnets' prefix");
    const base = Number(prefix.split("/")[1]);
    let next = 0;
    return a.slice(1).map((b) => {
      const bits = num(b, "a cidrsubnets newbits");
      const size = 2 ** (32 - base - bits);
      const start = Math.ceil(next / size) * size;
      next = start + size;
      return cidrSubnet(prefix, bits, start / size);
    });
  },
  cidrhost: (a) => cidrHost(str(a[0], "cidrhost's prefix"), num(a[1], "cidrhost's hostnum")),
  cidrnetmask: (a) => cidrNetmask(str(a[0], "cidrnetmask's prefix")),
  join: (a) => stringsOf(a[1], "join's list").join(str(a[0], "join's separator")),
  split: (a) => str(a[1], "split's string").split(str(a[0], "split's separator")),
  compact: (a) => list(a[0], "compact's list").filter((v) => v !== null && v !== ""),
  distinct: (a) => dedupe(list(a[0], "distinct's list")),
  flatten: (a) => flatten(list(a[0], "flatten's list")),
  keys: (a) => Object.keys(map(a[0], "keys' map")).sort(),
  values: (a) => {
    const m = map(a[0], "values' map");
    return Object.keys(m)
      .sort()
      .map((k) => m[k]);
  },
  contains: (a) => {
    if (isUnknown(a[1])) return new Unknown("contains(...)", a[1].reason);
    return list(a[0], "contains' list").some((v) => key(v) === key(a[1]));
  },
  index: (a) => {
    const i = list(a[0], "index's list").findIndex((v) => key(v) === key(a[1]));
    if (i < 0) throw new EvalError("index: the value is not in the list");
    return i;
  },
  one: (a) => {
    const l = list(a[0], "one's argument");
    if (l.length > 1) throw new EvalError("one: the list has more than one element");
    return l.length ? l[0] : null;
  },
  slice: (a) => list(a[0], "slice's list").slice(num(a[1], "slice's start"), num(a[2], "slice's end")),
  reverse: (a) => [...list(a[0], "reverse's list")].reverse(),
  sort: (a) => [...stringsOf(a[0], "sort's list")].sort(),
  zipmap: (a) => {
    const ks = stringsOf(a[0], "zipmap's keys");
    const vs = list(a[1], "zipmap's values");
    return Object.fromEntries(ks.map((k, i) => [k, vs[i]]));
  },
  range: (a) => {
    const [start, end, stepBy] =
      a.length === 1
        ? [0, num(a[0], "range's limit"), 1]
        : [num(a[0], "range's start"), num(a[1], "range's limit"), a[2] === undefined ? 1 : num(a[2], "range's step")];
    if (stepBy === 0) throw new EvalError("range: step is zero");
    const out: number[] = [];
    for (let i = start; stepBy > 0 ? i < end : i > end; i += stepBy) {
      out.push(i);
      if (out.length > 1024) throw new EvalError("range: more than 1024 elements");
    }
    return out;
  },
  setunion: (a) => sortedSet(a.flatMap((l) => list(l, "an argument of setunion"))),
  setintersection: (a) =>
    sortedSet(
      list(a[0], "setintersection's first set").filter((v) =>
        a.slice(1).every((l) => list(l, "a setintersection set").some((w) => key(w) === key(v))),
      ),
    ),
  setsubtract: (a) =>
    sortedSet(list(a[0], "setsubtract's first set").filter((v) => !list(a[1], "setsubtract's second set").some((w) => key(w) === key(v)))),
  min: (a) => Math.min(...a.map((v) => num(v, "an argument of min"))),
  max: (a) => Math.max(...a.map((v) => num(v, "an argument of max"))),
  sum: (a) => list(a[0], "sum's list").reduce<number>((s, v) => s + num(v, "an element of sum"), 0),
  abs: (a) => Math.abs(num(a[0], "abs' argument")),
  ceil: (a) => Math.ceil(num(a[0], "ceil's argument")),
  floor: (a) => Math.floor(num(a[0], "floor's argument")),
  parseint: (a) => parseInt(str(a[0], "parseint's string"), num(a[1], "parseint's base")),
  lower: (a) => str(a[0], "lower's argument").toLowerCase(),
  upper: (a) => str(a[0], "upper's argument").toUpperCase(),
  title: (a) => str(a[0], "title's argument").replace(/\b\w/g, (c) => c.toUpperCase()),
  trimspace: (a) => str(a[0], "trimspace's argument").trim(),
  trim: (a) => {
    const chars = [...str(a[1], "trim's characters")];
    let s = str(a[0], "trim's string");
    while (s && chars.includes(s[0])) s = s.slice(1);
    while (s && chars.includes(s[s.length - 1])) s = s.slice(0, -1);
    return s;
  },
  trimprefix: (a) => {
    const s = str(a[0], "trimprefix's string");
    const p = str(a[1], "trimprefix's prefix");
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  trimsuffix: (a) => {
    const s = str(a[0], "trimsuffix's string");
    const p = str(a[1], "trimsuffix's suffix");
    return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
  startswith: (a) => str(a[0], "startswith' string").startsWith(str(a[1], "startswith' prefix")),
  endswith: (a) => str(a[0], "endswith' string").endsWith(str(a[1], "endswith' suffix")),
  strcontains: (a) => str(a[0], "strcontains' string").includes(str(a[1], "strcontains' substring")),
  substr: (a) => {
    const chars = [...str(a[0], "substr's string")];
    const offset = num(a[1], "substr's offset");
    const length = num(a[2], "substr's length");
    const start = offset < 0 ? chars.length + offset : offset;
    return chars.slice(start, length < 0 ? undefined : start + length).join("");
  },
  replace: (a) => {
    const s = str(a[0], "replace's string");
    const search = str(a[1], "replace's search");
    const by = str(a[2], "replace's replacement");
    const regex = /^\/(.*)\/$/.exec(search);
    return regex ? s.replace(new RegExp(regex[1], "g"), by.replace(/\$\{(\w+)\}/g, "$$<$1>")) : s.split(search).join(by);
  },
  regex: (a) => {
    const m = re2(str(a[0], "regex's pattern"), "", "regex").exec(str(a[1], "regex's string"));
    if (!m) throw new EvalError("regex: no match");
    if (m.groups) return { ...m.groups };
    return m.length > 1 ? m.slice(1) : m[0];
  },
  // Every match, each as regex gives one; terraform-aws-modules/vpc uses it to tell zone names from zone ids.
  regexall: (a) => {
    const pattern = re2(str(a[0], "regexall's pattern"), "g", "regexall");
    const matches: Value[] = [];
    for (const m of str(a[1], "regexall's string").matchAll(pattern)) {
      // A group that took no part in the match is null, as Terraform gives it.
      matches.push(
        m.groups
          ? Object.fromEntries(Object.entries(m.groups).map(([k, v]) => [k, v ?? null]))
          : m.length > 1
            ? m.slice(1).map((g) => g ?? null)
            : m[0],
      );
    }
    return matches;
  },
  basename: (a) => str(a[0], "basename's path").replace(/\/+$/, "").split("/").pop() ?? "",
  dirname: (a) => {
    const parts = str(a[0], "dirname's path").replace(/\/+$/, "").split("/");
    return parts.length > 1 ? parts.slice(0, -1).join("/") || "/" : ".";
  },
  strrev: (a) => [...str(a[0], "strrev's argument")].reverse().join(""),
  chunklist: (a) => {
    const l = list(a[0], "chunklist's list");
    const size = num(a[1], "chunklist's size");
    if (size <= 0) return [l];
    const out: Value[] = [];
    for (let i = 0; i < l.length; i += size) out.push(l.slice(i, i + size));
    return out;
  },
  alltrue: (a) => list(a[0], "alltrue's list").every((v) => v === true || v === "true"),
  anytrue: (a) => list(a[0], "anytrue's list").some((v) => v === true || v === "true"),
  base64encode: (a) => Buffer.from(str(a[0], "base64encode's argument"), "utf8").toString("base64"),
  base64decode: (a) => Buffer.from(str(a[0], "base64decode's argument"), "base64").toString("utf8"),
  md5: (a) => createHash("md5").update(str(a[0], "md5's argument")).digest("hex"),
  sha1: (a) => createHash("sha1").update(str(a[0], "sha1's argument")).digest("hex"),
  sha256: (a) => createHash("sha256").update(str(a[0], "sha256's argument")).digest("hex"),
  urlencode: (a) => encodeURIComponent(str(a[0], "urlencode's argument")),
  setproduct: (a) => {
    let out: Value[][] = [[]];
    for (const l of a) out = out.flatMap((prefix) => list(l, "a setproduct set").map((v) => [...prefix, v]));
    return out;
  },
  transpose: (a) => {
    const m = map(a[0], "transpose's map");
    const out: Record<string, string[]> = {};
    for (const k of Object.keys(m)) for (const v of stringsOf(m[k], "a transpose list")) (out[v] ??= []).push(k);
    return out;
  },
};

/** The functions the evaluator knows, for the README and tests. */
export const EVALUATED_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS)
  .filter((n) => !NOT_EVALUATED.has(n))
  .sort();
