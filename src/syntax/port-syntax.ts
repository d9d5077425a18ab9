import { type Parsed, type PolicyPort, PROTOCOLS, type Protocol } from '../engine/index.js';

/**
 * Parses a port argument: `8080`, `8080/TCP`, `http/TCP`, `8000-8100/UDP` (a range), or a bare
 * protocol (`UDP`: every port of it). The protocol defaults to TCP. Values are checked by
 * validation, so out-of-range numbers come back as written.
 */
export function parsePolicyPort(text: string): Parsed<PolicyPort> {
  const [spec = '', protocolText, ...rest] = text.trim().split('/');
  if (rest.length > 0 || spec === '') return { ok: false, error: `cannot parse port "${text}"` };
  const upper = spec.toUpperCase();
  if (protocolText === undefined && PROTOCOLS.includes(upper as Protocol))
    return { ok: true, value: { protocol: upper as Protocol } };
  const protocol = (protocolText ?? 'TCP').toUpperCase() as Protocol;
  const range = /^(\d+)-(\d+)$/.exec(spec);
  if (range)
    return { ok: true, value: { protocol, port: Number(range[1]), endPort: Number(range[2]) } };
  return { ok: true, value: { protocol, port: /^\d+$/.test(spec) ? Number(spec) : spec } };
}
