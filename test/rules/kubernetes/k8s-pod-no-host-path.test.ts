import { podNoHostPath } from "../../../lib/rules/kubernetes/pod-no-host-path";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

describe("k8s-pod-no-host-path", () => {
  it("fails any host_path volume, in object or list form, and passes other volumes", () => {
    const findings = checkJson(podNoHostPath, {
      resource: {
        kubernetes_daemon_set_v1: {
          host_list: {
            spec: [
              {
                template: [
                  {
                    spec: [
                      {
                        container: [{ name: "a" }],
                        volume: [
                          { name: "cache", empty_dir: [{}] },
                          { name: "sock", host_path: [{ path: "/var/lib/kubelet/device-plugins" }] },
                        ],
                      },
                    ],
                  },
                ],
              },
            ],
          },
          host_object: { spec: { template: { spec: { container: { name: "a" }, volume: { name: "root", host_path: { path: "/" } } } } } },
          empty_dir: {
            spec: {
              template: {
                spec: {
                  container: [{ name: "a" }],
                  volume: [
                    { name: "cache", empty_dir: {} },
                    { name: "cfg", config_map: { name: "x" } },
                  ],
                },
              },
            },
          },
          no_volumes: { spec: { template: { spec: { container: [{ name: "a" }] } } } },
          empty_host_path: { spec: { template: { spec: { container: [{ name: "a" }], volume: [{ name: "x", host_path: [] }] } } } },
        },
        kubernetes_cron_job_v1: {
          nested: {
            spec: {
              job_template: {
                spec: { template: { spec: { container: [{ name: "a" }], volume: [{ name: "logs", host_path: { path: "/var/log" } }] } } },
              },
            },
          },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_daemon_set_v1.host_list": "fail",
      "kubernetes_daemon_set_v1.host_object": "fail",
      "kubernetes_daemon_set_v1.empty_dir": "pass",
      "kubernetes_daemon_set_v1.no_volumes": "pass",
      "kubernetes_daemon_set_v1.empty_host_path": "pass",
      "kubernetes_cron_job_v1.nested": "fail",
    });
    expect(findingFor(findings, "kubernetes_daemon_set_v1.host_list").message).toBe(
      'the pod mounts the host\'s file system: volume "sock" mounts host_path "/var/lib/kubelet/device-plugins"',
    );
    expect(findingFor(findings, "kubernetes_daemon_set_v1.host_object").message).toMatch(/volume "root" mounts host_path "\/"/);
    expect(findingFor(findings, "kubernetes_cron_job_v1.nested").message).toMatch(/volume "logs" mounts host_path "\/var\/log"/);
    expect(findingFor(findings, "kubernetes_daemon_set_v1.empty_dir").message).toBe("no volume of the pod is a host_path");
  });

  it("is unresolved when the volumes or the pod spec are expressions", () => {
    const findings = checkJson(podNoHostPath, {
      resource: {
        kubernetes_pod_v1: {
          volumes: { spec: { container: [{ name: "a" }], volume: "${var.volumes}" } },
          host_path: { spec: { container: [{ name: "a" }], volume: [{ name: "v", host_path: "${var.host_path}" }] } },
          spec: { spec: "${var.spec}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_pod_v1.volumes": "fail",
      "kubernetes_pod_v1.host_path": "fail",
      "kubernetes_pod_v1.spec": "fail",
    });
    expect(findings.every((f) => f.unresolved)).toBe(true);
    expect(findingFor(findings, "kubernetes_pod_v1.volumes").message).toMatch(/^unresolved: volume is .*var\.volumes/);
    expect(findingFor(findings, "kubernetes_pod_v1.host_path").message).toMatch(/^unresolved: volume "v": host_path is .*var\.host_path/);
    expect(findingFor(findings, "kubernetes_pod_v1.spec").message).toMatch(/^unresolved: the pod spec at spec cannot be read/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      podNoHostPath,
      `resource "kubernetes_deployment_v1" "host" {
         spec {
           template {
             spec {
               container { name = "app" }
               volume {
                 name = "docker"
                 host_path { path = "/var/run/docker.sock" }
               }
             }
           }
         }
       }
       resource "kubernetes_deployment_v1" "scratch" {
         spec {
           template {
             spec {
               container { name = "app" }
               volume {
                 name = "scratch"
                 empty_dir {}
               }
             }
           }
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "kubernetes_deployment_v1.host": "fail", "kubernetes_deployment_v1.scratch": "pass" });
    expect(findingFor(findings, "kubernetes_deployment_v1.host").message).toMatch(
      /volume "docker" mounts host_path "\/var\/run\/docker\.sock"/,
    );
  });
});
