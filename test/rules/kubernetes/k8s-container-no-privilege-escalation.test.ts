import { containerNoPrivilegeEscalation } from "../../../lib/rules/kubernetes/container-no-privilege-escalation";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

describe("k8s-container-no-privilege-escalation", () => {
  it("requires allow_privilege_escalation = false on every container; absent means allowed", () => {
    const findings = checkJson(containerNoPrivilegeEscalation, {
      resource: {
        kubernetes_deployment_v1: {
          off: { spec: { template: { spec: { container: [{ name: "app", security_context: { allow_privilege_escalation: false } }] } } } },
          absent: { spec: { template: { spec: { container: [{ name: "app" }] } } } },
          init_on: {
            spec: {
              template: {
                spec: {
                  init_container: [{ name: "setup", security_context: { allow_privilege_escalation: true } }],
                  container: [{ name: "app", security_context: { allow_privilege_escalation: false } }],
                },
              },
            },
          },
          unknown: {
            spec: {
              template: { spec: { container: [{ name: "app", security_context: { allow_privilege_escalation: "${var.escalate}" } }] } },
            },
          },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_deployment_v1.off": "pass",
      "kubernetes_deployment_v1.absent": "fail",
      "kubernetes_deployment_v1.init_on": "fail",
      "kubernetes_deployment_v1.unknown": "fail",
    });
    expect(findingFor(findings, "kubernetes_deployment_v1.absent").message).toMatch(
      /container "app": .*not set \(Kubernetes then allows escalation\)/,
    );
    expect(findingFor(findings, "kubernetes_deployment_v1.init_on").message).toBe(
      'init_container "setup": security_context.allow_privilege_escalation is true',
    );
    expect(findingFor(findings, "kubernetes_deployment_v1.unknown").message).toMatch(/^unresolved: .*var\.escalate/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      containerNoPrivilegeEscalation,
      `resource "kubernetes_pod_v1" "ok" {
         spec {
           container {
             name = "app"
             security_context {
               allow_privilege_escalation = false
             }
           }
         }
       }
       resource "kubernetes_pod_v1" "default" {
         spec {
           container { name = "app" }
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "kubernetes_pod_v1.ok": "pass", "kubernetes_pod_v1.default": "fail" });
  });
});
