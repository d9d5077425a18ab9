import type { ClusterPolicyView, ClusterRuleView, PodSample, PolicyView } from '../engine/index.js';
import { clusterPeerText, clusterPortText } from './cluster-tiers.js';
import { effectLines } from './effect.js';
import { peerText, policyText, ruleName } from './peers.js';
import { policyPortsText, portSetText } from './ports.js';
import { scaledToZeroSuffix } from './replicas.js';
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
      const idle = scaledToZeroSuffix(peer.scaledToZero);
      return peer.pods ? `  ${what}: ${sampleText(peer.pods)}${idle}` : `  ${what}`;
    }),
  ]);
  const effect = aloneLines(view.effect, false);
  return [
    `policy ${policyText(view)}`,
    `selects ${sampleText(view.selected)}${scaledToZeroSuffix(view.selectedScaledToZero)}`,
    `isolates them for ${directions}`,
    ...(rules.length > 0 ? rules : ['no rules: it allows nothing in the directions it isolates']),
    ...effect,
  ];
}

/** How many flows a rule lists before counting the rest. */
const LISTED_RULE_FLOWS = 10;

/** What a rule does to the flows it decides, by its action. */
const DECIDES: Readonly<Record<ClusterRuleView['rule']['action'], string>> = {
  Accept: 'accepts',
  Deny: 'denies',
  Pass: 'passes to the NetworkPolicies',
};

/**
 * The flows a cluster policy rule decides: a count and the first few, then the pods whose
 * traffic to themselves it decides (through a Service only: a pod's own IP is never restricted).
 */
function ruleFlowLines({ rule, flows }: ClusterRuleView): string[] {
  const between = flows.filter((flow) => !flow.itself);
  const itself = flows.filter((flow) => flow.itself);
  const verb = DECIDES[rule.action];
  const count = `${between.length} flow${between.length === 1 ? '' : 's'}`;
  const more = between.length - LISTED_RULE_FLOWS;
  return [
    `  ${verb} ${count}${between.length > 0 ? ':' : ''}`,
    ...between
      .slice(0, LISTED_RULE_FLOWS)
      .map((f) => `    ${terminalText(f.from)} -> ${terminalText(f.to)}: ${portSetText(f.ports)}`),
    ...(more > 0 ? [`    ... and ${more} more`] : []),
    ...(itself.length > 0
      ? [
          `  ${verb} a pod's traffic to itself through a Service (never by its own IP) for ${sampleText(
            { count: itself.length, first: itself.slice(0, 5).map((f) => f.from) },
          )}`,
        ]
      : []),
  ];
}

/** The text of a cluster policy's view: tier, what it governs, its rules, what it allows or blocks. */
export function clusterPolicyViewLines(view: ClusterPolicyView): string[] {
  const rules = view.rules.flatMap((ruleView) => {
    const { direction, index, rule } = ruleView;
    const name = rule.name ? ` (${terminalText(rule.name)})` : '';
    const ports = rule.ports.length > 0 ? rule.ports.map(clusterPortText).join(', ') : 'all ports';
    const peers = rule.peers.map(clusterPeerText).join('; ');
    return [
      `${direction} rule ${index + 1}${name}: ${rule.action} ${peers}, ${ports}`,
      ...ruleFlowLines(ruleView),
    ];
  });
  return [
    `cluster policy ${terminalText(view.name)}, ${view.tier} tier, priority ${view.priority}`,
    `governs ${sampleText(view.selected)}`,
    ...(rules.length > 0 ? rules : ['no rules']),
    ...aloneLines(view.effect, true),
  ];
}
