import { containerReadOnlyRootFs } from "../../../lib/rules/kubernetes/container-read-only-root-fs";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

describe("k8s-container-read-only-root-fs", () => {
  it("requires read_only_root_filesystem = true on every container", () => {
    const findings = checkJson(containerReadOnlyRootFs, {
      resource: {
        kubernetes_job_v1: {
          ro: { spec: { template: { spec: { container: [{ name: "train", security_context: { read_only_root_filesystem: true } }] } } } },
          absent: { spec: { template: { spec: { container: [{ name: "train" }] } } } },
          second: {
            spec: {
              template: {
                spec: {
                  container: [
                    { name: "a", security_context: { read_only_root_filesystem: true } },
                    { name: "b", security_context: { read_only_root_filesystem: false } },
                  ],
                },
              },
            },
          },
          unknown: { spec: { template: { spec: { container: "${var.containers}" } } } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_job_v1.ro": "pass",
      "kubernetes_job_v1.absent": "fail",
      "kubernetes_job_v1.second": "fail",
      "kubernetes_job_v1.unknown": "fail",
    });
    expect(findingFor(findings, "kubernetes_job_v1.absent").message).toBe(
      'container "train": security_context.read_only_root_filesystem is not set',
    );
    expect(findingFor(findings, "kubernetes_job_v1.second").message).toBe(
      'container "b": security_context.read_only_root_filesystem is false',
    );
    expect(findingFor(findings, "kubernetes_job_v1.unknown").message).toMatch(/^unresolved: container is .*var\.containers/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      containerReadOnlyRootFs,
      `resource "kubernetes_pod_v1" "ok" {
         spec {
           container {
             name = "app"
             security_context {
               read_only_root_filesystem = true
             }
           }
         }
       }
       resource "kubernetes_pod_v1" "writable" {
         spec {
           container { name = "app" }
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "kubernetes_pod_v1.ok": "pass", "kubernetes_pod_v1.writable": "fail" });
  });
});
