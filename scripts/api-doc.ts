import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/**
 * Writes docs/api.md: the API reference of every public entry in
 * package.json's exports, from the sources' types and doc comments (the
 * TypeScript compiler's own reading of them, so it cannot drift from what
 * consumers compile against). `npm run docs:api` writes it;
 * `npm run docs:api -- --check` (run by .ci/run) fails when the checked-in
 * file differs from what the sources give now.
 */

export const API_DOC_PATH = "docs/api.md";

/** Each entry of the exports map and its source, in the order the reference lists them. */
export const ENTRIES: ReadonlyArray<{ readonly entry: string; readonly source: string; readonly summary: string }> = [
  {
    entry: "secure-ai-platform/stacks",
    source: "stacks/index.ts",
    summary: "The stacks a team deploys, the platform config (types, loader, definePlatform) and the main job.",
  },
  {
    entry: "secure-ai-platform/aws",
    source: "constructs/aws/index.ts",
    summary: "The AWS constructs: keys, network, buckets, registry, audit, detection, backup, the cluster and its node pools.",
  },
  {
    entry: "secure-ai-platform/kubernetes",
    source: "constructs/kubernetes/index.ts",
    summary: "The in-cluster constructs: tenant namespaces, policies, device plugins, workload identity.",
  },
  {
    entry: "secure-ai-platform/compliance",
    source: "lib/index.ts",
    summary: "The compliance engine: catalogue, rules, waivers, reports and evidence. Loads no provider package.",
  },
  {
    entry: "secure-ai-platform/testing",
    source: "testing/index.ts",
    summary: "Jest matchers and a snapshot helper for a team's own tests.",
  },
];

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
const cell = (text: string) => oneLine(text).replace(/\|/g, "\\|");

function docOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  return oneLine(ts.displayPartsToString(symbol.getDocumentationComment(checker)));
}

function kindOf(symbol: ts.Symbol): string {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return "class";
  if (f & ts.SymbolFlags.Interface) return "interface";
  if (f & ts.SymbolFlags.Function) return "function";
  if (f & ts.SymbolFlags.TypeAlias) return "type";
  if (f & ts.SymbolFlags.Enum) return "enum";
  if (f & ts.SymbolFlags.Variable) return "const";
  return "export";
}

/** Source text, on one line: the names a signature was written with (PlatformConfigInput), not their expansion. */
const textOf = (node: ts.Node | undefined): string | undefined => (node ? oneLine(node.getText()) : undefined);
const fromNodeModules = (node: ts.Node) => node.getSourceFile().fileName.includes("node_modules");

function parameters(list: ts.NodeArray<ts.ParameterDeclaration>): string {
  return list.map((p) => oneLine(p.getText().replace(/^(public|private|protected|readonly)\s+/g, ""))).join(", ");
}

/** Public members of a class or interface, declared in this package (what cdktf's base classes add is documented there). */
function membersOf(symbol: ts.Symbol, checker: ts.TypeChecker): string[] {
  const declaration = symbol.declarations?.[0];
  if (!declaration) return [];
  const lines: string[] = [];
  if (ts.isClassDeclaration(declaration)) {
    for (const member of declaration.members) {
      if (ts.isConstructorDeclaration(member)) {
        lines.push(`| \`new ${symbol.name}(${cell(parameters(member.parameters))})\` | ${cell(docOfNode(member, checker))} |`);
      }
    }
  }
  const type = ts.isClassDeclaration(declaration) ? checker.getTypeOfSymbolAtLocation(symbol, declaration) : undefined;
  const statics = type ? checker.getPropertiesOfType(type).filter((p) => p.name !== "prototype") : [];
  const instance = checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol));
  for (const [prefix, properties] of [
    ["static ", statics],
    ["", instance],
  ] as const) {
    for (const property of properties) {
      const member = property.valueDeclaration ?? property.declarations?.[0];
      if (!member || fromNodeModules(member)) continue;
      const modifiers = ts.getCombinedModifierFlags(member as ts.Declaration);
      if (
        modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) ||
        property.name.startsWith("_") ||
        property.name.startsWith("#")
      )
        continue;
      lines.push(`| \`${cell(prefix + memberSignature(property, member, checker))}\` | ${cell(docOf(property, checker))} |`);
    }
  }
  return lines;
}

function docOfNode(node: ts.Node, checker: ts.TypeChecker): string {
  const signature = ts.isConstructorDeclaration(node) ? checker.getSignatureFromDeclaration(node) : undefined;
  return signature ? oneLine(ts.displayPartsToString(signature.getDocumentationComment(checker))) : "";
}

function memberSignature(property: ts.Symbol, member: ts.Declaration, checker: ts.TypeChecker): string {
  if (ts.isMethodDeclaration(member) || ts.isMethodSignature(member)) {
    return `${property.name}(${parameters(member.parameters)})${member.type ? ": " + textOf(member.type) : ""}`;
  }
  const optional = property.flags & ts.SymbolFlags.Optional ? "?" : "";
  const typed = (member as ts.PropertyDeclaration).type;
  const type = typed ? textOf(typed) : checker.typeToString(checker.getTypeOfSymbolAtLocation(property, member));
  return `${property.name}${optional}: ${type}`;
}

function signatureOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
  if (!declaration) return "";
  if (ts.isFunctionDeclaration(declaration)) {
    return (symbol.declarations ?? [])
      .filter(ts.isFunctionDeclaration)
      .map((d) => `${symbol.name}(${parameters(d.parameters)})${d.type ? ": " + textOf(d.type) : ""}`)
      .join("\n");
  }
  if (ts.isTypeAliasDeclaration(declaration)) return `type ${symbol.name} = ${textOf(declaration.type)}`;
  if (ts.isVariableDeclaration(declaration)) {
    const type = declaration.type ? textOf(declaration.type) : checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, declaration));
    return `const ${symbol.name}: ${type}`;
  }
  return "";
}

/** The reference, from the sources under `root`. */
export function apiDocument(root: string): string {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
    esModuleInterop: true,
    resolveJsonModule: true,
  };
  const files = ["index.ts", ...ENTRIES.map((e) => e.source)].map((f) => path.join(root, f));
  const program = ts.createProgram(files, options);
  const checker = program.getTypeChecker();
  const out: string[] = [
    "# API reference",
    "",
    "Generated from the sources by `npm run docs:api` (checked current in CI); do not edit by hand.",
    "Every entry is CommonJS with type declarations; import the root or a sub-path:",
    "",
    "```ts",
    'import { PlatformStack, definePlatform, enforceCompliance } from "secure-ai-platform";',
    'import { SecureBucket } from "secure-ai-platform/aws";',
    "```",
    "",
    "The root, `secure-ai-platform`, re-exports everything of `/stacks`, `/aws` and `/kubernetes`, and the",
    "engine's most used names (`enforceCompliance`, `Waivers`, `check`, `REQUIREMENTS`, `ALL_RULES`, ...).",
    "",
    ...ENTRIES.map((e) => `- [\`${e.entry}\`](#${e.entry.replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-")}): ${e.summary}`),
    "",
  ];
  for (const entry of ENTRIES) {
    const source = program.getSourceFile(path.join(root, entry.source));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${entry.source}: not found`);
    out.push(`## ${entry.entry}`, "", entry.summary, "");
    const exports = checker.getExportsOfModule(moduleSymbol).sort((a, b) => a.name.localeCompare(b.name));
    for (const exported of exports) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const kind = kindOf(symbol);
      out.push(`### ${exported.name}`, "", `*${kind}*${docOf(symbol, checker) ? ": " + docOf(symbol, checker) : ""}`, "");
      const signature = signatureOf(symbol, checker);
      if (signature) out.push("```ts", signature, "```", "");
      if (kind === "class" || kind === "interface") {
        const members = membersOf(symbol, checker);
        if (members.length > 0) out.push("| member | description |", "|---|---|", ...members, "");
      }
    }
  }
  return (
    out
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .split(root)
      .join(".") + "\n"
  );
}

if (require.main === module) {
  const root = path.resolve(__dirname, "..", "..");
  const generated = apiDocument(root);
  const file = path.join(root, API_DOC_PATH);
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(file, "utf8");
    } catch {
      // missing: stale
    }
    if (current !== generated) {
      process.stderr.write(
        `${API_DOC_PATH} is stale: the public API changed since it was generated. Run \`npm run docs:api\` and commit the result.\n`,
      );
      process.exitCode = 1;
    } else process.stdout.write(`${API_DOC_PATH} is current\n`);
  } else {
    writeFileSync(file, generated);
    process.stdout.write(`wrote ${API_DOC_PATH}\n`);
  }
}
