import { containerNotPrivileged } from "../../../lib/rules/kubernetes/container-not-privileged";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

describe("k8s-container-not-privileged", () => {
  it("fails any privileged container or init container, in every workload form", () => {
    const findings = checkJson(containerNotPrivileged, {
      resource: {
        kubernetes_pod_v1: { plain: { metadata: { name: "p" }, spec: { container: [{ name: "app", image: "x" }] } } },
        kubernetes_deployment_v1: {
          privileged: { spec: { template: { spec: { container: [{ name: "app", security_context: { privileged: true } }] } } } },
        },
        kubernetes_daemon_set_v1: {
          init: {
            spec: [
              {
                template: [
                  {
                    spec: [
                      {
                        init_container: [{ name: "setup", security_context: [{ privileged: "true" }] }],
                        container: [{ name: "app", security_context: { privileged: false } }],
                      },
                    ],
                  },
                ],
              },
            ],
          },
        },
        kubernetes_cron_job_v1: {
          unknown: {
            spec: {
              job_template: {
                spec: { template: { spec: { container: [{ name: "job", security_context: { privileged: "${var.privileged}" } }] } } },
              },
            },
          },
        },
        kubernetes_job_v1: { no_spec: { spec: { template: "${var.template}" } } },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_pod_v1.plain": "pass",
      "kubernetes_deployment_v1.privileged": "fail",
      "kubernetes_daemon_set_v1.init": "fail",
      "kubernetes_cron_job_v1.unknown": "fail",
      "kubernetes_job_v1.no_spec": "fail",
    });
    expect(findingFor(findings, "kubernetes_deployment_v1.privileged").message).toBe(
      'container "app": security_context.privileged is true',
    );
    expect(findingFor(findings, "kubernetes_daemon_set_v1.init").message).toBe(
      'init_container "setup": security_context.privileged is true',
    );
    expect(findingFor(findings, "kubernetes_cron_job_v1.unknown").message).toMatch(/^unresolved: container "job": .*var\.privileged/);
    expect(findingFor(findings, "kubernetes_job_v1.no_spec").message).toMatch(
      /^unresolved: the pod spec at spec\.template\.spec cannot be read: spec\.template is .*var\.template/,
    );
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      containerNotPrivileged,
      `resource "kubernetes_deployment_v1" "ok" {
         spec {
           template {
             spec {
               container {
                 name  = "app"
                 image = "x"
               }
             }
           }
         }
       }
       resource "kubernetes_pod_v1" "root" {
         spec {
           container {
             name = "app"
             security_context {
               privileged = true
             }
           }
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "kubernetes_deployment_v1.ok": "pass", "kubernetes_pod_v1.root": "fail" });
  });
});
