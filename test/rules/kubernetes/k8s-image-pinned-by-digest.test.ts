import { imagePinnedByDigest } from "../../../lib/rules/kubernetes/image-pinned-by-digest";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

const DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

describe("k8s-image-pinned-by-digest", () => {
  it("requires every image to carry a sha256 digest", () => {
    const findings = checkJson(imagePinnedByDigest, {
      resource: {
        kubernetes_deployment_v1: {
          pinned: { spec: { template: { spec: { container: [{ name: "app", image: `registry.example/app@${DIGEST}` }] } } } },
          tag_and_digest: { spec: { template: { spec: { container: [{ name: "app", image: `registry.example/app:1.2@${DIGEST}` }] } } } },
          tag: { spec: { template: { spec: { container: [{ name: "app", image: "registry.example/app:1.2" }] } } } },
          short: { spec: { template: { spec: { container: [{ name: "app", image: "registry.example/app@sha256:0123" }] } } } },
          init_tag: {
            spec: {
              template: {
                spec: {
                  init_container: [{ name: "setup", image: "busybox:latest" }],
                  container: [{ name: "app", image: `app@${DIGEST}` }],
                },
              },
            },
          },
          unknown: { spec: { template: { spec: { container: [{ name: "app", image: "${var.image}" }] } } } },
          interpolated: { spec: { template: { spec: { container: [{ name: "app", image: "registry.example/app@${var.digest}" }] } } } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_deployment_v1.pinned": "pass",
      "kubernetes_deployment_v1.tag_and_digest": "pass",
      "kubernetes_deployment_v1.tag": "fail",
      "kubernetes_deployment_v1.short": "fail",
      "kubernetes_deployment_v1.init_tag": "fail",
      "kubernetes_deployment_v1.unknown": "fail",
      "kubernetes_deployment_v1.interpolated": "fail",
    });
    expect(findingFor(findings, "kubernetes_deployment_v1.tag").message).toBe(
      'container "app": image "registry.example/app:1.2" is not pinned by a sha256 digest',
    );
    expect(findingFor(findings, "kubernetes_deployment_v1.init_tag").message).toMatch(/^init_container "setup": image "busybox:latest"/);
    expect(findingFor(findings, "kubernetes_deployment_v1.unknown").message).toMatch(/^unresolved: .*var\.image/);
    expect(findingFor(findings, "kubernetes_deployment_v1.interpolated").message).toMatch(/^unresolved: .*not known before apply/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      imagePinnedByDigest,
      `resource "kubernetes_pod_v1" "pinned" {
         spec {
           container {
             name  = "app"
             image = "app@${DIGEST}"
           }
         }
       }
       resource "kubernetes_pod_v1" "latest" {
         spec {
           container {
             name  = "app"
             image = "app:latest"
           }
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "kubernetes_pod_v1.pinned": "pass", "kubernetes_pod_v1.latest": "fail" });
  });
});
