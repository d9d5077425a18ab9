import { type CiliumIsolation, type CiliumRuleMatch, ciliumL7Restricts } from '../engine/index.js';
import { terminalList, terminalText } from './terminal-text.js';

const L7_NAMES = { http: 'HTTP', dns: 'DNS', kafka: 'Kafka', other: 'L7' } as const;

/** A Cilium rule in words: `ciliumnetworkpolicy/NS/NAME ingressDeny rule 1`. */
export function ciliumRuleText(match: CiliumRuleMatch): string {
  const list = match.action === 'deny' ? `${match.direction}Deny` : match.direction;
  const spec = match.specIndex > 0 ? ` (specs[${match.specIndex - 1}])` : '';
  return `${terminalText(match.policy)}${spec} ${list} rule ${match.ruleIndex + 1}`;
}

/** The L7 restriction of a Cilium allow rule, or undefined when it has none. */
export function ciliumL7Text(match: CiliumRuleMatch): string | undefined {
  if (!match.l7) return undefined;
  const what = L7_NAMES[match.l7.protocol];
  const requests = match.l7.requests.length > 0 ? `: ${terminalList(match.l7.requests)}` : '';
  return `allowed at L4 only for the listed ${what} requests${requests}; others are refused by Cilium's proxy`;
}

/** What puts a pod in Cilium's default-deny, in words. */
export function ciliumIsolationText(isolation: CiliumIsolation): string {
  const parts = [
    ...isolation.policies.map((name) => terminalText(name)),
    ...(isolation.always ? ['cilium-config enable-policy=always'] : []),
  ];
  return parts.join(', ');
}

/**
 * The lines of matching Cilium rules: `allowed by ...`, then each L7 restriction, or why it
 * does not restrict this connection.
 */
export function ciliumMatchLines(
  matches: readonly CiliumRuleMatch[],
  otherAllows = false,
): string[] {
  const restricts = ciliumL7Restricts(matches, otherAllows);
  return matches.flatMap((match) => {
    const l7 = ciliumL7Text(match);
    const verb = match.action === 'deny' ? 'denied' : 'allowed';
    const note = !l7
      ? []
      : restricts
        ? [`  ${l7}`]
        : ['  its L7 rules do not restrict this: another rule allows the port without L7 rules'];
    return [`${verb} by ${ciliumRuleText(match)}`, ...note];
  });
}
