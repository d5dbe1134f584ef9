import { fail, Rule, unresolved } from "../../compliance/rule";
import { describe, resolve } from "../helpers";
import { judgeContainers, WORKLOAD_TYPES } from "./util";

const DIGEST = /@sha256:[0-9a-f]{64}(?![0-9a-zA-Z])/;

export const imagePinnedByDigest: Rule = {
  id: "k8s-image-pinned-by-digest",
  title: "Container images are pinned by sha256 digest",
  requirements: ["AICP-INTEGRITY-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: WORKLOAD_TYPES,
  checkov: ["CKV_K8S_43"],
  remediation: "Reference every image as repository@sha256:<digest> (a tag may stay in front of the digest).",
  examples: {
    good: [
      `
      resource "kubernetes_deployment_v1" "inference" {
        metadata {
          name      = "inference"
          namespace = "team-a"
        }
        spec {
          selector {
            match_labels = { app = "inference" }
          }
          template {
            metadata {
              labels = { app = "inference" }
            }
            spec {
              container {
                name  = "server"
                image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/serving@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                security_context {
                  allow_privilege_escalation = false
                  privileged                 = false
                  read_only_root_filesystem  = true
                  run_as_non_root            = true
                  capabilities {
                    drop = ["ALL"]
                  }
                }
              }
            }
          }
        }
      }
    `,
    ],
    bad: [
      `
      resource "kubernetes_deployment_v1" "inference" {
        metadata {
          name      = "inference"
          namespace = "team-a"
        }
        spec {
          selector {
            match_labels = { app = "inference" }
          }
          template {
            metadata {
              labels = { app = "inference" }
            }
            spec {
              container {
                name  = "server"
                image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/serving:latest"
                security_context {
                  allow_privilege_escalation = false
                  privileged                 = false
                  read_only_root_filesystem  = true
                  run_as_non_root            = true
                  capabilities {
                    drop = ["ALL"]
                  }
                }
              }
            }
          }
        }
      }
    `,
    ],
  },
  check: (workload) =>
    judgeContainers(
      workload,
      (c) => {
        const image = resolve(workload, c.block.image);
        // A digest that arrives through interpolation cannot be checked before apply.
        if (image.state === "unknown" || image.state === "reference")
          return unresolved(`image is ${describe(image)}; the digest is not known before apply`);
        if (image.state === "absent") return fail("image is not set");
        const text = String(image.value);
        if (DIGEST.test(text)) return undefined;
        return fail(`image ${describe(image)} is not pinned by a sha256 digest`);
      },
      "every image is pinned by a sha256 digest",
    ),
};
