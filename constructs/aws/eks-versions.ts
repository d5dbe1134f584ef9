/**
 * Kubernetes minor versions EKS offers in standard support, with the date
 * standard support ends (from the EKS version calendar). Clusters run with
 * `upgrade_policy { support_type = "STANDARD" }`, so EKS upgrades a cluster
 * itself when its version leaves standard support; a new cluster should start
 * on a version that has months left. Update this list when EKS releases a
 * version or one leaves standard support.
 */
export const EKS_STANDARD_SUPPORT: ReadonlyArray<{ readonly version: string; readonly standardSupportEnds: string }> = [
  { version: "1.35", standardSupportEnds: "2027-03-27" },
  { version: "1.36", standardSupportEnds: "2027-08-02" },
];

/** The versions a PlatformCluster accepts. */
export const SUPPORTED_EKS_VERSIONS: readonly string[] = EKS_STANDARD_SUPPORT.map((v) => v.version);

/** Shape of an EKS Kubernetes version: a minor version such as "1.35", without patch level. */
export const EKS_VERSION_FORMAT = /^1\.\d{2}$/;

/** Why a cluster cannot use `version`, or undefined when it can. */
export function eksVersionProblem(version: string): string | undefined {
  if (!EKS_VERSION_FORMAT.test(version)) return `version must be a Kubernetes minor version such as "1.35", got '${version}'.`;
  if (!SUPPORTED_EKS_VERSIONS.includes(version))
    return `version ${version} is not in EKS standard support; use one of ${SUPPORTED_EKS_VERSIONS.join(", ")}.`;
  return undefined;
}
