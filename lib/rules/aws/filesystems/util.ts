import { Resolved } from "../../../terraform/values";
import { TfResource } from "../../../terraform/model";
import { valueAt } from "../../helpers";

/** An FSx for Lustre deployment type: SCRATCH_1 when unset, as in the provider. */
export function lustreDeploymentType(fs: TfResource): { value: Resolved; type?: string; scratch: boolean } {
  const value = valueAt(fs, "deployment_type");
  if (value.state === "unknown" || value.state === "reference") return { value, scratch: false };
  const type = value.state === "known" ? String(value.value) : "SCRATCH_1";
  return { value, type, scratch: type.startsWith("SCRATCH") };
}
