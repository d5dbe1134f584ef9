import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { evidenceJsonSchema } from "../lib/evidence/record";

// Writes the published JSON Schema of the evidence record (npm run schema:evidence); a test keeps it current.
const target = path.join(process.cwd(), "docs/evidence.schema.json");
writeFileSync(target, JSON.stringify(evidenceJsonSchema(), null, 2) + "\n");
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
