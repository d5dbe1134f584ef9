import { Aspects, IAspect, TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { waiverSchemas, WaiverFields } from "./waivers";

/** A waiver given in code: the rule it waives for a construct's resources, why, who owns it, until when. */
export type ConstructWaiver = Omit<WaiverFields, "construct">;

const stamped = new WeakMap<TerraformResource, WaiverFields[]>();

/**
 * Writes waivers into every resource below a construct, under the
 * resource's `//` (comment) key, so they travel inside the synthesized JSON:
 * `saip check cdktf.out` honours them without a waivers file, and every
 * report lists them.
 */
class WaiverStamp implements IAspect {
  constructor(private readonly waiver: WaiverFields) {}

  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node)) return;
    const list = stamped.get(node) ?? [];
    if (list.some((w) => w.rule === this.waiver.rule && w.construct === this.waiver.construct)) return;
    list.push(this.waiver);
    stamped.set(node, list);
    node.addOverride(
      "//.saip_waivers",
      list.map((w) => ({ ...w })),
    );
  }
}

/** Waivers for the resources of a construct and everything below it. */
export class Waivers {
  static of(scope: IConstruct): Waivers {
    return new Waivers(scope);
  }

  private constructor(private readonly scope: IConstruct) {}

  /** Waives `rule` for every resource below the construct. The reason must say why, in 20 characters or more. */
  add(waiver: ConstructWaiver): this {
    const parsed = waiverSchemas().embeddedWaiver.safeParse({ ...waiver, construct: this.scope.node.path });
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`${this.scope.node.path}: invalid waiver for ${waiver.rule}: ${problems}`);
    }
    Aspects.of(this.scope).add(new WaiverStamp(parsed.data));
    return this;
  }
}
