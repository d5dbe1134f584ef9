import { auditStorageSeparateAccount as rule } from "../../../../lib/rules/aws/logging/audit-storage-separate-account";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";
import { MUTATIONS, TfDoc } from "../../../evidence/mutations";

const WORKLOAD_ROLE = "arn:aws:iam::111111111111:role/platform-deployer";
const ARCHIVE_ROLE = "arn:aws:iam::222222222222:role/log-archive-writer";

/** A module whose default provider is `main` and whose `aws.archive` provider is `archive`. */
const withProviders = (main: object, archive: object, resource: object) => ({
  provider: { aws: [main, { alias: "archive", ...archive }] },
  resource,
});

describe("aws-audit-storage-separate-account", () => {
  const findings = checkJson(
    rule,
    withProviders(
      { region: "eu-west-1" },
      { assume_role: [{ role_arn: ARCHIVE_ROLE }] },
      {
        aws_s3_bucket: { archived: { provider: "aws.archive", bucket: "audit-archived" }, local: {}, config: { provider: "aws.archive" } },
        aws_backup_vault: { copy: { provider: "aws.archive", name: "copy" }, local: { name: "local" } },
        aws_cloudtrail: {
          archived: { s3_bucket_name: "audit-archived" },
          local: { s3_bucket_name: "${aws_s3_bucket.local.bucket}" },
          outside: { s3_bucket_name: "org-audit-bucket" },
        },
        aws_config_delivery_channel: { archived: { s3_bucket_name: "${aws_s3_bucket.config.id}" } },
        aws_backup_plan: {
          copied: {
            rule: [
              { rule_name: "daily", target_vault_name: "local", copy_action: [{ destination_vault_arn: "${aws_backup_vault.copy.arn}" }] },
            ],
          },
          copied_here: { rule: { rule_name: "daily", copy_action: { destination_vault_arn: "${aws_backup_vault.local.arn}" } } },
          uncopied: { rule: [{ rule_name: "daily", target_vault_name: "local" }] },
          by_arn: {
            rule: [
              { rule_name: "daily", copy_action: [{ destination_vault_arn: "arn:aws:backup:eu-west-1:333333333333:backup-vault:copy" }] },
            ],
          },
        },
      },
    ),
  );

  it("passes storage created through a provider that assumes a role in another account", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_cloudtrail.archived": "pass",
      "aws_config_delivery_channel.archived": "pass",
      "aws_backup_plan.copied": "pass",
    });
    expect(findingFor(findings, "aws_cloudtrail.archived").message).toMatch(
      /aws_s3_bucket\.archived is created in account 222222222222 \(provider aws\.archive assumes .*\), not in the default credentials of provider aws/,
    );
  });

  it("fails storage created through the provider of what it watches, and a plan that copies nothing out", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_cloudtrail.local": "fail",
      "aws_backup_plan.copied_here": "fail",
      "aws_backup_plan.uncopied": "fail",
    });
    expect(findingFor(findings, "aws_cloudtrail.local").message).toMatch(
      /same provider configuration \(aws\) as aws_cloudtrail\.local, .*an admin of this account can stop or delete it/,
    );
    expect(findingFor(findings, "aws_backup_plan.uncopied").message).toMatch(/no copy_action/);
  });

  it("leaves storage outside the module, and a vault ARN when the watched account is not named, unresolved", () => {
    expect(findingFor(findings, "aws_cloudtrail.outside").message).toMatch(
      /^unresolved: s3_bucket_name is "org-audit-bucket", a bucket outside/,
    );
    expect(findingFor(findings, "aws_backup_plan.by_arn").message).toMatch(
      /^unresolved: .*account 333333333333, and the account it protects/,
    );
  });

  it("compares the accounts both providers name", () => {
    const trail = {
      aws_s3_bucket: { audit: { provider: "aws.archive" } },
      aws_cloudtrail: { t: { s3_bucket_name: "${aws_s3_bucket.audit.id}" } },
    };
    const plan = {
      aws_backup_plan: {
        p: { rule: { rule_name: "d", copy_action: { destination_vault_arn: "arn:aws:backup:eu-west-1:333333333333:backup-vault:c" } } },
      },
    };
    const same = checkJson(
      rule,
      withProviders({ assume_role: { role_arn: ARCHIVE_ROLE } }, { assume_role: [{ role_arn: ARCHIVE_ROLE }] }, trail),
    );
    expect(findingFor(same, "aws_cloudtrail.t").message).toMatch(
      /^is in account 222222222222 .*, the account aws_cloudtrail\.t watches|account 222222222222/,
    );
    expect(statuses(same)).toEqual({ "aws_cloudtrail.t": "fail" });
    const named = checkJson(rule, withProviders({ assume_role: [{ role_arn: WORKLOAD_ROLE }] }, {}, plan));
    expect(findingFor(named, "aws_backup_plan.p").message).toMatch(
      /copies recovery points to account 333333333333, not account 111111111111/,
    );
    const unknownRole = checkJson(rule, withProviders({}, { assume_role: [{ role_arn: "${var.archive_role}" }] }, trail));
    expect(findingFor(unknownRole, "aws_cloudtrail.t").message).toMatch(
      /^unresolved: .*assume_role\.role_arn is "\$\{var\.archive_role\}"/,
    );
    const profileOnly = checkJson(rule, withProviders({}, { profile: "archive" }, trail));
    expect(findingFor(profileOnly, "aws_cloudtrail.t").message).toMatch(/^unresolved: .*names no account/);
    const undeclared = checkJson(rule, { resource: trail });
    expect(findingFor(undeclared, "aws_cloudtrail.t").message).toMatch(/^unresolved: .*provider aws\.archive is not configured/);
  });

  it("judges each cluster's control-plane log copy by where its destination is created", () => {
    const clusters = checkJson(
      rule,
      withProviders(
        { region: "eu-west-1" },
        { assume_role: [{ role_arn: ARCHIVE_ROLE }] },
        {
          aws_cloudwatch_log_group: {
            copied: { name: "/aws/eks/copied/cluster" },
            here: { name: "/aws/eks/here/cluster" },
            bare: { name: "/aws/eks/bare/cluster" },
          },
          aws_cloudwatch_log_destination: {
            archive: { provider: "aws.archive", name: "copy", role_arn: "r", target_arn: "t" },
            local: { name: "local", role_arn: "r", target_arn: "t" },
          },
          aws_cloudwatch_log_subscription_filter: {
            copied: {
              name: "c",
              log_group_name: "${aws_cloudwatch_log_group.copied.name}",
              destination_arn: "${aws_cloudwatch_log_destination.archive.arn}",
              filter_pattern: "",
            },
            here: {
              name: "h",
              log_group_name: "${aws_cloudwatch_log_group.here.name}",
              destination_arn: "${aws_cloudwatch_log_destination.local.arn}",
              filter_pattern: "",
            },
            by_arn: {
              name: "a",
              log_group_name: "/aws/eks/by-arn/cluster",
              destination_arn: "arn:aws:logs:eu-west-1:222222222222:destination:copy",
              filter_pattern: "",
            },
            variable: {
              name: "v",
              log_group_name: "/aws/eks/variable/cluster",
              destination_arn: "${var.destination}",
              filter_pattern: "",
            },
          },
          aws_eks_cluster: {
            copied: { name: "copied" },
            here: { name: "here" },
            bare: { name: "bare" },
            by_arn: { name: "by-arn" },
            variable: { name: "variable" },
            unnamed: { name: "${var.cluster_name}" },
          },
        },
      ),
    );
    expect(statuses(clusters)).toMatchObject({
      "aws_eks_cluster.copied": "pass",
      "aws_eks_cluster.here": "fail",
      "aws_eks_cluster.bare": "fail",
    });
    expect(findingFor(clusters, "aws_eks_cluster.copied").message).toMatch(
      /aws_cloudwatch_log_destination\.archive is created in account 222222222222/,
    );
    expect(findingFor(clusters, "aws_eks_cluster.bare").message).toMatch(
      /^the control-plane log group \/aws\/eks\/bare\/cluster of aws_eks_cluster\.bare is copied to no other account/,
    );
    // A literal destination of another account, with the watched account unnamed, and a variable: unresolved.
    expect(findingFor(clusters, "aws_eks_cluster.by_arn").message).toMatch(
      /^unresolved: .*copies to account 222222222222, and the account it watches/,
    );
    expect(findingFor(clusters, "aws_eks_cluster.variable").message).toMatch(
      /^unresolved: the control-plane log copy's destination's ARN is/,
    );
    expect(findingFor(clusters, "aws_eks_cluster.unnamed").message).toMatch(/^unresolved: the cluster's name is/);
    const named = checkJson(
      rule,
      withProviders(
        { assume_role: [{ role_arn: WORKLOAD_ROLE }] },
        {},
        {
          aws_cloudwatch_log_subscription_filter: {
            f: {
              name: "f",
              log_group_name: "/aws/eks/c/cluster",
              destination_arn: "arn:aws:logs:eu-west-1:111111111111:destination:d",
              filter_pattern: "",
            },
          },
          aws_eks_cluster: { c: { name: "c" } },
        },
      ),
    );
    expect(findingFor(named, "aws_eks_cluster.c").message).toMatch(
      /^aws_eks_cluster\.c copies to account 111111111111, the account it watches/,
    );
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `provider "aws" { region = "eu-west-1" }
       provider "aws" {
         alias = "archive"
         assume_role { role_arn = "${ARCHIVE_ROLE}" }
       }
       provider "aws" {
         alias = "unknown"
         assume_role { role_arn = var.archive_role }
       }
       variable "archive_role" { type = string }
       resource "aws_s3_bucket" "archived" { provider = aws.archive }
       resource "aws_s3_bucket" "local" {}
       resource "aws_s3_bucket" "unknown" { provider = aws.unknown }
       resource "aws_cloudtrail" "archived" {
         name           = "archived"
         s3_bucket_name = aws_s3_bucket.archived.id
       }
       resource "aws_cloudtrail" "local" {
         name           = "local"
         s3_bucket_name = aws_s3_bucket.local.id
       }
       resource "aws_cloudtrail" "unknown" {
         name           = "unknown"
         s3_bucket_name = aws_s3_bucket.unknown.id
       }`,
    );
    expect(statuses(hcl)).toMatchObject({ "aws_cloudtrail.archived": "pass", "aws_cloudtrail.local": "fail" });
    expect(findingFor(hcl, "aws_cloudtrail.unknown").message).toMatch(
      /^unresolved: .*provider aws\.unknown's assume_role\.role_arn is "\$\{var\.archive_role\}"/,
    );
  });
});

describe("aws-audit-storage-separate-account's mutation", () => {
  it("turns a passing trail into a failing one", () => {
    const doc = withProviders(
      {},
      { assume_role: [{ role_arn: ARCHIVE_ROLE }] },
      {
        aws_s3_bucket: { audit: { provider: "aws.archive" } },
        aws_cloudtrail: { t: { s3_bucket_name: "${aws_s3_bucket.audit.id}" } },
      },
    );
    expect(statuses(checkJson(rule, doc))).toEqual({ "aws_cloudtrail.t": "pass" });
    expect(MUTATIONS[rule.id].apply(doc as unknown as TfDoc, new Set(["aws_cloudtrail.t"]))).toBe("aws_cloudtrail.t");
    expect(statuses(checkJson(rule, doc))).toEqual({ "aws_cloudtrail.t": "fail" });
  });
});
