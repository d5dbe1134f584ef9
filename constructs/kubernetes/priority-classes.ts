import { PriorityClassV1 } from "@cdktf/provider-kubernetes/lib/priority-class-v1";
import { Construct } from "constructs";

/** Priority of inference pods: above training, far below the system classes (2000000000 and up). */
export const INFERENCE_PRIORITY = 100000;
/** Priority of training pods. */
export const TRAINING_PRIORITY = 10000;

/**
 * The platform's two workload priority classes. Inference (`saip-inference`)
 * may preempt training pods when GPUs run short, so serving keeps its
 * capacity; training (`saip-training`) never preempts anything, so a large
 * job cannot evict others and only waits for free capacity. Neither is the
 * cluster default: pods opt in with `priority_class_name`. The classes are
 * cluster-wide: on a shared pool one tenant's inference pods may preempt
 * another tenant's training pods, which dedicated pools avoid.
 */
export class WorkloadPriorityClasses extends Construct {
  readonly inferenceClassName: string;
  readonly trainingClassName: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const labels = { "app.kubernetes.io/part-of": "saip" };
    const inference = new PriorityClassV1(this, "Inference", {
      metadata: { name: "saip-inference", labels },
      value: INFERENCE_PRIORITY,
      globalDefault: false,
      preemptionPolicy: "PreemptLowerPriority",
      description: "Inference serving: may preempt training pods for capacity.",
    });
    const training = new PriorityClassV1(this, "Training", {
      metadata: { name: "saip-training", labels },
      value: TRAINING_PRIORITY,
      globalDefault: false,
      preemptionPolicy: "Never",
      description: "Training and batch jobs: wait for capacity, never preempt other pods.",
    });
    this.inferenceClassName = inference.metadata.name;
    this.trainingClassName = training.metadata.name;
  }
}
