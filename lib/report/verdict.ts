import { FailOn, Report } from "../compliance/finding";
import { failing } from "./markdown-model";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The verdict at the fail-on threshold, in the same words in every report. */
export function verdictText(report: Report, failOn: FailOn = "mandatory"): string {
  const mandatory = failing(report, "mandatory");
  const recommended = failing(report, "recommended");
  if (failOn === "mandatory") {
    return mandatory.count === 0
      ? "PASS: no mandatory requirement fails"
      : `FAIL: ${plural(mandatory.count, "mandatory finding fails", "mandatory findings fail")}`;
  }
  if (failOn === "recommended") {
    const n = mandatory.count + recommended.count;
    return n === 0
      ? "PASS: no mandatory or recommended requirement fails"
      : `FAIL: ${plural(n, "mandatory or recommended finding fails", "mandatory or recommended findings fail")}`;
  }
  return "PASS: nothing fails the check at fail-on none";
}
