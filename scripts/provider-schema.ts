/**
 * Derives the compact provider schemas `saip validate` reads
 * (lib/schema/providers/<name>.json) from the installed @cdktf/provider-*
 * packages, which ship no Terraform schema but generated code that encodes it:
 *
 * - index.js: each resource's `synthesizeHclAttributes()` and each struct's
 *   `<struct>ToHclTerraform()` list every configurable argument by its
 *   Terraform name, with its collection kind and the struct it holds;
 *   computed-only attributes are left out, as Terraform rejects them in
 *   configuration;
 * - index.d.ts: the config interfaces say which arguments are required (no
 *   `?`), and the generator documents every nested block as "<name> block",
 *   which tells a block from an attribute of object type (cdktf renders both
 *   as structs).
 *
 * Run `npm run schema:providers` after upgrading a provider package; the
 * test test/schema/provider-schema.test.ts fails while the files are stale.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { providerSchemaDir } from "../lib/schema/files";
import { AttributeSpec, BlockSpec, BlockTypeSpec, ProviderSchemaFile, SCHEMA_FORMAT, TypeSpec } from "../lib/schema/provider-schema";

/** The provider packages whose schemas are derived, by the file name they get. */
export const PROVIDER_PACKAGES: Readonly<Record<string, string>> = {
  aws: "@cdktf/provider-aws",
  kubernetes: "@cdktf/provider-kubernetes",
  helm: "@cdktf/provider-helm",
};

interface HclEntry {
  readonly tfName: string;
  readonly value: string;
  readonly kind: string;
  readonly storage: string;
}

interface Member {
  readonly optional: boolean;
  /** The first line of its doc comment. */
  readonly summary: string;
}

const ENTRY =
  /^\s+([A-Za-z0-9_]+): \{\n\s+value: (.*),\n\s+isBlock: (?:true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",\n\s+\},?$/gm;

/** The `attrs` object literal that starts after `from` in index.js. */
function attrsAfter(text: string, from: number, where: string): HclEntry[] {
  const start = text.indexOf("const attrs = {", from);
  if (start < 0) throw new Error(`${where}: no attrs object`);
  // An object with no configurable argument is written `const attrs = {};`.
  const end = text.startsWith("const attrs = {};", start) ? start : text.indexOf("// remove undefined attributes", start);
  if (end < 0) throw new Error(`${where}: unterminated attrs object`);
  const body = text.slice(start, end);
  const entries: HclEntry[] = [];
  for (const m of body.matchAll(ENTRY)) entries.push({ tfName: m[1], value: m[2], kind: m[3], storage: m[4] });
  const declared = (body.match(/isBlock: /g) ?? []).length;
  if (declared !== entries.length) throw new Error(`${where}: read ${entries.length} of ${declared} attributes`);
  return entries;
}

/** Every exported interface of index.d.ts, with its members. */
function interfaces(dts: string): Map<string, Map<string, Member>> {
  const result = new Map<string, Map<string, Member>>();
  for (const m of dts.matchAll(/^export interface (\w+)(?: extends [^{]+)? \{\n([\s\S]*?)^\}/gm)) {
    const members = new Map<string, Member>();
    for (const p of m[2].matchAll(/^ {4}\/\*\*\n((?: {4}\*.*\n)*?) {4}\*\/\n {4}readonly (\w+)(\??):/gm)) {
      const summary = (p[1].split("\n")[0] ?? "").replace(/^\s*\*\s?/, "").trim();
      members.set(p[2], { optional: p[3] === "?", summary });
    }
    result.set(m[1], members);
  }
  return result;
}

const PRIMITIVES: Record<string, TypeSpec> = { string: "string", number: "number", boolean: "bool", any: "any" };

/** `stringMapList` is list(map(string)); the outermost collection is list or set as `kind` says. */
function primitiveType(storage: string, kind: string, where: string): TypeSpec {
  // cdktf renders Terraform's `dynamic` type (kubernetes_manifest.manifest) as a map of any; it takes any value.
  if (storage === "anyMap") return "any";
  const m = /^(string|number|boolean|any)((?:List|Map)*)$/.exec(storage);
  if (!m) throw new Error(`${where}: unknown storage class ${storage}`);
  let type: TypeSpec = PRIMITIVES[m[1]];
  const wrappers = m[2].match(/List|Map/g) ?? [];
  wrappers.forEach((w, i) => {
    const outermost = i === wrappers.length - 1;
    type = w === "Map" ? { map: type } : outermost && kind === "set" ? { set: type } : { list: type };
  });
  if (wrappers.length === 0 && kind !== "simple") throw new Error(`${where}: ${storage} of kind ${kind}`);
  return type;
}

/** The generator's renames of names jsii or a target language reserves; stored fields keep the plain name. */
function propertyName(camel: string): string {
  if (camel === "self" || camel === "build") return `${camel}Attribute`;
  if (/^get[A-Z]+/.test(camel)) return camel.replace("get", "fetch");
  if (camel === "equals") return "equalTo";
  if (camel === "node" || camel === "system" || camel === "tfResourceType") return `${camel}Attribute`;
  return camel;
}

const STRUCT_FN = /(?<!cdktf\.)\b([a-z][A-Za-z0-9]*)ToHclTerraform\b/;

class FileReader {
  private readonly ifaces: Map<string, Map<string, Member>>;
  /** Where each `<struct>ToHclTerraform` function starts, found in one pass (large types have thousands). */
  private readonly functions = new Map<string, number>();
  constructor(
    private readonly js: string,
    private readonly dts: string,
    private readonly where: string,
  ) {
    this.ifaces = interfaces(dts);
    for (const m of js.matchAll(/^function (\w+)ToHclTerraform\(struct\) \{$/gm)) this.functions.set(m[1], m.index);
  }

  /** The body a config interface and its attrs describe. */
  block(entries: readonly HclEntry[], ifaceName: string, seen: readonly string[]): BlockSpec {
    const members = this.ifaces.get(ifaceName);
    if (!members) throw new Error(`${this.where}: no interface ${ifaceName}`);
    const a: Record<string, AttributeSpec> = {};
    const b: Record<string, BlockTypeSpec> = {};
    for (const entry of entries) {
      const where = `${this.where} ${ifaceName}.${entry.tfName}`;
      const ref = /(struct\.|this\._)(\w+)/.exec(entry.value);
      const member = ref ? members.get(ref[1] === "this._" ? propertyName(ref[2]) : ref[2]) : undefined;
      if (!member) throw new Error(`${where}: no member for ${entry.value}`);
      const fn = STRUCT_FN.exec(entry.value)?.[1];
      if (!fn) {
        a[entry.tfName] = member.optional
          ? { t: primitiveType(entry.storage, entry.kind, where) }
          : { t: primitiveType(entry.storage, entry.kind, where), r: 1 };
        continue;
      }
      const listFlag = /listMapperHcl\([\w.]+, (true|false)\)/.exec(entry.value)?.[1];
      const listed = listFlag !== undefined;
      const mapped = /hashMapperHcl\(\w+\)/.test(entry.value);
      // A struct that holds itself (rare) would never end: accept any value there.
      const body = seen.includes(fn) ? undefined : this.struct(fn, [...seen, fn]);
      const isBlock = member.summary === `${entry.tfName} block`;
      // cdktf's list mapper carries its own block flag: the two readings must agree.
      if (listed && (listFlag === "true") !== isBlock)
        throw new Error(`${where}: the list mapper and the doc comment disagree on whether it is a block`);
      if (isBlock) {
        const n = mapped ? "map" : entry.kind === "struct" ? "single" : entry.kind === "set" ? "set" : "list";
        if (n !== "map" && n !== "single" && !listed && entry.kind !== "list" && entry.kind !== "set")
          throw new Error(`${where}: block of kind ${entry.kind}`);
        const spec: BlockTypeSpec = {
          n,
          ...(!member.optional && (n === "list" || n === "set") ? { min: 1 as const } : {}),
          ...((n === "list" || n === "set") && !listed ? { max: 1 as const } : {}),
          ...(body ?? {}),
        };
        b[entry.tfName] = spec;
      } else {
        const object: TypeSpec = body ? { object: body.a ?? {} } : "any";
        if (body?.b) throw new Error(`${where}: an object attribute with blocks`);
        const t: TypeSpec = mapped
          ? { map: object }
          : entry.kind === "struct"
            ? object
            : entry.kind === "set"
              ? { set: object }
              : { list: object };
        a[entry.tfName] = member.optional ? { t } : { t, r: 1 };
      }
    }
    return { ...(Object.keys(a).length ? { a } : {}), ...(Object.keys(b).length ? { b } : {}) };
  }

  private struct(fn: string, seen: readonly string[]): BlockSpec {
    const at = this.functions.get(fn);
    if (at === undefined) throw new Error(`${this.where}: no function ${fn}ToHclTerraform`);
    return this.block(attrsAfter(this.js, at, `${this.where} ${fn}`), fn[0].toUpperCase() + fn.slice(1), seen);
  }

  /** The resource, data source or provider class of the file. */
  mainClass(): { kind: "resource" | "data" | "provider"; type: string; body: BlockSpec } {
    const cls = /\nclass (\w+) extends cdktf\.Terraform(Resource|DataSource|Provider) \{/.exec(this.js);
    if (!cls) throw new Error(`${this.where}: no resource class`);
    const type = new RegExp(`\\n${cls[1]}\\.tfResourceType = "([\\w-]+)";`).exec(this.js)?.[1];
    if (!type) throw new Error(`${this.where}: no tfResourceType`);
    const at = this.js.indexOf("synthesizeHclAttributes() {", cls.index);
    const config = /constructor\(scope: Construct, id: string, config\??: (\w+)\);/.exec(this.dts)?.[1];
    if (!config) throw new Error(`${this.where}: no config interface`);
    const kind = cls[2] === "DataSource" ? "data" : cls[2] === "Provider" ? "provider" : "resource";
    const body = this.block(attrsAfter(this.js, at, `${this.where} ${cls[1]}`), config, []);
    if (kind === "provider") return { kind, type, body };
    // The class's getters read every attribute by its Terraform name: `this.getStringAttribute('arn')`, `new XList(this, "x")`.
    const classText = this.js.slice(cls.index, this.js.indexOf(`\n${cls[1]}.tfResourceType`));
    const exported = new Set(
      [...classText.matchAll(/this\.(?:get\w*Attribute|interpolationForAttribute)\('(\w+)'\)|new [\w.]+\(this, "(\w+)"/g)].map(
        (m) => m[1] ?? m[2],
      ),
    );
    const computed = [...exported].filter((name) => !body.a?.[name] && !body.b?.[name]).sort();
    return { kind, type, body: computed.length ? { ...body, c: computed } : body };
  }
}

/** A type's generated code: index.js (or .d.ts) first, then the struct files large types split off (index-structs/). */
function readAll(dir: string, ending: string): string {
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(ending) && (ending === ".d.ts" || !f.endsWith(".d.ts")))
    .sort((x, y) => (x === `index${ending}` ? -1 : y === `index${ending}` ? 1 : x.localeCompare(y)));
  return files.map((f) => readFileSync(path.join(dir, f), "utf8")).join("\n");
}

/** Derives one provider's schema; `only` limits it to some lib/ folders (for the staleness test). */
export function deriveProviderSchema(packageName: string, only?: readonly string[]): ProviderSchemaFile {
  const root = path.dirname(require.resolve(`${packageName}/package.json`));
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    version: string;
    cdktf: { provider: { name: string; version: string } };
  };
  const folders = (only ?? readdirSync(path.join(root, "lib")).sort()).filter((f) => !f.endsWith(".js") && !f.endsWith(".ts"));
  const resources: Record<string, BlockSpec> = {};
  const dataSources: Record<string, BlockSpec> = {};
  let provider: BlockSpec | undefined;
  for (const folder of folders) {
    const dir = path.join(root, "lib", folder);
    const reader = new FileReader(readAll(dir, ".js"), readAll(dir, ".d.ts"), `${packageName}/lib/${folder}`);
    const { kind, type, body } = reader.mainClass();
    if (kind === "provider") provider = body;
    else (kind === "data" ? dataSources : resources)[type] = body;
  }
  return {
    format: SCHEMA_FORMAT,
    source: pkg.cdktf.provider.name,
    version: pkg.cdktf.provider.version,
    package: `${packageName}@${pkg.version}`,
    provider: provider ?? {},
    resources,
    dataSources,
  };
}

/** One type per line: small diffs when a provider changes, and still valid JSON. */
export function serialize(schema: ProviderSchemaFile): string {
  const section = (entries: Record<string, BlockSpec>) =>
    "{\n" +
    Object.keys(entries)
      .sort()
      .map((k) => `    ${JSON.stringify(k)}: ${JSON.stringify(entries[k])}`)
      .join(",\n") +
    "\n  }";
  return (
    `{\n  "format": ${schema.format},\n  "source": ${JSON.stringify(schema.source)},\n  "version": ${JSON.stringify(schema.version)},\n  "package": ${JSON.stringify(schema.package)},\n` +
    `  "provider": ${JSON.stringify(schema.provider)},\n  "resources": ${section(schema.resources)},\n  "dataSources": ${section(schema.dataSources)}\n}\n`
  );
}

if (require.main === module) {
  for (const [name, pkg] of Object.entries(PROVIDER_PACKAGES)) {
    const started = Date.now();
    const schema = deriveProviderSchema(pkg);
    const file = path.join(providerSchemaDir(), `${name}.json`);
    const text = serialize(schema);
    writeFileSync(file, text);
    process.stdout.write(
      `${path.relative(process.cwd(), file)}: ${schema.source} ${schema.version}, ${Object.keys(schema.resources).length} resources, ${Object.keys(schema.dataSources).length} data sources, ${(text.length / 1e6).toFixed(1)} MB, ${Date.now() - started} ms\n`,
    );
  }
}
