import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { InputError } from "../../lib/terraform/load";
import { DEFAULT_CONFIG } from "../../stacks/config/default";
import { definePlatform, platformConfigOf } from "../../stacks/config/define";
import { CONFIG_DESCRIPTIONS } from "../../stacks/config/descriptions";
import { platformConfigJsonSchema } from "../../stacks/config/json-schema";
import { loadConfigFile } from "../../stacks/config/load";

// The exact words of the config's errors and of its JSON Schema's help, which a user reads: pure, no synth.

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

describe("the config's error messages, word for word", () => {
  it("names the source a definePlatform call gives, and 'platform config' when it gives none", () => {
    expect(() => definePlatform({ ...structuredClone(DEFAULT_CONFIG), name: "Bad" })).toThrow(
      /^platform config: invalid platform config:\n {2}name: /,
    );
    expect(() => definePlatform({ ...structuredClone(DEFAULT_CONFIG), name: "Bad" }, "app.ts")).toThrow(
      /^app\.ts: invalid platform config:\n/,
    );
  });

  it("turns any other error while validating an object into an InputError naming where it came from", () => {
    const hostile = {
      get name(): string {
        throw new Error("boom");
      },
    };
    let thrown: unknown;
    try {
      platformConfigOf(hostile as never, "platform stack");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toBe("platform stack: boom");
  });

  it("gives the error code of a file it cannot read, alone", () => {
    const missing = path.join(tmpdir(), "saip-no-such-config.yaml");
    expect(() => loadConfigFile(missing)).toThrow(new RegExp(`^${escaped(missing)}: cannot read the platform config: ENOENT$`));
    const folder = mkdtempSync(path.join(tmpdir(), "saip-config-dir-"));
    mkdirSync(path.join(folder, "platform.yaml"));
    expect(() => loadConfigFile(path.join(folder, "platform.yaml"))).toThrow(/: cannot read the platform config: EISDIR$/);
  });

  it("gives the first line of a YAML error only, without the excerpt of the file", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "saip-config-")), "platform.yaml");
    writeFileSync(file, "name: a\nname: b\n");
    expect(() => loadConfigFile(file)).toThrow(new RegExp(`^${escaped(file)}: malformed YAML: Map keys must be unique$`));
  });
});

describe("the config's JSON Schema", () => {
  const schema = platformConfigJsonSchema() as { title: string; description: string; properties: Record<string, { description?: string }> };

  it("is titled, and described by the descriptions' top-level entry", () => {
    expect(schema.title).toBe("secure-ai-platform config");
    expect(schema.description).toBe(CONFIG_DESCRIPTIONS[""]);
    expect(schema.description.length).toBeGreaterThan(20);
  });

  it("gives each field the help written for it", () => {
    expect(schema.properties.tags.description).toBe(CONFIG_DESCRIPTIONS.tags);
    expect(schema.properties.landingZone.description).toBe(CONFIG_DESCRIPTIONS.landingZone);
  });
});
