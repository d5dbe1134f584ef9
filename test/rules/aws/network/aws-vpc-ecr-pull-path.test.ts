import { vpcEcrPullPath } from "../../../../lib/rules/aws/network/vpc-ecr-pull-path";
import { checkHcl, checkJson, findingFor } from "../../harness";

const REGION = "${data.aws_region.current.region}";
const iface = (service: string, extra: object = {}) => ({
  vpc_id: "${aws_vpc.main.id}",
  service_name: `com.amazonaws.${REGION}.${service}`,
  vpc_endpoint_type: "Interface",
  private_dns_enabled: true,
  ...extra,
});
const layers = {
  Sid: "EcrImageLayers",
  Effect: "Allow",
  Principal: "*",
  Action: "s3:GetObject",
  Resource: "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*",
};
const accountOnly = {
  Effect: "Allow",
  Principal: "*",
  Action: "*",
  Resource: "*",
  Condition: { StringEquals: { "aws:ResourceAccount": "111122223333" } },
};
const s3 = (statements?: object[], extra: object = {}) => ({
  vpc_id: "${aws_vpc.main.id}",
  service_name: `com.amazonaws.${REGION}.s3`,
  vpc_endpoint_type: "Gateway",
  route_table_ids: ["${aws_route_table.private.id}"],
  ...(statements ? { policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) } : {}),
  ...extra,
});
const vpc = (endpoints: Record<string, object>) => ({
  resource: { aws_vpc: { main: { cidr_block: "10.0.0.0/16" } }, aws_vpc_endpoint: endpoints },
});

describe("aws-vpc-ecr-pull-path", () => {
  it("passes a VPC with both ECR interface endpoints and an S3 gateway endpoint that lets layers through", () => {
    const findings = checkJson(vpcEcrPullPath, vpc({ api: iface("ecr.api"), dkr: iface("ecr.dkr"), s3: s3([accountOnly, layers]) }));
    expect(findingFor(findings, "aws_vpc.main")).toMatchObject({
      status: "pass",
      message:
        "ECR is reachable without internet: aws_vpc_endpoint.api (private DNS), aws_vpc_endpoint.dkr (private DNS), aws_vpc_endpoint.s3 (its policy allows s3:GetObject on ECR's layer bucket)",
    });
    expect(
      findingFor(checkJson(vpcEcrPullPath, vpc({ api: iface("ecr.api"), dkr: iface("ecr.dkr"), s3: s3() })), "aws_vpc.main").message,
    ).toMatch(/aws_vpc_endpoint\.s3 \(default policy\)$/);
  });

  it.each([
    [
      "without ecr.dkr",
      { api: iface("ecr.api"), s3: s3([layers]) },
      "no ecr.dkr interface endpoint in the module has vpc_id referring to aws_vpc.main",
    ],
    [
      "with ecr.api lacking private DNS",
      { api: iface("ecr.api", { private_dns_enabled: false }), dkr: iface("ecr.dkr"), s3: s3([layers]) },
      "aws_vpc_endpoint.api: not an Interface endpoint with private_dns_enabled, so ECR's names resolve to public addresses",
    ],
    [
      "without the S3 gateway",
      { api: iface("ecr.api"), dkr: iface("ecr.dkr") },
      "no S3 gateway endpoint in the module has vpc_id referring to aws_vpc.main, so nodes cannot fetch image layers",
    ],
    [
      "whose S3 policy keeps to the account's buckets",
      { api: iface("ecr.api"), dkr: iface("ecr.dkr"), s3: s3([accountOnly]) },
      "aws_vpc_endpoint.s3 policy does not allow s3:GetObject on arn:aws:s3:::prod-<region>-starport-layer-bucket/* to every principal without conditions",
    ],
    [
      "whose S3 gateway is on no route table",
      { api: iface("ecr.api"), dkr: iface("ecr.dkr"), s3: s3([layers], { route_table_ids: [] }) },
      "aws_vpc_endpoint.s3 is on no route table",
    ],
  ])("fails a VPC %s", (_, endpoints, message) => {
    expect(findingFor(checkJson(vpcEcrPullPath, vpc(endpoints)), "aws_vpc.main")).toMatchObject({ status: "fail", message });
  });

  it("is unresolved when the endpoint policy or its settings are not known before apply", () => {
    const policy = checkJson(
      vpcEcrPullPath,
      vpc({ api: iface("ecr.api"), dkr: iface("ecr.dkr"), s3: s3(undefined, { policy: "${var.s3_policy}" }) }),
    );
    expect(findingFor(policy, "aws_vpc.main").message).toBe(
      "unresolved: aws_vpc_endpoint.s3: policy is ${var.s3_policy} (unresolved); the policy cannot be read before apply",
    );
    const dns = checkJson(
      vpcEcrPullPath,
      vpc({ api: iface("ecr.api", { private_dns_enabled: "${var.dns}" }), dkr: iface("ecr.dkr"), s3: s3([layers]) }),
    );
    expect(findingFor(dns, "aws_vpc.main").message).toMatch(
      /^unresolved: aws_vpc_endpoint\.api vpc_endpoint_type is "Interface", private_dns_enabled \$\{var\.dns\} \(unresolved\)$/,
    );
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      vpcEcrPullPath,
      `resource "aws_vpc" "main" {
         cidr_block = "10.0.0.0/16"
       }
       resource "aws_vpc" "bare" {
         cidr_block = "10.1.0.0/16"
       }
       resource "aws_vpc_endpoint" "api" {
         vpc_id              = aws_vpc.main.id
         service_name        = "com.amazonaws.eu-west-1.ecr.api"
         vpc_endpoint_type   = "Interface"
         private_dns_enabled = true
       }
       resource "aws_vpc_endpoint" "dkr" {
         vpc_id              = aws_vpc.main.id
         service_name        = "com.amazonaws.eu-west-1.ecr.dkr"
         vpc_endpoint_type   = "Interface"
         private_dns_enabled = true
       }
       resource "aws_vpc_endpoint" "s3" {
         vpc_id            = aws_vpc.main.id
         service_name      = "com.amazonaws.eu-west-1.s3"
         vpc_endpoint_type = "Gateway"
         route_table_ids   = [aws_route_table.private.id]
       }`,
    );
    expect(findingFor(findings, "aws_vpc.main").status).toBe("pass");
    expect(findingFor(findings, "aws_vpc.bare").message).toMatch(
      /^no ecr\.api interface endpoint in the module has vpc_id referring to aws_vpc\.bare/,
    );
  });
});
