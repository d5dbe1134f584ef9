import { InputError } from "../../lib/terraform/load";
import { isValidatedConfig, parseConfig } from "./load";
import { PlatformConfig, PlatformConfigInput } from "./schema";

/**
 * Validates a platform config written in code and fills in its defaults, in
 * one call: the parameter's type gives editors completion and help on every
 * field, and a mistake throws an InputError naming every field at fault.
 *
 *   const config = definePlatform({ name: "ml", region: "eu-west-1", ... });
 *   new PlatformStack(app, "platform", config);
 */
export function definePlatform(input: PlatformConfigInput, source = "platform config"): PlatformConfig {
  return parseConfig(input, source);
}

/**
 * What a stack does with the config it is given: one definePlatform or the
 * loader returned is used as it is; anything else (an object literal) is
 * validated first, and a wrong one fails naming its fields.
 */
export function platformConfigOf(input: PlatformConfigInput | PlatformConfig, where: string): PlatformConfig {
  if (isValidatedConfig(input)) return input;
  try {
    return parseConfig(input, where);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${where}: ${(error as Error).message}`);
  }
}
