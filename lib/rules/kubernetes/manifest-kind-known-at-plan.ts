import { fail, pass, Rule, unresolved } from "../../compliance/rule";
import { addressFrom, isObject, JsonObject, TfModule, TfResource } from "../../terraform/model";
import { describe, resolve } from "../helpers";
import { at } from "./admission";

/** API groups the Kubernetes API server serves itself: their kinds exist before anything is installed. */
const BUILT_IN_GROUPS = new Set([
  "",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "apps",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "internal.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
  "storagemigration.k8s.io",
]);

/** The API groups of the CRDs some well-known charts install (each chart's crds/ or templates). */
const CHART_GROUPS: Readonly<Record<string, readonly string[]>> = {
  gatekeeper: [
    "templates.gatekeeper.sh",
    "config.gatekeeper.sh",
    "mutations.gatekeeper.sh",
    "externaldata.gatekeeper.sh",
    "expansion.gatekeeper.sh",
    "status.gatekeeper.sh",
    "syncset.gatekeeper.sh",
    "connection.gatekeeper.sh",
  ],
  ratify: ["config.ratify.deislabs.io"],
  "cert-manager": ["cert-manager.io", "acme.cert-manager.io"],
  karpenter: ["karpenter.sh", "karpenter.k8s.aws"],
  kyverno: ["kyverno.io", "reports.kyverno.io", "wgpolicyk8s.io"],
  "kube-prometheus-stack": ["monitoring.coreos.com"],
  "aws-load-balancer-controller": ["elbv2.k8s.aws"],
  "external-secrets": ["external-secrets.io", "generators.external-secrets.io"],
  "gpu-operator": ["nvidia.com"],
  "argo-cd": ["argoproj.io"],
};

const CONSTRAINT_GROUP = "constraints.gatekeeper.sh";

/** A chart's name without its repository path (`oci://host/charts/gatekeeper` is `gatekeeper`). */
const chartName = (chart: string) => chart.replace(/\/+$/, "").split("/").pop() ?? chart;

interface Installer {
  readonly resource: TfResource;
  /** What the installer is, for the message: `the chart "gatekeeper"`, `the CRD`, `the constraint template`. */
  readonly what: string;
  /** For a constraint template: whether its apply waits until Gatekeeper created the kind (status.created). */
  readonly waits?: boolean;
}

/** What a module installs: kinds by `group/kind` (CRDs, constraint templates), API groups by charts, unknown charts. */
interface ModuleInstallers {
  readonly kinds: ReadonlyMap<string, readonly Installer[]>;
  readonly groups: ReadonlyMap<string, readonly Installer[]>;
  readonly unknownCharts: readonly TfResource[];
}

/** Read once per module, not once per manifest judged. */
function installersOf(module: TfModule): ModuleInstallers {
  return module.cached("k8s-manifest-kind-installers", () => {
    const kinds = new Map<string, Installer[]>();
    const groups = new Map<string, Installer[]>();
    const unknownCharts: TfResource[] = [];
    const add = (map: Map<string, Installer[]>, key: string, installer: Installer) => map.set(key, [...(map.get(key) ?? []), installer]);
    for (const release of module.ofType("helm_release")) {
      const chart = resolve(release, release.body.chart);
      const name = chart.state === "known" && typeof chart.value === "string" ? chartName(chart.value) : undefined;
      const chartGroups = name === undefined ? undefined : CHART_GROUPS[name];
      if (chartGroups === undefined) unknownCharts.push(release);
      else for (const group of chartGroups) add(groups, group, { resource: release, what: `the chart ${JSON.stringify(name)}` });
    }
    for (const m of module.ofType("kubernetes_manifest")) {
      const manifest = resolve(m, m.body.manifest);
      if (manifest.state !== "known" || !isObject(manifest.value)) continue;
      const body = manifest.value;
      if (body.kind === "CustomResourceDefinition")
        add(kinds, `${String(at(body, "spec.group"))}/${String(at(body, "spec.names.kind"))}`, { resource: m, what: "the CRD" });
      if (body.kind === "ConstraintTemplate") {
        // The provider matches each field against a regular expression; JSON writes the block as an object, HCL as a list.
        const wait = Array.isArray(m.body.wait) ? m.body.wait[0] : m.body.wait;
        const fields = resolve(m, at(wait, "fields"));
        const created = fields.state === "known" && isObject(fields.value) ? (fields.value as JsonObject)["status.created"] : undefined;
        const waits = typeof created === "string" && /^\^?true\$?$/.test(created);
        add(kinds, `${CONSTRAINT_GROUP}/${String(at(body, "spec.crd.spec.names.kind"))}`, {
          resource: m,
          what: "the constraint template",
          waits,
        });
      }
    }
    return { kinds, groups, unknownCharts };
  });
}

/** What in `module` installs `group`/`kind`: its charts first, then its CRDs and constraint templates. */
const installing = (installers: ModuleInstallers, group: string, kind: string): readonly Installer[] => [
  ...(installers.groups.get(group) ?? []),
  ...(installers.kinds.get(`${group}/${kind}`) ?? []),
];

const example = (resources: object) => JSON.stringify({ resource: resources }, null, 2);
const template = { apiVersion: "templates.gatekeeper.sh/v1", kind: "ConstraintTemplate", metadata: { name: "saipsignedimages" } };
const gatekeeper = { name: "gatekeeper", chart: "gatekeeper", repository: "oci://111122223333.dkr.ecr.eu-west-1.amazonaws.com/charts" };

export const manifestKindKnownAtPlan: Rule = {
  id: "k8s-manifest-kind-known-at-plan",
  title: "A kubernetes_manifest's kind exists before its stack is planned",
  requirements: ["AICP-RESILIENCE-04"],
  severity: "mandatory",
  waivable: false,
  appliesTo: ["kubernetes_manifest"],
  effect:
    "The stack applies in one terraform apply: kubernetes_manifest reads its kind's schema from the cluster when Terraform plans, so a kind that a Helm release, CRD or Gatekeeper constraint template of the same stack installs is not there yet and the plan fails, leaving every control of the stack undeployed.",
  remediation:
    'Install the kind in a stack applied before this one (the platform\'s admission and admission-policy stacks hold Gatekeeper, Ratify and the constraint template), and give a constraint template wait { fields = { "status.created" = "true" } } so the kind exists when the next stack plans.',
  examples: {
    good: [
      example({
        kubernetes_manifest: {
          template: { manifest: template, wait: { fields: { "status.created": "true" } } },
          policy: {
            manifest: { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicy", metadata: { name: "p" } },
          },
        },
      }),
    ],
    // The template's kind comes from Gatekeeper's chart, installed by the same apply.
    bad: [example({ helm_release: { gatekeeper }, kubernetes_manifest: { template: { manifest: template } } })],
  },
  check(resource) {
    const manifest = resolve(resource, resource.body.manifest);
    if (manifest.state !== "known" || !isObject(manifest.value)) return unresolved(`manifest is ${describe(manifest)}`);
    const { apiVersion, kind } = manifest.value;
    if (typeof apiVersion !== "string" || typeof kind !== "string") return unresolved("the manifest's apiVersion or kind is not literal");
    const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "";
    if (BUILT_IN_GROUPS.has(group)) return pass(`${kind} (${apiVersion}) is served by the API server itself`);
    const module = resource.module;
    const own = installersOf(module);
    const here = installing(own, group, kind);
    if (here.length > 0) {
      const [first] = here;
      return fail(
        `${kind} (${apiVersion}) is installed by ${first.what} ${first.resource.address} in the same stack, so it does not exist when Terraform plans this manifest and the plan fails; install it in a stack applied before this one`,
      );
    }
    const [first] = module.appliedBefore().flatMap((m) => installing(installersOf(m), group, kind));
    if (first) {
      const where = addressFrom(first.resource, module);
      if (first.waits === false)
        return fail(
          `${kind} is made by ${first.what} ${where}, whose apply does not wait for Gatekeeper to create the kind (wait.fields "status.created"), so this stack may plan before it exists`,
        );
      return pass(`${kind} (${apiVersion}) is installed by ${first.what} ${where}, applied before this stack`);
    }
    if (own.unknownCharts.length > 0)
      return unresolved(
        `${own.unknownCharts.map((r) => r.address).join(", ")} in the same stack install charts whose CRDs are not known here; if one installs ${group}, the plan fails`,
      );
    return pass(`nothing in this stack installs ${kind} (${apiVersion}): its CRD is in place before the stack is planned`);
  },
};
