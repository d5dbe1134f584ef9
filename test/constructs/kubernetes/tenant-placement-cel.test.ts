import { PLACEMENT_VALIDATIONS, PLACEMENT_VARIABLES } from "../../../lib/rules/kubernetes/placement-policy";
import { compileCel } from "./cel-subset";

const variables = PLACEMENT_VARIABLES.map((v) => ({ name: v.name, evaluate: compileCel(v.expression) }));
const validations = PLACEMENT_VALIDATIONS.map((v) => ({ message: v.message, evaluate: compileCel(v.expression) }));

type Pod = { nodeName?: string; nodeSelector?: Record<string, string>; tolerations?: Array<Record<string, string>> };

/**
 * What the API server decides for a pod under the policy: "admitted", or the
 * messages of the failing validations; an evaluation error counts as a
 * denial, as failurePolicy Fail makes it.
 */
function admit(spec: Pod, labels: Record<string, string>, operation = "CREATE"): string[] | "admitted" {
  const env: Record<string, unknown> = {
    object: { metadata: { name: "p" }, spec: { containers: [], ...spec } },
    namespaceObject: { metadata: { name: "ns", labels } },
    request: { operation },
  };
  const vars: Record<string, unknown> = {};
  for (const v of variables) vars[v.name] = v.evaluate({ ...env, variables: vars });
  const denied: string[] = [];
  for (const v of validations) {
    let ok: unknown;
    try {
      ok = v.evaluate({ ...env, variables: vars });
    } catch (e) {
      denied.push(`error: ${(e as Error).message}`);
      continue;
    }
    if (ok !== true) denied.push(v.message);
  }
  return denied.length === 0 ? "admitted" : denied;
}

const SHARED = { "saip.io/tenant": "team-a", "saip.io/placement": "shared" };
const DEDICATED = { "saip.io/tenant": "team-a", "saip.io/placement": "dedicated" };
const GPU = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };
const OWN = { key: "saip.io/tenant", operator: "Equal", value: "team-a", effect: "NoSchedule" };
const [NODE_NAME, TOLERATION, DEDICATED_POOL] = PLACEMENT_VALIDATIONS.map((v) => v.message);

describe("the tenant placement policy's CEL, evaluated on sample pods", () => {
  it("admits what tenantPodSpecDefaults gives a shared and a dedicated tenant, and what Kubernetes adds", () => {
    const defaults = [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: "300" }];
    expect(admit({ tolerations: [GPU, ...defaults] }, SHARED)).toBe("admitted");
    expect(admit({ nodeSelector: { "saip.io/tenant": "team-a" }, tolerations: [OWN, GPU] }, DEDICATED)).toBe("admitted");
    expect(admit({}, SHARED)).toBe("admitted");
  });

  it("denies nodeName on creation, which would bypass the taints, but lets a scheduled pod be updated", () => {
    expect(admit({ nodeName: "ip-10-0-1-5", tolerations: [GPU] }, SHARED)).toEqual([NODE_NAME]);
    expect(admit({ nodeName: "ip-10-0-1-5", tolerations: [GPU] }, SHARED, "UPDATE")).toBe("admitted");
  });

  it("denies tolerating another tenant's taint, in any form, and tolerating every taint", () => {
    expect(admit({ tolerations: [{ key: "saip.io/tenant", operator: "Equal", value: "team-b", effect: "NoSchedule" }] }, SHARED)).toEqual([
      TOLERATION,
    ]);
    expect(admit({ tolerations: [{ key: "saip.io/tenant", operator: "Exists", effect: "NoSchedule" }] }, SHARED)).toEqual([TOLERATION]);
    expect(admit({ tolerations: [{ key: "saip.io/tenant", value: "team-b" }] }, SHARED)).toEqual([TOLERATION]);
    expect(admit({ tolerations: [{ operator: "Exists" }] }, SHARED)).toEqual([TOLERATION]);
    expect(admit({ tolerations: [{ key: "", operator: "Exists" }] }, SHARED)).toEqual([TOLERATION]);
    // Its own taint, written with the default operator, is fine.
    expect(admit({ tolerations: [{ key: "saip.io/tenant", value: "team-a" }] }, SHARED)).toBe("admitted");
  });

  it("makes a dedicated tenant's pods select its pool, and only its pool", () => {
    expect(admit({ tolerations: [OWN, GPU] }, DEDICATED)).toEqual([DEDICATED_POOL]);
    expect(admit({ nodeSelector: { "saip.io/tenant": "team-b" }, tolerations: [OWN] }, DEDICATED)).toEqual([DEDICATED_POOL]);
    expect(admit({ nodeSelector: { "kubernetes.io/arch": "amd64" } }, DEDICATED)).toEqual([DEDICATED_POOL]);
    // A shared tenant need not select anything.
    expect(admit({ nodeSelector: { "kubernetes.io/arch": "amd64" } }, SHARED)).toBe("admitted");
  });

  it("reports every broken rule of one pod", () => {
    expect(admit({ nodeName: "n", tolerations: [{ operator: "Exists" }] }, DEDICATED)).toEqual([NODE_NAME, TOLERATION, DEDICATED_POOL]);
  });
});
