// The engine's modules themselves, not its index: --pod-cidr is read at start-up, even for
// --version and completion, which need nothing else of the engine.
import type { Parsed } from '../engine/vocabulary.js';
import { parseCidr } from '../engine/vocabulary.js';

/**
 * Parses a comma-separated list of CIDRs (`10.244.0.0/16,fd00:10::/56`), as --pod-cidr takes
 * them; the message of a failure names the first entry that is not a CIDR.
 */
export function parseCidrList(text: string): Parsed<string[]> {
  const cidrs = text.split(',').map((entry) => entry.trim());
  const bad = cidrs.find((cidr) => !parseCidr(cidr));
  return bad === undefined
    ? { ok: true, value: cidrs }
    : { ok: false, error: `"${bad}" is not a CIDR (expected e.g. 10.244.0.0/16)` };
}
