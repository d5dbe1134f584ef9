import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { check } from "../../../lib/compliance/engine";
import { manifestKindKnownAtPlan } from "../../../lib/rules/kubernetes/manifest-kind-known-at-plan";
import { loadTerraform } from "../../../lib/terraform/load";
import { checkAfter, checkHcl, checkJson, findingFor, statuses } from "../harness";

const template = (wait?: object) => ({
  manifest: {
    apiVersion: "templates.gatekeeper.sh/v1",
    kind: "ConstraintTemplate",
    metadata: { name: "saipsignedimages" },
    spec: { crd: { spec: { names: { kind: "SaipSignedImages" } } } },
  },
  ...(wait ? { wait } : {}),
});
const constraint = { manifest: { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "SaipSignedImages", metadata: { name: "c" } } };
const verifier = { manifest: { apiVersion: "config.ratify.deislabs.io/v1beta1", kind: "Verifier", metadata: { name: "v" } } };
const gatekeeper = {
  name: "gatekeeper",
  chart: "gatekeeper",
  repository: "oci://111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror/charts",
};
const ratify = { name: "ratify", chart: "oci://111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror/charts/ratify" };
const waits = { fields: { "status.created": "true" } };

describe("k8s-manifest-kind-known-at-plan", () => {
  it("fails a kind that a chart, a CRD or a constraint template of the same stack installs, and passes built-in kinds", () => {
    const findings = checkJson(manifestKindKnownAtPlan, {
      resource: {
        helm_release: { gatekeeper, ratify },
        kubernetes_manifest: {
          template: template(waits),
          constraint,
          verifier,
          widget_crd: {
            manifest: {
              apiVersion: "apiextensions.k8s.io/v1",
              kind: "CustomResourceDefinition",
              spec: { group: "example.com", names: { kind: "Widget" } },
            },
          },
          widget: { manifest: { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } } },
          policy: { manifest: { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicy" } },
          config_map: { manifest: { apiVersion: "v1", kind: "ConfigMap" } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_manifest.template": "fail",
      "kubernetes_manifest.constraint": "fail",
      "kubernetes_manifest.verifier": "fail",
      "kubernetes_manifest.widget_crd": "pass",
      "kubernetes_manifest.widget": "fail",
      "kubernetes_manifest.policy": "pass",
      "kubernetes_manifest.config_map": "pass",
    });
    expect(findingFor(findings, "kubernetes_manifest.template").message).toBe(
      'ConstraintTemplate (templates.gatekeeper.sh/v1) is installed by the chart "gatekeeper" helm_release.gatekeeper in the same stack, so it does not exist when Terraform plans this manifest and the plan fails; install it in a stack applied before this one',
    );
    expect(findingFor(findings, "kubernetes_manifest.constraint").message).toMatch(
      /by the constraint template kubernetes_manifest\.template in the same stack/,
    );
    expect(findingFor(findings, "kubernetes_manifest.verifier").message).toMatch(/the chart "ratify" helm_release\.ratify/);
    expect(findingFor(findings, "kubernetes_manifest.widget").message).toMatch(/by the CRD kubernetes_manifest\.widget_crd/);
  });

  it("passes kinds installed in the stacks applied before, and fails a template there that does not wait for its kind", () => {
    const admission = { resource: { helm_release: { gatekeeper, ratify } } };
    const policy = (wait?: object) => ({ resource: { kubernetes_manifest: { template: template(wait), verifier } } });
    const waited = checkAfter(
      manifestKindKnownAtPlan,
      { resource: { kubernetes_manifest: { constraint } } },
      { admission, policy: policy(waits) },
    );
    expect(findingFor(waited, "kubernetes_manifest.constraint")).toMatchObject({
      status: "pass",
      message:
        "SaipSignedImages (constraints.gatekeeper.sh/v1beta1) is installed by the constraint template kubernetes_manifest.template (in policy), applied before this stack",
    });
    const raced = checkAfter(
      manifestKindKnownAtPlan,
      { resource: { kubernetes_manifest: { constraint } } },
      { admission, policy: policy() },
    );
    expect(findingFor(raced, "kubernetes_manifest.constraint")).toMatchObject({ status: "fail" });
    expect(findingFor(raced, "kubernetes_manifest.constraint").message).toMatch(/does not wait for Gatekeeper to create the kind/);
    // The template's own stack, after the charts' stack.
    const middle = checkAfter(manifestKindKnownAtPlan, policy(waits), { admission });
    expect(statuses(middle)).toEqual({ "kubernetes_manifest.template": "pass", "kubernetes_manifest.verifier": "pass" });
    expect(findingFor(middle, "kubernetes_manifest.verifier").message).toMatch(/helm_release\.ratify \(in admission\), applied before/);
  });

  it("is unresolved for an unreadable manifest, and for a custom kind beside a chart whose CRDs are not known", () => {
    const findings = checkJson(manifestKindKnownAtPlan, {
      variable: { manifest: { type: "any" } },
      resource: {
        helm_release: { app: { name: "app", chart: "./charts/app" } },
        kubernetes_manifest: {
          hidden: { manifest: "${var.manifest}" },
          widget: { manifest: { apiVersion: "example.com/v1", kind: "Widget" } },
          pod: { manifest: { apiVersion: "v1", kind: "Pod" } },
        },
      },
    });
    expect(findingFor(findings, "kubernetes_manifest.hidden").message).toMatch(/^unresolved: manifest is .*var\.manifest/);
    expect(findingFor(findings, "kubernetes_manifest.widget").message).toBe(
      "unresolved: helm_release.app in the same stack install charts whose CRDs are not known here; if one installs example.com, the plan fails",
    );
    expect(findingFor(findings, "kubernetes_manifest.pod").status).toBe("pass");
  });

  it("reads HCL, with the wait block as HCL writes it", async () => {
    const findings = await checkHcl(
      manifestKindKnownAtPlan,
      `
resource "helm_release" "gatekeeper" {
  name  = "gatekeeper"
  chart = "gatekeeper"
}
resource "kubernetes_manifest" "template" {
  manifest = {
    apiVersion = "templates.gatekeeper.sh/v1"
    kind       = "ConstraintTemplate"
    spec       = { crd = { spec = { names = { kind = "SaipSignedImages" } } } }
  }
  wait {
    fields = { "status.created" = "true" }
  }
}
`,
    );
    expect(findingFor(findings, "kubernetes_manifest.template").status).toBe("fail");
  });

  it("reads a cdktf.out folder's stacks with the stacks each depends on, as its manifest lists them", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "saip-stacks-"));
    const stacks = {
      admission: { resource: { helm_release: { gatekeeper } } },
      "admission-policy": { resource: { kubernetes_manifest: { template: template(waits) } } },
      workloads: { resource: { kubernetes_manifest: { constraint } } },
    };
    const dependencies: Record<string, string[]> = { admission: [], "admission-policy": ["admission"], workloads: ["admission-policy"] };
    for (const [name, doc] of Object.entries(stacks)) {
      mkdirSync(path.join(dir, "stacks", name), { recursive: true });
      writeFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify(doc));
    }
    const manifest = Object.fromEntries(
      Object.keys(stacks).map((name) => [name, { synthesizedStackPath: `stacks/${name}/cdk.tf.json`, dependencies: dependencies[name] }]),
    );
    writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ stacks: manifest }));
    const findings = check(await loadTerraform([dir]), { rules: [manifestKindKnownAtPlan] }).findings;
    expect(findings.map((f) => [f.module, f.resource, f.status])).toEqual([
      ["admission-policy", "kubernetes_manifest.template", "pass"],
      ["workloads", "kubernetes_manifest.constraint", "pass"],
    ]);
    // A dependency the manifest does not list is the manifest's fault, named as such.
    writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ stacks: { workloads: { ...manifest.workloads } } }));
    await expect(loadTerraform([dir])).rejects.toThrow("stack 'workloads' depends on 'admission-policy', which it does not list.");
  });
});
