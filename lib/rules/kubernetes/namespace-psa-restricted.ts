import { fail, pass, Rule, unresolved } from "../../compliance/rule";
import { describe, resolve } from "../helpers";
import { labelsOf, NAMESPACE_TYPES } from "./util";

const ENFORCE = "pod-security.kubernetes.io/enforce";

export const namespacePsaRestricted: Rule = {
  id: "k8s-namespace-psa-restricted",
  title: "Namespaces enforce the restricted Pod Security Standard",
  requirements: ["AICP-TENANT-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: NAMESPACE_TYPES,
  remediation: `Label the namespace ${ENFORCE} = "restricted".`,
  examples: {
    good: [
      `
      resource "kubernetes_namespace_v1" "team_a" {
        metadata {
          name   = "team-a"
          labels = { "saip.io/tenant" = "team-a", "pod-security.kubernetes.io/enforce" = "restricted" }
        }
      }
    `,
    ],
    bad: [
      `
      resource "kubernetes_namespace_v1" "team_a" {
        metadata {
          name   = "team-a"
          labels = { "saip.io/tenant" = "team-a", "pod-security.kubernetes.io/enforce" = "baseline" }
        }
      }
    `,
    ],
  },
  check(ns) {
    const found = labelsOf(ns);
    if ("unknown" in found) return unresolved(found.unknown);
    const level = resolve(ns, found.labels[ENFORCE]);
    if (level.state === "known" && level.value === "restricted") return pass(`metadata.labels["${ENFORCE}"] is "restricted"`);
    if (level.state === "unknown" || level.state === "reference") return unresolved(`metadata.labels["${ENFORCE}"] is ${describe(level)}`);
    return fail(`metadata.labels["${ENFORCE}"] is ${describe(level)}, expected "restricted"`);
  },
};
