import { imageFromPrivateRegistry, registryOf } from "../../../lib/rules/kubernetes/image-from-private-registry";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

const DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
const ECR = "111122223333.dkr.ecr.eu-west-1.amazonaws.com";
const deployment = (image: string, init?: string) => ({
  spec: {
    template: { spec: { ...(init ? { init_container: [{ name: "setup", image: init }] } : {}), container: [{ name: "app", image }] } },
  },
});

describe("k8s-image-from-private-registry", () => {
  it("passes private ECR images and fails public registries a VPC without egress cannot reach", () => {
    const findings = checkJson(imageFromPrivateRegistry, {
      resource: {
        aws_ecr_repository: { app: { name: "app" } },
        kubernetes_deployment_v1: {
          mirror: deployment(`${ECR}/mirror/nvidia/k8s-device-plugin@${DIGEST}`),
          cache: deployment(`${ECR}/ecr-public/aws-nitro-enclaves/plugin:v0.3@${DIGEST}`),
          china: deployment(`111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/app@${DIGEST}`),
          repository: deployment(`\${aws_ecr_repository.app.repository_url}@${DIGEST}`),
          nvcr: deployment(`nvcr.io/nvidia/k8s-device-plugin@${DIGEST}`),
          ecr_public: deployment(`public.ecr.aws/aws-nitro-enclaves/plugin@${DIGEST}`),
          docker_hub: deployment(`${ECR}/app@${DIGEST}`, "busybox:1.36"),
          unknown: deployment("${var.image}"),
          elsewhere: deployment(`\${aws_ecr_repository.other.repository_url}@${DIGEST}`),
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_deployment_v1.mirror": "pass",
      "kubernetes_deployment_v1.cache": "pass",
      "kubernetes_deployment_v1.china": "pass",
      "kubernetes_deployment_v1.repository": "pass",
      "kubernetes_deployment_v1.nvcr": "fail",
      "kubernetes_deployment_v1.ecr_public": "fail",
      "kubernetes_deployment_v1.docker_hub": "fail",
      "kubernetes_deployment_v1.unknown": "fail",
      "kubernetes_deployment_v1.elsewhere": "fail",
    });
    expect(findingFor(findings, "kubernetes_deployment_v1.mirror").message).toBe(
      "every image comes from a private ECR registry (reached through the VPC's ECR and S3 endpoints)",
    );
    expect(findingFor(findings, "kubernetes_deployment_v1.nvcr").message).toBe(
      `container "app": image "nvcr.io/nvidia/k8s-device-plugin@${DIGEST}" comes from nvcr.io, which a VPC without egress cannot reach; mirror it into the platform's ECR`,
    );
    expect(findingFor(findings, "kubernetes_deployment_v1.ecr_public").message).toMatch(
      /comes from public\.ecr\.aws, which a VPC without egress cannot reach/,
    );
    expect(findingFor(findings, "kubernetes_deployment_v1.docker_hub").message).toMatch(
      /^init_container "setup": image "busybox:1\.36" comes from docker\.io/,
    );
    expect(findingFor(findings, "kubernetes_deployment_v1.unknown").message).toMatch(
      /^unresolved: container "app": image is \$\{var\.image\} \(unresolved\); its registry is not known before apply$/,
    );
    expect(findingFor(findings, "kubernetes_deployment_v1.elsewhere").message).toMatch(
      /^unresolved: .*aws_ecr_repository\.other, which is not in the module/,
    );
  });

  it("tells a registry host from a Docker Hub path", () => {
    expect(registryOf("busybox")).toBe("docker.io");
    expect(registryOf("library/busybox:1")).toBe("docker.io");
    expect(registryOf("localhost:5000/app")).toBe("localhost:5000");
    expect(registryOf(`${ECR}/a/b@${DIGEST}`)).toBe(ECR);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      imageFromPrivateRegistry,
      `resource "aws_ecr_repository" "app" {
         name = "app"
       }
       resource "kubernetes_daemon_set_v1" "mirror" {
         spec {
           template {
             spec {
               container {
                 name  = "app"
                 image = "\${aws_ecr_repository.app.repository_url}@${DIGEST}"
               }
             }
           }
         }
       }
       resource "kubernetes_pod_v1" "public" {
         spec {
           container {
             name  = "app"
             image = "quay.io/app@${DIGEST}"
           }
         }
       }
       resource "kubernetes_pod_v1" "variable" {
         spec {
           container {
             name  = "app"
             image = var.image
           }
         }
       }`,
    );
    expect(statuses(findings)).toEqual({
      "kubernetes_daemon_set_v1.mirror": "pass",
      "kubernetes_pod_v1.public": "fail",
      "kubernetes_pod_v1.variable": "fail",
    });
    expect(findingFor(findings, "kubernetes_pod_v1.public").message).toMatch(/comes from quay\.io/);
    expect(findingFor(findings, "kubernetes_pod_v1.variable").message).toMatch(/^unresolved: .*var\.image/);
  });
});
