import type { ClusterPolicyView, PodSample, PolicyView } from '../engine/index.js';
import { clusterPeerText, clusterPortText } from './cluster-tiers.js';
import { effectLines } from './effect.js';
import { peerText, policyText, ruleName } from './peers.js';
import { policyPortsText } from './ports.js';
import { terminalList, terminalText } from './terminal-text.js';

/** "3 pods: a, b, c" or "7 pods: a, b, c, d, e, ..." (ids shown safely). */
function sampleText(sample: PodSample): string {
  const noun = `${sample.count} pod${sample.count === 1 ? '' : 's'}`;
  if (sample.count === 0) return noun;
  const more = sample.count > sample.first.length ? ', ...' : '';
  return `${noun}: ${terminalList(sample.first)}${more}`;
}

/** The effect of a policy against the snapshot without it: what it alone allows, what it blocks. */
function aloneLines(effect: PolicyView['effect'], clusterPolicy: boolean): string[] {
  return effectLines(effect, { clusterPolicy, allowDnsFlag: false }).map((line) =>
    line
      .replace(/^opens ([1-9]\d* flows?)$/, 'alone allows $1 (removing it would close them)')
      .replace(/^opens /, 'alone allows '),
  );
}

/** The text of a policy's view: selection, rules with live matches, flows it alone allows or blocks. */
export function policyViewLines(view: PolicyView): string[] {
  const directions = view.isolates.length > 0 ? view.isolates.join(' and ') : 'no direction';
  const rules = view.rules.flatMap((rule) => [
    `${ruleName(view, rule.direction, rule.index)}, ports ${policyPortsText(rule.ports)}:`,
    ...rule.peers.map((peer) => {
      const what = peerText(peer.peer, view.namespace);
      return peer.pods ? `  ${what}: ${sampleText(peer.pods)}` : `  ${what}`;
    }),
  ]);
  const effect = aloneLines(view.effect, false);
  return [
    `policy ${policyText(view)}`,
    `selects ${sampleText(view.selected)}`,
    `isolates them for ${directions}`,
    ...(rules.length > 0 ? rules : ['no rules: it allows nothing in the directions it isolates']),
    ...effect,
  ];
}

/** The text of a cluster policy's view: tier, what it governs, its rules, what it allows or blocks. */
export function clusterPolicyViewLines(view: ClusterPolicyView): string[] {
  const rules = view.rules.map(({ direction, index, rule }) => {
    const name = rule.name ? ` (${terminalText(rule.name)})` : '';
    const ports = rule.ports.length > 0 ? rule.ports.map(clusterPortText).join(', ') : 'all ports';
    const peers = rule.peers.map(clusterPeerText).join('; ');
    return `${direction} rule ${index + 1}${name}: ${rule.action} ${peers}, ${ports}`;
  });
  return [
    `cluster policy ${terminalText(view.name)}, ${view.tier} tier, priority ${view.priority}`,
    `governs ${sampleText(view.selected)}`,
    ...(rules.length > 0 ? rules : ['no rules']),
    ...aloneLines(view.effect, true),
  ];
}
