import { fail, pass, Rule, unresolved } from "../../compliance/rule";
import { addressFrom, isObject, JsonObject } from "../../terraform/model";
import { firstBlock, stringList } from "../helpers";
import { at, manifests, objects, selects } from "./admission";
import { releasesOf, releaseValues } from "./helm-values";
import { governed } from "./image-admission-enforced";
import { SIGNATURE_REGO, signatureConstraintManifests, signatureTemplateManifest } from "./signature-policy";
import { labelsOf, NAMESPACE_TYPES } from "./util";

const CONSTRAINT_VERSIONS = ["constraints.gatekeeper.sh/v1beta1", "constraints.gatekeeper.sh/v1"];
const TEMPLATE_VERSIONS = ["templates.gatekeeper.sh/v1", "templates.gatekeeper.sh/v1beta1"];
const RATIFY_VERSIONS = ["config.ratify.deislabs.io/v1beta1"];
const squash = (text: string) => text.replace(/\s+/g, " ").trim();

type Verdict = { ok: string } | { problem: string } | { unknown: string };

/** Gatekeeper's webhook fails closed and may call Ratify: its chart defaults to failurePolicy Ignore. */
function gatekeeperVerdict(ns: Parameters<typeof releasesOf>[0]): Verdict {
  const releases = releasesOf(ns, "gatekeeper");
  if (releases.length === 0) return { problem: "no helm_release installs Gatekeeper, whose webhook would enforce the constraint" };
  for (const release of releases) {
    const where = addressFrom(release, ns.module);
    const read = releaseValues(release, ns.module);
    if ("unknown" in read) return read;
    const policy = read.values.validatingWebhookFailurePolicy;
    if (policy !== "Fail")
      return {
        problem: `${where} leaves Gatekeeper's webhook failurePolicy ${policy === undefined ? "at the chart's Ignore" : JSON.stringify(policy)}, so a webhook that is down admits every pod unverified`,
      };
    if (read.values.enableExternalData === false) return { problem: `${where} turns external data off, so Gatekeeper cannot ask Ratify` };
    return { ok: where };
  }
  return { problem: "unreachable" };
}

type TrustVerdict = { ok: string; note?: string } | { problem: string };

/** A trust policy names only signing profiles, at the strict level; revocation may be skipped, which the finding says. */
function trustPolicyVerdict(where: string, policy: JsonObject, overrides: boolean): TrustVerdict {
  const identities = stringList(policy.trustedIdentities);
  if (identities.length === 0 || identities.some((i) => i.includes("*")))
    return {
      problem: `${where} trust policy ${JSON.stringify(policy.name)} trusts ${JSON.stringify(identities)}: any signer AWS Signer's root certifies, in any account, would pass`,
    };
  const levels = [at(policy, "signatureVerification.level"), policy.verificatonLevel, policy.verificationLevel].filter(
    (l) => l !== undefined,
  );
  const level = levels.find((l) => l !== "strict");
  if (level !== undefined)
    return {
      problem: `${where} trust policy ${JSON.stringify(policy.name)} verifies at level ${JSON.stringify(level)}, which does not enforce revocation`,
    };
  if (levels.length === 0) return { problem: `${where} trust policy ${JSON.stringify(policy.name)} names no verification level` };
  // Ratify's chart drops the override, so only a Verifier resource's counts.
  const override = overrides ? at(policy, "signatureVerification.override") : undefined;
  if (override === undefined) return { ok: where };
  if (!isObject(override)) return { problem: `${where} trust policy ${JSON.stringify(policy.name)} has an override that is not literal` };
  for (const [check, action] of Object.entries(override)) {
    if (action === "enforce") continue;
    if (check === "revocation" && (action === "skip" || action === "log")) continue;
    return {
      problem: `${where} trust policy ${JSON.stringify(policy.name)} overrides ${check} to ${JSON.stringify(action)}, so a signature failing it is admitted`,
    };
  }
  const revocation = override.revocation;
  return revocation === "skip" || revocation === "log"
    ? {
        ok: where,
        note: `revocation is not enforced (the trust policy ${revocation === "skip" ? "skips" : "only logs"} it): an image whose signature or signing profile was revoked in AWS Signer is still admitted`,
      }
    : { ok: where };
}

/** Ratify trusts only named signing profiles at the strict level, in its chart's values or in a Notation Verifier resource. */
function ratifyVerdict(ns: Parameters<typeof releasesOf>[0]): Verdict & { note?: string } {
  const releases = releasesOf(ns, "ratify");
  if (releases.length === 0) return { problem: "no helm_release installs Ratify, which verifies the signatures" };
  for (const release of releases) {
    const where = addressFrom(release, ns.module);
    const read = releaseValues(release, ns.module);
    if ("unknown" in read) return read;
    const notation = read.values.notation as JsonObject | undefined;
    let sources: Array<{ where: string; policies: JsonObject[]; overrides: boolean }>;
    if (notation?.enabled === false) {
      const verifiers = manifests(ns, "Verifier", RATIFY_VERSIONS);
      if (verifiers.unknown.length > 0) return { unknown: verifiers.unknown.join("; ") };
      sources = verifiers.found
        .filter((v) => at(v.body, "spec.name") === "notation")
        .map((v) => ({
          where: v.where,
          policies: objects(at(v.body, "spec.parameters.trustPolicyDoc.trustPolicies")),
          overrides: true,
        }));
      if (sources.length === 0)
        return { problem: `${where} turns the chart's Notation verifier off, and no Ratify Verifier resource runs Notation` };
    } else {
      sources = [{ where, policies: objects(notation?.trustPolicies), overrides: false }];
    }
    const notes: string[] = [];
    for (const source of sources) {
      if (source.policies.length === 0)
        return { problem: `${source.where} sets no Notation trust policy, and the chart's default trusts any identity` };
      for (const policy of source.policies) {
        const verdict = trustPolicyVerdict(source.where, policy, source.overrides);
        if ("problem" in verdict) return verdict;
        if (verdict.note) notes.push(verdict.note);
      }
    }
    return { ok: sources.map((s) => s.where).join(", "), note: notes[0] };
  }
  return { problem: "unreachable" };
}

/** A tenant namespace under the signature constraints, with Gatekeeper's webhook failing as `failurePolicy` says. */
function signatureExample(failurePolicy: "Fail" | "Ignore"): string {
  const [tenants, platform] = signatureConstraintManifests();
  const trust = {
    name: "saip",
    verificatonLevel: "strict",
    registryScopes: ["*"],
    trustedIdentities: ["${aws_signer_signing_profile.images.arn}"],
  };
  return JSON.stringify(
    {
      resource: {
        kubernetes_namespace_v1: { team_a: { metadata: { name: "team-a", labels: { "saip.io/tenant": "team-a" } } } },
        kubernetes_manifest: {
          template: { manifest: signatureTemplateManifest() },
          tenants: { manifest: tenants },
          platform: { manifest: platform },
        },
        helm_release: {
          gatekeeper: {
            name: "gatekeeper",
            chart: "gatekeeper",
            values: [JSON.stringify({ validatingWebhookFailurePolicy: failurePolicy, enableExternalData: true })],
          },
          ratify: { name: "ratify", chart: "ratify", values: [JSON.stringify({ notation: { enabled: true, trustPolicies: [trust] } })] },
        },
      },
    },
    null,
    2,
  );
}

export const imageSignatureEnforced: Rule = {
  id: "k8s-image-signature-enforced",
  title: "Admission refuses images the platform's signing profile did not sign",
  requirements: ["AICP-INTEGRITY-10"],
  severity: "mandatory",
  waivable: true,
  appliesTo: NAMESPACE_TYPES,
  effect:
    "Gatekeeper's webhook, failing closed, asks Ratify about every image of every pod in this namespace; Ratify admits only images whose Notation signature names a trusted AWS Signer profile and, where the trust policy enforces revocation (internet egress to AWS Signer), was not revoked.",
  remediation:
    "Deploy the SignatureVerifier (Gatekeeper with validatingWebhookFailurePolicy Fail, Ratify with a strict trust policy naming the platform's signing profile (revocation may be skipped only where AWS Signer cannot be reached), the saip constraint template and its deny constraints selecting namespaces labelled saip.io/tenant or saip.io/image-policy=enforced) in the module of the namespaces.",
  applies: governed,
  // Terraform JSON: the template and constraints are the manifests SignatureVerifier writes, long in HCL.
  examples: {
    good: [signatureExample("Fail")],
    // An unreachable verifier then admits every image.
    bad: [signatureExample("Ignore")],
  },
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
      else if (rego.some((r) => r.includes("external_data")))
        notes.push(`${t.where} is not the platform's signature check (its Rego differs)`);
    }
    let selected: string | undefined;
    for (const kind of kinds) {
      const constraints = manifests(ns, kind, CONSTRAINT_VERSIONS);
      open.push(...constraints.unknown);
      for (const c of constraints.found) {
        const action = at(c.body, "spec.enforcementAction") ?? "deny";
        if (action !== "deny") {
          notes.push(`${c.where} only ${JSON.stringify(action)}s, it does not deny`);
          continue;
        }
        const match = at(c.body, "spec.match") as JsonObject | undefined;
        const podKinds = objects(match?.kinds);
        if (
          podKinds.length > 0 &&
          !podKinds.some(
            (k) => stringList(k.apiGroups).some((g) => g === "" || g === "*") && stringList(k.kinds).some((v) => v === "Pod" || v === "*"),
          )
        ) {
          notes.push(`${c.where} does not match pods`);
          continue;
        }
        const name = String(firstBlock(ns.body.metadata)?.name ?? "");
        if (
          stringList(match?.excludedNamespaces).includes(name) ||
          (match?.namespaces !== undefined && !stringList(match.namespaces).includes(name))
        ) {
          notes.push(`${c.where} leaves this namespace out by name`);
          continue;
        }
        const selector = selects({ spec: { matchResources: { namespaceSelector: match?.namespaceSelector ?? {} } } }, found.labels);
        if (selector === true) {
          selected = c.where;
          break;
        }
        if (selector === false) notes.push(`${c.where} does not select this namespace`);
        else open.push(`${c.where}: cannot tell whether it selects this namespace, ${selector}`);
      }
      if (selected) break;
    }
    if (!selected) {
      if (open.length > 0) return unresolved(`no signature constraint is known to cover this namespace: ${[...notes, ...open].join("; ")}`);
      return fail(
        notes.length > 0
          ? notes.join("; ")
          : "no Gatekeeper constraint verifies image signatures in this namespace: any image from the private registry runs, signed or not",
      );
    }
    const verdicts = [gatekeeperVerdict(ns), ratifyVerdict(ns)];
    const unknown = verdicts.filter((v): v is { unknown: string } => "unknown" in v);
    const problems = verdicts.filter((v): v is { problem: string } => "problem" in v);
    if (problems.length > 0) return fail(`${selected} selects this namespace, but ${problems.map((p) => p.problem).join("; ")}`);
    if (unknown.length > 0) return unresolved(`${selected} selects this namespace, but ${unknown.map((u) => u.unknown).join("; ")}`);
    const [gatekeeper, ratify] = verdicts as Array<{ ok: string; note?: string }>;
    return pass(
      `${selected} denies pods whose images ${ratify.ok} cannot verify against the trusted signing profiles, through the webhook of ${gatekeeper.ok}, failing closed${ratify.note ? `; ${ratify.note}` : ""}`,
    );
  },
};
