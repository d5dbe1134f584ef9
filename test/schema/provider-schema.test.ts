import { readFileSync } from "node:fs";
import * as path from "node:path";
import { providerSchemaDir } from "../../lib/schema/files";
import { ProviderSchemaFile } from "../../lib/schema/provider-schema";
import { deriveProviderSchema, PROVIDER_PACKAGES, serialize } from "../../scripts/provider-schema";

/**
 * Types whose generated code has each shape the generator reads: blocks of every nesting, object attributes, split struct files, renamed
 * members.
 */
const SAMPLES: Record<string, string[]> = {
  aws: [
    "provider",
    "s3-bucket-versioning",
    "security-group",
    "eks-cluster",
    "launch-template",
    "lexv2models-bot-version",
    "lexv2models-slot",
    "data-aws-iam-policy-document",
    "data-aws-instance",
    "wafv2-web-acl",
  ],
  kubernetes: ["provider", "deployment-v1", "namespace-v1", "network-policy-v1", "data-kubernetes-namespace-v1"],
  helm: ["provider", "release", "data-helm-template"],
};

const read = (name: string) => JSON.parse(readFileSync(path.join(providerSchemaDir(), `${name}.json`), "utf8")) as ProviderSchemaFile;

describe.each(Object.entries(PROVIDER_PACKAGES))("lib/schema/providers/%s.json", (name, pkg) => {
  const file = read(name);

  it("is derived from the installed provider package (else run npm run schema:providers)", () => {
    const installed = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as {
      version: string;
      cdktf: { provider: { name: string; version: string } };
    };
    expect({ package: file.package, source: file.source, version: file.version }).toEqual({
      package: `${pkg}@${installed.version}`,
      source: installed.cdktf.provider.name,
      version: installed.cdktf.provider.version,
    });
  });

  it("holds what the generator derives today for a sample of types", () => {
    const derived = deriveProviderSchema(pkg, SAMPLES[name]);
    expect(derived.provider).toEqual(file.provider);
    for (const [type, body] of Object.entries(derived.resources)) expect({ type, body: file.resources[type] }).toEqual({ type, body });
    for (const [type, body] of Object.entries(derived.dataSources)) expect({ type, body: file.dataSources[type] }).toEqual({ type, body });
    expect(Object.keys(derived.resources).length + Object.keys(derived.dataSources).length).toBe(SAMPLES[name].length - 1);
  });

  it("is written as the generator writes it", () => {
    expect(readFileSync(path.join(providerSchemaDir(), `${name}.json`), "utf8")).toBe(serialize(file));
  });
});

describe("the derived schema", () => {
  const aws = read("aws");

  it("tells blocks from object attributes, and knows nesting, min and max", () => {
    expect(aws.resources.aws_s3_bucket_versioning.b?.versioning_configuration).toMatchObject({ n: "list", min: 1, max: 1 });
    expect(aws.resources.aws_security_group.a?.ingress).toEqual({
      t: { set: { object: expect.objectContaining({ cidr_blocks: { t: { list: "string" } }, self: { t: "bool" } }) } },
    });
    expect(aws.resources.aws_security_group.b?.timeouts).toMatchObject({ n: "single" });
    expect(aws.resources.aws_eks_cluster.a?.name).toEqual({ t: "string", r: 1 });
    // Computed-only attributes cannot be set, so they are not arguments.
    expect(aws.resources.aws_eks_cluster.a?.arn).toBeUndefined();
    expect(aws.resources.aws_eks_cluster.b?.vpc_config.a?.vpc_id).toBeUndefined();
    // ... but they can be read, so references to them are valid.
    expect(aws.resources.aws_eks_cluster.c).toEqual(expect.arrayContaining(["arn", "endpoint", "certificate_authority", "identity"]));
    // cdktf renames members jsii reserves (get_password_data becomes fetchPasswordData); the Terraform name stays.
    expect(aws.dataSources.aws_instance.a?.get_password_data).toEqual({ t: "bool" });
  });

  it("reads the struct files large types split off, so a pod may have many containers", () => {
    const pod = read("kubernetes").resources.kubernetes_deployment_v1.b?.spec.b?.template.b?.spec;
    expect(pod?.b?.container).toMatchObject({ n: "list" });
    expect(pod?.b?.container).not.toHaveProperty("max");
    expect(pod?.b?.container.a?.image).toEqual({ t: "string" });
  });
});
