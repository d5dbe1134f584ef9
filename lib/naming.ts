/**
 * Readable Terraform names from construct paths: `DatasetsBucket/Resource`
 * becomes `datasets_bucket`, so reviewers and findings see what a resource is.
 */
const HIDDEN = new Set(["Resource", "Default"]);

/** `ModelsKey` -> `models_key`, `EKSCluster` -> `eks_cluster`. */
export function snakeCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
}

/** The readable name for the construct ids below a stack, or undefined when nothing readable is left. */
export function readableName(components: readonly string[]): string | undefined {
  const parts = components
    .filter((c) => !HIDDEN.has(c))
    .map(snakeCase)
    .filter((c) => c.length > 0);
  if (parts.length === 0) return undefined;
  const name = parts.join("_");
  // Terraform names must start with a letter or underscore.
  return /^[a-z_]/.test(name) ? name : `r_${name}`;
}

/** `research-training` -> `ResearchTraining`, `ecr.api` -> `EcrApi`: construct ids from config and service names. */
export function pascalCase(name: string): string {
  return name
    .split(/[-.]/)
    .filter((w) => w.length > 0)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}
