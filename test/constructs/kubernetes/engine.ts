import { createHash } from "node:crypto";
import { ITerraformDependable, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { networkPolicyGate } from "../../../constructs/aws/eks-addons";
import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { GpuDeviceAdmissionPolicy } from "../../../constructs/kubernetes/gpu-device-admission-policy";
import { ImageAdmissionPolicy } from "../../../constructs/kubernetes/image-admission-policy";
import { SignatureVerifier } from "../../../constructs/kubernetes/signature-verifier";
import { SignatureConstraints, SignatureVerificationPolicy } from "../../../constructs/kubernetes/signature-verification-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TenantPlacementPolicy } from "../../../constructs/kubernetes/tenant-placement-policy";
import { invokeAspects } from "cdktf/lib/synthesize/synthesizer";
import { checkStackJson, stackJson } from "../../../lib/compliance/aspect";
import { Finding } from "../../../lib/compliance/finding";
import { Json } from "../../../lib/terraform/model";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TfJson = { resource: Record<string, Record<string, any>>; [key: string]: unknown };

/** The stack's synthesized Terraform JSON, without cdktf's `//` metadata (for asserting its shape). */
export function synthJson(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack));
}

/**
 * The stack's Terraform JSON as synth writes it, aspects applied and with the
 * `//` metadata where waivers made in code travel (Testing.synth drops it).
 */
export function writtenJson(stack: TerraformStack): TfJson {
  invokeAspects(stack);
  return stackJson(stack) as unknown as TfJson;
}

/** Every rule of the catalogue over the stack's JSON, or over `json` (a mutated copy of it). */
export function findingsOf(stack: TerraformStack, json: TfJson = writtenJson(stack)): readonly Finding[] {
  return checkStackJson(stack, {}, json as unknown as Json).findings;
}

/** `rule resource: message` for each failing finding, so a failure prints what failed. */
export function failures(findings: readonly Finding[]): string[] {
  // The stacks built here have no backend; the platform's stacks keep their state in the state bucket.
  return findings
    .filter((f) => f.status === "fail" && f.ruleId !== "aws-state-backend-encrypted-locked")
    .map((f) => `${f.ruleId} ${f.resource}: ${f.message}`);
}

/** The status of one rule on one resource. */
export function statusOf(findings: readonly Finding[], ruleId: string, resource: string): string | undefined {
  return findings.find((f) => f.ruleId === ruleId && f.resource === resource)?.status;
}

/**
 * What the workloads stack gives tenant namespaces on a cluster in another
 * stack: the placement and image admission policies, the signature
 * constraints, and the gate on the vpc-cni add-on that the network policies
 * wait for; and, in two stacks applied before `scope`'s (as buildPlatform
 * makes them), Gatekeeper and Ratify, then what Ratify verifies and the
 * constraint template. Spread the result into TenantNamespaceProps.
 */
export function clusterGuards(scope: Construct): { networkPolicyEnforcement: ITerraformDependable } {
  new TenantPlacementPolicy(scope, "TenantPlacement");
  new GpuDeviceAdmissionPolicy(scope, "GpuDeviceAdmission");
  new ImageAdmissionPolicy(scope, "ImageAdmission", { account: "111122223333", region: "eu-west-1" });
  const networkPolicyEnforcement = networkPolicyGate(scope, "VpcCniNetworkPolicy", "platform");
  const stack = TerraformStack.of(scope);
  const { admissionPolicy } = admissionStacks(stack.node.scope as Construct, stack.node.id);
  stack.addDependency(admissionPolicy);
  new SignatureConstraints(scope, "SignatureVerifier");
  return { networkPolicyEnforcement };
}

const digest = (name: string) => `v1@sha256:${createHash("sha256").update(name).digest("hex")}`;
const REGISTRY = "111122223333.dkr.ecr.eu-west-1.amazonaws.com";
const SIGNING_PROFILE = "arn:aws:signer:eu-west-1:111122223333:/signing-profiles/saip_images";

/** The two stacks the signature check needs before the workloads: `<id>-admission`, then `<id>-admission-policy`. */
export function admissionStacks(app: Construct, id: string): { admission: TerraformStack; admissionPolicy: TerraformStack } {
  const admission = new TerraformStack(app, `${id}-admission`);
  new KubernetesProvider(admission, "kubernetes", {});
  new HelmProvider(admission, "helm", {});
  new AwsProvider(admission, "aws", { region: "eu-west-1" });
  new SignatureVerifier(admission, "SignatureVerifier", {
    registryHost: REGISTRY,
    region: "eu-west-1",
    roleArn: "arn:aws:iam::111122223333:role/saip-image-verifier",
    signerRootCertificate: "-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n",
    images: { gatekeeper: digest("gatekeeper"), ratify: digest("ratify") },
    network: {
      vpcCidr: "10.40.0.0/16",
      serviceCidr: "172.20.0.0/16",
      s3PrefixListEntries: new DataAwsEc2ManagedPrefixList(admission, "VerifierS3PrefixList", { name: "com.amazonaws.eu-west-1.s3" })
        .entries,
      enforcement: networkPolicyGate(admission, "VpcCniNetworkPolicy", "platform"),
    },
  });
  const admissionPolicy = new TerraformStack(app, `${id}-admission-policy`);
  new KubernetesProvider(admissionPolicy, "kubernetes", {});
  admissionPolicy.addDependency(admission);
  new SignatureVerificationPolicy(admissionPolicy, "SignatureVerifier", {
    registryHost: REGISTRY,
    signerPluginImage: digest("signerPlugin"),
    trustedProfileArns: [SIGNING_PROFILE],
  });
  return { admission, admissionPolicy };
}

/** A private ECR image, as the image rule requires. */
export const ECR_IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/train";
