import { fail, pass, Rule, unresolved } from "../../compliance/rule";
import { JsonObject } from "../../terraform/model";
import { firstBlock, stringList } from "../helpers";
import { at, manifests, objects, selects } from "./admission";
import { releasesOf, releaseValues } from "./helm-values";
import { governed } from "./image-admission-enforced";
import { SIGNATURE_REGO } from "./signature-policy";
import { labelsOf, NAMESPACE_TYPES } from "./util";

const CONSTRAINT_VERSIONS = ["constraints.gatekeeper.sh/v1beta1", "constraints.gatekeeper.sh/v1"];
const TEMPLATE_VERSIONS = ["templates.gatekeeper.sh/v1", "templates.gatekeeper.sh/v1beta1"];
const squash = (text: string) => text.replace(/\s+/g, " ").trim();

type Verdict = { ok: string } | { problem: string } | { unknown: string };

/** Gatekeeper's webhook fails closed and may call Ratify: its chart defaults to failurePolicy Ignore. */
function gatekeeperVerdict(ns: Parameters<typeof releasesOf>[0]): Verdict {
  const releases = releasesOf(ns, "gatekeeper");
  if (releases.length === 0) return { problem: "no helm_release installs Gatekeeper, whose webhook would enforce the constraint" };
  for (const release of releases) {
    const read = releaseValues(release);
    if ("unknown" in read) return read;
    const policy = read.values.validatingWebhookFailurePolicy;
    if (policy !== "Fail") return { problem: `${release.address} leaves Gatekeeper's webhook failurePolicy ${policy === undefined ? "at the chart's Ignore" : JSON.stringify(policy)}, so a webhook that is down admits every pod unverified` };
    if (read.values.enableExternalData === false) return { problem: `${release.address} turns external data off, so Gatekeeper cannot ask Ratify` };
    return { ok: release.address };
  }
  return { problem: "unreachable" };
}

/** Ratify trusts only named signing profiles, at the strict level that enforces revocation. */
function ratifyVerdict(ns: Parameters<typeof releasesOf>[0]): Verdict {
  const releases = releasesOf(ns, "ratify");
  if (releases.length === 0) return { problem: "no helm_release installs Ratify, which verifies the signatures" };
  for (const release of releases) {
    const read = releaseValues(release);
    if ("unknown" in read) return read;
    const notation = read.values.notation as JsonObject | undefined;
    if (notation?.enabled === false) return { problem: `${release.address} turns the Notation verifier off` };
    const policies = objects(notation?.trustPolicies);
    if (policies.length === 0) return { problem: `${release.address} sets no Notation trust policy, and the chart's default trusts any identity` };
    for (const policy of policies) {
      const identities = stringList(policy.trustedIdentities);
      if (identities.length === 0 || identities.some((i) => i.includes("*"))) return { problem: `${release.address} trust policy ${JSON.stringify(policy.name)} trusts ${JSON.stringify(identities)}: any signer AWS Signer's root certifies, in any account, would pass` };
      const levels = [at(policy, "signatureVerification.level"), policy.verificatonLevel, policy.verificationLevel].filter((l) => l !== undefined);
      const level = levels.find((l) => l !== "strict");
      if (level !== undefined) return { problem: `${release.address} trust policy ${JSON.stringify(policy.name)} verifies at level ${JSON.stringify(level)}, which does not enforce revocation` };
    }
    return { ok: release.address };
  }
  return { problem: "unreachable" };
}

export const imageSignatureEnforced: Rule = {
  id: "k8s-image-signature-enforced",
  title: "Admission refuses images the platform's signing profile did not sign",
  requirements: ["AICP-INTEGRITY-10"],
  severity: "mandatory",
  waivable: true,
  appliesTo: NAMESPACE_TYPES,
  effect:
    "Gatekeeper's webhook, failing closed, asks Ratify about every image of every pod in this namespace; Ratify admits only images whose Notation signature names a trusted AWS Signer profile and was not revoked.",
  remediation:
    "Deploy the SignatureVerifier (Gatekeeper with validatingWebhookFailurePolicy Fail, Ratify with a strict trust policy naming the platform's signing profile, the saip constraint template and its deny constraints selecting namespaces labelled saip.io/tenant or saip.io/image-policy=enforced) in the module of the namespaces.",
  applies: governed,
  check(ns) {
    const found = labelsOf(ns);
    if ("unknown" in found) return unresolved(`${found.unknown}; cannot tell which constraints select it`);
    const templates = manifests(ns, "ConstraintTemplate", TEMPLATE_VERSIONS);
    const open: string[] = [...templates.unknown];
    const notes: string[] = [];
    // Only a template with the platform's Rego (every image to Ratify, system errors refused) counts.
    const kinds = new Set<string>();
    for (const t of templates.found) {
      const rego = objects(at(t.body, "spec.targets")).map((target) => (typeof target.rego === "string" ? squash(target.rego) : ""));
      const kind = at(t.body, "spec.crd.spec.names.kind");
      if (typeof kind === "string" && rego.includes(squash(SIGNATURE_REGO))) kinds.add(kind);
      else if (rego.some((r) => r.includes("external_data"))) notes.push(`${t.resource.address} is not the platform's signature check (its Rego differs)`);
    }
    let selected: string | undefined;
    for (const kind of kinds) {
      const constraints = manifests(ns, kind, CONSTRAINT_VERSIONS);
      open.push(...constraints.unknown);
      for (const c of constraints.found) {
        const action = at(c.body, "spec.enforcementAction") ?? "deny";
        if (action !== "deny") { notes.push(`${c.resource.address} only ${JSON.stringify(action)}s, it does not deny`); continue; }
        const match = at(c.body, "spec.match") as JsonObject | undefined;
        const podKinds = objects(match?.kinds);
        if (podKinds.length > 0 && !podKinds.some((k) => stringList(k.apiGroups).some((g) => g === "" || g === "*") && stringList(k.kinds).some((v) => v === "Pod" || v === "*"))) { notes.push(`${c.resource.address} does not match pods`); continue; }
        const name = String(firstBlock(ns.body.metadata)?.name ?? "");
        if (stringList(match?.excludedNamespaces).includes(name) || (match?.namespaces !== undefined && !stringList(match.namespaces).includes(name))) { notes.push(`${c.resource.address} leaves this namespace out by name`); continue; }
        const selector = selects({ spec: { matchResources: { namespaceSelector: match?.namespaceSelector ?? {} } } }, found.labels);
        if (selector === true) { selected = c.resource.address; break; }
        if (selector === false) notes.push(`${c.resource.address} does not select this namespace`);
        else open.push(`${c.resource.address}: cannot tell whether it selects this namespace, ${selector}`);
      }
      if (selected) break;
    }
    if (!selected) {
      if (open.length > 0) return unresolved(`no signature constraint is known to cover this namespace: ${[...notes, ...open].join("; ")}`);
      return fail(notes.length > 0 ? notes.join("; ") : "no Gatekeeper constraint verifies image signatures in this namespace: any image from the private registry runs, signed or not");
    }
    const verdicts = [gatekeeperVerdict(ns), ratifyVerdict(ns)];
    const unknown = verdicts.filter((v): v is { unknown: string } => "unknown" in v);
    const problems = verdicts.filter((v): v is { problem: string } => "problem" in v);
    if (problems.length > 0) return fail(`${selected} selects this namespace, but ${problems.map((p) => p.problem).join("; ")}`);
    if (unknown.length > 0) return unresolved(`${selected} selects this namespace, but ${unknown.map((u) => u.unknown).join("; ")}`);
    const [gatekeeper, ratify] = verdicts as { ok: string }[];
    return pass(`${selected} denies pods whose images ${ratify.ok} cannot verify against the trusted signing profiles, through ${gatekeeper.ok}'s webhook failing closed`);
  },
};
