import { fail, Rule, unresolved } from "../../compliance/rule";
import { describe, resolve } from "../helpers";
import { judgeContainers, WORKLOAD_TYPES } from "./util";
import { deploymentExample, RESTRICTED_CONTEXT } from "./container-examples";

/** A private ECR registry host: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`. */
export const PRIVATE_ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/;
/** `${aws_ecr_repository.x.repository_url}` at the start of an image: a repository of the module. */
const REPOSITORY_REFERENCE = /^\$\{\s*(aws_ecr_repository\.[\w-]+)\.repository_url\s*\}/;

/** The registry host of an image reference: the first path part when it looks like a host, else Docker Hub. */
export function registryOf(image: string): string {
  const slash = image.indexOf("/");
  const first = slash < 0 ? "" : image.slice(0, slash);
  return first !== "" && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "docker.io";
}

export const imageFromPrivateRegistry: Rule = {
  id: "k8s-image-from-private-registry",
  title: "Container images come from a private ECR registry the VPC reaches",
  requirements: ["AICP-INTEGRITY-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: WORKLOAD_TYPES,
  effect:
    "Every image is pulled from a private ECR registry, which nodes in a VPC without egress reach through its ecr.api, ecr.dkr and S3 endpoints, so the pod starts instead of waiting in ImagePullBackOff.",
  remediation:
    "Mirror the image into the platform's ECR (ImageMirror: mirror repositories, or pull-through cache for ECR Public, registry.k8s.io and Quay) and reference it as <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<digest>.",
  examples: {
    good: [deploymentExample()],
    // A public registry, which nodes in a VPC without egress cannot reach.
    bad: [
      deploymentExample(RESTRICTED_CONTEXT, {
        image: "nvcr.io/nvidia/tritonserver@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      }),
    ],
  },
  check: (workload) =>
    judgeContainers(
      workload,
      (c) => {
        const raw = c.block.image;
        if (typeof raw === "string") {
          const ref = REPOSITORY_REFERENCE.exec(raw);
          if (ref)
            return workload.module.get(ref[1])
              ? undefined
              : unresolved(`image starts with the URL of ${ref[1]}, which is not in the module`);
        }
        const image = resolve(workload, raw);
        if (image.state === "unknown" || image.state === "reference")
          return unresolved(`image is ${describe(image)}; its registry is not known before apply`);
        if (image.state === "absent") return fail("image is not set");
        const host = registryOf(String(image.value));
        if (PRIVATE_ECR_HOST.test(host)) return undefined;
        return fail(
          `image ${describe(image)} comes from ${host}, which a VPC without egress cannot reach; mirror it into the platform's ECR`,
        );
      },
      "every image comes from a private ECR registry (reached through the VPC's ECR and S3 endpoints)",
    ),
};
