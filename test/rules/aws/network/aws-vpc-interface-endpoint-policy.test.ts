import { vpcInterfaceEndpointPolicy as rule } from "../../../../lib/rules/aws/network/vpc-interface-endpoint-policy";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const ACCOUNT = "${data.aws_caller_identity.c.account_id}";
const accountOnly = {
  Sid: "AccountPrincipalsOnly",
  Effect: "Allow",
  Principal: "*",
  Action: "*",
  Resource: "*",
  Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
};
const endpoint = (service: string, extra: object = {}) => ({
  vpc_id: "vpc-1",
  vpc_endpoint_type: "Interface",
  service_name: `com.amazonaws.\${data.aws_region.r.region}.${service}`,
  ...extra,
});

describe("aws-vpc-interface-endpoint-policy", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_vpc_endpoint: {
        kms: endpoint("kms", { policy: policy(accountOnly) }),
        sts: endpoint("sts", {
          policy: policy(accountOnly, {
            Sid: "WebIdentity",
            Effect: "Allow",
            Principal: "*",
            Action: "sts:AssumeRoleWithWebIdentity",
            Resource: `arn:aws:iam::${ACCOUNT}:role/*`,
          }),
        }),
        org: endpoint("logs", { policy: policy({ ...accountOnly, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }) }),
        separate: endpoint("ecr.api"),
        none: endpoint("ecr.dkr"),
        open: endpoint("ec2", { policy: policy({ Sid: "Everyone", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }) }),
        pinned_to_anyone: endpoint("eks", {
          policy: policy({ ...accountOnly, Condition: { StringEquals: { "aws:PrincipalAccount": "*" } } }),
        }),
        no_policies: endpoint("ssmmessages"),
        ec2messages: endpoint("ec2messages"),
        ssm: endpoint("ssm", { policy: policy(accountOnly) }),
        eks_auth_default: endpoint("eks-auth"),
        gateway: { vpc_id: "vpc-1", vpc_endpoint_type: "Gateway", service_name: "com.amazonaws.eu-west-1.s3" },
        default_type: { vpc_id: "vpc-1", service_name: "com.amazonaws.eu-west-1.dynamodb" },
        variable_service: { vpc_id: "vpc-1", vpc_endpoint_type: "Interface", service_name: "${var.service}" },
        variable_policy: endpoint("kms", { policy: "${var.policy}" }),
      },
      aws_vpc_endpoint_policy: { separate: { vpc_endpoint_id: "${aws_vpc_endpoint.separate.id}", policy: policy(accountOnly) } },
    },
  });

  it("passes policies that pin the principal's account or organization, or name only the account's resources", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_vpc_endpoint.kms": "pass",
      "aws_vpc_endpoint.sts": "pass",
      "aws_vpc_endpoint.org": "pass",
      "aws_vpc_endpoint.separate": "pass",
      "aws_vpc_endpoint.ssm": "pass",
    });
  });

  it("fails endpoints with the default policy or an Allow open to any account", () => {
    expect(findingFor(findings, "aws_vpc_endpoint.none").message).toMatch(
      /the ecr\.dkr endpoint has no policy, so AWS's default lets any principal of any account use it/,
    );
    expect(findingFor(findings, "aws_vpc_endpoint.open").message).toMatch(
      /statement "Everyone" allows every principal without pinning aws:PrincipalAccount/,
    );
    expect(findingFor(findings, "aws_vpc_endpoint.pinned_to_anyone").status).toBe("fail");
    // eks-auth takes a policy (EKS User Guide, "Access Amazon EKS using AWS PrivateLink").
    expect(findingFor(findings, "aws_vpc_endpoint.eks_auth_default").message).toMatch(/the eks-auth endpoint has no policy/);
  });

  it("does not apply to services that take no policy, gateway endpoints, or endpoints of the default (Gateway) type", () => {
    for (const name of ["no_policies", "ec2messages", "gateway", "default_type"])
      expect(findings.filter((f) => f.resource === `aws_vpc_endpoint.${name}`)).toEqual([]);
  });

  it("leaves services and policies known only at apply unresolved", () => {
    expect(findingFor(findings, "aws_vpc_endpoint.variable_service").unresolved).toBe(true);
    expect(findingFor(findings, "aws_vpc_endpoint.variable_policy").unresolved).toBe(true);
    expect(findingFor(findings, "aws_vpc_endpoint.variable_policy").message).toMatch(/var\.policy/);
  });

  it("reads HCL", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_vpc_endpoint" "kms" {
         vpc_id = "vpc-1"
         vpc_endpoint_type = "Interface"
         service_name = "com.amazonaws.eu-west-1.kms"
       }
       resource "aws_vpc_endpoint" "sts" {
         vpc_id = "vpc-1"
         vpc_endpoint_type = "Interface"
         service_name = "com.amazonaws.eu-west-1.sts"
         policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "*", Resource = "*" }] })
       }
       variable "policy" {}
       resource "aws_vpc_endpoint" "ecr" {
         vpc_id = "vpc-1"
         vpc_endpoint_type = "Interface"
         service_name = "com.amazonaws.eu-west-1.ecr.api"
         policy = var.policy
       }`,
    );
    // jsonencode of known values is read as the policy it encodes; a variable with no value stays unknown.
    expect(statuses(hcl)).toEqual({ "aws_vpc_endpoint.kms": "fail", "aws_vpc_endpoint.sts": "fail", "aws_vpc_endpoint.ecr": "fail" });
    expect(findingFor(hcl, "aws_vpc_endpoint.sts").unresolved).toBeFalsy();
    expect(findingFor(hcl, "aws_vpc_endpoint.ecr").unresolved).toBe(true);
  });
});
