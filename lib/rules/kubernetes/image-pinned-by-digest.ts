import { fail, Rule, unresolved } from "../../compliance/rule";
import { describe, resolve } from "../helpers";
import { judgeContainers, WORKLOAD_TYPES } from "./util";
import { deploymentExample, RESTRICTED_CONTEXT } from "./container-examples";

const DIGEST = /@sha256:[0-9a-f]{64}(?![0-9a-zA-Z])/;

export const imagePinnedByDigest: Rule = {
  id: "k8s-image-pinned-by-digest",
  title: "Container images are pinned by sha256 digest",
  requirements: ["AICP-INTEGRITY-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: WORKLOAD_TYPES,
  checkov: ["CKV_K8S_43"],
  remediation: "Reference every image as repository@sha256:<digest> (a tag may stay in front of the digest).",
  examples: {
    good: [deploymentExample()],
    // A tag can be moved to another image after review.
    bad: [deploymentExample(RESTRICTED_CONTEXT, { image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/serving:latest" })],
  },
  check: (workload) =>
    judgeContainers(
      workload,
      (c) => {
        const image = resolve(workload, c.block.image);
        // A digest that arrives through interpolation cannot be checked before apply.
        if (image.state === "unknown" || image.state === "reference")
          return unresolved(`image is ${describe(image)}; the digest is not known before apply`);
        if (image.state === "absent") return fail("image is not set");
        const text = String(image.value);
        if (DIGEST.test(text)) return undefined;
        return fail(`image ${describe(image)} is not pinned by a sha256 digest`);
      },
      "every image is pinned by a sha256 digest",
    ),
};
