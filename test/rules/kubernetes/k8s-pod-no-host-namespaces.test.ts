import { podNoHostNamespaces } from "../../../lib/rules/kubernetes/pod-no-host-namespaces";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

describe("k8s-pod-no-host-namespaces", () => {
  it("fails pods that share host PID, IPC or network", () => {
    const findings = checkJson(podNoHostNamespaces, {
      resource: {
        kubernetes_pod: { plain: { spec: { container: [{ name: "app" }], host_network: false } } },
        kubernetes_deployment: { host_net: { spec: { template: { spec: { host_network: true, container: [{ name: "app" }] } } } } },
        kubernetes_stateful_set_v1: {
          pid_ipc: { spec: [{ template: [{ spec: [{ host_pid: true, host_ipc: "true", container: [{ name: "db" }] }] }] }] },
        },
        kubernetes_cron_job: {
          unknown: { spec: { job_template: { spec: { template: { spec: { host_pid: "${var.pid}", container: [{ name: "job" }] } } } } } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_pod.plain": "pass",
      "kubernetes_deployment.host_net": "fail",
      "kubernetes_stateful_set_v1.pid_ipc": "fail",
      "kubernetes_cron_job.unknown": "fail",
    });
    expect(findingFor(findings, "kubernetes_deployment.host_net").message).toMatch(/host_network is true/);
    expect(findingFor(findings, "kubernetes_stateful_set_v1.pid_ipc").message).toMatch(/host_pid is true, host_ipc is true/);
    expect(findingFor(findings, "kubernetes_cron_job.unknown").message).toMatch(/^unresolved: host_pid is .*var\.pid/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      podNoHostNamespaces,
      `resource "kubernetes_pod_v1" "ok" {
         spec {
           container { name = "app" }
         }
       }
       resource "kubernetes_daemonset" "agent" {
         spec {
           template {
             spec {
               host_pid = true
               container { name = "agent" }
             }
           }
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "kubernetes_pod_v1.ok": "pass", "kubernetes_daemonset.agent": "fail" });
  });
});
