import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { GPU_DEVICE_POLICY_NAME, gpuDeviceBindingManifest, gpuDevicePolicyManifest } from "../../lib/rules/kubernetes/gpu-device-policy";

/**
 * Keeps tenants' pods to the GPUs the device plugin gives them, at admission:
 * a ValidatingAdmissionPolicy (GA in Kubernetes 1.30, run by the EKS API
 * server) bound with Deny to every namespace labelled `saip.io/tenant`. It
 * denies a pod whose containers, init or ephemeral containers set
 * NVIDIA_VISIBLE_DEVICES, NVIDIA_DRIVER_CAPABILITIES or the MIG device
 * variables (in `env`, or through an `envFrom` prefix that could spell one),
 * that mounts the host's /dev or an NVIDIA device, or that asks the runtime for
 * devices with a `cdi.k8s.io/` annotation. The nodes are the other half: their
 * runtime ignores NVIDIA_VISIBLE_DEVICES in unprivileged containers, so the
 * variable an image sets gives no GPU either.
 *
 * One per cluster, as `kubernetes_manifest` (the provider has no typed
 * resource for admission policies), which needs the cluster's API at plan.
 */
export class GpuDeviceAdmissionPolicy extends Construct {
  readonly policyName: string = GPU_DEVICE_POLICY_NAME;
  /** The binding: objects that rely on the policy can depend on it. */
  readonly binding: Manifest;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const policy = new Manifest(this, "Resource", { manifest: gpuDevicePolicyManifest(this.policyName) });
    // The binding names the policy by name, so it waits for the policy it puts in force.
    this.binding = new Manifest(this, "Binding", { manifest: gpuDeviceBindingManifest(this.policyName), dependsOn: [policy] });
  }
}
