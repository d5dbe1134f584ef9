import { imageValidations } from "../../../lib/rules/kubernetes/image-policy";
import { compileCel } from "./cel-subset";

const IMAGE_VALIDATIONS = imageValidations({ account: "111122223333", region: "eu-west-1" });
const validations = IMAGE_VALIDATIONS.map((v) => ({ message: v.message, evaluate: compileCel(v.expression) }));
const [CONTAINERS, INIT, EPHEMERAL] = IMAGE_VALIDATIONS.map((v) => v.message);
const DIGEST = "a".repeat(64);
const GOOD = `111122223333.dkr.ecr.eu-west-1.amazonaws.com/serving/llm@sha256:${DIGEST}`;

/** The API server's decision under the policy: "admitted", or the failing validations' messages (an error denies: failurePolicy Fail). */
function admit(spec: Record<string, unknown>): string[] | "admitted" {
  const denied: string[] = [];
  for (const v of validations) {
    try {
      if (v.evaluate({ object: { spec: { containers: [], ...spec } } }) !== true) denied.push(v.message);
    } catch (e) {
      denied.push(`error: ${(e as Error).message}`);
    }
  }
  return denied.length === 0 ? "admitted" : denied;
}

describe("the image provenance policy's CEL, evaluated on sample pods", () => {
  it("admits the platform's ECR images by digest, its FIPS endpoint included", () => {
    expect(
      admit({
        containers: [{ image: GOOD }],
        initContainers: [{ image: `111122223333.dkr.ecr-fips.eu-west-1.amazonaws.com/verify@sha256:${DIGEST}` }],
      }),
    ).toBe("admitted");
  });

  it("admits a China region's ECR when the platform is there", () => {
    const evaluate = compileCel(imageValidations({ account: "111122223333", region: "cn-north-1" })[0].expression);
    expect(
      evaluate({ object: { spec: { containers: [{ image: `111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/a@sha256:${DIGEST}` }] } } }),
    ).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "another account's ECR",
      { containers: [{ image: `444455556666.dkr.ecr.eu-west-1.amazonaws.com/serving/llm@sha256:${DIGEST}` }] },
      [CONTAINERS],
    ],
    [
      "EKS's own registry account",
      { containers: [{ image: `602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni@sha256:${DIGEST}` }] },
      [CONTAINERS],
    ],
    [
      "the platform's account in another region",
      { containers: [{ image: `111122223333.dkr.ecr.us-east-1.amazonaws.com/serving/llm@sha256:${DIGEST}` }] },
      [CONTAINERS],
    ],
    ["a tag", { containers: [{ image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/serving/llm:v3" }] }, [CONTAINERS]],
    ["a public registry", { containers: [{ image: `docker.io/library/python@sha256:${DIGEST}` }] }, [CONTAINERS]],
    ["ECR Public", { containers: [{ image: `public.ecr.aws/nginx/nginx@sha256:${DIGEST}` }] }, [CONTAINERS]],
    [
      "a look-alike host",
      { containers: [{ image: `111122223333.dkr.ecr.eu-west-1.amazonaws.com.evil.example/a@sha256:${DIGEST}` }] },
      [CONTAINERS],
    ],
    ["a tag and a digest", { containers: [{ image: `111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:v1@sha256:${DIGEST}` }] }, [CONTAINERS]],
    ["a short digest", { containers: [{ image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/a@sha256:abc" }] }, [CONTAINERS]],
    ["a tagged init container", { containers: [{ image: GOOD }], initContainers: [{ image: "busybox:latest" }] }, [INIT]],
    [
      "a debug container from Docker Hub",
      { containers: [{ image: GOOD }], ephemeralContainers: [{ image: "nicolaka/netshoot" }] },
      [EPHEMERAL],
    ],
  ])("denies %s", (_title, spec, messages) => {
    expect(admit(spec)).toEqual(messages);
  });
});
