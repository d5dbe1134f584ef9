import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Testing } from "cdktf";
import { PodIdentityRole } from "../../../constructs/aws/pod-identity-role";
import { SecureStack } from "../../../lib/secure-stack";

function synth(props: Partial<ConstructorParameters<typeof PodIdentityRole>[2]> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  new PodIdentityRole(stack, "TrainerRole", { clusterName: "ai", namespace: "team-a", serviceAccount: "training", ...props });
  return Testing.synth(stack);
}

describe("PodIdentityRole", () => {
  it("is assumable only by EKS Pod Identity, for one service account of one namespace of one cluster, in this account", () => {
    const role = JSON.parse(synth()).resource.aws_iam_role.trainer_role;
    const [statement, ...others] = JSON.parse(role.assume_role_policy).Statement;
    expect(others).toEqual([]);
    expect(statement).toEqual({
      Sid: "EksPodIdentity",
      Effect: "Allow",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: {
        StringEquals: {
          "aws:SourceAccount": "${data.aws_caller_identity.aws_context_account.account_id}",
          "aws:RequestTag/eks-cluster-arn":
            "arn:${data.aws_partition.aws_context_partition.partition}:eks:${data.aws_region.aws_context_region.region}:${data.aws_caller_identity.aws_context_account.account_id}:cluster/ai",
          "aws:RequestTag/kubernetes-namespace": "team-a",
          "aws:RequestTag/kubernetes-service-account": "training",
        },
      },
    });
  });

  it("carries no permissions of its own: storage and keys grant them", () => {
    const json = JSON.parse(synth());
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
    expect(json.resource.aws_iam_role_policy_attachment).toBeUndefined();
    expect(synth()).toHaveResourceWithProperties(IamRole, { name_prefix: "team-a-training-" });
  });

  it("rejects a role name IAM would refuse", () => {
    expect(() => synth({ roleName: "x".repeat(65) })).toThrow(/^test\/TrainerRole: roleName must be 1 to 64 letters/);
  });
});
