import { nvidiaSettings } from "../../../../constructs/aws/node-pool-user-data";
import { eksGpuNodeGroupDeviceInjection } from "../../../../lib/rules/aws/compute/eks-gpu-node-group-device-injection";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const b64 = (text: string) => Buffer.from(text).toString("base64");
const template = (userData?: string) => (userData === undefined ? {} : { user_data: userData });
const group = (amiType: string, lt?: string) => ({
  ami_type: amiType,
  instance_types: ["p4d.24xlarge"],
  ...(lt ? { launch_template: { id: `\${aws_launch_template.${lt}.id}` } } : {}),
});

describe("aws-eks-gpu-node-group-device-injection", () => {
  it("passes NVIDIA nodes that take GPUs only from the plugin's volume mounts, fails those that may honour NVIDIA_VISIBLE_DEVICES, and leaves what it cannot read unresolved", () => {
    const findings = checkJson(eksGpuNodeGroupDeviceInjection, {
      resource: {
        aws_launch_template: {
          hardened: template(b64(nvidiaSettings({ mig: { gpu: "a100.40gb", profile: "3g.20gb" } }).join("\n"))),
          envvar: template(b64(nvidiaSettings().join("\n").replace('"volume-mounts"', '"envvar"'))),
          honours: template(
            b64(
              nvidiaSettings()
                .join("\n")
                .replace("visible-devices-envvar-when-unprivileged = false", "visible-devices-envvar-when-unprivileged = true"),
            ),
          ),
          silent: template(b64("[settings.host-containers.admin]\nenabled = false\n")),
          cdi: template(b64(nvidiaSettings().join("\n").replace('"volume-mounts"', '"cdi-cri"'))),
          variable: template("${var.user_data}"),
          garbled: template(b64("[settings.kubelet-device-plugins.nvidia\n")),
          toolkit: template(
            b64("#!/bin/bash\nnvidia-ctk config --in-place --set accept-nvidia-visible-devices-envvar-when-unprivileged=false\n"),
          ),
          plain: template(b64("#!/bin/bash\necho hello\n")),
        },
        aws_eks_node_group: {
          hardened: group("BOTTLEROCKET_x86_64_NVIDIA", "hardened"),
          envvar: group("BOTTLEROCKET_x86_64_NVIDIA", "envvar"),
          honours: group("BOTTLEROCKET_x86_64_NVIDIA", "honours"),
          silent: group("BOTTLEROCKET_x86_64_NVIDIA", "silent"),
          no_template: group("BOTTLEROCKET_x86_64_NVIDIA"),
          cdi: group("BOTTLEROCKET_x86_64_NVIDIA", "cdi"),
          variable: group("BOTTLEROCKET_x86_64_NVIDIA", "variable"),
          garbled: group("BOTTLEROCKET_x86_64_NVIDIA", "garbled"),
          toolkit: group("AL2023_x86_64_NVIDIA", "toolkit"),
          plain: group("AL2023_x86_64_NVIDIA", "plain"),
          cpu: { ami_type: "BOTTLEROCKET_x86_64", instance_types: ["m7i.xlarge"] },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_eks_node_group.hardened": "pass",
      "aws_eks_node_group.envvar": "fail",
      "aws_eks_node_group.honours": "fail",
      "aws_eks_node_group.silent": "fail",
      "aws_eks_node_group.no_template": "fail",
      "aws_eks_node_group.cdi": "fail",
      "aws_eks_node_group.variable": "fail",
      "aws_eks_node_group.garbled": "fail",
      "aws_eks_node_group.toolkit": "pass",
      "aws_eks_node_group.plain": "fail",
    });
    const message = (name: string) => findingFor(findings, `aws_eks_node_group.${name}`).message;
    expect(message("hardened")).toMatch(
      /^launch template aws_launch_template\.hardened: the device plugin passes GPUs as volume mounts and the runtime ignores NVIDIA_VISIBLE_DEVICES/,
    );
    expect(message("envvar")).toMatch(/includes "envvar": the plugin passes devices as NVIDIA_VISIBLE_DEVICES/);
    expect(message("honours")).toMatch(/visible-devices-envvar-when-unprivileged is true: the runtime may honour NVIDIA_VISIBLE_DEVICES/);
    expect(message("silent")).toMatch(/device-list-strategy is not set, so the release's default decides/);
    expect(message("no_template")).toMatch(/^no launch template states the NVIDIA settings/);
    expect(message("cdi")).toMatch(/^unresolved: launch template aws_launch_template\.cdi: .*"cdi-cri"; only "volume-mounts" is known/);
    expect(message("variable")).toMatch(/^unresolved: launch template aws_launch_template\.variable: user_data is .*var\.user_data/);
    expect(message("garbled")).toMatch(/^unresolved: .*the user data's TOML cannot be read: line 1: not a table header/);
    expect(message("toolkit")).toMatch(/accept-nvidia-visible-devices-envvar-when-unprivileged = false/);
    expect(message("plain")).toMatch(
      /does not set the NVIDIA container toolkit's accept-nvidia-visible-devices-envvar-when-unprivileged to false/,
    );
  });

  it("reads HCL, where the user data is base64encode of a heredoc", async () => {
    const findings = await checkHcl(
      eksGpuNodeGroupDeviceInjection,
      `
resource "aws_launch_template" "gpu" {
  user_data = base64encode(<<-EOT
    [settings.kubelet-device-plugins.nvidia]
    device-list-strategy = "volume-mounts"
    [settings.nvidia-container-runtime]
    visible-devices-envvar-when-unprivileged = false
  EOT
  )
}
resource "aws_eks_node_group" "gpu" {
  ami_type       = "BOTTLEROCKET_x86_64_NVIDIA"
  instance_types = ["g6e.xlarge"]
  launch_template {
    id      = aws_launch_template.gpu.id
    version = "1"
  }
}
`,
    );
    expect(statuses(findings)).toEqual({ "aws_eks_node_group.gpu": "pass" });
  });
});
