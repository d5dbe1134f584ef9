import { s3ModelStorePublisherOnly } from "../../../../lib/rules/aws/s3/s3-model-store-publisher-only";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const PUBLISHER = "${aws_iam_role.publisher.arn}";
const WRITES = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"];
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const deny = (bucket: string, condition?: object, action: string[] = WRITES, resource = `\${aws_s3_bucket.${bucket}.arn}/*`) => ({
  Effect: "Deny",
  Principal: "*",
  Action: action,
  Resource: resource,
  ...(condition ? { Condition: condition } : {}),
});
const only = (arn: string) => ({ ArnNotEquals: { "aws:PrincipalArn": [arn] } });

describe("aws-s3-model-store-publisher-only", () => {
  it("passes a model store only its publisher writes, fails open ones and leaves unknown exceptions unresolved", () => {
    const names = ["guarded", "no_policy", "put_only", "prefix_only", "any_role", "variable", "datasets"];
    const findings = checkJson(s3ModelStorePublisherOnly, {
      resource: {
        aws_iam_role: { publisher: { assume_role_policy: "{}" } },
        aws_s3_bucket: Object.fromEntries(
          names.map((n) => [n, { bucket_prefix: `${n.replace("_", "-")}-`, tags: { Purpose: n === "datasets" ? "datasets" : "models" } }]),
        ),
        aws_s3_bucket_policy: {
          guarded: { bucket: "${aws_s3_bucket.guarded.id}", policy: policy(deny("guarded", only(PUBLISHER))) },
          put_only: { bucket: "${aws_s3_bucket.put_only.id}", policy: policy(deny("put_only", only(PUBLISHER), ["s3:PutObject"])) },
          prefix_only: {
            bucket: "${aws_s3_bucket.prefix_only.id}",
            policy: policy(deny("prefix_only", only(PUBLISHER), WRITES, "${aws_s3_bucket.prefix_only.arn}/team-a/*")),
          },
          any_role: {
            bucket: "${aws_s3_bucket.any_role.id}",
            policy: policy(deny("any_role", { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/*" } })),
          },
          variable: { bucket: "${aws_s3_bucket.variable.id}", policy: policy(deny("variable", only("${var.writer}"))) },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_s3_bucket.guarded": "pass",
      "aws_s3_bucket.no_policy": "fail",
      "aws_s3_bucket.put_only": "fail",
      "aws_s3_bucket.prefix_only": "fail",
      "aws_s3_bucket.any_role": "fail",
      "aws_s3_bucket.variable": "fail",
    });
    expect(findingFor(findings, "aws_s3_bucket.guarded").message).toBe(
      `aws_s3_bucket_policy.guarded statement 1 denies writes by everyone but ${PUBLISHER}`,
    );
    expect(findingFor(findings, "aws_s3_bucket.no_policy").message).toMatch(/^no bucket policy: any principal/);
    expect(findingFor(findings, "aws_s3_bucket.put_only").message).toMatch(
      /^no statement denies s3:DeleteObject, s3:DeleteObjectVersion on every object/,
    );
    expect(findingFor(findings, "aws_s3_bucket.prefix_only").message).toMatch(
      /^no statement denies s3:PutObject, s3:DeleteObject, s3:DeleteObjectVersion/,
    );
    expect(findingFor(findings, "aws_s3_bucket.variable").message).toMatch(/^unresolved: .*var\.writer.*not known before apply/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      s3ModelStorePublisherOnly,
      `resource "aws_s3_bucket" "models" {
         bucket = "acme-models"
         tags = { Purpose = "models" }
       }
       resource "aws_s3_bucket_policy" "models" {
         bucket = aws_s3_bucket.models.id
         policy = <<EOT
${policy(deny("models", only("arn:aws:iam::111122223333:role/models-publisher"), ["s3:PutObject", "s3:DeleteObject*"], "arn:aws:s3:::acme-models/*"))}
EOT
       }
       resource "aws_s3_bucket" "open" {
         tags = { purpose = "models" }
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_s3_bucket.models": "pass", "aws_s3_bucket.open": "fail" });
  });
});
