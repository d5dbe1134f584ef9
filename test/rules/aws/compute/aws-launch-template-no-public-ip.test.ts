import { launchTemplateNoPublicIp } from "../../../../lib/rules/aws/compute/launch-template-no-public-ip";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-launch-template-no-public-ip", () => {
  it("passes a landing zone's subnet only when it is read with a postcondition that stops the plan on public IPs", () => {
    // PrivateNetwork.fromVpcAttributes reads each subnet so (constructs/aws/imported-network.ts).
    const postcondition = (condition: string) => ({ lifecycle: { postcondition: [{ condition, error_message: "public" }] } });
    const findings = checkJson(launchTemplateNoPublicIp, {
      data: {
        aws_subnet: {
          gated: { id: "subnet-0a1b2c3d", ...postcondition("${self.map_public_ip_on_launch == false}") },
          negated: { id: "subnet-0a1b2c3e", ...postcondition("${!self.map_public_ip_on_launch}") },
          other_check: { id: "subnet-0a1b2c3f", ...postcondition('${self.vpc_id == "vpc-0a1b2c3d"}') },
          bare: { id: "subnet-0a1b2c40" },
        },
      },
      resource: {
        aws_eks_node_group: {
          gated: { subnet_ids: ["${data.aws_subnet.gated.id}", "${data.aws_subnet.negated.id}"] },
          other_check: { subnet_ids: ["${data.aws_subnet.gated.id}", "${data.aws_subnet.other_check.id}"] },
          bare: { subnet_ids: ["${data.aws_subnet.bare.id}"] },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_eks_node_group.gated": "pass",
      "aws_eks_node_group.other_check": "fail",
      "aws_eks_node_group.bare": "fail",
    });
    expect(findingFor(findings, "aws_eks_node_group.gated").message).toMatch(/data\.aws_subnet\.gated \(its postcondition stops the plan/);
    expect(findingFor(findings, "aws_eks_node_group.other_check").message).toMatch(
      /^unresolved: .*data\.aws_subnet\.other_check, read from outside the module with no postcondition/,
    );
    expect(findingFor(findings, "aws_eks_node_group.bare").message).toMatch(/^unresolved: .*data\.aws_subnet\.bare/);
  });

  it("fails public addresses set directly or through the subnet", () => {
    const findings = checkJson(launchTemplateNoPublicIp, {
      resource: {
        aws_subnet: { private: { map_public_ip_on_launch: false }, public: { map_public_ip_on_launch: true } },
        aws_launch_template: {
          quiet: { name: "quiet" },
          off: { network_interfaces: [{ associate_public_ip_address: false }] },
          on: { network_interfaces: { associate_public_ip_address: true } },
          unknown: { network_interfaces: [{ associate_public_ip_address: "${var.public}" }] },
        },
        aws_instance: {
          off: { associate_public_ip_address: false },
          on: { associate_public_ip_address: true },
          private: { subnet_id: "${aws_subnet.private.id}" },
          public: { subnet_id: "${aws_subnet.public.id}" },
          external: { subnet_id: "subnet-0123" },
          nowhere: {},
          eni: { network_interface: [{ network_interface_id: "${aws_network_interface.a.id}", device_index: 0 }] },
        },
        aws_eks_node_group: {
          private: { subnet_ids: ["${aws_subnet.private.id}"] },
          public: { subnet_ids: ["${aws_subnet.private.id}", "${aws_subnet.public.id}"] },
          template_on: { subnet_ids: ["${aws_subnet.private.id}"], launch_template: { id: "${aws_launch_template.on.id}" } },
          template_quiet: { subnet_ids: ["${aws_subnet.public.id}"], launch_template: { name: "quiet" } },
          unknown_subnets: { subnet_ids: "${var.subnets}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_launch_template.quiet": "pass",
      "aws_launch_template.off": "pass",
      "aws_launch_template.on": "fail",
      "aws_launch_template.unknown": "fail",
      "aws_instance.off": "pass",
      "aws_instance.on": "fail",
      "aws_instance.private": "pass",
      "aws_instance.public": "fail",
      "aws_instance.external": "fail",
      "aws_instance.nowhere": "fail",
      "aws_instance.eni": "fail",
      "aws_eks_node_group.private": "pass",
      "aws_eks_node_group.public": "fail",
      "aws_eks_node_group.template_on": "fail",
      "aws_eks_node_group.template_quiet": "fail",
      "aws_eks_node_group.unknown_subnets": "fail",
    });
    expect(findingFor(findings, "aws_launch_template.unknown").message).toMatch(/^unresolved: .*var\.public/);
    expect(findingFor(findings, "aws_instance.private").message).toMatch(/aws_subnet\.private\) do not map public IPs/);
    expect(findingFor(findings, "aws_instance.public").message).toMatch(/aws_subnet\.public sets map_public_ip_on_launch = true/);
    expect(findingFor(findings, "aws_instance.external").message).toMatch(/^unresolved: .*subnet-0123/);
    expect(findingFor(findings, "aws_instance.nowhere").message).toMatch(/default subnet/);
    expect(findingFor(findings, "aws_instance.eni").message).toMatch(/^unresolved: .*network_interface blocks/);
    expect(findingFor(findings, "aws_eks_node_group.template_on").message).toMatch(/^launch template aws_launch_template\.on: .* is true/);
    expect(findingFor(findings, "aws_eks_node_group.template_quiet").message).toMatch(
      /aws_launch_template\.quiet does not set .*aws_subnet\.public/,
    );
    expect(findingFor(findings, "aws_eks_node_group.unknown_subnets").message).toMatch(/^unresolved: .*var\.subnets/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      launchTemplateNoPublicIp,
      `resource "aws_launch_template" "ok" {
         network_interfaces {
           associate_public_ip_address = false
         }
       }
       resource "aws_launch_template" "public" {
         network_interfaces {
           associate_public_ip_address = true
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_launch_template.ok": "pass", "aws_launch_template.public": "fail" });
  });
});
