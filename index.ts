/**
 * secure-ai-platform: secure-by-default cdktf constructs and stacks for AI
 * computing platforms, and the compliance engine that checks them.
 *
 * The root holds what most apps need: the stacks, the config types and
 * loader, enforceCompliance and the constructs. Sub-paths hold each part on
 * its own: `secure-ai-platform/aws`, `/kubernetes`, `/stacks`, `/compliance`
 * (the engine only; it loads no provider package) and `/testing` (Jest matchers).
 */
export * from "./stacks";
export * from "./constructs/aws";
export * from "./constructs/kubernetes";
export {
  ComplianceAspect,
  enforceCompliance,
  Waivers,
  recordAssumption,
  check,
  loadWaiverFile,
  unusedWaivers,
  REQUIREMENTS,
  requirementById,
  ALL_RULES,
  ruleById,
  InputError,
  writeEvidenceFolder,
} from "./lib";
export type {
  AssumptionRecord,
  ComplianceAspectOptions,
  EnforceComplianceOptions,
  ConstructWaiver,
  Finding,
  Report,
  Rule,
  Waiver,
  Requirement,
  EvidenceFolderOptions,
} from "./lib";
