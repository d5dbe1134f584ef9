import { fail, Outcome, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { attached, describe, isTrue, valueAt } from "../../helpers";

/** Why a detector protects nothing, or undefined when it is on (`enable` defaults to true). */
export function detectorOff(detector: TfResource): Outcome | undefined {
  const enable = valueAt(detector, "enable");
  if (enable.state === "absent" || isTrue(enable)) return undefined;
  if (enable.state === "unknown" || enable.state === "reference") return unresolved(`enable is ${describe(enable)}`);
  return fail(`the detector is disabled: enable is ${describe(enable)}`);
}

export interface FeatureStates {
  /** Names of features enabled by aws_guardduty_detector_feature resources. */
  readonly enabled: Set<string>;
  /** Features whose name or status is not known before apply. */
  readonly unknown: string[];
}

/** What the aws_guardduty_detector_feature resources attached to a detector turn on. */
export function detectorFeatures(detector: TfResource): FeatureStates {
  const enabled = new Set<string>();
  const unknown: string[] = [];
  for (const feature of attached(detector, "aws_guardduty_detector_feature", "detector_id")) {
    const name = valueAt(feature, "name");
    const status = valueAt(feature, "status");
    if (name.state !== "known" || (status.state !== "known" && status.state !== "absent")) unknown.push(feature.address);
    else if (status.state === "known" && String(status.value).toUpperCase() === "ENABLED") enabled.add(String(name.value));
  }
  return { enabled, unknown };
}
