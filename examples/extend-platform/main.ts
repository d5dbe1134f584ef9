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
  PlatformKey,
  PlatformStack,
  PolicyDocument,
  Waivers,
} from "secure-ai-platform";
import type { Report } from "secure-ai-platform";
import { FeatureStoreBucket } from "./feature-store-bucket";

/**
 * Extending the platform in your own code, in a landing zone: the config
 * builds the platform into the landing zone's VPC and relies on its
 * organization trail (`landingZone` in platform.yaml); the team adds a
 * feature store built from SecureBucket under the landing zone's data key,
 * imported by ARN, and keeps a legacy key. The same compliance check judges
 * all of it inside synth, and every report lists what was assumed of the
 * landing zone's resources, which it cannot see.
 *
 *   npx ts-node examples/extend-platform/main.ts           # writes cdktf.out/
 *   npm run build && node dist/examples/extend-platform/main.js
 */

/** The platform config beside this file (also found from the compiled copy in dist/). */
export const CONFIG_FILE =
  [path.join(__dirname, "platform.yaml"), path.join(__dirname, "../../../examples/extend-platform/platform.yaml")].find((f) =>
    existsSync(f),
  ) ?? path.join(__dirname, "platform.yaml");

/** The landing zone's key for the recommendations team's data (in its key policy, this account's IAM may grant its use). */
export const FEATURE_KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/5f0e2a61-8c4d-4b7e-9a3f-2d6c1e8b7a90";

/** The team's additions to the platform stack. */
export interface TeamResources {
  readonly featureStore: FeatureStoreBucket;
  /** The legacy key, kept as it is: rotation off. */
  readonly legacyKey: KmsKey;
}

/** Adds the team's own resources to the platform stack, beside the platform's. No waivers here. */
export function addTeamResources(platform: PlatformStack): TeamResources {
  // Imported, not created: grants on it become inline policies of the grantee's role, since its key policy is the landing zone's.
  const featureKey = PlatformKey.fromKeyArn(platform, "FeatureKey", FEATURE_KEY_ARN, "feature-store");
  const featureStore = new FeatureStoreBucket(platform, "FeatureStore", {
    key: featureKey,
    accessLogs: platform.accessLogs,
    // The platform's backup plan and role: the feature tables are backed up with the platform's data.
    backup: { planId: platform.backup.planId, role: platform.backup.role },
  });
  // The tenant's training jobs read their own features: the bucket grant brings the key's, both on the job's role.
  featureStore.grantRead(platform.tenantRoles.recommendations.training, { prefix: "recommendations/" });

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
      {
        Sid: "KeyAdministrators",
        Effect: "Allow",
        Principal: { AWS: [...keyAdministrators, governance.deployerRoleArn] },
        Action: KEY_ADMIN_ACTIONS,
        Resource: "*",
      },
      {
        Sid: "BreakGlassWithMfa",
        Effect: "Allow",
        Principal: { AWS: governance.breakGlassRoleArn },
        Action: KEY_DESTRUCTIVE_ACTIONS,
        Resource: "*",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
      },
      {
        Sid: "AccountReadsExports",
        Effect: "Allow",
        Principal: { AWS: root },
        Action: ["kms:Decrypt", ...KEY_ACCOUNT_READ_ACTIONS],
        Resource: "*",
      },
    ]).toJson(),
    enableKeyRotation: false,
    deletionWindowInDays: 30,
    tags: { Purpose: "legacy-feature-exports" },
  });
  return { featureStore, legacyKey };
}

/**
 * The engine cannot read the landing zone's key policy, so it cannot prove that S3 may use the key for the
 * feature store and fails the bucket's encryption unresolved; the team accepts that, with a reason, until the
 * landing zone publishes its key policies for the check to read.
 */
export function waiveImportedKey(featureStore: FeatureStoreBucket): void {
  Waivers.of(featureStore).add({
    rule: "aws-kms-key-usable-by-consumers",
    reason:
      "The feature key is the landing zone's (LZ-DATA-7); its policy delegates to this account's IAM, reviewed by the landing-zone team and reported as assumed",
    owner: "recsys-platform-team",
    expires: "2027-06-30",
  });
}

/** The waiver for the legacy key: why rotation stays off, who decided, until when. */
export function waiveLegacyKey(legacyKey: KmsKey): void {
  Waivers.of(legacyKey).add({
    rule: "aws-kms-key-rotation",
    reason:
      "Adopted from the legacy feature pipeline; key changes need the payments team's sign-off under the data-sharing agreement until the exports are re-encrypted under the datasets key (RECSYS-412)",
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
  waiveImportedKey(team.featureStore);

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
    process.stdout.write(
      `Synthesized into ${outdir}/: ${count("pass")} findings passed, ${count("fail")} failed, ${count("waived")} waived.\n`,
    );
    for (const w of reports.flatMap((r) => r.waivers))
      process.stdout.write(`  waiver: ${w.rule} on ${w.resource} until ${w.expires} (${w.owner}): ${w.reason}\n`);
    for (const a of reports.flatMap((r) => r.assumptions ?? []))
      process.stdout.write(`  assumed, not checked: ${a.subject}: ${a.assumed}\n`);
  } catch (error) {
    process.stderr.write(`extend-platform: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
