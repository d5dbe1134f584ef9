import { PriorityClassV1 } from "@cdktf/provider-kubernetes/lib/priority-class-v1";
import { Testing } from "cdktf";
import { INFERENCE_PRIORITY, TRAINING_PRIORITY, WorkloadPriorityClasses } from "../../../constructs/kubernetes/priority-classes";
import { SecureStack } from "../../../lib/secure-stack";
import { failures, findingsOf, synthJson } from "./engine";

function setup() {
  const stack = new SecureStack(Testing.app(), "test");
  const classes = new WorkloadPriorityClasses(stack, "Priorities");
  return { stack, classes, synth: Testing.synth(stack), json: synthJson(stack) };
}

describe("WorkloadPriorityClasses", () => {
  it("puts inference above training; inference may preempt, training never does", () => {
    const { synth } = setup();
    expect(synth).toHaveResourceWithProperties(PriorityClassV1, {
      metadata: { name: "saip-inference", labels: { "app.kubernetes.io/part-of": "saip" } },
      value: 100000,
      preemption_policy: "PreemptLowerPriority",
      global_default: false,
    });
    expect(synth).toHaveResourceWithProperties(PriorityClassV1, {
      metadata: { name: "saip-training", labels: { "app.kubernetes.io/part-of": "saip" } },
      value: 10000,
      preemption_policy: "Never",
      global_default: false,
    });
    expect(INFERENCE_PRIORITY).toBeGreaterThan(TRAINING_PRIORITY);
  });

  it("is nobody's default and stays below the system classes", () => {
    const { json } = setup();
    const classes = Object.values(json.resource.kubernetes_priority_class_v1) as Array<{ global_default: boolean; value: number }>;
    expect(classes).toHaveLength(2);
    for (const c of classes) {
      expect(c.global_default).toBe(false);
      // system-cluster-critical is 2000000000; user classes must stay at or below 1000000000.
      expect(c.value).toBeLessThanOrEqual(1000000000);
    }
  });

  it("exposes the class names as references", () => {
    const { classes } = setup();
    expect(classes.inferenceClassName).toMatch(/^\$\{TfToken/);
    expect(classes.trainingClassName).toMatch(/^\$\{TfToken/);
  });

  it("has no failing finding under the compliance engine (no rule judges priority classes)", () => {
    const { stack, json } = setup();
    const findings = findingsOf(stack, json);
    expect(failures(findings)).toEqual([]);
    // Only the module's own backend is judged (a test stack has none).
    expect(findings.filter((f) => f.resource !== "terraform")).toEqual([]);
  });
});
