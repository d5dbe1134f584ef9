import { Testing } from "cdktf";
import { PlatformKey } from "../../../../constructs/aws/platform-key";
import { PodIdentityRole } from "../../../../constructs/aws/pod-identity-role";
import { NodeRole } from "../../../../constructs/aws/node-role";
import { confidentialAttestedKeyUsed } from "../../../../lib/rules/aws/confidential/confidential-attested-key-used";
import { SecureStack } from "../../../../lib/secure-stack";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";
import { granteeFromRoleArn } from "../../../../constructs/aws/grantee";

const PCR0 = "a1".repeat(48);
const PUBLISHER = "arn:aws:iam::111122223333:role/model-release";
const ROOT = "arn:aws:iam::111122223333:root";
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const trust = (principal: object, action: string | string[] = "sts:AssumeRole") =>
  policy({ Effect: "Allow", Principal: principal, Action: action });
const pinned = { StringEqualsIgnoreCase: { "kms:RecipientAttestation:ImageSha384": PCR0 } };
const enclave = (principal: string | string[], condition: object = pinned) => ({
  Sid: "Enclave",
  Effect: "Allow",
  Principal: { AWS: principal },
  Action: ["kms:Decrypt", "kms:GenerateDataKey"],
  Resource: "*",
  Condition: condition,
});
const writer = (principal: string, action: string | string[] = ["kms:Encrypt", "kms:GenerateDataKey"]) => ({
  Sid: "Publisher",
  Effect: "Allow",
  Principal: { AWS: principal },
  Action: action,
  Resource: "*",
});
const role = (name: string) => `\${aws_iam_role.${name}.arn}`;

describe("aws-confidential-attested-key-used", () => {
  const doc = {
    variable: { reader: {} },
    resource: {
      aws_iam_role: {
        pod: { assume_role_policy: trust({ Service: "pods.eks.amazonaws.com" }, ["sts:AssumeRole", "sts:TagSession"]) },
        irsa: {
          assume_role_policy: trust({ Federated: "${aws_iam_openid_connect_provider.cluster.arn}" }, "sts:AssumeRoleWithWebIdentity"),
        },
        node: { name: "enclave-node", assume_role_policy: trust({ Service: "ec2.amazonaws.com" }) },
        person: { assume_role_policy: trust({ AWS: ROOT }) },
        unknown_trust: { assume_role_policy: "${var.trust}" },
      },
      aws_iam_openid_connect_provider: { cluster: { url: "https://oidc.eks.eu-west-1.amazonaws.com/id/X" } },
      aws_kms_key: {
        good: { policy: policy(writer(PUBLISHER), enclave(role("pod"))) },
        irsa: { policy: policy(writer(role("person")), enclave([role("node"), role("irsa")])) },
        node_only: { policy: policy(writer(PUBLISHER), enclave("arn:aws:iam::111122223333:role/enclave-node")) },
        person_reads: { policy: policy(writer(PUBLISHER), enclave(role("person"))) },
        no_writer: { policy: policy(enclave(role("pod"))) },
        writer_denied: {
          policy: policy(writer(PUBLISHER, "kms:Encrypt"), enclave(role("pod")), {
            Effect: "Deny",
            Principal: "*",
            Action: "kms:Encrypt",
            Resource: "*",
          }),
        },
        not_pinned: {
          policy: policy(writer(PUBLISHER), enclave(role("pod"), { StringLike: { "kms:RecipientAttestation:ImageSha384": "*" } })),
        },
        root_writes: { policy: policy(writer(ROOT, "kms:*crypt"), enclave(role("pod"))) },
        // The account root as the platform writes it, from the caller identity: still the account, not a named writer.
        module_root_writes: {
          policy: policy(
            writer("arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.c.account_id}:root"),
            enclave(role("pod")),
          ),
        },
        var_reader: { policy: policy(writer(PUBLISHER), enclave("${var.reader}")) },
        foreign_reader: { policy: policy(writer(PUBLISHER), enclave("arn:aws:iam::444455556666:role/enclave")) },
        trust_unknown: { policy: policy(writer(PUBLISHER), enclave(role("unknown_trust"))) },
        separate: {},
        plain: {
          policy: policy(writer(PUBLISHER), { Effect: "Allow", Principal: { AWS: role("pod") }, Action: "kms:Decrypt", Resource: "*" }),
        },
      },
      aws_kms_key_policy: { separate: { key_id: "${aws_kms_key.separate.id}", policy: policy(writer(PUBLISHER), enclave(role("pod"))) } },
    },
  };

  it("passes an attested key only with a writer and a pod's own role that decrypts with attestation", () => {
    const findings = checkJson(confidentialAttestedKeyUsed, doc);
    expect(statuses(findings)).toEqual({
      "aws_kms_key.good": "pass",
      "aws_kms_key.irsa": "pass",
      "aws_kms_key.node_only": "fail",
      "aws_kms_key.person_reads": "fail",
      "aws_kms_key.no_writer": "fail",
      "aws_kms_key.writer_denied": "fail",
      "aws_kms_key.not_pinned": "fail",
      "aws_kms_key.root_writes": "fail",
      "aws_kms_key.module_root_writes": "fail",
      "aws_kms_key.var_reader": "fail",
      "aws_kms_key.foreign_reader": "fail",
      "aws_kms_key.trust_unknown": "fail",
      "aws_kms_key.separate": "pass",
    });
    const message = (name: string) => findingFor(findings, `aws_kms_key.${name}`).message;
    expect(message("good")).toBe(
      `written by aws_kms_key.good statement "Publisher" (${PUBLISHER}); decrypted with attestation by aws_iam_role.pod (EKS Pod Identity)`,
    );
    expect(message("irsa")).toMatch(/written by .*\(aws_iam_role\.person\); decrypted with attestation by aws_iam_role\.irsa \(IRSA\)$/);
    expect(message("node_only")).toBe(
      "no workload role may decrypt with attestation: aws_iam_role.node is a node role (trusted by ec2.amazonaws.com), which pods cannot use with IMDS hop limit 1",
    );
    expect(message("person_reads")).toMatch(
      /aws_iam_role\.person is trusted by neither pods\.eks\.amazonaws\.com nor an OIDC provider, so no pod can assume it/,
    );
    expect(message("no_writer")).toMatch(
      /^no principal may encrypt or make data keys under the key .* so nothing is ever protected by it$/,
    );
    expect(message("writer_denied")).toMatch(/^no principal may encrypt/);
    expect(message("not_pinned")).toMatch(
      /no statement allows kms:Decrypt with an exact kms:RecipientAttestation condition to a named role/,
    );
    expect(message("module_root_writes")).toMatch(
      /^unresolved: no writer is known: .*is the account, which leaves use of the key to IAM policies/,
    );
    expect(message("root_writes")).toMatch(
      /^unresolved: no writer is known: .*statement "Publisher": arn:aws:iam::111122223333:root is the account, which leaves use of the key to IAM policies/,
    );
    expect(message("var_reader")).toMatch(/^unresolved: no workload role that decrypts is known: .*\$\{var\.reader\} is/);
    expect(message("foreign_reader")).toMatch(
      /^unresolved: .*role\/enclave is not a role declared here, so who can assume it is not known/,
    );
    expect(message("trust_unknown")).toMatch(/^unresolved: .*aws_iam_role\.unknown_trust assume_role_policy is .*var\.trust/);
    expect(message("separate")).toMatch(/aws_kms_key_policy\.separate statement "Publisher"/);
  });

  it("reads the policy in force: a separate aws_kms_key_policy replaces the inline one, so a stale inline writer does not count", () => {
    const findings = checkJson(confidentialAttestedKeyUsed, {
      resource: {
        aws_iam_role: { pod: { assume_role_policy: trust({ Service: "pods.eks.amazonaws.com" }, ["sts:AssumeRole", "sts:TagSession"]) } },
        aws_kms_key: { replaced: { policy: policy(writer(PUBLISHER), enclave(role("pod"))) } },
        aws_kms_key_policy: { replaced: { key_id: "${aws_kms_key.replaced.id}", policy: policy(enclave(role("pod"))) } },
      },
    });
    expect(findingFor(findings, "aws_kms_key.replaced").status).toBe("fail");
    expect(findingFor(findings, "aws_kms_key.replaced").unresolved).toBeFalsy();
  });

  it("counts no reader where an unconditional Deny takes kms:Decrypt from everyone", () => {
    const findings = checkJson(confidentialAttestedKeyUsed, {
      resource: {
        aws_iam_role: { pod: { assume_role_policy: trust({ Service: "pods.eks.amazonaws.com" }, ["sts:AssumeRole", "sts:TagSession"]) } },
        aws_kms_key: {
          sealed: {
            policy: policy(writer(PUBLISHER), enclave(role("pod")), {
              Sid: "NoDecrypt",
              Effect: "Deny",
              Principal: "*",
              Action: "kms:Decrypt",
              Resource: "*",
            }),
          },
        },
      },
    });
    expect(findingFor(findings, "aws_kms_key.sealed").status).toBe("fail");
    expect(findingFor(findings, "aws_kms_key.sealed").message).toMatch(/no workload role may decrypt with attestation/);
  });

  it("fails closed on a key policy it cannot read", () => {
    const findings = checkJson(confidentialAttestedKeyUsed, {
      resource: {
        aws_kms_key: { broken: { policy: policy(enclave("arn:aws:iam::111122223333:role/x")) } },
        aws_kms_key_policy: { broken: { key_id: "${aws_kms_key.broken.id}", policy: "{not json" } },
      },
    });
    expect(findingFor(findings, "aws_kms_key.broken").message).toMatch(
      /^unresolved: aws_kms_key_policy\.broken: policy is not JSON the engine can read/,
    );
    expect(findingFor(findings, "aws_kms_key.broken").status).toBe("fail");
  });

  it("reads HCL the same way", async () => {
    const key = (name: string, statements: string) => `resource "aws_kms_key" "${name}" {
         policy = <<EOT
       {"Version": "2012-10-17", "Statement": [${statements}]}
       EOT
       }`;
    const reader = (arn: string) =>
      `{"Effect": "Allow", "Principal": {"AWS": "${arn}"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEqualsIgnoreCase": {"kms:RecipientAttestation:PCR0": "${PCR0}"}}}`;
    const publisher = `{"Effect": "Allow", "Principal": {"AWS": "${PUBLISHER}"}, "Action": "kms:GenerateDataKey", "Resource": "*"}`;
    const findings = await checkHcl(
      confidentialAttestedKeyUsed,
      `resource "aws_iam_role" "pod" {
         assume_role_policy = data.aws_iam_policy_document.pods.json
       }
       data "aws_iam_policy_document" "pods" {
         statement {
           actions = ["sts:AssumeRole", "sts:TagSession"]
           principals {
             type        = "Service"
             identifiers = ["pods.eks.amazonaws.com"]
           }
         }
       }
       resource "aws_iam_role" "node" {
         assume_role_policy = <<EOT
       {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
       EOT
       }
       ${key("good", `${publisher}, ${reader("${aws_iam_role.pod.arn}")}`)}
       ${key("node_only", `${publisher}, ${reader("${aws_iam_role.node.arn}")}`)}
       ${key("no_writer", reader("${aws_iam_role.pod.arn}"))}
       ${key("var_reader", `${publisher}, ${reader("${var.reader}")}`)}
       variable "reader" {}`,
    );
    expect(statuses(findings)).toEqual({
      "aws_kms_key.good": "pass",
      "aws_kms_key.node_only": "fail",
      "aws_kms_key.no_writer": "fail",
      "aws_kms_key.var_reader": "fail",
    });
    expect(findingFor(findings, "aws_kms_key.good").message).toMatch(
      /decrypted with attestation by aws_iam_role\.pod \(EKS Pod Identity\)$/,
    );
    expect(findingFor(findings, "aws_kms_key.node_only").message).toMatch(/aws_iam_role\.node is a node role/);
    expect(findingFor(findings, "aws_kms_key.no_writer").message).toMatch(/^no principal may encrypt/);
    expect(findingFor(findings, "aws_kms_key.var_reader").message).toMatch(/^unresolved: no workload role that decrypts is known/);
  });

  it("passes PlatformKey's attested key with a publisher and a PodIdentityRole, and fails it with only a node role", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const administrators = ["arn:aws:iam::111122223333:role/key-admin"];
    const pod = new PodIdentityRole(stack, "EnclaveWorkload", { clusterName: "ai", namespace: "team-a", serviceAccount: "model-enclave" });
    const node = new NodeRole(stack, "EnclaveNodes");
    const attestation = { imageSha384: PCR0 };
    const used = new PlatformKey(stack, "ModelsKey", {
      purpose: "models",
      administrators,
      enclaveAttestation: { principalArns: [pod.roleArn], attestation },
    });
    used.grantEnvelopeEncrypt(granteeFromRoleArn(PUBLISHER));
    new PlatformKey(stack, "NodeOnlyKey", {
      purpose: "node-only",
      administrators,
      enclaveAttestation: { principalArns: [node.roleArn], attestation },
    });
    const findings = checkJson(confidentialAttestedKeyUsed, JSON.parse(Testing.synth(stack)));
    expect(statuses(findings)).toEqual({ "aws_kms_key.models_key": "pass", "aws_kms_key.node_only_key": "fail" });
    expect(findingFor(findings, "aws_kms_key.models_key").message).toMatch(
      /statement "EnvelopeEncrypt1".*aws_iam_role\.enclave_workload \(EKS Pod Identity\)/,
    );
    expect(findingFor(findings, "aws_kms_key.node_only_key").message).toMatch(
      /no principal may encrypt.*; no workload role may decrypt with attestation: aws_iam_role\.enclave_nodes is a node role/,
    );
  });
});
