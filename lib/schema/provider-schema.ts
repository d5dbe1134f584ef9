/**
 * The compact provider schema `saip validate` reads: for each resource, data
 * source and the provider block, its arguments (attributes) and nested
 * blocks, as `terraform providers schema -json` describes them, minus what
 * validation does not need (descriptions, computed-only attributes).
 * scripts/provider-schema.ts derives it from the generated code of the
 * installed @cdktf/provider-* packages.
 */

/** A value type: a primitive, or a collection or object of them. `any` accepts every value. */
export type TypeSpec =
  | "string"
  | "number"
  | "bool"
  | "any"
  | { list: TypeSpec }
  | { set: TypeSpec }
  | { map: TypeSpec }
  | { object: Record<string, AttributeSpec> };

/** An argument: its type, and whether it must be set. */
export interface AttributeSpec {
  readonly t: TypeSpec;
  /** Required: the configuration must set it. */
  readonly r?: 1;
}

/** A nested block type: how its blocks nest, how many there may be, and its own body. */
export interface BlockTypeSpec extends BlockSpec {
  /** `list` and `set`: any number (see min/max); `single`: at most one, as an object; `map`: one per label. */
  readonly n: "list" | "set" | "single" | "map";
  /** At least one block is required. */
  readonly min?: 1;
  /** At most one block. */
  readonly max?: 1;
}

/** The body of a resource, data source, provider or nested block. */
export interface BlockSpec {
  readonly a?: Record<string, AttributeSpec>;
  readonly b?: Record<string, BlockTypeSpec>;
  /** Resources and data sources: the attributes they export that cannot be set (computed only), for references. */
  readonly c?: string[];
}

/** One provider's schema file. */
export interface ProviderSchemaFile {
  /** Bumped when the file's shape changes. */
  readonly format: 1;
  /** `registry.terraform.io/hashicorp/aws` */
  readonly source: string;
  /** The provider version the package was generated from, `6.25.0`. */
  readonly version: string;
  /** The package the schema was derived from, `@cdktf/provider-aws@21.22.1`. */
  readonly package: string;
  readonly provider: BlockSpec;
  readonly resources: Record<string, BlockSpec>;
  readonly dataSources: Record<string, BlockSpec>;
}

export const SCHEMA_FORMAT = 1;
