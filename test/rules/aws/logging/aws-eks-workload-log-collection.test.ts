import { eksWorkloadLogCollection as rule } from "../../../../lib/rules/aws/logging/eks-workload-log-collection";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const APP = "/saip/gpu/workloads/platform";
// Fluent Bit's own variables are escaped from Terraform as $${...}, as the synthesized JSON writes them.
const pipeline = (group: string) =>
  `[OUTPUT]\n  Name cloudwatch_logs\n  Match application.*\n  region $\${AWS_REGION}\n  log_group_name ${group}\n  auto_create_group false\n`;
const config = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    containerLogs: {
      enabled: true,
      fluentBit: {
        config: { extraFiles: { "application-log.conf": pipeline(APP), "dataplane-log.conf": "# off", "host-log.conf": "# off" } },
      },
    },
    ...extra,
  });

/** A private cluster with one GPU node group and a collector that can deliver; `edit` breaks one part. */
function platform(edit: (r: Record<string, Record<string, Record<string, unknown>>>) => void = () => {}) {
  const resource: Record<string, Record<string, Record<string, unknown>>> = {
    aws_vpc: { main: {} },
    aws_subnet: { a: { vpc_id: "${aws_vpc.main.id}" } },
    aws_vpc_endpoint: Object.fromEntries(
      ["logs", "ecr.api", "ecr.dkr", "ec2", "eks-auth", "s3"].map((s) => [
        s.replace(/[.-]/g, "_"),
        {
          vpc_id: "${aws_vpc.main.id}",
          service_name: `com.amazonaws.\${data.aws_region.current.region}.${s}`,
          ...(s === "s3" ? { vpc_endpoint_type: "Gateway" } : { vpc_endpoint_type: "Interface", private_dns_enabled: true }),
        },
      ]),
    ),
    aws_eks_cluster: { gpu: { name: "gpu", vpc_config: { subnet_ids: ["${aws_subnet.a.id}"] } } },
    aws_eks_node_group: {
      gpu: {
        cluster_name: "${aws_eks_cluster.gpu.name}",
        ami_type: "AL2023_x86_64_NVIDIA",
        taint: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
      },
    },
    aws_iam_role: { collector: {} },
    aws_iam_role_policy: {
      collector: {
        role: "${aws_iam_role.collector.name}",
        policy: JSON.stringify({
          Statement: [
            { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" },
            { Effect: "Allow", Action: ["ec2:DescribeTags", "ec2:DescribeVolumes"], Resource: "*" },
          ],
        }),
      },
    },
    aws_cloudwatch_log_group: { platform: { name: APP } },
    aws_eks_addon: {
      agent: { cluster_name: "${aws_eks_cluster.gpu.name}", addon_name: "eks-pod-identity-agent" },
      logs: {
        cluster_name: "${aws_eks_cluster.gpu.name}",
        addon_name: "amazon-cloudwatch-observability",
        configuration_values: config(),
        pod_identity_association: [{ role_arn: "${aws_iam_role.collector.arn}", service_account: "cloudwatch-agent" }],
      },
    },
  };
  edit(resource);
  return { resource };
}

const outcome = (edit: Parameters<typeof platform>[0]) => findingFor(checkJson(rule, platform(edit)), "aws_eks_cluster.gpu");

describe("aws-eks-workload-log-collection", () => {
  it("passes a collector with its own writing role, created groups and a logs endpoint", () => {
    const finding = outcome(() => {});
    expect(finding.status).toBe("pass");
    expect(finding.message).toMatch(/writes to \/saip\/gpu\/workloads\/platform, all created here/);
    expect(finding.message).toMatch(/aws_iam_role\.collector may write log events/);
    expect(finding.message).toMatch(/through aws_vpc_endpoint\.logs, and ECR, EC2 and eks-auth through their endpoints/);
  });

  it("reads Fluent Bit's variables escaped (as synthesized) or literal (as Terraform evaluated them)", () => {
    expect(
      outcome((r) => {
        r.aws_eks_addon.logs.configuration_values = config().replace("$${AWS_REGION}", "${AWS_REGION}");
      }).status,
    ).toBe("pass");
  });

  it("judges only clusters with accelerator node groups", () => {
    const findings = checkJson(
      rule,
      platform((r) => {
        r.aws_eks_node_group.gpu.ami_type = "AL2023_x86_64_STANDARD";
        r.aws_eks_node_group.gpu.instance_types = ["m7i.large"];
      }),
    );
    expect(statuses(findings)).toEqual({});
  });

  it("fails a GPU cluster without the collector add-on", () => {
    const finding = outcome((r) => delete r.aws_eks_addon.logs);
    expect(finding.status).toBe("fail");
    expect(finding.message).toMatch(
      /accelerator node groups aws_eks_node_group\.gpu \(ami_type is "AL2023_x86_64_NVIDIA"\) run on this cluster, but no amazon-cloudwatch-observability add-on/,
    );
  });

  it("fails a collector that could not deliver: no identity, no Pod Identity agent, no write permission", () => {
    expect(outcome((r) => delete r.aws_eks_addon.logs.pod_identity_association).message).toMatch(
      /gives the cloudwatch-agent service account no role/,
    );
    expect(outcome((r) => delete r.aws_eks_addon.agent).message).toMatch(/needs the eks-pod-identity-agent add-on/);
    const readOnly = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "logs:GetLogEvents", Resource: "*" }] });
    const noWrite = outcome((r) => {
      r.aws_iam_role_policy.collector.policy = readOnly;
    });
    expect(noWrite.status).toBe("fail");
    expect(noWrite.message).toMatch(/no policy that allows logs:PutLogEvents/);
  });

  // The CloudWatch agent's Container Insights receiver calls DescribeTags and DescribeVolumes for its own node
  // (opentelemetry-collector-contrib, awscontainerinsightreceiver/internal/host/ec2tags.go, ebsvolume.go).
  it("fails a role or a VPC that keeps the agent from reading its node's tags and volumes", () => {
    const writeOnly = JSON.stringify({
      Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" }],
    });
    const noEc2 = outcome((r) => {
      r.aws_iam_role_policy.collector.policy = writeOnly;
    });
    expect(noEc2.status).toBe("fail");
    expect(noEc2.message).toMatch(
      /aws_iam_role\.collector has no policy that allows ec2:DescribeTags and ec2:DescribeVolumes, so the CloudWatch agent's records lack/,
    );
    const tagsOnly = JSON.stringify({
      Statement: [
        { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" },
        { Effect: "Allow", Action: "ec2:DescribeTags", Resource: "*" },
      ],
    });
    expect(
      outcome((r) => {
        r.aws_iam_role_policy.collector.policy = tagsOnly;
      }).message,
    ).toMatch(/no policy that allows ec2:DescribeVolumes,/);
    const managed = outcome((r) => {
      r.aws_iam_role_policy.collector.policy = writeOnly;
      r.aws_iam_role_policy_attachment = {
        agent: { role: "${aws_iam_role.collector.name}", policy_arn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy" },
      };
    });
    expect(managed.status).toBe("pass");
    expect(outcome((r) => delete r.aws_vpc_endpoint.ec2).message).toMatch(
      /no ec2 endpoint, so the collector cannot read its node's tags and volumes from EC2/,
    );
  });

  it("fails groups the Terraform does not create, the add-on's defaults included", () => {
    const missing = outcome((r) => delete r.aws_cloudwatch_log_group.platform);
    expect(missing.message).toMatch(/writes to \/saip\/gpu\/workloads\/platform, which this module does not create/);
    const defaults = outcome((r) => delete r.aws_eks_addon.logs.configuration_values);
    expect(defaults.status).toBe("fail");
    expect(defaults.message).toMatch(
      /\/aws\/containerinsights\/gpu\/application, \/aws\/containerinsights\/gpu\/dataplane, \/aws\/containerinsights\/gpu\/host, which this module does not create/,
    );
    expect(
      outcome((r) => {
        r.aws_eks_addon.logs.configuration_values = JSON.stringify({ containerLogs: { enabled: false } });
      }).message,
    ).toMatch(/turns containerLogs off/);
  });

  it("fails tolerations that keep Fluent Bit off the GPU nodes, and a VPC with no way to CloudWatch Logs", () => {
    const tolerations = outcome((r) => {
      r.aws_eks_addon.logs.configuration_values = config({ tolerations: [{ key: "other", operator: "Exists" }] });
    });
    expect(tolerations.message).toMatch(/do not tolerate nvidia\.com\/gpu=true:NoSchedule/);
    expect(
      outcome((r) => {
        r.aws_eks_addon.logs.configuration_values = config({ tolerations: [{ operator: "Exists" }] });
      }).status,
    ).toBe("pass");
    expect(outcome((r) => delete r.aws_vpc_endpoint.logs).message).toMatch(
      /aws_vpc\.main has no NAT gateway and no logs endpoint, so the collector cannot reach CloudWatch Logs/,
    );
    expect(outcome((r) => delete r.aws_vpc_endpoint.ecr_dkr).message).toMatch(
      /no ecr\.dkr endpoint, so the collector cannot pull its images/,
    );
    expect(outcome((r) => delete r.aws_vpc_endpoint.eks_auth).message).toMatch(
      /no eks-auth endpoint, so the collector cannot get credentials/,
    );
    expect(
      outcome((r) => {
        r.aws_vpc_endpoint.logs.private_dns_enabled = false;
      }).message,
    ).toMatch(/aws_vpc_endpoint\.logs has private_dns_enabled off/);
    const nat = outcome((r) => {
      r.aws_vpc_endpoint = {};
      r.aws_internet_gateway = { main: { vpc_id: "${aws_vpc.main.id}" } };
      r.aws_nat_gateway = { a: {} };
    });
    expect(nat.status).toBe("pass");
    expect(nat.message).toMatch(/through a NAT gateway and aws_internet_gateway\.main/);
  });

  it("in a landing zone's VPC, counts the endpoints the plan proves: each read with postconditions requiring it available with private DNS", () => {
    const VPC = "vpc-0a1b2c3d4e5f60718";
    const post = (...conditions: string[]) => ({
      lifecycle: { postcondition: conditions.map((condition) => ({ condition: `\${${condition}}`, error_message: "x" })) },
    });
    const landingZone = (
      edit: (endpoints: Record<string, Record<string, unknown>>, subnet: Record<string, unknown>) => void = () => {},
    ) => {
      const { resource } = platform((r) => {
        delete r.aws_vpc;
        delete r.aws_subnet;
        delete r.aws_vpc_endpoint;
        r.aws_eks_cluster.gpu.vpc_config = { subnet_ids: ["${data.aws_subnet.a.id}"] };
      });
      const subnet = { id: "subnet-0a1b2c3d", ...post("self.map_public_ip_on_launch == false", `self.vpc_id == "${VPC}"`) };
      const endpoints = Object.fromEntries(
        ["logs", "ecr.api", "ecr.dkr", "ec2", "eks-auth", "s3"].map((s) => [
          s.replace(/[.-]/g, "_"),
          {
            vpc_id: VPC,
            service_name: `com.amazonaws.eu-west-1.${s}`,
            ...post('self.state == "available"', ...(s === "s3" ? [] : ["self.private_dns_enabled == true"])),
          },
        ]),
      );
      edit(endpoints, subnet);
      return findingFor(
        checkJson(rule, { data: { aws_subnet: { a: subnet }, aws_vpc_endpoint: endpoints }, resource }),
        "aws_eks_cluster.gpu",
      );
    };
    const proven = landingZone();
    expect(proven.status).toBe("pass");
    expect(proven.message).toMatch(
      /the landing zone's vpc-0a1b2c3d4e5f60718 has logs, ecr\.api, ecr\.dkr, s3, ec2, eks-auth endpoints, each read with a postcondition/,
    );
    const noDns = landingZone((e) => {
      e.logs.lifecycle = post('self.state == "available"').lifecycle;
    });
    expect(noDns.message).toMatch(
      /^unresolved: vpc-0a1b2c3d4e5f60718 is the landing zone's; the module does not read its logs endpoint with postconditions/,
    );
    expect(landingZone((e) => delete e.eks_auth).message).toMatch(/^unresolved: .*its eks-auth endpoint/);
    expect(
      landingZone((e) => {
        e.ecr_dkr.vpc_id = "vpc-0fffffffffffffff0";
      }).message,
    ).toMatch(/^unresolved: .*its ecr\.dkr endpoint/);
    expect(
      landingZone((_e, subnet) => {
        subnet.lifecycle = post("self.map_public_ip_on_launch == false").lifecycle;
      }).message,
    ).toMatch(/^unresolved: the cluster's subnet data\.aws_subnet\.a is read from outside the module and not pinned to a VPC/);
  });

  it("is unresolved where the Terraform does not show the role, the network or the configuration", () => {
    const outside = outcome((r) => {
      r.aws_eks_addon.logs.pod_identity_association = [{ role_arn: "${var.collector_role}", service_account: "cloudwatch-agent" }];
    });
    expect(outside.status).toBe("fail");
    expect(outside.message).toMatch(/^unresolved: the collector's role is .*var\.collector_role/);
    expect(
      outcome((r) => {
        r.aws_eks_cluster.gpu.vpc_config = { subnet_ids: "${var.subnets}" };
      }).message,
    ).toMatch(/^unresolved: the cluster's subnets/);
    expect(
      outcome((r) => {
        r.aws_eks_addon.logs.configuration_values = "${var.addon_config}";
      }).message,
    ).toMatch(/^unresolved: aws_eks_addon\.logs configuration_values/);
    const interpolated = outcome((r) => {
      r.aws_eks_addon.logs.configuration_values = config().replace("/saip/gpu/workloads/platform", "${var.group}");
    });
    expect(interpolated.message).toMatch(/^unresolved: aws_eks_addon\.logs configuration_values holds Terraform interpolations/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_eks_cluster" "gpu" { name = "gpu" }
       resource "aws_eks_node_group" "gpu" {
         cluster_name = aws_eks_cluster.gpu.name
         instance_types = ["g6e.xlarge"]
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_eks_cluster.gpu": "fail" });
  });
});
