import { readFileSync, realpathSync } from "node:fs";
import * as path from "node:path";
import { Declared, ModuleCall, ModuleConfig } from "./config";
import { evaluateTemplate, entries, Scope, Step } from "./hcl/evaluate";
import { HclSyntaxError, parseTemplate } from "./hcl/parse";
import { EvalError, hclSource, isUnknown, isValueObject, Unknown, Value, ValueObject } from "./hcl/value";
import { TemplatePart } from "./hcl/ast";
import { isObject, Json, JsonObject, TfModule } from "./model";

/** Reads the module a local source names; undefined with a reason when it cannot. */
export type ModuleReader = (dir: string) => ModuleConfig | string;

/** What one instance of a resource or module call is: its address suffix and iteration values. */
interface Iteration {
  readonly suffix: string;
  readonly count?: Value;
  readonly each?: { readonly key: Value; readonly value: Value };
}

type Expansion = { readonly kind: "single" | "count" | "each" | "unknown"; readonly items: readonly Iteration[]; readonly reason?: string };

const MAX_DEPTH = 16;
const SINGLE: Expansion = { kind: "single", items: [{ suffix: "" }] };
/**
 * `${aws_s3_bucket.b.id}` and the like: a plain reference, most of what synthesized JSON holds. The first group is
 * the address as written (`aws_s3_bucket.b`, `data.x.y`), looked up as it is: building it again from its parts
 * made a new string to hash for each of the module's references, a fifth of loading at 50,000 resources.
 */
const SIMPLE_REFERENCE = /^\$\{((data\.)?([A-Za-z][\w-]*)\.[\w-]+)(?:\.[\w-]+|\[\d+\])*\}$/;
/** Every `${...}` of a template, for the check that they are all plain references (see plainReferencesOnly). */
const INTERPOLATIONS = /\$\{([^{}]*)\}/g;
const REFERENCE_INSIDE = /^((data\.)?([A-Za-z][\w-]*)\.[\w-]+)(?:\.[\w-]+|\[\d+\])*$/;
const NOT_RESOURCES = new Set(["var", "local", "module", "each", "count", "path", "self", "terraform"]);
const META = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);
const templates = new Map<string, TemplatePart[] | HclSyntaxError>();

function parsed(text: string): TemplatePart[] | HclSyntaxError {
  let t = templates.get(text);
  if (!t) {
    try {
      t = parseTemplate(text);
    } catch (error) {
      if (!(error instanceof HclSyntaxError)) throw error;
      t = error;
    }
    if (templates.size > 200_000) templates.clear();
    templates.set(text, t);
  }
  return t;
}

const isExpression = (text: string) => text.indexOf("${") >= 0 || text.indexOf("%{") >= 0;
const quoteKey = (k: Value) => (typeof k === "number" ? `[${k}]` : `[${JSON.stringify(k)}]`);

/** The shared state of one root module's expansion: the graph it fills and the keys it gave. */
export class Expansion_ {
  private next = 0;
  private readonly files = new Map<string, string | Unknown>();
  private readonly trees: string[];

  /**
   * @param cwd the root module's folder: Terraform runs there, so `path.cwd` is it, `path.module` is
   *   relative to it, and so is a relative path given to file()
   * @param trees the folders whose files file() and templatefile() may read: the root module's and
   *   every local module's it follows
   */
  constructor(
    readonly graph: TfModule,
    readonly read: ModuleReader,
    readonly cwd: string,
    trees: readonly string[] = [cwd],
  ) {
    this.trees = trees.map(realFolder);
  }

  key(name: string): string {
    return `${name}--${++this.next}`;
  }

  /** A file's text for file() and templatefile(), read once; unknown when missing or outside the checked folders. */
  readFile(file: string): string | Unknown {
    const absolute = path.resolve(this.cwd, file);
    let text = this.files.get(absolute);
    if (text === undefined) this.files.set(absolute, (text = this.readOnce(file, absolute)));
    return text;
  }

  private readOnce(file: string, absolute: string): string | Unknown {
    const expression = `file(${JSON.stringify(file)})`;
    let real: string;
    try {
      real = realpathSync(absolute);
    } catch (error) {
      return new Unknown(
        expression,
        `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); Terraform would stop at plan`,
      );
    }
    // Only the modules being checked are read: a path out of them (../../secrets, /etc, a link) is not followed.
    if (!this.trees.some((tree) => real === tree || real.startsWith(tree + path.sep)))
      return new Unknown(expression, `${file} lies outside the folders being checked, so it is not read`);
    try {
      return readFileSync(real, "utf8");
    } catch (error) {
      return new Unknown(
        expression,
        `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); Terraform would stop at plan`,
      );
    }
  }
}

function realFolder(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

/**
 * One instance of a module: the root, or `module.eks.module.node_group["gpu"]`.
 * It evaluates names (`var`, `local`, `module`, resources) lazily and once.
 */
export class ModuleInstance implements Scope {
  private readonly locals = new Map<string, Value>();
  private readonly outputs = new Map<string, Value>();
  private readonly variables = new Map<string, Value>();
  private readonly resourceValues = new Map<Declared, ResourceEntry>();
  private readonly children = new Map<string, { expansion: Expansion; instances: ModuleInstance[] } | Unknown>();
  private readonly evaluating = new Set<string>();
  private readonly cache = new Map<string, Json>();
  /** Counts substitutions, so an expression with nothing to substitute keeps its written text. */
  substitutions = 0;

  constructor(
    readonly state: Expansion_,
    readonly config: ModuleConfig,
    /** `""` for the root, else `module.a["x"].` */
    readonly prefix: string,
    private readonly input: (name: string) => Value | undefined,
    readonly depth: number,
  ) {}

  private get isRoot(): boolean {
    return this.prefix === "";
  }

  readFile(file: string): string | Unknown {
    return this.state.readFile(file);
  }

  traverse(root: string, steps: readonly Step[]): { value: Value; used: number } {
    const first = steps[0] && "attr" in steps[0] ? steps[0].attr : undefined;
    switch (root) {
      case "var":
        if (first === undefined) break;
        this.substitutions++;
        return { value: this.variable(first), used: 1 };
      case "local":
        if (first === undefined) break;
        this.substitutions++;
        return { value: this.local(first), used: 1 };
      case "module":
        if (first === undefined) break;
        this.substitutions++;
        return this.moduleValue(first, steps);
      case "path":
        this.substitutions++;
        return {
          value:
            first === "module"
              ? path.relative(this.state.cwd, this.config.dir) || "."
              : first === "root"
                ? "."
                : first === "cwd"
                  ? this.state.cwd
                  : new Unknown(`path.${first}`, "unknown path attribute"),
          used: 1,
        };
      case "terraform":
        this.substitutions++;
        return { value: first === "workspace" ? "default" : new Unknown(`terraform.${first}`, "unknown terraform attribute"), used: 1 };
      case "each":
      case "count":
        this.substitutions++;
        return {
          value: new Unknown(
            `${root}.${first}`,
            `${root}.${first} is used outside a resource or module with ${root === "each" ? "for_each" : "count"}`,
          ),
          used: 1,
        };
      case "self":
        return { value: new Unknown("self", "self is known only after apply"), used: 0 };
      case "data": {
        const name = steps[1] && "attr" in steps[1] ? steps[1].attr : undefined;
        if (first === undefined || name === undefined) break;
        return { value: this.resource("data", first, name), used: 2 };
      }
      default:
        if (first === undefined) break;
        return { value: this.resource("managed", root, first), used: 1 };
    }
    return { value: new Unknown(root, `${root} is not a name Terraform knows here`), used: 0 };
  }

  variable(name: string): Value {
    if (this.variables.has(name)) return this.variables.get(name)!;
    const decl = this.config.variables.get(name);
    let value: Value | undefined = this.guard(`var.${name}`, () => this.input(name));
    if (value === undefined) {
      if (decl?.hasDefault) value = this.evaluateJson(decl.default ?? null, this, "");
      else if (decl)
        value = new Unknown(
          `var.${name}`,
          this.isRoot
            ? `var.${name} has no default and no value was given (--var, --var-file or a .tfvars file)`
            : `var.${name} has no default and ${this.prefix.slice(0, -1)} gives it no value`,
        );
      else value = new Unknown(`var.${name}`, `var.${name} is not declared in ${this.config.id}`);
    }
    value = converted(value, decl?.type);
    this.variables.set(name, value);
    return value;
  }

  local(name: string): Value {
    if (this.locals.has(name)) return this.locals.get(name)!;
    if (!this.config.locals.has(name)) return new Unknown(`local.${name}`, `local.${name} is not declared in ${this.config.id}`);
    let value = this.guard(`local.${name}`, () => this.evaluateJson(this.config.locals.get(name)!, this, ""));
    // An unknown written back into a string stands as its expression; one with quotes in it
    // (replace(x, "https://", "")) would break the JSON document around it (a policy), so it
    // stands as the local's own name, which the document held before.
    if (isUnknown(value) && /["\\]/.test(value.text)) value = new Unknown(`local.${name}`, value.reason);
    this.locals.set(name, value);
    return value;
  }

  output(name: string): Value {
    if (this.outputs.has(name)) return this.outputs.get(name)!;
    if (!this.config.outputs.has(name))
      throw new EvalError(`${this.prefix.slice(0, -1) || "the module"} has no output ${JSON.stringify(name)}`);
    const value = this.guard(`output.${name}`, () => this.evaluateJson(this.config.outputs.get(name)!, this, ""));
    this.outputs.set(name, value);
    return value;
  }

  /** Runs `compute` unless it is running already for `what` (a cycle), which is unknown. */
  private guard<T>(what: string, compute: () => T): T | Unknown {
    if (this.evaluating.has(what)) return new Unknown(what, `${what} refers to itself`);
    this.evaluating.add(what);
    try {
      return compute();
    } finally {
      this.evaluating.delete(what);
    }
  }

  /** A resource as other expressions see it: a reference, or a list or map of references for count and for_each. */
  resource(mode: "managed" | "data", type: string, name: string): Value {
    const entry = this.resourceEntry(mode, type, name);
    if (entry && !entry.plain) this.substitutions++;
    if (entry) return (entry.value ??= this.referenceValue(entry));
    return new Unknown(
      `${mode === "data" ? "data." : ""}${type}.${name}`,
      `${mode === "data" ? "data." : ""}${type}.${name} is not declared in ${this.config.id}`,
    );
  }

  private resourceEntry(mode: "managed" | "data", type: string, name: string): ResourceEntry | undefined {
    const written = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
    const declared = this.config.byAddress.get(written);
    return declared ? this.entryOf(declared) : undefined;
  }

  private entryOf(declared: Declared): ResourceEntry {
    const known = this.resourceValues.get(declared);
    if (known) return known;
    const { mode, type, name } = declared;
    const written = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
    const expansion =
      "count" in declared.body || "for_each" in declared.body
        ? this.guard(`${written}.count`, () => this.safeExpansion(declared.body, written))
        : SINGLE;
    const e: Expansion = isUnknown(expansion) ? { kind: "unknown", items: [{ suffix: "" }], reason: expansion.reason } : expansion;
    const plain = this.isRoot && (e.kind === "single" || e.kind === "unknown");
    const keys = plain ? [name] : e.items.map(() => this.state.key(name));
    const entry: ResourceEntry = { expansion: e, keys, plain, written, prefix: mode === "data" ? `data.${type}.` : `${type}.` };
    this.resourceValues.set(declared, entry);
    return entry;
  }

  /** Built on first reference: most resources are never referenced by an expression that needs it. */
  private referenceValue(entry: ResourceEntry): Value {
    const { expansion: e, keys } = entry;
    const ref = (i: number) =>
      new Unknown(`${entry.prefix}${keys[i]}`, `${this.prefix}${entry.written}${e.items[i].suffix} is known only after apply`);
    if (e.kind === "count") return e.items.map((_, i) => ref(i));
    if (e.kind === "each") return Object.fromEntries(e.items.map((it, i) => [String(it.each!.key), ref(i)]));
    return ref(0);
  }

  private safeExpansion(body: JsonObject, what: string): Expansion | Unknown {
    try {
      return this.expansion(body, what);
    } catch (error) {
      if (!(error instanceof EvalError)) throw error;
      return new Unknown("count", error.message);
    }
  }

  /** count / for_each of a resource or module call: the instances they create. */
  private expansion(body: JsonObject, what: string): Expansion {
    if ("count" in body) {
      const count = this.evaluateJson(body.count, this, "");
      if (isUnknown(count))
        return {
          kind: "unknown",
          items: [{ suffix: "", count: new Unknown("count.index", `count of ${what} is unknown: ${count.reason}`) }],
          reason: count.reason,
        };
      const n = typeof count === "number" ? count : typeof count === "string" && /^\d+$/.test(count) ? Number(count) : NaN;
      if (!Number.isInteger(n) || n < 0) throw new EvalError(`count of ${what} must be a whole number, not ${hclSource(count)}`);
      return { kind: "count", items: Array.from({ length: n }, (_, i) => ({ suffix: `[${i}]`, count: i })) };
    }
    if ("for_each" in body) {
      const collection = this.evaluateJson(body.for_each, this, "");
      if (isUnknown(collection)) {
        const each = {
          key: new Unknown("each.key", `for_each of ${what} is unknown: ${collection.reason}`),
          value: new Unknown("each.value", `for_each of ${what} is unknown: ${collection.reason}`),
        };
        return { kind: "unknown", items: [{ suffix: "", each }], reason: collection.reason };
      }
      const items: Iteration[] = [];
      if (Array.isArray(collection)) {
        // A set: each.key and each.value are both the element.
        for (const v of collection) {
          if (isUnknown(v)) return { kind: "unknown", items: [{ suffix: "", each: { key: v, value: v } }], reason: v.reason };
          if (typeof v !== "string") throw new EvalError(`for_each of ${what} must be a map or a set of strings`);
          items.push({ suffix: quoteKey(v), each: { key: v, value: v } });
        }
      } else if (isValueObject(collection)) {
        for (const [k, v] of entries(collection, `for_each of ${what}`)) items.push({ suffix: quoteKey(k), each: { key: k, value: v } });
      } else if (collection !== null) throw new EvalError(`for_each of ${what} must be a map or a set of strings`);
      return { kind: "each", items };
    }
    return { kind: "single", items: [{ suffix: "" }] };
  }

  private moduleValue(name: string, steps: readonly Step[]): { value: Value; used: number } {
    const entry = this.childEntry(name);
    if (isUnknown(entry)) return { value: entry, used: 1 };
    const outputsOf = (child: ModuleInstance): ValueObject =>
      Object.fromEntries([...child.config.outputs.keys()].map((o) => [o, child.output(o)]));
    const { expansion, instances } = entry;
    let used = 1;
    let child: ModuleInstance | undefined;
    if (expansion.kind === "single" || expansion.kind === "unknown") child = instances[0];
    else {
      const s = steps[1];
      if (!s || "attr" in s)
        return {
          value:
            expansion.kind === "count"
              ? instances.map(outputsOf)
              : Object.fromEntries(instances.map((c, i) => [String(expansion.items[i].each!.key), outputsOf(c)])),
          used,
        };
      used++;
      if (isUnknown(s.index)) return { value: new Unknown(`module.${name}[${s.index.expr}]`, s.index.reason), used };
      const i = expansion.kind === "count" ? Number(s.index) : expansion.items.findIndex((it) => it.each!.key === s.index);
      child = instances[i];
      if (!child) throw new EvalError(`module.${name} has no instance ${hclSource(s.index)}`);
    }
    const out = steps[used];
    if (out && "attr" in out) return { value: child!.output(out.attr), used: used + 1 };
    return { value: outputsOf(child!), used };
  }

  /** The instances of a module call, created once; unknown when its source is not followed. */
  childEntry(name: string): { expansion: Expansion; instances: ModuleInstance[] } | Unknown {
    const known = this.children.get(name);
    if (known) return known;
    const call = this.config.calls.get(name);
    let entry: { expansion: Expansion; instances: ModuleInstance[] } | Unknown;
    if (!call) entry = new Unknown(`module.${name}`, `module.${name} is not declared in ${this.config.id}`);
    else entry = this.follow(call);
    this.children.set(name, entry);
    return entry;
  }

  private follow(call: ModuleCall): { expansion: Expansion; instances: ModuleInstance[] } | Unknown {
    const address = `${this.prefix}module.${call.name}`;
    const source = typeof call.body.source === "string" ? call.body.source : "";
    const notFollowed = (reason: string) => {
      this.state.graph.notFollowed.push({ address, source, reason });
      return new Unknown(`module.${call.name}`, `${address} is not followed: ${reason}`);
    };
    if (!source.startsWith("./") && !source.startsWith("../"))
      return notFollowed(source ? "only local sources (./, ../) are read; registry and git modules are not fetched" : "it has no source");
    if (this.depth >= MAX_DEPTH) return notFollowed(`modules nest deeper than ${MAX_DEPTH}`);
    const config = this.state.read(path.resolve(this.config.dir, source));
    if (typeof config === "string") return notFollowed(config);
    const expansion = this.guard(`${address}.count`, () => this.safeExpansion(call.body, address));
    const e: Expansion = isUnknown(expansion) ? { kind: "unknown", items: [{ suffix: "" }] } : expansion;
    const instances = e.items.map((item) => {
      const scope = new IterationScope(this, item);
      const inputs = new Map<string, Value>();
      return new ModuleInstance(
        this.state,
        config,
        `${address}${item.suffix}.`,
        (input) => {
          if (META.has(input) || !(input in call.body)) return undefined;
          if (!inputs.has(input)) inputs.set(input, this.evaluateJson(call.body[input], scope, ""));
          return inputs.get(input);
        },
        this.depth + 1,
      );
    });
    return { expansion: e, instances };
  }

  /** Evaluates a JSON value as Terraform reads it: every string is a template. */
  evaluateJson(json: Json, scope: Scope & { substitutions: number }, _at: string): Value {
    if (typeof json === "string") {
      if (!isExpression(json)) return json;
      const parts = parsed(json);
      if (parts instanceof HclSyntaxError)
        return new Unknown(json.slice(2, -1), `cannot parse ${JSON.stringify(json)}: ${parts.message}`, json);
      try {
        return evaluateTemplate(parts, scope, undefined);
      } catch (error) {
        if (!(error instanceof EvalError)) throw error;
        return new Unknown(json.slice(2, -1), `cannot evaluate ${json}: ${error.message}`, json);
      }
    }
    if (Array.isArray(json)) return json.map((item) => this.evaluateJson(item, scope, _at));
    if (isObject(json)) {
      const out: ValueObject = {};
      for (const key in json) out[key] = this.evaluateJson(json[key], scope, _at);
      return out;
    }
    return json;
  }

  /** Adds this instance's resources, then its children's, to the graph. */
  expandInto(graph: TfModule): void {
    for (const declared of this.config.resources) this.addResource(graph, declared);
    for (const name of this.config.calls.keys()) {
      const entry = this.childEntry(name);
      if (!isUnknown(entry)) for (const child of entry.instances) child.expandInto(graph);
    }
  }

  private addResource(graph: TfModule, declared: Declared): void {
    if (this.isRoot && !("count" in declared.body) && !("for_each" in declared.body)) {
      // A root resource without instances: its own address, and no entry until something refers to it.
      graph.add(declared.type, declared.name, declared.mode, this.writeBody(declared.body, this, graph, true), declared.source);
      return;
    }
    const written = `${declared.mode === "data" ? "data." : ""}${declared.type}.${declared.name}`;
    const entry = this.entryOf(declared);
    entry.expansion.items.forEach((item, i) => {
      const scope = item.count !== undefined || item.each !== undefined ? new IterationScope(this, item) : this;
      const body = this.writeBody(declared.body, scope, graph, scope === this);
      if (entry.expansion.reason) graph.reasons.set(written, entry.expansion.reason);
      const key = `${declared.mode === "data" ? "data." : ""}${declared.type}.${entry.keys[i]}`;
      const address = `${this.prefix}${written}${item.suffix}`;
      const instance = address === key ? undefined : { address, key };
      graph.add(declared.type, declared.name, declared.mode, body, declared.source, instance);
    });
  }

  /** A resource body with its expressions evaluated: known values written in, unknowns as the expressions that stand for them. */
  private writeBody(
    body: JsonObject,
    scope: Scope & { substitutions: number },
    graph: TfModule,
    cacheable: boolean,
    vars?: Map<string, Value>,
  ): JsonObject {
    // Copied only when something changes: synthesized JSON mostly holds literals and plain references.
    let out: JsonObject | undefined;
    const special = "for_each" in body || "dynamic" in body;
    for (const key in body) {
      if (key === "for_each" || key === "dynamic") continue;
      const raw = body[key];
      const written = key === "//" ? raw : this.writeValue(raw, scope, graph, cacheable, vars);
      if (out) out[key] = written;
      else if (written !== raw || special) {
        out = {};
        for (const k in body) {
          if (k === key) break;
          if (k !== "for_each" && k !== "dynamic") out[k] = body[k];
        }
        out[key] = written;
      }
    }
    if (!("dynamic" in body)) return out ?? body;
    out ??= {};
    // Blocks a dynamic block makes join the written blocks of the same name.
    for (const group of asBlocks(body.dynamic)) {
      for (const name in group) {
        for (const spec of asBlocks(group[name]))
          out[name] = [...asBlocks(out[name] ?? null), ...this.dynamicBlocks(name, spec, scope, graph, vars)];
      }
    }
    return out;
  }

  private writeValue(
    json: Json,
    scope: Scope & { substitutions: number },
    graph: TfModule,
    cacheable: boolean,
    vars?: Map<string, Value>,
  ): Json {
    if (typeof json === "string") {
      if (!isExpression(json)) return json;
      if (this.isRoot && !vars) {
        const simple = SIMPLE_REFERENCE.exec(json);
        if (simple && !NOT_RESOURCES.has(simple[3])) {
          const declared = this.config.byAddress.get(simple[1]);
          if (declared && !("count" in declared.body) && !("for_each" in declared.body)) return json;
        }
        const first = this.plainReferencesOnly(json);
        if (first !== undefined) {
          // What evaluating would give: the text unchanged, unknown because of its first reference.
          if (!graph.reasons.has(json)) graph.reasons.set(json, `${first} is known only after apply`);
          return json;
        }
      }
      if (cacheable && !vars) {
        const hit = this.cache.get(json);
        if (hit !== undefined) return hit;
      }
      const written = this.writeString(json, scope, graph, vars);
      if (cacheable && !vars) this.cache.set(json, written);
      return written;
    }
    if (Array.isArray(json)) {
      let out: Json[] | undefined;
      for (let i = 0; i < json.length; i++) {
        const item = json[i];
        const written = isObject(item)
          ? this.writeBody(item, scope, graph, cacheable, vars)
          : this.writeValue(item, scope, graph, cacheable, vars);
        if (written !== item) (out ??= json.slice())[i] = written;
      }
      return out ?? json;
    }
    if (isObject(json)) return this.writeBody(json, scope, graph, cacheable, vars);
    return json;
  }

  /**
   * For a template whose every interpolation is a reference to a root resource without count or
   * for_each (a policy naming its bucket's ARN), the first resource it names: evaluating it would give
   * its text back unchanged, so it need not be parsed. Undefined for any other text.
   */
  private plainReferencesOnly(text: string): string | undefined {
    if (text.indexOf("%{") >= 0 || text.indexOf("$${") >= 0) return undefined;
    let first: string | undefined;
    let covered = 0;
    INTERPOLATIONS.lastIndex = 0;
    for (let match = INTERPOLATIONS.exec(text); match; match = INTERPOLATIONS.exec(text)) {
      const reference = REFERENCE_INSIDE.exec(match[1]);
      if (!reference || (!reference[2] && NOT_RESOURCES.has(reference[3]))) return undefined;
      const written = reference[1];
      const declared = this.config.byAddress.get(written);
      if (!declared || "count" in declared.body || "for_each" in declared.body) return undefined;
      first ??= written;
      covered++;
    }
    // A "${" the pattern did not take (one holding braces) is an expression of another kind.
    let opened = 0;
    for (let at = text.indexOf("${"); at >= 0; at = text.indexOf("${", at + 2)) opened++;
    return opened === covered ? first : undefined;
  }

  private writeString(text: string, scope: Scope & { substitutions: number }, graph: TfModule, vars?: Map<string, Value>): Json {
    const parts = parsed(text);
    if (parts instanceof HclSyntaxError) {
      graph.reasons.set(text, `the expression cannot be parsed: ${parts.message}`);
      return text;
    }
    const before = scope.substitutions;
    let value: Value;
    try {
      value = evaluateTemplate(parts, scope, vars);
    } catch (error) {
      if (!(error instanceof EvalError)) throw error;
      graph.reasons.set(text, `the expression cannot be evaluated: ${error.message}`);
      return text;
    }
    if (isUnknown(value) && scope.substitutions === before && !vars) {
      if (!graph.reasons.has(text)) graph.reasons.set(text, value.reason);
      return text;
    }
    return toJson(value, graph);
  }

  private dynamicBlocks(
    name: string,
    spec: JsonObject,
    scope: Scope & { substitutions: number },
    graph: TfModule,
    vars?: Map<string, Value>,
  ): JsonObject[] {
    const iterator = typeof spec.iterator === "string" ? spec.iterator : name;
    const content = asBlocks(spec.content ?? null);
    const collection = spec.for_each === undefined ? null : evaluateWith(spec.for_each, scope, vars, this);
    const made: JsonObject[] = [];
    const render = (it: Value) => {
      const inner = new Map(vars ?? []);
      inner.set(iterator, it);
      for (const c of content) made.push(this.writeBody(c, scope, graph, false, inner));
    };
    if (isUnknown(collection)) render(new Unknown(iterator, `the for_each of dynamic "${name}" is unknown: ${collection.reason}`));
    else if (collection !== null) {
      try {
        for (const [key, value] of entries(collection, `the for_each of dynamic "${name}"`))
          render({ key: Array.isArray(collection) ? value : key, value });
      } catch (error) {
        if (!(error instanceof EvalError)) throw error;
        render(new Unknown(iterator, error.message));
      }
    }
    return made;
  }
}

function evaluateWith(
  json: Json,
  scope: Scope & { substitutions: number },
  vars: Map<string, Value> | undefined,
  instance: ModuleInstance,
): Value {
  if (typeof json === "string" && isExpression(json)) {
    const parts = parsed(json);
    if (parts instanceof HclSyntaxError) return new Unknown(json, parts.message);
    try {
      return evaluateTemplate(parts, scope, vars);
    } catch (error) {
      if (!(error instanceof EvalError)) throw error;
      return new Unknown(json, error.message);
    }
  }
  return instance.evaluateJson(json, scope, "");
}

interface ResourceEntry {
  readonly expansion: Expansion;
  readonly keys: string[];
  /** A root resource without instances: references to it keep their written text. */
  readonly plain: boolean;
  /** `aws_s3_bucket.b` as written. */
  readonly written: string;
  /** `aws_s3_bucket.` or `data.aws_iam_policy_document.` */
  readonly prefix: string;
  value?: Value;
}

/** The scope of one instance of a resource or module call: the module's names plus count.index or each. */
class IterationScope implements Scope {
  constructor(
    private readonly module: ModuleInstance,
    private readonly item: Iteration,
  ) {}

  get substitutions(): number {
    return this.module.substitutions;
  }
  set substitutions(n: number) {
    this.module.substitutions = n;
  }

  readFile(file: string): string | Unknown {
    return this.module.readFile(file);
  }

  traverse(root: string, steps: readonly Step[]): { value: Value; used: number } {
    const first = steps[0] && "attr" in steps[0] ? steps[0].attr : undefined;
    if (root === "count" && first === "index" && this.item.count !== undefined) {
      this.module.substitutions++;
      return { value: this.item.count, used: 1 };
    }
    if (root === "each" && this.item.each && (first === "key" || first === "value")) {
      this.module.substitutions++;
      return { value: this.item.each[first], used: 1 };
    }
    return this.module.traverse(root, steps);
  }
}

function asBlocks(value: Json): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** A value written back into a body: unknowns as the Terraform string that stands for them. */
export function toJson(value: Value, graph?: TfModule): Json {
  if (value instanceof Unknown) {
    const text = value.text;
    if (graph && !graph.reasons.has(text)) graph.reasons.set(text, value.reason);
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => toJson(v, graph));
  if (isValueObject(value)) {
    const out: JsonObject = {};
    for (const key in value) out[key] = toJson(value[key], graph);
    return out;
  }
  return value;
}

/** Converts a variable's value to its declared primitive type, as Terraform does. */
function converted(value: Value, type: string | undefined): Value {
  if (!type || isUnknown(value)) return value;
  const t = type.replace(/^\$\{\s*|\s*\}$/g, "");
  if (t === "number" && typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (t === "bool" && (value === "true" || value === "false")) return value === "true";
  if (t === "string" && (typeof value === "number" || typeof value === "boolean")) return String(value);
  return value;
}
