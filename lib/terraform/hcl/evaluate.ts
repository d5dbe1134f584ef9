import { Node, TemplatePart } from "./ast";
import { callFunction } from "./functions";
import { HclSyntaxError, parseTemplate } from "./parse";
import { EvalError, firstUnknown, hclSource, isUnknown, isValueObject, toText, typeOf, Unknown, Value, ValueObject } from "./value";

/** One step of a traversal after its root name: `.name` or `[key]`. */
export type Step = { readonly attr: string } | { readonly index: Value };

/**
 * Where names come from: `var`, `local`, `module`, resources, `each`,
 * `count`, `path`. `traverse` returns the value the root name and as many
 * leading steps as it understands stand for, and how many steps it used.
 */
export interface Scope {
  traverse(root: string, steps: readonly Step[]): { readonly value: Value; readonly used: number };
  /**
   * The text of a file `file()` and `templatefile()` read, relative to the root module's folder as
   * Terraform resolves it; unknown, with the reason, when it cannot be read or lies outside the
   * folders checked. Without it those functions stay unknown (a variables file, a lone document).
   */
  readFile?(file: string): string | Unknown;
  /** Set in the scope of a template templatefile renders, where Terraform refuses templatefile itself. */
  readonly inTemplate?: boolean;
}

type Vars = ReadonlyMap<string, Value> | undefined;

/** Evaluates an expression; unknown operands make the result unknown, errors throw EvalError. */
export function evaluate(node: Node, scope: Scope, vars?: Vars): Value {
  switch (node.k) {
    case "lit":
      return node.v;
    case "tmpl":
      return evaluateTemplate(node.parts, scope, vars);
    case "paren": {
      const x = evaluate(node.x, scope, vars);
      return isUnknown(x) ? new Unknown(`(${x.expr})`, x.reason) : x;
    }
    case "name":
    case "attr":
    case "index":
      return traversal(node, scope, vars);
    case "splat":
      return splat(node, scope, vars);
    case "tuple":
      return node.items.map((item) => evaluate(item, scope, vars));
    case "object": {
      const out: ValueObject = {};
      for (const item of node.items) {
        const key = evaluate(item.key, scope, vars);
        const value = evaluate(item.value, scope, vars);
        if (isUnknown(key)) return new Unknown(`{${node.items.map(() => "...").join(", ")}}`, `an object key is unknown: ${key.reason}`);
        out[toText(key, "an object key")] = value;
      }
      return out;
    }
    case "for":
      return forExpression(node, scope, vars);
    case "cond": {
      const c = evaluate(node.c, scope, vars);
      if (isUnknown(c))
        return new Unknown(
          `${c.expr} ? ${hclSource(evaluateSafely(node.t, scope, vars))} : ${hclSource(evaluateSafely(node.f, scope, vars))}`,
          c.reason,
        );
      return evaluate(truthy(c, "the condition") ? node.t : node.f, scope, vars);
    }
    case "unary": {
      const x = evaluate(node.x, scope, vars);
      if (isUnknown(x)) return new Unknown(`${node.op}${x.expr}`, x.reason);
      if (node.op === "!") return !truthy(x, "the operand of !");
      return -number(x, "the operand of -");
    }
    case "binary":
      return binary(
        node.op,
        evaluate(node.l, scope, vars),
        node.op === "&&" || node.op === "||" ? () => evaluate(node.r, scope, vars) : evaluate(node.r, scope, vars),
      );
    case "call":
      return call(node, scope, vars);
  }
}

/** For the printed form of an unknown conditional: a branch that errors is printed as unknown. */
function evaluateSafely(node: Node, scope: Scope, vars: Vars): Value {
  try {
    return evaluate(node, scope, vars);
  } catch (error) {
    return new Unknown("...", (error as Error).message);
  }
}

/** A template: a string, or the value itself when it is one interpolation alone. */
export function evaluateTemplate(parts: readonly TemplatePart[], scope: Scope, vars: Vars): Value {
  if (parts.length === 1 && typeof parts[0] !== "string" && parts[0].k === "interp") return evaluate(parts[0].x, scope, vars);
  let text = "";
  let unknown: Unknown | undefined;
  for (const part of parts) {
    if (typeof part === "string") {
      text += part.replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
      continue;
    }
    if (part.k === "interp") {
      const v = evaluate(part.x, scope, vars);
      if (isUnknown(v)) {
        unknown ??= v;
        text += v.template ?? "${" + v.expr + "}";
      } else text += escapeText(toText(v, "an interpolated value"));
      continue;
    }
    const v = directive(part, scope, vars);
    if (isUnknown(v)) return v;
    text += escapeText(v);
  }
  if (unknown) return new Unknown(JSON.stringify(text), unknown.reason, text);
  return text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

const escapeText = (s: string) => s.replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");

function directive(part: Exclude<TemplatePart, string | { k: "interp" }>, scope: Scope, vars: Vars): string | Unknown {
  const render = (body: readonly TemplatePart[], v: Vars): string | Unknown => {
    const r = evaluateTemplate(body.length === 1 && typeof body[0] !== "string" && body[0].k === "interp" ? ["", ...body] : body, scope, v);
    return isUnknown(r) ? r : toText(r, "a template");
  };
  if (part.k === "if") {
    const c = evaluate(part.c, scope, vars);
    if (isUnknown(c)) return new Unknown('"%{if ...}"', c.reason);
    return render(truthy(c, "the %{if} condition") ? part.then : part.else, vars);
  }
  const collection = evaluate(part.collection, scope, vars);
  if (isUnknown(collection)) return new Unknown('"%{for ...}"', collection.reason);
  let out = "";
  for (const [key, value] of entries(collection, "the %{for} collection")) {
    const inner = new Map(vars ?? []);
    if (part.keyVar) inner.set(part.keyVar, key);
    inner.set(part.valueVar, value);
    const r = render(part.body, inner);
    if (isUnknown(r)) return r;
    out += r.replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
  }
  return out.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

function traversal(node: Node, scope: Scope, vars: Vars): Value {
  const steps: Step[] = [];
  let root: Node = node;
  for (;;) {
    if (root.k === "attr") steps.push({ attr: root.name });
    else if (root.k === "index") steps.push({ index: evaluate(root.key, scope, vars) });
    else break;
    root = root.obj;
  }
  steps.reverse();
  let value: Value;
  let used = 0;
  if (root.k === "name") {
    if (vars?.has(root.name)) value = vars.get(root.name)!;
    else ({ value, used } = scope.traverse(root.name, steps));
  } else value = evaluate(root, scope, vars);
  for (let i = used; i < steps.length; i++) value = step(value, steps[i]);
  return value;
}

/** Applies `.name` or `[key]` to a value. */
export function step(value: Value, s: Step): Value {
  if (isUnknown(value)) {
    if ("attr" in s) return new Unknown(`${value.expr}.${s.attr}`, value.reason);
    const key = s.index;
    if (isUnknown(key)) return new Unknown(`${value.expr}[${key.expr}]`, key.reason);
    return new Unknown(`${value.expr}[${hclSource(key)}]`, value.reason);
  }
  if ("attr" in s) {
    if (isValueObject(value) && s.attr in value) return value[s.attr];
    throw new EvalError(`${typeOf(value)} has no attribute '${s.attr}'`);
  }
  const key = s.index;
  if (isUnknown(key)) return new Unknown(`${hclSource(value)}[${key.expr}]`, key.reason);
  if (Array.isArray(value)) {
    const i = typeof key === "string" && /^\d+$/.test(key) ? Number(key) : key;
    if (typeof i !== "number" || !Number.isInteger(i)) throw new EvalError(`a list index must be a whole number, not ${typeOf(key)}`);
    if (i < 0 || i >= value.length) throw new EvalError(`index ${i} is out of range for a list of ${value.length}`);
    return value[i];
  }
  if (isValueObject(value)) {
    const k = toText(key, "a map key");
    if (!(k in value)) throw new EvalError(`no element with key ${JSON.stringify(k)}`);
    return value[k];
  }
  throw new EvalError(`cannot index ${typeOf(value)}`);
}

function splat(node: Extract<Node, { k: "splat" }>, scope: Scope, vars: Vars): Value {
  const base = evaluate(node.obj, scope, vars);
  const apply = (v: Value) => {
    let out = v;
    for (const op of node.ops) out = step(out, "attr" in op ? { attr: op.attr } : { index: evaluate(op.index, scope, vars) });
    return out;
  };
  if (isUnknown(base))
    return new Unknown(`${base.expr}[*]${node.ops.map((o) => ("attr" in o ? "." + o.attr : "[...]")).join("")}`, base.reason);
  if (base === null) return [];
  if (Array.isArray(base)) return base.map(apply);
  return [apply(base)];
}

function forExpression(node: Extract<Node, { k: "for" }>, scope: Scope, vars: Vars): Value {
  const collection = evaluate(node.collection, scope, vars);
  if (isUnknown(collection))
    return new Unknown(`${node.object ? "{" : "["}for ... in ${collection.expr} : ...${node.object ? "}" : "]"}`, collection.reason);
  const tuple: Value[] = [];
  const object: ValueObject = {};
  const groups: Record<string, Value[]> = {};
  for (const [key, value] of entries(collection, "a for expression's collection")) {
    const inner = new Map(vars ?? []);
    if (node.keyVar) inner.set(node.keyVar, key);
    inner.set(node.valueVar, value);
    if (node.cond) {
      const c = evaluate(node.cond, scope, inner);
      if (isUnknown(c)) return new Unknown(`[for ... if ${c.expr}]`, c.reason);
      if (!truthy(c, "a for expression's condition")) continue;
    }
    const v = evaluate(node.valueExpr, scope, inner);
    if (!node.object) {
      tuple.push(v);
      continue;
    }
    const k = evaluate(node.keyExpr!, scope, inner);
    if (isUnknown(k)) return new Unknown(`{for ... : ${k.expr} => ...}`, k.reason);
    const name = toText(k, "a for expression's key");
    if (node.group) (groups[name] ??= []).push(v);
    else if (name in object) throw new EvalError(`duplicate key ${JSON.stringify(name)} in a for expression (use ... to group)`);
    else object[name] = v;
  }
  if (!node.object) return tuple;
  return node.group ? groups : object;
}

/** The key-value pairs of a collection: indexes of a list, keys of an object. */
export function entries(collection: Value, what: string): Array<[Value, Value]> {
  if (Array.isArray(collection)) return collection.map((v, i) => [i, v]);
  if (isValueObject(collection))
    return Object.keys(collection)
      .sort()
      .map((k) => [k, collection[k]]);
  throw new EvalError(`${what} must be a list, set or map, not ${typeOf(collection)}`);
}

export function truthy(v: Value, what: string): boolean {
  if (v === true || v === "true") return true;
  if (v === false || v === "false") return false;
  throw new EvalError(`${what} must be a bool, not ${typeOf(v)}`);
}

export function number(v: Value, what: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v.trim())) return Number(v);
  throw new EvalError(`${what} must be a number, not ${typeOf(v)}`);
}

function binary(op: string, l: Value, right: Value | (() => Value)): Value {
  if (op === "&&" || op === "||") {
    if (!isUnknown(l)) {
      const lb = truthy(l, `the left operand of ${op}`);
      if (op === "&&" && !lb) return false;
      if (op === "||" && lb) return true;
    }
    const r = (right as () => Value)();
    if (isUnknown(l) || isUnknown(r)) {
      // `unknown || true` is true, `unknown && false` is false, as in Terraform.
      if (!isUnknown(r) && truthy(r, `the right operand of ${op}`) === (op === "||")) return op === "||";
      const u = isUnknown(l) ? l : (r as Unknown);
      return new Unknown(`${hclSource(l)} ${op} ${hclSource(r)}`, u.reason);
    }
    return truthy(r, `the right operand of ${op}`);
  }
  const r = right as Value;
  if (isUnknown(l) || isUnknown(r)) return new Unknown(`${hclSource(l)} ${op} ${hclSource(r)}`, (isUnknown(l) ? l : (r as Unknown)).reason);
  switch (op) {
    case "==":
      return equal(l, r);
    case "!=":
      return !equal(l, r);
    case "+":
      return number(l, "the left operand of +") + number(r, "the right operand of +");
    case "-":
      return number(l, "the left operand of -") - number(r, "the right operand of -");
    case "*":
      return number(l, "the left operand of *") * number(r, "the right operand of *");
    case "/":
      return number(l, "the left operand of /") / number(r, "the right operand of /");
    case "%":
      return number(l, "the left operand of %") % number(r, "the right operand of %");
    case ">":
      return number(l, "the left operand of >") > number(r, "the right operand of >");
    case ">=":
      return number(l, "the left operand of >=") >= number(r, "the right operand of >=");
    case "<":
      return number(l, "the left operand of <") < number(r, "the right operand of <");
    case "<=":
      return number(l, "the left operand of <=") <= number(r, "the right operand of <=");
  }
  throw new EvalError(`unknown operator ${op}`);
}

/** Terraform's equality: same type and value, deeply (a number and its string are not equal). */
export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => equal(v, b[i]));
  if (isValueObject(a) && isValueObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return false;
}

function call(node: Extract<Node, { k: "call" }>, scope: Scope, vars: Vars): Value {
  const name = node.name;
  if (name === "try" || name === "can") {
    for (const arg of node.args) {
      try {
        const v = evaluate(arg, scope, vars);
        if (name === "can") return isUnknown(v) ? new Unknown(`can(${v.expr})`, v.reason) : true;
        return v;
      } catch (error) {
        if (!(error instanceof EvalError)) throw error;
        if (name === "can") return false;
      }
    }
    if (name === "can") return false;
    throw new EvalError("no argument of try could be evaluated");
  }
  let args = node.args.map((arg) => evaluate(arg, scope, vars));
  if (node.expand) {
    const last = args[args.length - 1];
    if (isUnknown(last)) return new Unknown(`${name}(...)`, last.reason);
    if (!Array.isArray(last)) throw new EvalError(`the expanded argument of ${name} must be a list`);
    args = [...args.slice(0, -1), ...last];
  }
  const print = () => `${name}(${args.map(hclSource).join(", ")})`;
  if ((name === "file" || name === "templatefile") && scope.readFile) return readingFunction(name, args, scope, print);
  return callFunction(name, args, print);
}

/**
 * `file(path)` and `templatefile(path, vars)`, as Terraform evaluates them at plan: the file's text, or the
 * template rendered with only the variables given (a template sees no var., local. or resources).
 */
function readingFunction(name: "file" | "templatefile", args: Value[], scope: Scope, print: () => string): Value {
  if (name === "templatefile" && scope.inTemplate)
    throw new EvalError("templatefile cannot be called from inside a template templatefile renders");
  if (args.length !== (name === "file" ? 1 : 2))
    throw new EvalError(`${name} takes ${name === "file" ? 1 : 2} arguments, not ${args.length}`);
  const [file, variables] = args;
  if (isUnknown(file)) return new Unknown(print(), file.reason);
  const text = scope.readFile!(toText(file, `the path given to ${name}`));
  if (isUnknown(text) || name === "file") return isUnknown(text) ? new Unknown(print(), text.reason) : text;
  if (isUnknown(variables)) return new Unknown(print(), variables.reason);
  if (!isValueObject(variables)) throw new EvalError(`the variables of templatefile must be an object, not ${typeOf(variables)}`);
  let parts: TemplatePart[];
  try {
    parts = parseTemplate(text);
  } catch (error) {
    if (!(error instanceof HclSyntaxError)) throw error;
    throw new EvalError(`the template ${toText(file, "a path")} cannot be parsed: ${error.message}`);
  }
  const only: Scope = {
    traverse(root) {
      throw new EvalError(
        `the template ${toText(file, "a path")} refers to ${root}, which is not among the variables templatefile gives it`,
      );
    },
    // Terraform lets a template read files, but not call templatefile again.
    readFile: (path) => scope.readFile!(path),
    inTemplate: true,
  };
  const rendered = evaluateTemplate(["", ...parts], only, new Map(Object.entries(variables)));
  return isUnknown(rendered) ? new Unknown(print(), rendered.reason) : toText(rendered, "a rendered template");
}

/** Whether a value holds no unknown anywhere. */
export const wholly = (v: Value): boolean => firstUnknown(v) === undefined;
