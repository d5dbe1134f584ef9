import { z } from "zod";
import { CONFIG_DESCRIPTIONS } from "./descriptions";
import { platformConfigSchema } from "./schema";

type Node = { [key: string]: unknown };
const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);

/** Calls `visit` on every property of a JSON Schema, with its config path (`nodePools[].efa`). */
export function eachProperty(node: unknown, visit: (path: string, property: Node) => void, path = ""): void {
  if (!isNode(node)) return;
  if (isNode(node.properties)) {
    for (const [key, child] of Object.entries(node.properties)) {
      const childPath = path ? `${path}.${key}` : key;
      if (isNode(child)) visit(childPath, child);
      eachProperty(child, visit, childPath);
    }
  }
  // Stryker disable next-line ConditionalExpression: eachProperty returns at once on what is not a node
  if (isNode(node.items)) eachProperty(node.items, visit, `${path}[]`);
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((sub) => eachProperty(sub, visit, path));
  }
}

/** The JSON Schema of the config as users write it (defaults optional), with a description on every field. */
export function platformConfigJsonSchema(): Node {
  const schema = z.toJSONSchema(platformConfigSchema, { io: "input", unrepresentable: "any" }) as Node;
  eachProperty(schema, (path, property) => {
    const description = CONFIG_DESCRIPTIONS[path];
    if (description && property.description === undefined) property.description = description;
  });
  return { ...schema, title: "secure-ai-platform config", description: CONFIG_DESCRIPTIONS[""] };
}
