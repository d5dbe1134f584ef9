import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { Assumption, assumptionEntry } from "./assumptions";

const recorded = new WeakMap<TerraformStack, Assumption[]>();

/**
 * Records an assumption in the stack's synthesized JSON, under the
 * `terraform` block's `//` (comment) key, which Terraform ignores: `saip
 * check cdktf.out` reads it from there, so every report carries it.
 */
export function recordAssumption(scope: IConstruct, subject: string, assumed: string): void {
  const parsed = assumptionEntry().safeParse({ subject, assumed, construct: scope.node.path });
  if (!parsed.success)
    throw new Error(
      `${scope.node.path}: invalid assumption: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
    );
  const stack = TerraformStack.of(scope);
  const list = recorded.get(stack) ?? [];
  if (list.some((a) => a.subject === subject && a.assumed === assumed)) return;
  list.push(parsed.data);
  recorded.set(stack, list);
  stack.addOverride(
    "terraform.//.saip_assumptions",
    list.map((a) => ({ ...a })),
  );
}
