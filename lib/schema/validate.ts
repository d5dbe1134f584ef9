import { readFileSync } from "node:fs";
import * as path from "node:path";
import { isObject, Json, JsonObject } from "../terraform/model";
import { BodyContext, checkBody, DATA_META, LIFECYCLE_ARGUMENTS, RESOURCE_META, SchemaIssue, suggestion } from "./body";
import { providerSchemaDir } from "./files";
import { declaredAddresses, ReferenceChecker } from "./references";
import { ProviderSchemaFile, SCHEMA_FORMAT } from "./provider-schema";

export type { SchemaIssue } from "./body";

/** One Terraform file as read: its parsed content and whether it was HCL. */
export interface TerraformDocument {
  readonly file: string;
  readonly doc: Json;
  readonly hcl: boolean;
}

/** The outcome of validating modules: every issue, and what could not be validated. */
export interface ValidationResult {
  readonly issues: SchemaIssue[];
  /** Resources, data sources and provider blocks checked against a schema. */
  readonly validated: number;
  /** Blocks of providers that have no schema here, by address, with their provider's source. */
  readonly notValidated: Array<{ file: string; address: string; source: string }>;
  /** `hashicorp/aws 6.25.0` for each schema used. */
  readonly schemas: string[];
}

/** The provider schemas by source address (`registry.terraform.io/hashicorp/aws`). */
export type ProviderSchemas = ReadonlyMap<string, ProviderSchemaFile>;

/** Terraform's built-in provider (terraform.io/builtin/terraform), which no package ships: its data source and resource. */
export const BUILTIN_SOURCE = "terraform.io/builtin/terraform";
const BUILTIN: ProviderSchemaFile = {
  format: SCHEMA_FORMAT,
  source: BUILTIN_SOURCE,
  version: "built in",
  package: "terraform",
  provider: {},
  resources: { terraform_data: { a: { input: { t: "any" }, triggers_replace: { t: "any" } }, c: ["id", "output"] } },
  dataSources: {
    terraform_remote_state: {
      a: { backend: { t: "string", r: 1 }, config: { t: "any" }, defaults: { t: "any" }, workspace: { t: "string" } },
      c: ["outputs"],
    },
  },
};

/** Reads every schema file of lib/schema/providers (about 10 ms for AWS, Kubernetes and Helm). */
export function loadProviderSchemas(dir: string = providerSchemaDir()): ProviderSchemas {
  const schemas = new Map<string, ProviderSchemaFile>([[BUILTIN_SOURCE, BUILTIN]]);
  for (const name of ["aws.json", "kubernetes.json", "helm.json"]) {
    const schema = JSON.parse(readFileSync(path.join(dir, name), "utf8")) as ProviderSchemaFile;
    if (schema.format !== SCHEMA_FORMAT)
      throw new Error(`${path.join(dir, name)}: schema format ${schema.format}, expected ${SCHEMA_FORMAT}`);
    schemas.set(schema.source, schema);
  }
  return schemas;
}

const TOP_LEVEL = new Set([
  "resource",
  "data",
  "provider",
  "terraform",
  "variable",
  "output",
  "locals",
  "module",
  "moved",
  "import",
  "removed",
  "check",
  "ephemeral",
  "//",
]);
const OUTPUT = new Set(["value", "description", "sensitive", "depends_on", "precondition", "ephemeral", "//"]);
const VARIABLE = new Set(["type", "default", "description", "sensitive", "nullable", "validation", "ephemeral", "//"]);
const PROVIDER_META = new Set(["alias", "version"]);
const TERRAFORM = new Set(["required_version", "required_providers", "backend", "cloud", "experiments", "provider_meta", "//"]);

/** `aws`, `hashicorp/aws` and `registry.terraform.io/hashicorp/aws` name the same provider. */
export function fullSource(source: string): string {
  const parts = source.toLowerCase().split("/");
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts.join("/")}`;
  return parts.join("/");
}

const asList = (value: Json | undefined): Json[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Local provider names to source addresses, from every `required_providers` of the module. */
function providerSources(documents: readonly TerraformDocument[]): Map<string, string> {
  const sources = new Map<string, string>();
  for (const { doc } of documents) {
    if (!isObject(doc)) continue;
    for (const terraform of asList(doc.terraform)) {
      if (!isObject(terraform)) continue;
      for (const required of asList(terraform.required_providers)) {
        if (!isObject(required)) continue;
        for (const [name, spec] of Object.entries(required)) {
          if (isObject(spec) && typeof spec.source === "string") sources.set(name, fullSource(spec.source));
        }
      }
    }
  }
  return sources;
}

/** The local provider name a resource uses: its `provider` argument's, else its type's prefix. */
function localProvider(type: string, body: JsonObject): string {
  const provider = body.provider;
  if (typeof provider === "string") return provider.replace(/^\$\{\s*/, "").split(/[.}\s]/)[0];
  return type.split("_")[0];
}

class ModuleValidator {
  readonly issues: SchemaIssue[] = [];
  validated = 0;
  readonly notValidated: Array<{ file: string; address: string; source: string }> = [];
  readonly used = new Set<ProviderSchemaFile>();
  private readonly sources: Map<string, string>;
  private readonly references: ReferenceChecker;

  constructor(
    private readonly documents: readonly TerraformDocument[],
    private readonly schemas: ProviderSchemas,
  ) {
    this.sources = providerSources(documents);
    const specOf = (type: string, data: boolean) => {
      for (const schema of schemas.values()) {
        const spec = (data ? schema.dataSources : schema.resources)[type];
        if (spec) return spec;
      }
      return undefined;
    };
    this.references = new ReferenceChecker(declaredAddresses(documents.map((d) => d.doc)), specOf, this.issues);
  }

  private schemaFor(localName: string): { source: string; schema?: ProviderSchemaFile } {
    const source = this.sources.get(localName) ?? (localName === "terraform" ? BUILTIN_SOURCE : fullSource(localName));
    return { source, schema: this.schemas.get(source) };
  }

  private context(file: string, address: string, kind: string, hcl: boolean): BodyContext {
    return { file, address, kind, hcl, issues: this.issues };
  }

  run(): void {
    for (const document of this.documents) {
      const { doc, file } = document;
      if (!isObject(doc)) {
        this.issues.push({ file, address: "", path: "", message: "a Terraform JSON document must be an object." });
        continue;
      }
      for (const key in doc) {
        if (!TOP_LEVEL.has(key))
          this.issues.push({
            file,
            address: key,
            path: "",
            message: `is not a top-level block type of Terraform.${suggestion(key, TOP_LEVEL)}`,
          });
      }
      this.resources(document, "resource");
      this.resources(document, "data");
      this.providers(document);
      this.outputs(document);
      this.terraform(document);
      for (const locals of asList(doc.locals)) this.references.walk(locals, { file, address: "locals" }, "");
      // Ephemeral resources (Terraform 1.10) have no generated code, hence no schema here.
      this.labelled(document, "ephemeral", (type, body) => {
        for (const name in body)
          if (name !== "//")
            this.notValidated.push({ file, address: `ephemeral.${type}.${name}`, source: this.schemaFor(type.split("_")[0]).source });
      });
      this.variables(document);
    }
  }

  /** Every body of `doc[key][type][name]`, which Terraform JSON allows as an object or a list of objects. */
  private named(
    document: TerraformDocument,
    key: "resource" | "data",
    visit: (type: string, name: string, body: JsonObject, address: string) => void,
  ): void {
    for (const group of asList((document.doc as JsonObject)[key])) {
      if (!isObject(group)) {
        this.issues.push({
          file: document.file,
          address: key,
          path: "",
          message: `must be an object of types, but is given ${JSON.stringify(group)}.`,
        });
        continue;
      }
      for (const type in group) {
        if (type === "//") continue;
        const byName = group[type];
        if (!isObject(byName)) {
          this.issues.push({ file: document.file, address: `${key}.${type}`, path: "", message: "must be an object of named blocks." });
          continue;
        }
        for (const name in byName) {
          if (name === "//") continue;
          const address = key === "data" ? `data.${type}.${name}` : `${type}.${name}`;
          for (const body of asList(byName[name])) {
            if (isObject(body)) visit(type, name, body, address);
            else this.issues.push({ file: document.file, address, path: "", message: "must be an object." });
          }
        }
      }
    }
  }

  private resources(document: TerraformDocument, key: "resource" | "data"): void {
    this.named(document, key, (type, _name, body, address) => {
      const { source, schema } = this.schemaFor(localProvider(type, body));
      if (!schema) {
        this.notValidated.push({ file: document.file, address, source });
        return;
      }
      this.used.add(schema);
      this.validated++;
      const types = key === "data" ? schema.dataSources : schema.resources;
      const spec = types[type];
      const ctx = this.context(document.file, address, key === "data" ? `data source ${type}` : type, document.hcl);
      if (!spec) {
        const kind = key === "data" ? "data source" : "resource type";
        ctx.issues.push({
          file: document.file,
          address,
          path: "",
          message: `${source.replace("registry.terraform.io/", "")} ${schema.version} has no ${kind} "${type}".${suggestion(type, Object.keys(types))}`,
        });
        return;
      }
      const meta =
        key === "data"
          ? { names: DATA_META, lifecycle: LIFECYCLE_ARGUMENTS.data }
          : { names: RESOURCE_META, lifecycle: LIFECYCLE_ARGUMENTS.resource };
      checkBody(ctx, body, spec, "", meta);
      this.references.walk(body, { file: document.file, address }, "");
    });
  }

  private providers(document: TerraformDocument): void {
    for (const group of asList((document.doc as JsonObject).provider)) {
      if (!isObject(group)) continue;
      for (const name in group) {
        if (name === "//") continue;
        const bodies = asList(group[name]);
        bodies.forEach((body, i) => {
          const address = bodies.length > 1 ? `provider.${name}[${i}]` : `provider.${name}`;
          const { source, schema } = this.schemaFor(name);
          if (!schema) return void this.notValidated.push({ file: document.file, address, source });
          if (!isObject(body)) return void this.issues.push({ file: document.file, address, path: "", message: "must be an object." });
          this.used.add(schema);
          this.validated++;
          checkBody(this.context(document.file, address, `provider ${name}`, document.hcl), body, schema.provider, "", {
            names: PROVIDER_META,
          });
          this.references.walk(body, { file: document.file, address }, "");
        });
      }
    }
  }

  /** Blocks with one label (`output "x"`, `variable "x"`): an object of bodies, or a list of such objects. */
  private labelled(document: TerraformDocument, key: string, visit: (name: string, body: JsonObject) => void): void {
    for (const group of asList((document.doc as JsonObject)[key])) {
      if (!isObject(group)) continue;
      for (const name in group) {
        if (name === "//") continue;
        for (const body of asList(group[name])) {
          if (isObject(body)) visit(name, body);
          else this.issues.push({ file: document.file, address: `${key}.${name}`, path: "", message: "must be an object." });
        }
      }
    }
  }

  private outputs(document: TerraformDocument): void {
    this.labelled(document, "output", (name, body) => {
      const address = `output.${name}`;
      for (const key in body)
        if (!OUTPUT.has(key))
          this.issues.push({
            file: document.file,
            address,
            path: key,
            message: `is not an argument of an output.${suggestion(key, OUTPUT)}`,
          });
      if (body.value === undefined)
        this.issues.push({ file: document.file, address, path: "value", message: "is required in an output, but is not set." });
      this.references.walk(body, { file: document.file, address }, "");
    });
  }

  private terraform(document: TerraformDocument): void {
    for (const body of asList((document.doc as JsonObject).terraform)) {
      if (!isObject(body)) continue;
      for (const key in body)
        if (!TERRAFORM.has(key))
          this.issues.push({
            file: document.file,
            address: "terraform",
            path: key,
            message: `is not an argument or block of the terraform block.${suggestion(key, TERRAFORM)}`,
          });
    }
  }

  private variables(document: TerraformDocument): void {
    this.labelled(document, "variable", (name, body) => {
      for (const key in body)
        if (!VARIABLE.has(key))
          this.issues.push({
            file: document.file,
            address: `var.${name}`,
            path: key,
            message: `is not an argument of a variable.${suggestion(key, VARIABLE)}`,
          });
    });
  }
}

/**
 * Validates modules (each a list of the files that make it up, as Terraform
 * reads a folder) against the provider schemas: unknown resource types and
 * arguments, missing required arguments and blocks, a block where an
 * attribute belongs and the reverse, values no conversion makes fit, and
 * misused meta-arguments. Values Terraform computes (`${...}`) are not judged.
 */
export function validateModules(
  modules: ReadonlyArray<readonly TerraformDocument[]>,
  schemas: ProviderSchemas = loadProviderSchemas(),
): ValidationResult {
  const result: ValidationResult = { issues: [], validated: 0, notValidated: [], schemas: [] };
  const used = new Set<ProviderSchemaFile>();
  for (const documents of modules) {
    const validator = new ModuleValidator(documents, schemas);
    validator.run();
    result.issues.push(...validator.issues);
    result.notValidated.push(...validator.notValidated);
    (result as { validated: number }).validated += validator.validated;
    validator.used.forEach((s) => used.add(s));
  }
  result.schemas.push(
    ...[...used]
      .map((s) => (s === BUILTIN ? "terraform (built in)" : `${s.source.replace("registry.terraform.io/", "")} ${s.version}`))
      .sort(),
  );
  return result;
}

/** `file: address: path: message`, the way `saip validate` prints an issue. */
export function formatIssue(issue: SchemaIssue): string {
  return [issue.file, issue.address, issue.path, issue.message].filter((part) => part !== "").join(": ");
}
