import { TfResource } from "../../../terraform/model";
import { valueAt } from "../../helpers";

/** `load_balancer_type` as written, "application" when absent (the provider default); undefined when not known before apply. */
export function loadBalancerType(lb: TfResource): string | undefined {
  const type = valueAt(lb, "load_balancer_type");
  if (type.state === "absent") return "application";
  return type.state === "known" ? String(type.value) : undefined;
}
