import { containerRunAsNonRoot } from "../../../lib/rules/kubernetes/container-run-as-non-root";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

/** A job whose pod spec has `pod` as its security_context and the given containers. */
const job = (pod: object | undefined, ...container: object[]) => ({
  spec: { template: { spec: { ...(pod ? { security_context: pod } : {}), container } } },
});

describe("k8s-container-run-as-non-root", () => {
  it("passes run_as_non_root or run_as_user > 0 on the container or the pod, and fails neither", () => {
    const findings = checkJson(containerRunAsNonRoot, {
      resource: {
        kubernetes_job_v1: {
          container_flag: job(undefined, { name: "a", security_context: { run_as_non_root: true } }),
          container_user: job(undefined, { name: "a", security_context: [{ run_as_user: 1000 }] }),
          pod_flag: job({ run_as_non_root: true }, { name: "a" }),
          pod_user: job([{ run_as_user: "65532" }], { name: "a" }),
          neither: job(
            { seccomp_profile: { type: "RuntimeDefault" } },
            { name: "a", security_context: { read_only_root_filesystem: true } },
          ),
          flag_false: job(undefined, { name: "a", security_context: { run_as_non_root: false } }),
          root: job(undefined, { name: "a", security_context: { run_as_user: 0 } }),
          one_of_two: job(undefined, { name: "a", security_context: { run_as_user: 1000 } }, { name: "b" }),
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_job_v1.container_flag": "pass",
      "kubernetes_job_v1.container_user": "pass",
      "kubernetes_job_v1.pod_flag": "pass",
      "kubernetes_job_v1.pod_user": "pass",
      "kubernetes_job_v1.neither": "fail",
      "kubernetes_job_v1.flag_false": "fail",
      "kubernetes_job_v1.root": "fail",
      "kubernetes_job_v1.one_of_two": "fail",
    });
    expect(findingFor(findings, "kubernetes_job_v1.neither").message).toBe(
      'container "a": neither run_as_non_root = true nor run_as_user > 0 is set on the container or the pod, so the image\'s user (often root) applies',
    );
    expect(findingFor(findings, "kubernetes_job_v1.flag_false").message).toMatch(
      /^container "a": security_context\.run_as_non_root is false and no run_as_user is set/,
    );
    expect(findingFor(findings, "kubernetes_job_v1.root").message).toBe('container "a": security_context.run_as_user is 0 (root)');
    expect(findingFor(findings, "kubernetes_job_v1.one_of_two").message).toMatch(/^container "b": neither/);
    expect(findingFor(findings, "kubernetes_job_v1.pod_flag").message).toMatch(/every container runs as non-root/);
  });

  it("lets container settings override the pod's, field by field", () => {
    const findings = checkJson(containerRunAsNonRoot, {
      resource: {
        kubernetes_deployment_v1: {
          flag_overridden: {
            spec: {
              template: {
                spec: {
                  security_context: { run_as_non_root: true },
                  container: [{ name: "a", security_context: { run_as_non_root: false } }],
                },
              },
            },
          },
          user_overridden: {
            spec: {
              template: {
                spec: { security_context: { run_as_user: 1000 }, container: [{ name: "a", security_context: { run_as_user: 0 } }] },
              },
            },
          },
          container_fixes_pod: {
            spec: {
              template: {
                spec: { security_context: { run_as_user: 0 }, container: [{ name: "a", security_context: { run_as_user: 1000 } }] },
              },
            },
          },
          pod_user_root: {
            spec: {
              template: {
                spec: { security_context: { run_as_user: 0 }, container: [{ name: "a", security_context: { run_as_non_root: true } }] },
              },
            },
          },
          init_from_pod: {
            spec: {
              template: {
                spec: {
                  security_context: { run_as_non_root: true },
                  init_container: [{ name: "init" }],
                  container: [{ name: "a", security_context: { run_as_user: 1000 } }],
                },
              },
            },
          },
          init_root: {
            spec: {
              template: {
                spec: {
                  init_container: [{ name: "init", security_context: { run_as_user: 0 } }],
                  container: [{ name: "a", security_context: { run_as_user: 1000 } }],
                },
              },
            },
          },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_deployment_v1.flag_overridden": "fail",
      "kubernetes_deployment_v1.user_overridden": "fail",
      "kubernetes_deployment_v1.container_fixes_pod": "pass",
      "kubernetes_deployment_v1.pod_user_root": "fail",
      "kubernetes_deployment_v1.init_from_pod": "pass",
      "kubernetes_deployment_v1.init_root": "fail",
    });
    expect(findingFor(findings, "kubernetes_deployment_v1.pod_user_root").message).toBe(
      'container "a": the pod\'s security_context.run_as_user is 0 (root)',
    );
    expect(findingFor(findings, "kubernetes_deployment_v1.init_root").message).toBe(
      'init_container "init": security_context.run_as_user is 0 (root)',
    );
  });

  it("is unresolved when a deciding value is an expression", () => {
    const findings = checkJson(containerRunAsNonRoot, {
      resource: {
        kubernetes_pod_v1: {
          user: { spec: { container: [{ name: "a", security_context: { run_as_user: "${var.uid}" } }] } },
          pod_context: { spec: { security_context: "${var.pod_context}", container: [{ name: "a" }] } },
          decided: {
            spec: { security_context: "${var.pod_context}", container: [{ name: "a", security_context: { run_as_user: 1000 } }] },
          },
          containers: { spec: { container: "${var.containers}" } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_pod_v1.user": "fail",
      "kubernetes_pod_v1.pod_context": "fail",
      "kubernetes_pod_v1.decided": "pass",
      "kubernetes_pod_v1.containers": "fail",
    });
    expect(findingFor(findings, "kubernetes_pod_v1.user").message).toMatch(
      /^unresolved: container "a": security_context\.run_as_user is .*var\.uid/,
    );
    expect(findingFor(findings, "kubernetes_pod_v1.pod_context").message).toMatch(
      /^unresolved: container "a": the pod's security_context\.run_as_user is .*var\.pod_context/,
    );
    expect(findingFor(findings, "kubernetes_pod_v1.containers").message).toMatch(/^unresolved: container is .*var\.containers/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      containerRunAsNonRoot,
      `resource "kubernetes_pod_v1" "ok" {
         spec {
           security_context { run_as_non_root = true }
           container { name = "app" }
         }
       }
       resource "kubernetes_pod_v1" "override" {
         spec {
           security_context { run_as_non_root = true }
           container {
             name = "app"
             security_context { run_as_non_root = false }
           }
         }
       }
       resource "kubernetes_pod_v1" "bare" {
         spec {
           container { name = "app" }
         }
       }`,
    );
    expect(statuses(findings)).toEqual({
      "kubernetes_pod_v1.ok": "pass",
      "kubernetes_pod_v1.override": "fail",
      "kubernetes_pod_v1.bare": "fail",
    });
    expect(findingFor(findings, "kubernetes_pod_v1.override").message).toMatch(/security_context\.run_as_non_root is false/);
  });
});
