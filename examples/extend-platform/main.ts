import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { App, TerraformStack } from "cdktf";
import { existsSync } from "node:fs";
import * as path from "node:path";
// By the package's name, as in a team's project (inside this repository, tsconfig's paths and the
// package's own exports map resolve it; jest.config.js maps it to the sources).
import {
  AwsContext,
  buildPlatform,
  enforceCompliance,
  KEY_ACCOUNT_READ_ACTIONS,
  KEY_ADMIN_ACTIONS,
  KEY_DESTRUCTIVE_ACTIONS,
  loadConfigFile,
  PlatformStack,
  PolicyDocument,
  Waivers,
} from "secure-ai-platform";
import type { Report } from "secure-ai-platform";
import { FeatureStoreBucket } from "./feature-store-bucket";

/**
 * Extending the platform in your own code: build the platform's stacks from
 * a config, add the team's own resources inside the platform stack, waive
 * the one rule a legacy resource breaks, and let the same compliance check
 * judge all of it inside synth.
 *
 *   npx ts-node examples/extend-platform/main.ts           # writes cdktf.out/
 *   npm run build && node dist/examples/extend-platform/main.js
 */

/** The platform config beside this file (also found from the compiled copy in dist/). */
export const CONFIG_FILE = [path.join(__dirname, "platform.yaml"), path.join(__dirname, "../../../examples/extend-platform/platform.yaml")].find((f) => existsSync(f)) ?? path.join(__dirname, "platform.yaml");

/** The team's additions to the platform stack. */
export interface TeamResources {
  readonly featureStore: FeatureStoreBucket;
  /** The legacy key, kept as it is: rotation off. */
  readonly legacyKey: KmsKey;
}

/** Adds the team's own resources to the platform stack, beside the platform's. No waivers here. */
export function addTeamResources(platform: PlatformStack): TeamResources {
  const featureStore = new FeatureStoreBucket(platform, "FeatureStore", {
    key: platform.keys.datasets,
    accessLogBucketName: platform.accessLogs.bucketName,
    // The platform's backup plan and role: the feature tables are backed up with the platform's data.
    backup: platform.backup,
  });

  // The key that encrypted the old feature pipeline's exports, adopted as it is
  // in AWS (`terraform import aws_kms_key.legacy_feature_key <key id>` once,
  // before the first apply): rotation is off there, and stays off until the
  // waiver below expires. It breaks aws-kms-key-rotation, a mandatory rule.
  // Its policy is the platform's: the key administrators manage it, the break-glass role alone (with MFA)
  // disables or deletes it, and the account's IAM decides who reads the old exports (AWS's default policy
  // would let every IAM administrator rewrite the policy, which aws-kms-key-no-account-administration fails).
  const { keyAdministrators, governance } = platform.config;
  const root = AwsContext.of(platform).accountRootArn;
  const legacyKey = new KmsKey(platform, "LegacyFeatureKey", {
    description: "Legacy feature-pipeline exports (read-only; retire after migration)",
    policy: new PolicyDocument([
      { Sid: "KeyAdministrators", Effect: "Allow", Principal: { AWS: [...keyAdministrators, governance.deployerRoleArn] }, Action: KEY_ADMIN_ACTIONS, Resource: "*" },
      { Sid: "BreakGlassWithMfa", Effect: "Allow", Principal: { AWS: governance.breakGlassRoleArn }, Action: KEY_DESTRUCTIVE_ACTIONS, Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } },
      { Sid: "AccountReadsExports", Effect: "Allow", Principal: { AWS: root }, Action: ["kms:Decrypt", ...KEY_ACCOUNT_READ_ACTIONS], Resource: "*" },
    ]).toJson(),
    enableKeyRotation: false,
    deletionWindowInDays: 30,
    tags: { Purpose: "legacy-feature-exports" },
  });
  return { featureStore, legacyKey };
}

/** The waiver for the legacy key: why rotation stays off, who decided, until when. */
export function waiveLegacyKey(legacyKey: KmsKey): void {
  Waivers.of(legacyKey).add({
    rule: "aws-kms-key-rotation",
    reason: "Adopted from the legacy feature pipeline; key changes need the payments team's sign-off under the data-sharing agreement until the exports are re-encrypted under the datasets key (RECSYS-412)",
    owner: "recsys-platform-team",
    expires: "2027-06-30",
  });
}

export interface ExampleOptions {
  /** The platform config. @default platform.yaml beside this file */
  readonly configFile?: string;
  /** Time the waiver's expiry is judged against. @default now */
  readonly now?: Date;
}

export interface ExampleResult {
  readonly app: App;
  /** Every stack buildPlatform made. */
  readonly stacks: TerraformStack[];
  readonly platform: PlatformStack;
  readonly team: TeamResources;
  /** The compliance report of each stack, as checked inside synth. */
  readonly reports: Report[];
}

/** Builds, checks and synthesizes the extended platform into `outdir`; throws, naming each failing rule, when a mandatory rule fails. */
export function buildExample(outdir: string, options: ExampleOptions = {}): ExampleResult {
  const config = loadConfigFile(options.configFile ?? CONFIG_FILE);
  const app = new App({ outdir });
  const stacks = buildPlatform(app, config);
  const platform = stacks.find((s): s is PlatformStack => s instanceof PlatformStack);
  if (!platform) throw new Error("buildPlatform made no platform stack");

  const team = addTeamResources(platform);
  waiveLegacyKey(team.legacyKey);

  // After every stack exists, before synth: the check runs on each stack's final JSON.
  const reports: Report[] = [];
  enforceCompliance(app, { now: options.now, onReport: (_stack, report) => reports.push(report) });
  app.synth();
  return { app, stacks, platform, team, reports };
}

if (require.main === module) {
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  try {
    const { reports } = buildExample(outdir);
    const count = (status: string) => reports.reduce((n, r) => n + r.findings.filter((f) => f.status === status).length, 0);
    process.stdout.write(`Synthesized into ${outdir}/: ${count("pass")} findings passed, ${count("fail")} failed, ${count("waived")} waived.\n`);
    for (const w of reports.flatMap((r) => r.waivers)) process.stdout.write(`  waiver: ${w.rule} on ${w.resource} until ${w.expires} (${w.owner}): ${w.reason}\n`);
  } catch (error) {
    process.stderr.write(`extend-platform: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
