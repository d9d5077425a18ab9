import type { PolicyEffect } from '../engine/index.js';
import { portSetText } from './ports.js';
import { terminalText } from './terminal-text.js';

/** How many changed flows the preview lists before summarising. */
const LISTED_CHANGES = 10;

/** The preview of what adding policies changes: flows opened and closed, DNS blocked. */
export function effectLines(effect: PolicyEffect): string[] {
  const change = (verb: string, flows: PolicyEffect['opened'], side: 'before' | 'after') => [
    `${verb} ${flows.length} flow${flows.length === 1 ? '' : 's'}`,
    ...flows
      .slice(0, LISTED_CHANGES)
      .map(
        (f) =>
          `  ${terminalText(f.from)} -> ${terminalText(f.to)}: ${portSetText(f.before)} => ${portSetText(f[side === 'before' ? 'before' : 'after'])}`,
      ),
    ...(flows.length > LISTED_CHANGES ? [`  ... and ${flows.length - LISTED_CHANGES} more`] : []),
  ];
  const dns =
    effect.dnsBlocked.length > 0
      ? [
          `blocks DNS for ${effect.dnsBlocked.length} pod${effect.dnsBlocked.length === 1 ? '' : 's'} (add --allow-dns, or scaffold allow-dns)`,
        ]
      : effect.dnsKnown
        ? []
        : ['cluster DNS pods are not in the snapshot, so DNS was not checked'];
  return [
    ...change('opens', effect.opened, 'after'),
    ...change('blocks', effect.closed, 'after'),
    ...dns,
  ];
}
