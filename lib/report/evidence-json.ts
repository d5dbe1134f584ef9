import { EvidenceRecord } from "../evidence/record";

/** The evidence record as written: stable key order, two-space indent, a final newline. */
export function renderEvidenceJson(record: EvidenceRecord): string {
  return JSON.stringify(record, null, 2) + "\n";
}
