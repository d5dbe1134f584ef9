import { TerraformOutput, Testing } from "cdktf";
import { CREATED_BY_PLATFORM, ServiceLinkedRole } from "../../../constructs/aws/service-linked-role";
import { SecureStack } from "../../../lib/secure-stack";

describe("ServiceLinkedRole", () => {
  it("is one per stack and service, with the ARN AWS gives the role whoever creates it", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const role = ServiceLinkedRole.of(stack, "autoscaling.amazonaws.com");
    expect(ServiceLinkedRole.of(stack, "autoscaling.amazonaws.com")).toBe(role);
    expect(role.roleName).toBe("AWSServiceRoleForAutoScaling");
    new TerraformOutput(stack, "arn", { value: role.roleArn });
    expect(JSON.parse(Testing.synth(stack)).output.arn.value).toBe(
      "arn:${data.aws_partition.aws_context_partition.partition}:iam::${data.aws_caller_identity.aws_context_account.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
    );
  });

  // aws_iam_service_linked_role fails when the role exists; created unconditionally, it would break every account
  // that has run an Auto Scaling group, and a count that only asks "does it exist" would destroy it on the next plan.
  it("creates the role only when the lookup finds none, or finds the one it created, and marks its own", () => {
    const stack = new SecureStack(Testing.app(), "test");
    ServiceLinkedRole.of(stack, "autoscaling.amazonaws.com");
    const doc = JSON.parse(Testing.synth(stack));
    const lookup = "data.aws_iam_roles.service_linked_role_aws_service_role_for_auto_scaling_existing.names";
    const created = doc.resource.aws_iam_service_linked_role.service_linked_role_aws_service_role_for_auto_scaling;
    expect(created.description).toBe(CREATED_BY_PLATFORM);
    expect(created.count).toBe(
      `\${length(${lookup}) == 0 || one(data.aws_iam_role.service_linked_role_aws_service_role_for_auto_scaling_existing_role[*].description) == "${CREATED_BY_PLATFORM}" ? 1 : 0}`,
    );
    expect(doc.data.aws_iam_role.service_linked_role_aws_service_role_for_auto_scaling_existing_role).toMatchObject({
      name: "AWSServiceRoleForAutoScaling",
      count: `\${length(${lookup})}`,
    });
  });
});
