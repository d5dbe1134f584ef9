import { Testing } from "cdktf";
import { NodePool } from "../../../../constructs/aws/node-pool";
import { PlatformKey } from "../../../../constructs/aws/platform-key";
import { confidentialNodeGroupEnabled } from "../../../../lib/rules/aws/confidential/confidential-node-group-enabled";
import { SecureStack } from "../../../../lib/secure-stack";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";
import { testCluster } from "../../../constructs/aws/cluster-fixture";

const SNP = { "saip.io/confidential": "sev-snp" };
const ENCLAVES = { "saip.io/confidential": "nitro-enclaves" };

describe("aws-confidential-node-group-enabled", () => {
  it("requires the launch template to turn on what the confidential label declares", () => {
    const findings = checkJson(confidentialNodeGroupEnabled, {
      resource: {
        aws_launch_template: {
          snp: { cpu_options: { amd_sev_snp: "enabled" } },
          snp_off: { cpu_options: [{ amd_sev_snp: "disabled" }] },
          enclave: { name: "enclave-lt", enclave_options: [{ enabled: true }] },
          snp_unknown: { cpu_options: { amd_sev_snp: "${var.snp}" } },
        },
        aws_eks_node_group: {
          snp_good: { labels: SNP, launch_template: { id: "${aws_launch_template.snp.id}", version: "$Latest" } },
          snp_off: { labels: SNP, launch_template: [{ id: "${aws_launch_template.snp_off.id}" }] },
          snp_on_enclave_template: { labels: SNP, launch_template: { id: "${aws_launch_template.enclave.id}" } },
          enclave_by_name: { labels: { ...ENCLAVES, team: "a" }, launch_template: [{ name: "enclave-lt", version: "1" }] },
          enclave_on_snp_template: { labels: ENCLAVES, launch_template: { name: "${aws_launch_template.snp.name}" } },
          enclave_no_template: { labels: ENCLAVES },
          other_mode: { labels: { "saip.io/confidential": "tdx" }, launch_template: { id: "${aws_launch_template.snp.id}" } },
          label_unknown: { labels: { "saip.io/confidential": "${var.mode}" } },
          template_value_unknown: { labels: SNP, launch_template: { id: "${aws_launch_template.snp_unknown.id}" } },
          template_unknown: { labels: SNP, launch_template: { id: "${var.template_id}" } },
          plain: { labels: { "saip.io/pool-purpose": "training" } },
          labels_unknown: { labels: "${var.labels}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_eks_node_group.snp_good": "pass",
      "aws_eks_node_group.snp_off": "fail",
      "aws_eks_node_group.snp_on_enclave_template": "fail",
      "aws_eks_node_group.enclave_by_name": "pass",
      "aws_eks_node_group.enclave_on_snp_template": "fail",
      "aws_eks_node_group.enclave_no_template": "fail",
      "aws_eks_node_group.other_mode": "fail",
      "aws_eks_node_group.label_unknown": "fail",
      "aws_eks_node_group.template_value_unknown": "fail",
      "aws_eks_node_group.template_unknown": "fail",
    });
    const message = (name: string) => findingFor(findings, `aws_eks_node_group.${name}`).message;
    expect(message("snp_good")).toMatch(/launch template aws_launch_template\.snp: cpu_options\.amd_sev_snp is "enabled"/);
    expect(message("snp_off")).toMatch(
      /label saip\.io\/confidential is "sev-snp" but launch template aws_launch_template\.snp_off: AMD SEV-SNP is off: cpu_options\.amd_sev_snp is "disabled"/,
    );
    expect(message("snp_on_enclave_template")).toMatch(/cpu_options\.amd_sev_snp is not set/);
    expect(message("enclave_by_name")).toMatch(/aws_launch_template\.enclave: enclave_options\.enabled is true/);
    expect(message("enclave_on_snp_template")).toMatch(/Nitro Enclaves are off: enclave_options\.enabled is not set/);
    expect(message("enclave_no_template")).toMatch(/"nitro-enclaves" but the node group has no launch_template/);
    expect(message("other_mode")).toMatch(/label saip\.io\/confidential is "tdx", which is neither "sev-snp" nor "nitro-enclaves"/);
    expect(message("label_unknown")).toMatch(/^unresolved: label saip\.io\/confidential is .*var\.mode/);
    expect(message("template_value_unknown")).toMatch(/^unresolved: .*cpu_options\.amd_sev_snp is .*var\.snp/);
    expect(message("template_unknown")).toMatch(/^unresolved: launch_template .*var\.template_id/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      confidentialNodeGroupEnabled,
      `resource "aws_launch_template" "snp" {
         cpu_options { amd_sev_snp = "enabled" }
       }
       resource "aws_launch_template" "enclave_off" {
         enclave_options { enabled = false }
       }
       resource "aws_eks_node_group" "snp" {
         labels = { "saip.io/confidential" = "sev-snp" }
         launch_template {
           id      = aws_launch_template.snp.id
           version = aws_launch_template.snp.latest_version
         }
       }
       resource "aws_eks_node_group" "enclave" {
         labels = { "saip.io/confidential" = "nitro-enclaves" }
         launch_template { id = aws_launch_template.enclave_off.id }
       }
       resource "aws_eks_node_group" "general" {
         labels = { "saip.io/pool-purpose" = "general" }
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_eks_node_group.snp": "pass", "aws_eks_node_group.enclave": "fail" });
    expect(findingFor(findings, "aws_eks_node_group.enclave").message).toMatch(/enclave_options\.enabled is false/);
  });

  it("passes NodePool's SEV-SNP and Nitro Enclaves pools, and fails them once the template loses the setting", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const volumeKey = new PlatformKey(stack, "VolumeKey", {
      purpose: "volumes",
      administrators: ["arn:aws:iam::111122223333:role/key-admin"],
    });
    const common = {
      cluster: testCluster(["subnet-a", "subnet-b"], "platform"),
      volumeKey,
      purpose: "inference" as const,
      releaseVersion: "1.35.0-20260110",
    };
    new NodePool(stack, "SnpPool", { ...common, instanceTypes: ["m6a.2xlarge"], confidential: "sev-snp" });
    new NodePool(stack, "EnclavePool", { ...common, instanceTypes: ["m6i.2xlarge"], confidential: "nitro-enclaves" });
    const json = JSON.parse(Testing.synth(stack));
    expect(statuses(checkJson(confidentialNodeGroupEnabled, json))).toEqual({
      "aws_eks_node_group.snp_pool": "pass",
      "aws_eks_node_group.enclave_pool": "pass",
    });

    delete json.resource.aws_launch_template.snp_pool_launch_template.cpu_options;
    json.resource.aws_launch_template.enclave_pool_launch_template.enclave_options = { enabled: false };
    expect(statuses(checkJson(confidentialNodeGroupEnabled, json))).toEqual({
      "aws_eks_node_group.snp_pool": "fail",
      "aws_eks_node_group.enclave_pool": "fail",
    });
  });
});
