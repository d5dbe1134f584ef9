/** The restricted security context a tenant container runs with: the container rules' good example. */
export const RESTRICTED_CONTEXT: Readonly<Record<string, string>> = {
  allow_privilege_escalation: "false",
  privileged: "false",
  read_only_root_filesystem: "true",
  run_as_non_root: "true",
};

/** A tenant Deployment whose one container has `context` (each rule's bad example changes one setting of the restricted one). */
export function deploymentExample(context: Readonly<Record<string, string>> = RESTRICTED_CONTEXT): string {
  const width = Math.max(...Object.keys(context).map((name) => name.length));
  const settings = Object.entries(context).map(([name, value]) => `                  ${name.padEnd(width)} = ${value}`);
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
              container {
                name  = "server"
                image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/serving@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
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
