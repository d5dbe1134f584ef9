/** The loaded form of a Terraform configuration that rules read. */

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A resource or data source as written, with where it was written. */
export interface TfResource {
  /** `aws_s3_bucket` */
  readonly type: string;
  /** `datasets_bucket` */
  readonly name: string;
  /** `aws_s3_bucket.datasets_bucket`, or `data.aws_iam_policy_document.x` for data sources. */
  readonly address: string;
  readonly mode: "managed" | "data";
  /** The resource's arguments; nested blocks may be objects or lists of objects. */
  readonly body: JsonObject;
  /** The file the resource was read from, as the user named it. */
  readonly source: string;
  readonly module: TfModule;
  /**
   * The name references use inside the loaded graph, `TYPE.KEY` (with `data.`
   * for data sources): the address for a root resource without count or
   * for_each; for an instance (`module.eks.aws_iam_role.this[0]`), a
   * generated `this--N` that the engine writes into the references of other
   * resources, so rules follow `${aws_iam_role.this--3.arn}` like any other.
   * @default address
   */
  readonly key?: string;
}

/** A module call the engine did not follow, and why. */
export interface NotFollowed {
  readonly address: string;
  readonly source: string;
  readonly reason: string;
}

/**
 * One Terraform module: a synthesized cdktf stack or a folder of `.tf` /
 * `.tf.json` files. References resolve within a module only.
 */
export class TfModule {
  readonly resources: TfResource[] = [];
  private readonly byAddress = new Map<string, TfResource>();
  private readonly byType = new Map<string, TfResource[]>();
  readonly locals: JsonObject = {};
  private referrerIndex?: Map<string, Array<{ resource: TfResource; key: string }>>;
  private readonly memo = new Map<string, unknown>();
  /** What each `${...}` expression of the module resolves to (see values.ts), computed once. */
  readonly expressions = new Map<string, unknown>();

  /** Module calls whose source was not read (registry, git, a missing folder). */
  readonly notFollowed: NotFollowed[] = [];
  /** Whether the module's files declare anything Terraform reads (resources, module calls, variables, outputs). */
  declaresAnything = false;
  /** Why an expression written into a body stays unknown, by its text. */
  readonly reasons = new Map<string, string>();

  /**
   * The root modules applied before this one (the stacks it depends on, in a
   * cdktf app), in the order given. Rules may read their resources as
   * context, with `ofTypeInScope`; nothing of theirs is judged here.
   */
  readonly upstream: TfModule[] = [];

  /**
   * The module's provider configurations, keyed as Terraform addresses them:
   * `aws` for the default one, `aws.<alias>` for an aliased one; each body as
   * written (`region`, `alias`, `assume_role`).
   */
  readonly providers = new Map<string, JsonObject>();

  /** The module's `terraform` blocks merged (backend, required_providers, ...), as written. */
  readonly terraform: JsonObject = {};
  private settingsResource?: TfResource;

  /** @param id stack name or folder, used in reports */
  constructor(readonly id: string) {}

  /**
   * The `terraform` block as a resource-like entry with the address
   * `terraform`, for rules about the module itself (its state backend).
   * Rules reach it with `appliesTo: ["terraform"]`; it is not in `resources`.
   */
  get settings(): TfResource {
    this.settingsResource ??= {
      type: "terraform",
      name: "settings",
      address: "terraform",
      mode: "managed",
      body: this.terraform,
      source: this.resources[0]?.source ?? this.id,
      module: this,
    };
    return this.settingsResource;
  }

  /**
   * Adds a resource; returns undefined when its address is taken already.
   * `instance` gives an instance's full address and graph key (see TfResource.key).
   */
  add(
    type: string,
    name: string,
    mode: "managed" | "data",
    body: JsonObject,
    source: string,
    instance?: { readonly address: string; readonly key: string },
  ): TfResource | undefined {
    const written = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
    const address = instance?.address ?? written;
    if (this.byAddress.has(address) || (instance && this.byAddress.has(instance.key))) return undefined;
    const resource: TfResource = instance
      ? { type, name, address, mode, body, source, module: this, key: instance.key }
      : { type, name, address, mode, body, source, module: this };
    this.byAddress.set(address, resource);
    if (instance && instance.key !== address) this.byAddress.set(instance.key, resource);
    this.resources.push(resource);
    const list = this.byType.get(type);
    if (list) list.push(resource);
    else this.byType.set(type, [resource]);
    this.referrerIndex = undefined;
    // Only when they hold something: clear() gives a map a new table, and loading adds every resource in turn.
    if (this.memo.size > 0) this.memo.clear();
    if (this.expressions.size > 0) this.expressions.clear();
    return resource;
  }

  /**
   * A value computed once per module, for rules that would otherwise scan the
   * whole module for every resource (which log buckets receive logs, which
   * namespaces have a default-deny policy). Keep `key` unique per rule.
   */
  cached<T>(key: string, build: (module: TfModule) => T): T {
    // One lookup on a hit (rules ask this once per resource they judge); `has` only for a cached undefined.
    const known = this.memo.get(key);
    if (known !== undefined || this.memo.has(key)) return known as T;
    const built = build(this);
    this.memo.set(key, built);
    return built;
  }

  get(address: string): TfResource | undefined {
    return this.byAddress.get(address);
  }

  ofType(type: string): readonly TfResource[] {
    return this.byType.get(type) ?? [];
  }

  /** The modules applied before this one (`upstream`, followed transitively), each once, nearest first. */
  appliedBefore(): TfModule[] {
    const seen = new Set<TfModule>([this]);
    const order: TfModule[] = [];
    for (let i = -1; i < order.length; i++)
      for (const next of (i < 0 ? this : order[i]).upstream)
        if (!seen.has(next)) {
          seen.add(next);
          order.push(next);
        }
    return order;
  }

  /**
   * Resources of `type` here and in every module applied before this one
   * (appliedBefore), this module's first: what a rule may rely on being in
   * place when this module is applied.
   */
  ofTypeInScope(type: string): readonly TfResource[] {
    if (this.upstream.length === 0) return this.ofType(type);
    return [this, ...this.appliedBefore()].flatMap((module) => module.ofType(type));
  }

  /**
   * Resources whose top-level string argument `key` refers to `target`
   * (`bucket = "${aws_s3_bucket.x.id}"`), the way configuration resources
   * attach to what they configure. Built once per module, on first use;
   * references nested in blocks or lists are read forwards, with valueAt.
   */
  referrers(target: TfResource): ReadonlyArray<{ resource: TfResource; key: string }> {
    this.referrerIndex ??= buildReferrerIndex(this.resources, this.locals);
    return this.referrerIndex.get(target.key ?? target.address) ?? [];
  }
}

const REFERENCE = /\$\{\s*((?:data\.)?[A-Za-z][\w-]*\.[\w-]+)\b/g;

const LOCAL = /^\$\{\s*local\.([\w-]+)\s*\}$/;

/** A `${local.x}` string, followed through locals to the text it stands for. */
function throughLocals(text: string, locals: JsonObject): string {
  for (let depth = 0; depth < 8; depth++) {
    const match = LOCAL.exec(text);
    const next = match ? locals[match[1]] : undefined;
    if (typeof next !== "string") return text;
    text = next;
  }
  return text;
}

function buildReferrerIndex(
  resources: readonly TfResource[],
  locals: JsonObject,
): Map<string, Array<{ resource: TfResource; key: string }>> {
  const index = new Map<string, Array<{ resource: TfResource; key: string }>>();
  for (const resource of resources) {
    const body = resource.body;
    for (const key in body) {
      const raw = body[key];
      if (typeof raw !== "string" || raw.indexOf("${") < 0) continue;
      const text = throughLocals(raw, locals);
      REFERENCE.lastIndex = 0;
      let previous = "";
      for (let match = REFERENCE.exec(text); match; match = REFERENCE.exec(text)) {
        const address = match[1];
        if (address === previous) continue;
        previous = address;
        const entry = { resource, key };
        const list = index.get(address);
        if (list) list.push(entry);
        else index.set(address, [entry]);
      }
    }
  }
  return index;
}

/**
 * The provider configuration a resource is created through, as a key of
 * `TfModule.providers`: its `provider` meta-argument (`"aws.archive"` in
 * JSON, `${aws.archive}` from HCL) or, without one, the default configuration
 * of the provider its type names (`aws_s3_bucket`: `aws`).
 */
export function providerKey(resource: TfResource): string {
  const written = resource.body.provider;
  if (typeof written === "string") {
    const match = /^\$\{\s*([^}]*?)\s*\}$/.exec(written);
    return (match ? match[1] : written).trim();
  }
  return resource.type.split("_")[0];
}

/** A resource's address as a finding in `viewer` names it: with its module's id when it is upstream of there. */
export function addressFrom(resource: TfResource, viewer: TfModule): string {
  return resource.module === viewer ? resource.address : `${resource.address} (in ${resource.module.id})`;
}
