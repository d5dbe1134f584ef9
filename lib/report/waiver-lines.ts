import { WaiverRecord } from "../compliance/finding";

/** One line per waiver, the same words in every format. */
export function describeWaiver(w: WaiverRecord): string {
  const state = w.expired ? `EXPIRED on ${w.expires}` : `until ${w.expires}`;
  return `${w.rule} on ${w.resource}, ${state}, owner ${w.owner}, matched ${w.matched}: ${w.reason} (from ${w.origin})`;
}
