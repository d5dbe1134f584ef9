/** The restricted security context a tenant container runs with: the container rules' good example. */
export const RESTRICTED_CONTEXT: Readonly<Record<string, string>> = {
  allow_privilege_escalation: "false",
  privileged: "false",
  read_only_root_filesystem: "true",
  run_as_non_root: "true",
};

/** The private ECR image, by digest, the examples' container runs. */
export const EXAMPLE_IMAGE =
  "111122223333.dkr.ecr.eu-west-1.amazonaws.com/serving@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/** What a rule's bad example changes in the pod: its image, or HCL written into the pod spec before the container. */
export interface PodChange {
  readonly image?: string;
  readonly podSpec?: string;
}

/**
 * A tenant Deployment whose one container has `context` and runs `pod.image` (each rule's bad example changes one
 * setting of the restricted context, the image, or the pod spec).
 */
export function deploymentExample(context: Readonly<Record<string, string>> = RESTRICTED_CONTEXT, pod: PodChange = {}): string {
  const width = Math.max(...Object.keys(context).map((name) => name.length));
  const settings = Object.entries(context).map(([name, value]) => `                  ${name.padEnd(width)} = ${value}`);
  const podSpec = pod.podSpec ? `${pod.podSpec.replace(/^\n+|\s+$/g, "")}\n` : "";
  return `
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
${podSpec}              container {
                name  = "server"
                image = "${pod.image ?? EXAMPLE_IMAGE}"
                security_context {
${settings.join("\n")}
                  capabilities {
                    drop = ["ALL"]
                  }
                }
              }
            }
          }
        }
      }
    `;
}
