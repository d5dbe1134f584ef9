import { NODE_ADDONS, WORKLOAD_ADDONS } from "../../../constructs/aws/eks-addons";
import { EKS_ADDON_VERSIONS, eksAddonVersions, SUPPORTED_EKS_VERSIONS } from "../../../constructs/aws/eks-versions";
import { COLLECTOR_ADDON } from "../../../lib/rules/aws/logging/log-collector";

const INSTALLED = [...NODE_ADDONS, ...WORKLOAD_ADDONS, COLLECTOR_ADDON];
const semver = (v: string) => v.replace(/^v/, "").split(/[.-]/).slice(0, 3).map(Number);

describe("EKS_ADDON_VERSIONS", () => {
  // A supported Kubernetes version without pins would install EKS's default of the day, or fail synth.
  it("pins every add-on the platform installs, for every supported Kubernetes version, as EKS writes versions", () => {
    expect(Object.keys(EKS_ADDON_VERSIONS).sort()).toEqual([...SUPPORTED_EKS_VERSIONS].sort());
    for (const version of SUPPORTED_EKS_VERSIONS) {
      const pins = eksAddonVersions(version);
      expect(Object.keys(pins).sort()).toEqual([...INSTALLED].sort());
      for (const pin of Object.values(pins)) expect(pin).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    }
  });

  it("gives kube-proxy the cluster's own minor version, and the collector a version that takes Pod Identity (3.1.0 on)", () => {
    for (const version of SUPPORTED_EKS_VERSIONS) {
      const pins = eksAddonVersions(version);
      expect(pins["kube-proxy"].startsWith(`v${version}.`)).toBe(true);
      const [major, minor] = semver(pins["amazon-cloudwatch-observability"]);
      expect(major > 3 || (major === 3 && minor >= 1)).toBe(true);
    }
  });

  it("names the version and the versions it knows when none are pinned", () => {
    expect(() => eksAddonVersions("1.34")).toThrow(
      "no add-on versions are pinned for Kubernetes 1.34; EKS_ADDON_VERSIONS covers 1.35, 1.36.",
    );
  });
});
