import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { App, Testing } from "cdktf";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Construct } from "constructs";
import { moduleAssumptions } from "../../lib/compliance/assumptions";
import { recordAssumption } from "../../lib/compliance/construct-assumptions";
import { Waivers } from "../../lib/compliance/construct-waivers";
import { embeddedWaiverConstructs } from "../../lib/compliance/waivers";
import { check } from "../../lib/compliance/engine";
import { referencesOf } from "../../lib/compliance/engine";
import { addDocument } from "../../lib/terraform/load";
import { Json, TfModule } from "../../lib/terraform/model";
import { SecureStack } from "../../lib/secure-stack";

const WAIVER = {
  rule: "aws-s3-bucket-versioning",
  reason: "Scratch space rebuilt from the datasets each run",
  owner: "ml",
  expires: "2030-01-01",
};

function moduleOf(doc: Json): TfModule {
  const module = new TfModule("app");
  addDocument(module, doc, "app.tf.json");
  return module;
}

describe("assumptions recorded in the JSON", () => {
  it("refuses an assumption without a subject, naming the construct and the field", () => {
    const stack = new SecureStack(Testing.app(), "test");
    expect(() => recordAssumption(new Construct(stack, "Vpc"), "  ", "flow logs and endpoints")).toThrow(
      "test/Vpc: invalid assumption: subject must name what was brought in",
    );
  });

  it("refuses a malformed assumption read back from a module, naming its index and field", () => {
    const module = moduleOf({ terraform: { "//": { saip_assumptions: [{ subject: "vpc", assumed: "flow logs" }, "x"] } } });
    expect(() => moduleAssumptions(module)).toThrow(
      "app: terraform '//.saip_assumptions[0]': assumed must say what is assumed in at least 10 characters",
    );
    const whole = moduleOf({ terraform: { "//": { saip_assumptions: ["not an entry"] } } });
    expect(() => moduleAssumptions(whole)).toThrow(/^app: terraform '\/\/\.saip_assumptions\[0\]': entry /);
  });

  it("leaves the assumptions key out of a report that has none", () => {
    const report = check([moduleOf({ resource: { aws_s3_bucket: { a: {} } } })], { rules: [] });
    expect("assumptions" in report).toBe(false);
  });
});

describe("waivers stamped on resources", () => {
  function stamped(add: (scope: Construct) => void) {
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "saip-stamped-")) });
    const stack = new SecureStack(app, "test");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const scope = new Construct(stack, "Scratch");
    new S3Bucket(new Construct(scope, "Inner"), "Bucket", {});
    add(scope);
    // Aspects run when the app synthesizes, not in Testing.synth.
    app.synth();
    return JSON.parse(readFileSync(path.join(app.outdir, "stacks", "test", "cdk.tf.json"), "utf8"));
  }

  it("stamps every resource below the construct once per rule, and nothing that is not a resource", () => {
    const doc = stamped((scope) => {
      Waivers.of(scope).add(WAIVER);
      Waivers.of(scope).add(WAIVER);
    });
    const bucket = Object.values(doc.resource.aws_s3_bucket)[0] as { "//": { saip_waivers: unknown[] } };
    expect(bucket["//"].saip_waivers).toEqual([{ ...WAIVER, construct: "test/Scratch" }]);
    expect(JSON.stringify(doc.provider)).not.toContain("saip_waivers");
  });

  it("refuses a waiver without a real reason, naming the construct, rule and field", () => {
    expect(() => stamped((scope) => Waivers.of(scope).add({ ...WAIVER, reason: "because" }))).toThrow(
      "test/Scratch: invalid waiver for aws-s3-bucket-versioning: reason: must explain the waiver in at least 20 characters",
    );
  });

  it("reads no constructs from a resource without stamped waivers", () => {
    const module = moduleOf({ resource: { aws_s3_bucket: { a: { "//": { metadata: { path: "x" } } } } } });
    expect(embeddedWaiverConstructs(module.resources[0])).toEqual([]);
  });
});

describe("referencesOf", () => {
  it("gives no provisions for a requirement the catalogue does not hold", () => {
    const rule = {
      id: "x",
      title: "x",
      requirements: ["AICP-NOPE-01"],
      severity: "mandatory",
      appliesTo: [],
      check: () => ({ status: "pass", message: "" }),
    };
    expect(referencesOf(rule as never)).toEqual([]);
  });
});
