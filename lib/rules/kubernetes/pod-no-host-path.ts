import { fail, pass, Rule, unresolved } from "../../compliance/rule";
import { blocksOf, describe, firstBlock, resolve } from "../helpers";
import { podSpecOf, unreadablePodSpec, WORKLOAD_TYPES } from "./util";
import { deploymentExample, RESTRICTED_CONTEXT } from "./container-examples";

export const podNoHostPath: Rule = {
  id: "k8s-pod-no-host-path",
  title: "Pods mount no hostPath volumes",
  requirements: ["AICP-TENANT-04"],
  severity: "mandatory",
  waivable: true,
  appliesTo: WORKLOAD_TYPES,
  remediation:
    "Replace host_path volumes with empty_dir, config_map, secret or persistent_volume_claim volumes; device plugins, which need the kubelet's socket directory, carry a waiver instead.",
  examples: {
    good: [deploymentExample()],
    bad: [
      deploymentExample(RESTRICTED_CONTEXT, {
        podSpec: `
              volume {
                name = "host"
                host_path {
                  path = "/var/run"
                }
              }`,
      }),
    ],
  },
  check(workload) {
    const spec = podSpecOf(workload);
    if (!spec) return unreadablePodSpec(workload);
    if (typeof spec.volume === "string") return unresolved(`volume is ${describe(resolve(workload, spec.volume))}`);
    const mounted: string[] = [];
    const open: string[] = [];
    blocksOf(spec.volume).forEach((volume, i) => {
      const name = resolve(workload, volume.name);
      const label = `volume ${name.state === "known" ? JSON.stringify(name.value) : `#${i + 1}`}`;
      const hostPath = volume.host_path;
      if (typeof hostPath === "string") open.push(`${label}: host_path is ${describe(resolve(workload, hostPath))}`);
      else if (blocksOf(hostPath).length > 0)
        mounted.push(`${label} mounts host_path ${describe(resolve(workload, firstBlock(hostPath)?.path))}`);
    });
    if (mounted.length > 0) return fail(`the pod mounts the host's file system: ${mounted.join(", ")}`);
    if (open.length > 0) return unresolved(open.join(", "));
    return pass("no volume of the pod is a host_path");
  },
};
