import { fail, Outcome, pass, unresolved } from "../../../compliance/rule";
import { Json, JsonObject, TfModule, TfResource } from "../../../terraform/model";
import { customerManagedKey, describe, firstBlock, isTrue, resolve, valueAt } from "../../helpers";
import { readDataSource, requires } from "../../postconditions";
import { PRIVATE_SUBNET_CONDITION } from "../network/landing-zone-reads";

export type Accelerator = "nvidia" | "neuron";

/** Instance families with NVIDIA GPUs (p, g, gr) or AWS Neuron chips (trn, inf); `p5.48xlarge` → "nvidia". */
export function acceleratorOf(instanceType: string): Accelerator | undefined {
  const family = instanceType.trim().toLowerCase().split(".")[0];
  if (/^(p|g|gr)\d/.test(family)) return "nvidia";
  if (/^(trn|inf)\d/.test(family)) return "neuron";
  return undefined;
}

/** EKS AMI types that ship an accelerator driver: `AL2023_x86_64_NVIDIA`, `AL2023_x86_64_NEURON`, `AL2_x86_64_GPU`. */
export function acceleratorOfAmiType(amiType: string): Accelerator | undefined {
  const upper = amiType.toUpperCase();
  if (upper.includes("NEURON")) return "neuron";
  if (upper.includes("NVIDIA") || upper.includes("GPU")) return "nvidia";
  return undefined;
}

/** What a node group's `launch_template` block points at. */
export type TemplateLink =
  | { readonly kind: "none" }
  | { readonly kind: "template"; readonly template: TfResource }
  | { readonly kind: "unknown"; readonly message: string };

/** Follows `launch_template.id` or `.name` to an aws_launch_template in the module (by reference, or by its literal name). */
export function launchTemplateOf(nodeGroup: TfResource): TemplateLink {
  const raw = nodeGroup.body.launch_template;
  if (typeof raw === "string") return { kind: "unknown", message: `launch_template is ${describe(resolve(nodeGroup, raw))}` };
  const block = firstBlock(raw);
  if (!block) return { kind: "none" };
  for (const key of ["id", "name"]) {
    const value = resolve(nodeGroup, block[key]);
    if (value.state === "reference" && value.target.type === "aws_launch_template") return { kind: "template", template: value.target };
    if (key === "name" && value.state === "known" && typeof value.value === "string") {
      const named = nodeGroup.module.ofType("aws_launch_template").find((t) => t.body.name === value.value);
      if (named) return { kind: "template", template: named };
    }
  }
  const shown = ["id", "name"].map((k) => `${k} ${describe(resolve(nodeGroup, block[k]))}`).join(", ");
  return {
    kind: "unknown",
    message: `launch_template (${shown}) is not an aws_launch_template in the module, so its settings cannot be read`,
  };
}

/** A node group takes its launch template's outcome, named after the template; `none` says what EKS's own template does. */
export function viaLaunchTemplate(nodeGroup: TfResource, judge: (template: TfResource) => Outcome, none: () => Outcome): Outcome {
  const link = launchTemplateOf(nodeGroup);
  if (link.kind === "none") return none();
  if (link.kind === "unknown") return unresolved(link.message);
  const outcome = judge(link.template);
  return { status: outcome.status, message: `launch template ${link.template.address}: ${outcome.message}` };
}

/** A nested block seen as a resource, so path helpers (customerManagedKey) read it with the resource's module. */
export function inBlock(resource: TfResource, block: JsonObject): TfResource {
  return { ...resource, body: block };
}

/** Encrypted with a customer-managed key: `encrypted` true and `kms_key_id` a CMK. */
export function encryptedWithCmk(resource: TfResource, block: JsonObject, label: string): Outcome {
  const encrypted = resolve(resource, block.encrypted);
  if (encrypted.state === "unknown" || encrypted.state === "reference") return unresolved(`${label}.encrypted is ${describe(encrypted)}`);
  if (!isTrue(encrypted)) return fail(`${label} is not encrypted: encrypted is ${describe(encrypted)}`);
  const key = customerManagedKey(inBlock(resource, block), "kms_key_id");
  return { status: key.status, message: `${label}: ${key.message}` };
}

/**
 * Account-wide EBS encryption by default with a customer-managed default key,
 * which covers volumes a template or instance does not declare.
 */
export function accountDefaultCmk(module: TfModule): Outcome {
  return module.cached("aws-launch-template-ebs-cmk:account-default", accountDefault);
}

function accountDefault(module: TfModule): Outcome {
  const switches = module.ofType("aws_ebs_encryption_by_default");
  // `enabled` defaults to true on this resource.
  const on = switches.find((s) => valueAt(s, "enabled").state === "absent" || isTrue(valueAt(s, "enabled")));
  if (!on) {
    const unknown = switches.find((s) => ["unknown", "reference"].includes(valueAt(s, "enabled").state));
    if (unknown) return unresolved(`${unknown.address} sets enabled to ${describe(valueAt(unknown, "enabled"))}`);
    return fail("the module does not turn on aws_ebs_encryption_by_default");
  }
  const keys = module.ofType("aws_ebs_default_kms_key");
  if (keys.length === 0) return fail(`${on.address} is on but no aws_ebs_default_kms_key names a customer-managed key`);
  const outcomes = keys.map((k) => ({ key: k, outcome: customerManagedKey(k, "key_arn") }));
  const good = outcomes.find((o) => o.outcome.status === "pass");
  if (good) return pass(`account-wide EBS encryption by default is on (${on.address}) with ${good.key.address}: ${good.outcome.message}`);
  const open = outcomes.find((o) => o.outcome.status === "unresolved");
  if (open) return unresolved(`${open.key.address}: ${open.outcome.message}`);
  return fail(`${outcomes[0].key.address}: ${outcomes[0].outcome.message}`);
}

/**
 * Whether the subnets in `key` (one id or a list) give public IPs: only
 * subnets declared in the module can tell.
 */
export function subnetsWithoutPublicIp(resource: TfResource, key: string): Outcome {
  const raw: Json | undefined = resource.body[key];
  const whole = resolve(resource, raw);
  if (whole.state === "absent") return fail(`${key} is not set: the instance lands in a default subnet, which maps public IPs`);
  if (whole.state !== "known" && whole.state !== "reference")
    return unresolved(`${key} is ${describe(whole)}; whether its subnets map public IPs is unknown`);
  const items = whole.state === "known" && Array.isArray(whole.value) ? whole.value : [raw ?? null];
  const checked: string[] = [];
  for (const item of items) {
    const read = readDataSource(resource, item, "aws_subnet");
    if (read) {
      // A subnet the module reads, not manages: it counts only if the plan stops when it maps public IPs.
      if (!requires(read, PRIVATE_SUBNET_CONDITION))
        return unresolved(
          `${key} includes ${read.address}, read from outside the module with no postcondition requiring ${PRIVATE_SUBNET_CONDITION}; whether it maps public IPs is unknown`,
        );
      checked.push(`${read.address} (its postcondition stops the plan if it maps public IPs)`);
      continue;
    }
    const subnet = resolve(resource, item);
    if (subnet.state !== "reference" || subnet.target.type !== "aws_subnet") {
      return unresolved(`${key} includes ${describe(subnet)}, not an aws_subnet of the module; whether it maps public IPs is unknown`);
    }
    const maps = valueAt(subnet.target, "map_public_ip_on_launch");
    if (isTrue(maps)) return fail(`${subnet.target.address} sets map_public_ip_on_launch = true, so instances get public IPs`);
    if (maps.state === "unknown" || maps.state === "reference")
      return unresolved(`${subnet.target.address} sets map_public_ip_on_launch to ${describe(maps)}`);
    checked.push(subnet.target.address);
  }
  if (checked.length === 0) return unresolved(`${key} is empty`);
  return pass(`the subnets (${checked.join(", ")}) do not map public IPs`);
}
