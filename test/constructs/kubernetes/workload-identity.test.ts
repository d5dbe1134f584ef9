import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Testing } from "cdktf";
import { AccessLogBucket } from "../../../constructs/aws/access-log-bucket";
import { Grantee } from "../../../constructs/aws/grantee";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureBucket } from "../../../constructs/aws/secure-bucket";
import { TenantNamespace } from "../../../constructs/kubernetes/tenant-namespace";
import { WorkloadIdentity, WorkloadIdentityProps } from "../../../constructs/kubernetes/workload-identity";
import { SecureStack } from "../../../lib/secure-stack";
import { clusterGuards, failures, findingsOf, synthJson } from "./engine";

const BASE: WorkloadIdentityProps = { clusterName: "platform", namespace: "team-a", name: "trainer" };

function setup(props: Partial<WorkloadIdentityProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const identity = new WorkloadIdentity(stack, "Trainer", { ...BASE, ...props });
  return { stack, identity, synth: Testing.synth(stack), json: synthJson(stack) };
}

const trustOf = (json: ReturnType<typeof synthJson>) => JSON.parse(json.resource.aws_iam_role.trainer_role.assume_role_policy);

describe("WorkloadIdentity", () => {
  it("creates the service account without an API token: Pod Identity brings its own projected token", () => {
    const { synth } = setup();
    expect(synth).toHaveResourceWithProperties(ServiceAccountV1, {
      automount_service_account_token: false,
      metadata: { name: "trainer", namespace: "team-a" },
    });
  });

  it("lets only EKS Pod Identity assume the role, for this account, cluster, namespace and service account", () => {
    const trust = trustOf(setup().json);
    expect(trust.Statement).toHaveLength(1);
    const [statement] = trust.Statement;
    expect(statement).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    });
    expect(statement.Condition.StringEquals).toEqual({
      "aws:SourceAccount": "${data.aws_caller_identity.aws_context_account.account_id}",
      "aws:RequestTag/eks-cluster-arn":
        "arn:${data.aws_partition.aws_context_partition.partition}:eks:${data.aws_region.aws_context_region.region}:${data.aws_caller_identity.aws_context_account.account_id}:cluster/platform",
      "aws:RequestTag/kubernetes-namespace": "team-a",
      "aws:RequestTag/kubernetes-service-account": "trainer",
    });
  });

  it("associates the role with the service account through the account's own attributes", () => {
    const { synth, json } = setup();
    expect(synth).toHaveResourceWithProperties(EksPodIdentityAssociation, {
      cluster_name: "platform",
      namespace: "${kubernetes_service_account_v1.trainer.metadata[0].namespace}",
      service_account: "${kubernetes_service_account_v1.trainer.metadata[0].name}",
      role_arn: "${aws_iam_role.trainer_role.arn}",
    });
    expect(json.resource.aws_iam_role.trainer_role.name_prefix).toBe("team-a-trainer-");
  });

  it("takes a role name, and falls back to a short prefix when namespace and name are long or references", () => {
    expect(setup({ roleName: "team-a-trainer" }).json.resource.aws_iam_role.trainer_role).toMatchObject({ name: "team-a-trainer" });
    expect(setup({ name: "a-very-long-service-account-name" }).json.resource.aws_iam_role.trainer_role.name_prefix).toBe("saip-workload-");

    const stack = new SecureStack(Testing.app(), "test");
    const tenant = new TenantNamespace(stack, "TeamA", {
      name: "team-a",
      groups: ["team-a-developers"],
      gpuQuota: 1,
      endpointCidrs: ["10.0.0.0/16"],
    });
    new WorkloadIdentity(stack, "Trainer", { ...BASE, namespace: tenant.namespaceName });
    const json = synthJson(stack);
    expect(json.resource.aws_iam_role.trainer_role.name_prefix).toBe("saip-workload-");
    expect(json.resource.kubernetes_service_account_v1.trainer.metadata.namespace).toBe(
      "${kubernetes_namespace_v1.team_a.metadata[0].name}",
    );
    expect(trustOf(json).Statement[0].Condition.StringEquals["aws:RequestTag/kubernetes-namespace"]).toBe(
      "${kubernetes_namespace_v1.team_a.metadata[0].name}",
    );
  });

  it("is a Grantee that SecureBucket grants read and read-write access to", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const key = new PlatformKey(stack, "DatasetsKey", {
      purpose: "datasets",
      administrators: ["arn:aws:iam::111122223333:role/key-admin"],
    });
    const bucket = new SecureBucket(stack, "DatasetsBucket", {
      purpose: "datasets",
      key,
      accessLogs: new AccessLogBucket(stack, "AccessLogs"),
    });
    const reader: Grantee = new WorkloadIdentity(stack, "Trainer", BASE);
    const writer = new WorkloadIdentity(stack, "Curator", { ...BASE, name: "curator" });
    bucket.grantRead(reader);
    bucket.grantReadWrite(writer);
    const json = synthJson(stack);
    const policies = Object.values(json.resource.aws_iam_role_policy) as Array<{ role: string; policy: string }>;
    expect(policies.map((p) => p.role).sort()).toEqual(["${aws_iam_role.curator_role.name}", "${aws_iam_role.trainer_role.name}"]);
    const keyPolicy = JSON.stringify(json.resource.aws_kms_key.datasets_key.policy);
    expect(keyPolicy).toContain("${aws_iam_role.trainer_role.arn}");
    expect(keyPolicy).toContain("${aws_iam_role.curator_role.arn}");
    expect(failures(findingsOf(stack, json))).toEqual([]);
  });

  it("has no failing finding under the compliance engine, in its tenant's namespace", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const tenant = new TenantNamespace(stack, "TeamA", {
      name: "team-a",
      groups: ["team-a-developers"],
      gpuQuota: 1,
      endpointCidrs: ["10.0.0.0/16"],
      ...clusterGuards(stack),
    });
    new WorkloadIdentity(stack, "Trainer", { ...BASE, namespace: tenant.namespaceName });
    const findings = findingsOf(stack);
    expect(findings.length).toBeGreaterThan(0);
    expect(failures(findings)).toEqual([]);
  });

  it.each([
    [{ name: "Trainer_1" }, /^test\/Trainer: name must be a DNS subdomain .* got 'Trainer_1'/],
    [{ namespace: "Team A" }, /^test\/Trainer: namespace must be a DNS label, got 'Team A'/],
    // The role the identity makes checks its own name, so the message names it.
    [{ roleName: "x".repeat(65) }, /^test\/Trainer\/Role: roleName must be 1 to 64 letters, digits or \+=,.@_-/],
  ])("rejects %p", (props, message) => {
    expect(() => setup(props)).toThrow(message);
  });
});
