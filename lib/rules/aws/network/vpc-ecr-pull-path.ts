import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { attached, describe, isOutcome, isTrue, policyStatements, principalIsWildcard, stringList, valueAt } from "../../helpers";
import { coversAction } from "../../policies/actions";
import { isEffect } from "../../policies/statements";

/** ECR serves image layers from this AWS-owned bucket, by URLs it signs (ECR User Guide, "Amazon ECR interface VPC endpoints"). */
const LAYER_BUCKET = /^arn:[^:]+:s3:::prod-[^:/]+-starport-layer-bucket\/\*$/;
const SERVICE = (suffix: string) => new RegExp(`\\.${suffix.replace(/\./g, "\\.")}$`);

/** The VPC's endpoints whose service name ends with `.<suffix>` (the region may be an interpolation). */
function endpoints(vpc: TfResource, suffix: string): TfResource[] {
  return attached(vpc, "aws_vpc_endpoint", "vpc_id").filter(
    (e) => typeof e.body.service_name === "string" && SERVICE(suffix).test(e.body.service_name),
  );
}

/** An interface endpoint with private DNS, so `<account>.dkr.ecr.<region>.amazonaws.com` resolves to it: pass, or why not. */
function interfaceEndpoint(vpc: TfResource, suffix: string): Outcome {
  const found = endpoints(vpc, suffix);
  if (found.length === 0) return fail(`no ${suffix} interface endpoint in the module has vpc_id referring to ${vpc.address}`);
  for (const endpoint of found) {
    const type = valueAt(endpoint, "vpc_endpoint_type");
    const dns = valueAt(endpoint, "private_dns_enabled");
    if (type.state === "known" && type.value === "Interface" && isTrue(dns)) return pass(`${endpoint.address} (private DNS)`);
    if (type.state !== "known" || (dns.state !== "known" && dns.state !== "absent"))
      return unresolved(`${endpoint.address} vpc_endpoint_type is ${describe(type)}, private_dns_enabled ${describe(dns)}`);
  }
  return fail(
    `${found.map((e) => e.address).join(", ")}: not an Interface endpoint with private_dns_enabled, so ECR's names resolve to public addresses`,
  );
}

/** The S3 gateway endpoint, on route tables, whose policy lets everyone GET ECR's layers. */
function layerPath(vpc: TfResource): Outcome {
  const found = endpoints(vpc, "s3").filter((e) => {
    const type = valueAt(e, "vpc_endpoint_type");
    return type.state === "known" && type.value === "Gateway";
  });
  if (found.length === 0)
    return fail(`no S3 gateway endpoint in the module has vpc_id referring to ${vpc.address}, so nodes cannot fetch image layers`);
  const problems: string[] = [];
  for (const endpoint of found) {
    const tables = valueAt(endpoint, "route_table_ids");
    if (tables.state === "absent" || (tables.state === "known" && stringList(tables.value).length === 0)) {
      problems.push(`${endpoint.address} is on no route table`);
      continue;
    }
    const statements = policyStatements(endpoint, "policy");
    if (isOutcome(statements)) return unresolved(`${endpoint.address}: ${statements.message}`);
    // No policy is the endpoint's full-access default.
    if (statements.length === 0) return pass(`${endpoint.address} (default policy)`);
    const allows = statements.some((s) => {
      if (!isEffect(s, "Allow") || !principalIsWildcard(s.Principal) || s.Condition !== undefined) return false;
      const resources = stringList(s.Resource);
      return coversAction(endpoint, s, "s3:GetObject") === true && resources.some((r) => r === "*" || LAYER_BUCKET.test(r));
    });
    if (allows) return pass(`${endpoint.address} (its policy allows s3:GetObject on ECR's layer bucket)`);
    problems.push(
      `${endpoint.address} policy does not allow s3:GetObject on arn:aws:s3:::prod-<region>-starport-layer-bucket/* to every principal without conditions`,
    );
  }
  return fail(problems.join("; "));
}

export const vpcEcrPullPath: Rule = {
  id: "aws-vpc-ecr-pull-path",
  title: "Nodes in the VPC can pull from ECR without internet access",
  requirements: ["AICP-INTEGRITY-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_vpc"],
  effect:
    "An image pull from the private subnets reaches ECR: ecr.api (authentication) and ecr.dkr (manifests) through interface endpoints with private DNS, and the layers through an S3 gateway endpoint whose policy allows ECR's layer bucket.",
  remediation:
    "Add Interface endpoints for com.amazonaws.<region>.ecr.api and .ecr.dkr with private_dns_enabled = true, and an S3 Gateway endpoint on the private route tables whose policy allows s3:GetObject on arn:aws:s3:::prod-<region>-starport-layer-bucket/* (PrivateNetwork does).",
  examples: {
    good: [
      `
      resource "aws_vpc" "platform" {
        cidr_block = "10.0.0.0/16"
      }

      resource "aws_route_table" "private" {
        vpc_id = aws_vpc.platform.id
      }

      resource "aws_vpc_endpoint" "ecr_api" {
        vpc_id              = aws_vpc.platform.id
        service_name        = "com.amazonaws.eu-west-1.ecr.api"
        vpc_endpoint_type   = "Interface"
        private_dns_enabled = true
      }

      resource "aws_vpc_endpoint" "ecr_dkr" {
        vpc_id              = aws_vpc.platform.id
        service_name        = "com.amazonaws.eu-west-1.ecr.dkr"
        vpc_endpoint_type   = "Interface"
        private_dns_enabled = true
      }

      resource "aws_vpc_endpoint" "s3" {
        vpc_id            = aws_vpc.platform.id
        service_name      = "com.amazonaws.eu-west-1.s3"
        vpc_endpoint_type = "Gateway"
        route_table_ids   = [aws_route_table.private.id]
      }
    `,
    ],
    bad: [
      `
      resource "aws_vpc" "platform" {
        cidr_block = "10.0.0.0/16"
      }

      resource "aws_route_table" "private" {
        vpc_id = aws_vpc.platform.id
      }

      resource "aws_vpc_endpoint" "ecr_api" {
        vpc_id              = aws_vpc.platform.id
        service_name        = "com.amazonaws.eu-west-1.ecr.api"
        vpc_endpoint_type   = "Interface"
        private_dns_enabled = true
      }

      resource "aws_vpc_endpoint" "ecr_dkr" {
        vpc_id              = aws_vpc.platform.id
        service_name        = "com.amazonaws.eu-west-1.ecr.dkr"
        vpc_endpoint_type   = "Interface"
        private_dns_enabled = true
      }
    `,
    ],
  },
  check(vpc) {
    const parts = [interfaceEndpoint(vpc, "ecr.api"), interfaceEndpoint(vpc, "ecr.dkr"), layerPath(vpc)];
    const failed = parts.filter((p) => p.status === "fail");
    if (failed.length > 0) return fail(failed.map((p) => p.message).join("; "));
    const open = parts.filter((p) => p.status === "unresolved");
    if (open.length > 0) return unresolved(open.map((p) => p.message).join("; "));
    return pass(`ECR is reachable without internet: ${parts.map((p) => p.message).join(", ")}`);
  },
};
