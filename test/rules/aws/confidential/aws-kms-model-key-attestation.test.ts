import { Testing } from "cdktf";
import { NodePool } from "../../../../constructs/aws/node-pool";
import { PlatformKey } from "../../../../constructs/aws/platform-key";
import { kmsModelKeyAttestation } from "../../../../lib/rules/aws/confidential/kms-model-key-attestation";
import { SecureStack } from "../../../../lib/secure-stack";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";
import { granteeFromRoleArn } from "../../../../constructs/aws/grantee";
import { testCluster } from "../../../constructs/aws/cluster-fixture";

const PCR0 = "a1".repeat(48);
const ENCLAVE_ROLE = "arn:aws:iam::111122223333:role/enclave-parent";
const ROOT = "arn:aws:iam::111122223333:root";
const admin = {
  Sid: "Admins",
  Effect: "Allow",
  Principal: { AWS: ROOT },
  Action: ["kms:Describe*", "kms:Put*", "kms:Delete*"],
  Resource: "*",
};
const attested = (condition: object = { StringEqualsIgnoreCase: { "kms:RecipientAttestation:PCR0": PCR0 } }) => ({
  Sid: "Enclave",
  Effect: "Allow",
  Principal: { AWS: ENCLAVE_ROLE },
  Action: ["kms:Decrypt", "kms:GenerateDataKey"],
  Resource: "*",
  Condition: condition,
});
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const alias = (key: string, name = `alias/saip/${key}`) => ({ name, target_key_id: `\${aws_kms_key.${key}.key_id}` });
const models = { "saip:asset": "models" };

describe("aws-kms-model-key-attestation", () => {
  const keys = {
    good: {
      policy: policy(admin, attested(), {
        Sid: "DenyReEncrypt",
        Effect: "Deny",
        Principal: "*",
        Action: "kms:ReEncryptFrom",
        Resource: "*",
      }),
    },
    open_root: { tags: models, policy: policy({ ...admin, Action: "kms:*" }, attested()) },
    extra_decrypt: {
      policy: policy(admin, attested(), {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:role/app" },
        Action: "kms:Decrypt*",
        Resource: "*",
      }),
    },
    not_action: {
      tags: models,
      policy: policy(attested(), { Effect: "Allow", Principal: { AWS: ROOT }, NotAction: ["kms:Encrypt"], Resource: "*" }),
    },
    zeros: { tags: models, policy: policy(attested({ StringEquals: { "kms:RecipientAttestation:ImageSha384": "0".repeat(96) } })) },
    like: { tags: models, policy: policy(attested({ StringLike: { "kms:RecipientAttestation:PCR0": "*" } })) },
    short: { tags: models, policy: policy(attested({ StringEqualsIgnoreCase: { "kms:RecipientAttestation:PCR8": "abc" } })) },
    variable: { tags: models, policy: policy(attested({ StringEqualsIgnoreCase: { "kms:RecipientAttestation:PCR0": "${var.pcr0}" } })) },
    re_encrypt: {
      tags: models,
      policy: policy(attested(), { Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:ReEncrypt*", Resource: "*" }),
    },
    no_enclave_grant: { tags: models, policy: policy(admin) },
    default_policy: { tags: models },
    separate: { tags: models },
    datasets: { policy: policy({ ...admin, Action: "kms:*" }) },
  };
  const doc = (withEnclaves: boolean) => ({
    resource: {
      ...(withEnclaves ? { aws_launch_template: { enclave: { enclave_options: [{ enabled: true }] } } } : {}),
      aws_kms_key: keys,
      aws_kms_alias: {
        good: alias("good", "alias/saip/models"),
        extra: alias("extra_decrypt", "alias/team/models"),
        datasets: alias("datasets"),
      },
      aws_kms_key_policy: { separate: { key_id: "${aws_kms_key.separate.id}", policy: policy(admin, attested()) } },
    },
  });

  it("lets model keys decrypt only for an enclave that attests a pinned production measurement", () => {
    const findings = checkJson(kmsModelKeyAttestation, doc(true));
    expect(statuses(findings)).toEqual({
      "aws_kms_key.good": "pass",
      "aws_kms_key.open_root": "fail",
      "aws_kms_key.extra_decrypt": "fail",
      "aws_kms_key.not_action": "fail",
      "aws_kms_key.zeros": "fail",
      "aws_kms_key.like": "fail",
      "aws_kms_key.short": "fail",
      "aws_kms_key.variable": "fail",
      "aws_kms_key.re_encrypt": "fail",
      "aws_kms_key.no_enclave_grant": "fail",
      "aws_kms_key.default_policy": "fail",
      "aws_kms_key.separate": "pass",
    });
    const message = (name: string) => findingFor(findings, `aws_kms_key.${name}`).message;
    expect(message("good")).toMatch(
      /kms:Decrypt is allowed only with a pinned enclave measurement \(aws_kms_key\.good statement "Enclave"\)/,
    );
    expect(message("open_root")).toMatch(
      /statement "Admins" allows kms:Decrypt to \{"AWS":"arn:aws:iam::111122223333:root"\} without an exact kms:RecipientAttestation/,
    );
    expect(message("open_root")).toMatch(/allows kms:ReEncryptFrom/);
    expect(message("extra_decrypt")).toMatch(/statement 3 allows kms:Decrypt to .*role\/app/);
    expect(message("not_action")).toMatch(/statement 2 allows kms:Decrypt/);
    expect(message("zeros")).toMatch(
      /StringEquals kms:RecipientAttestation:ImageSha384 is all zeros, the value every debug-mode enclave reports/,
    );
    expect(message("like")).toMatch(/statement "Enclave" allows kms:Decrypt .* without an exact/);
    expect(message("short")).toMatch(/PCR8 is "abc", not a SHA-384 measurement/);
    expect(message("variable")).toMatch(/^unresolved: .*PCR0 is .*var\.pcr0/);
    expect(message("re_encrypt")).toMatch(/statement 2 allows kms:ReEncryptFrom .* moves the data to a key without attestation/);
    expect(message("no_enclave_grant")).toMatch(/no statement allows kms:Decrypt for an attested enclave/);
    expect(message("default_policy")).toMatch(/policy is not set: the default key policy/);
    expect(message("separate")).toMatch(/aws_kms_key_policy\.separate statement "Enclave"/);
  });

  it("applies only in modules that run Nitro Enclaves", () => {
    expect(checkJson(kmsModelKeyAttestation, doc(false))).toEqual([]);
  });

  it("reads HCL the same way", async () => {
    const statement = (condition: string) =>
      `{"Effect": "Allow", "Principal": {"AWS": "${ENCLAVE_ROLE}"}, "Action": "kms:Decrypt", "Resource": "*"${condition}}`;
    const findings = await checkHcl(
      kmsModelKeyAttestation,
      `resource "aws_launch_template" "enclave" {
         enclave_options { enabled = true }
       }
       resource "aws_kms_key" "models" {
         policy = <<EOT
       {"Version": "2012-10-17", "Statement": [${statement(`, "Condition": {"StringEqualsIgnoreCase": {"kms:RecipientAttestation:ImageSha384": "${PCR0}"}}`)}]}
       EOT
       }
       resource "aws_kms_alias" "models" {
         name          = "alias/saip/models"
         target_key_id = aws_kms_key.models.key_id
       }
       resource "aws_kms_key" "open" {
         tags   = { "saip:asset" = "models" }
         policy = <<EOT
       {"Version": "2012-10-17", "Statement": [${statement("")}]}
       EOT
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_kms_key.models": "pass", "aws_kms_key.open": "fail" });
  });

  it("passes PlatformKey with enclaveAttestation beside a Nitro Enclaves NodePool, and fails a plain models key", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const administrators = ["arn:aws:iam::111122223333:role/key-admin"];
    const volumeKey = new PlatformKey(stack, "VolumeKey", { purpose: "volumes", administrators });
    new NodePool(stack, "EnclavePool", {
      cluster: testCluster(["subnet-a"], "platform"),
      volumeKey,
      purpose: "inference",
      instanceTypes: ["m6i.2xlarge"],
      confidential: "nitro-enclaves",
      releaseVersion: "1.35.0-20260110",
    });
    const attestedKey = new PlatformKey(stack, "ModelsKey", {
      purpose: "models",
      administrators,
      enclaveAttestation: { principalArns: [ENCLAVE_ROLE], attestation: { imageSha384: PCR0, pcrs: { 8: "b2".repeat(48) } } },
    });
    attestedKey.grantEncrypt(granteeFromRoleArn("arn:aws:iam::111122223333:role/publisher"));
    const plain = new PlatformKey(stack, "PlainModelsKey", { purpose: "models", aliasPrefix: "plain", administrators });
    plain.grantDecrypt(granteeFromRoleArn("arn:aws:iam::111122223333:role/server"));
    const findings = checkJson(kmsModelKeyAttestation, JSON.parse(Testing.synth(stack)));
    expect(statuses(findings)).toEqual({ "aws_kms_key.models_key": "pass", "aws_kms_key.plain_models_key": "fail" });
    expect(findingFor(findings, "aws_kms_key.plain_models_key").message).toMatch(/statement "Decrypt1" allows kms:Decrypt .*role\/server/);
  });
});
