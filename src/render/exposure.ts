import type {
  CalicoCatchAll,
  DirectionExposure,
  ExposureChanges,
  PeerGrant,
  PodExposure,
  PolicyRef,
  ReachablePod,
  ReachChange,
} from '../engine/index.js';
import { labelsSelector } from '../engine/index.js';
import { ciliumIsolationText } from './cilium-rules.js';
import { clusterRuleLines } from './cluster-tiers.js';
import { undecidedLayerText } from './completeness.js';
import { answerPartsText, reachParts } from './family-ports.js';
import { peerText, policyText, ruleName } from './peers.js';
import { pluginGrantLines } from './plugin-rules.js';
import { policyPortsText } from './ports.js';
import { autoscaledNote, replicasText } from './replicas.js';
import { restrictingTiersDetail } from './restricting-tiers.js';
import { selectorText } from './selectors.js';
import { serviceIpBlockText } from './service-ip.js';
import { terminalList, terminalText } from './terminal-text.js';
import { maskedClientLines } from './verdict.js';

/** How many reachable pods text output lists before summarising the rest. */
export const LISTED_PODS = 25;

function grantLines(grant: PeerGrant): string[] {
  const count = grant.matchedPods.length;
  const maybe = grant.maybePods?.length ?? 0;
  const ipBlock = grant.peer?.ipBlock;
  const unknown =
    maybe === 0
      ? ''
      : ipBlock
        ? `, ${maybe} more if ${maybe === 1 ? 'its IP is' : 'their IPs are'}`
        : `, ${maybe} more if the labels of ${maybe === 1 ? 'its namespace' : 'their namespaces'} (not in the input) match`;
  const pods = `${count} pod${count === 1 ? '' : 's'}${ipBlock ? ' inside' : ''}${unknown}`;
  const caveat =
    ipBlock && grant.services
      ? [`      caveat: ${serviceIpBlockText(ipBlock.cidr, ipBlock.except, grant.services)}`]
      : [];
  return [
    `    ${peerText(grant.peer, grant.policy.namespace)} on ${policyPortsText(grant.ports)}  [${pods}]  (${ruleName(grant.policy, grant.direction, grant.ruleIndex)})`,
    ...caveat,
    ...maskedClientLines(grant.routeDoubts),
  ];
}

/** The rule of a Calico catch-all: `globalnetworkpolicy/security.x egress rule 2`. */
function catchAllRuleText(rule: CalicoCatchAll): string {
  return `${terminalText(rule.policy)} ${rule.direction} rule ${rule.ruleIndex + 1}`;
}

/** A tier whose end is never reached: `calico tier security passes all egress its earlier rules leave to the next tier (...)`. */
function openTierLine(rule: CalicoCatchAll): string {
  const what = `all ${rule.direction} its earlier rules leave`;
  const does = rule.action === 'pass' ? `passes ${what} to the next tier` : `allows ${what}`;
  return `  calico tier ${terminalText(rule.tier)} ${does} (${catchAllRuleText(rule)})`;
}

/** `subject` is already safe for a terminal. */
/** The line on node-local traffic of a pod NetworkPolicies isolate. */
function nodeLocalText(
  nodeLocal: NonNullable<DirectionExposure['nodeLocal']>,
  toFrom: 'to' | 'from',
): string {
  const node = nodeLocal.node
    ? `its node (nodeName ${terminalText(nodeLocal.node)})`
    : 'its node (not known: no spec.nodeName)';
  const plugin = nodeLocal.plugin
    ? `; whether ${nodeLocal.plugin} lets it past its own policies is not modelled`
    : '';
  return `node-local traffic ${toFrom} the host of ${node} is always allowed (Kubernetes)${plugin}`;
}

/**
 * The restriction of a hostNetwork pod's side: none, or the policies selecting it, which
 * isolate it only if the plugin applies selectors to such pods.
 */
function hostNetworkLine(
  title: string,
  subject: string,
  selectedBy: readonly PolicyRef[] | undefined,
): string {
  if (!selectedBy)
    return `${title}: not isolated: ${subject} uses the host network, and NetworkPolicies do not apply to it`;
  const select = selectedBy.length === 1 ? 'selects' : 'select';
  return `${title}: ${subject} uses the host network; ${selectedBy.map(policyText).join(', ')} ${select} it, isolating it only if the network plugin applies selectors to such pods (answers that would change are UNKNOWN)`;
}

function directionLines(exposure: DirectionExposure, subject: string): string[] {
  const title = exposure.direction === 'ingress' ? 'Ingress' : 'Egress';
  const toFrom = exposure.direction === 'ingress' ? 'from' : 'to';
  const lines: string[] = [];
  const r = exposure.restriction;
  const notSelected = `not isolated: no NetworkPolicy selects this pod for ${exposure.direction}`;
  if (r.kind === 'restricted') {
    lines.push(
      `${title}: restricted by ${restrictingTiersDetail(r.tiers)}, ${notSelected}; what no rule denies is allowed`,
    );
  } else if (r.kind === 'unrestricted') {
    lines.push(
      r.reason === 'host-network'
        ? hostNetworkLine(title, subject, r.selectedBy)
        : exposure.clusterRules || exposure.calicoPolicies
          ? `${title}: ${notSelected}; ${exposure.calicoPolicies ? 'Calico' : 'cluster'} policies govern it`
          : `${title}: ${notSelected}, so all ${exposure.direction} is allowed`,
    );
  } else {
    const cilium = r.cilium ? [ciliumIsolationText(r.cilium)] : [];
    const calico = (r.calico ?? []).map(
      (tier) =>
        `calico tier ${terminalText(tier.tier)} (${tier.denyAll ? `${catchAllRuleText(tier.denyAll)} denies every connection its earlier rules leave` : 'default Deny'})`,
    );
    lines.push(
      `${title}: isolated by ${[...r.policies.map(policyText), ...cilium, ...calico].join(', ')}`,
    );
  }
  if (exposure.calicoPolicies) {
    lines.push(`  Calico policies, in evaluation order: ${terminalList(exposure.calicoPolicies)}`);
  }
  lines.push(...(exposure.calicoOpenTiers ?? []).map(openTierLine));
  const allows = [
    ...exposure.grants.flatMap(grantLines),
    ...pluginGrantLines(exposure.pluginRules, 'accept'),
  ];
  if (allows.length > 0) lines.push(`  rules allow ${toFrom}:`, ...allows);
  else if (r.kind === 'isolated' && !r.cilium && !r.calico)
    lines.push(
      `  no rule allows any ${exposure.direction}: all of it is denied${exposure.nodeLocal ? ' but node-local traffic' : ''}`,
    );
  const denies = pluginGrantLines(exposure.pluginRules, 'deny');
  if (denies.length > 0) lines.push(`  rules deny ${toFrom}:`, ...denies);
  const passes = pluginGrantLines(exposure.pluginRules, 'pass');
  if (passes.length > 0) lines.push(`  rules pass to the next tier traffic ${toFrom}:`, ...passes);
  if (exposure.nodeLocal) lines.push(`  ${nodeLocalText(exposure.nodeLocal, toFrom)}`);
  if (exposure.clusterRules) lines.push(...clusterRuleLines(exposure.clusterRules));
  if (exposure.undecided) {
    lines.push(`  UNKNOWN: what could not be read or evaluated may decide ${exposure.direction}:`);
    lines.push(...exposure.undecided.map((layer) => `    ${undecidedLayerText(layer)}`));
  }
  const verb = exposure.direction === 'ingress' ? 'pods that can reach it' : 'pods it can reach';
  lines.push(`  ${verb} (both sides' policies applied): ${exposure.pods.length}`);
  lines.push(
    ...listedLines(
      exposure.pods,
      (reachable) => `${terminalText(reachable.pod)}  ${reachableConnectionsText(reachable)}`,
    ),
  );
  return lines;
}

/** Up to LISTED_PODS items, one indented line each, then how many more there are. */
function listedLines<T>(items: readonly T[], lineOf: (item: T) => string): string[] {
  return [
    ...items.slice(0, LISTED_PODS).map((item) => `    ${lineOf(item)}`),
    ...(items.length > LISTED_PODS
      ? [`    ... and ${items.length - LISTED_PODS} more (-o json lists all)`]
      : []),
  ];
}

/**
 * The connections to or from a reachable pod: `TCP 80; UNKNOWN: TCP 443` when only some are
 * UNKNOWN, a note when all of them are, and `TCP 5432 (IPv4 only)` for those of one address
 * family only.
 */
function reachableConnectionsText(reachable: ReachablePod): string {
  return answerPartsText(reachParts(reachable));
}

/** The text form of `explain POD`. */
export function exposureLines(exposure: PodExposure): string[] {
  const pod = exposure.pod;
  const id = terminalText(pod.id);
  const labels = selectorText(labelsSelector(pod.labels)) ?? '(none)';
  const ips = terminalList(pod.ips);
  const replicas = replicasText(pod);
  // A workload's pods each have their own address, which manifests do not show.
  const noIp = replicas === undefined ? '(none)' : "(its pods' addresses are not known)";
  return [
    `${terminalText(pod.kind)} ${id}`,
    `  labels: ${labels}`,
    ...(replicas === undefined ? [] : [`  replicas: ${replicas}${autoscaledNote(pod)}`]),
    `  IP: ${ips || noIp}${pod.hostNetwork ? '  (host network)' : ''}`,
    ...directionLines(exposure.ingress, id),
    ...directionLines(exposure.egress, id),
  ];
}

/** A changed pod's connections: `TCP 53; UDP 53 -> UDP 53` (`none` where nothing is allowed). */
function reachChangeText(change: ReachChange): string {
  const text = (reached: ReachablePod | undefined) =>
    reached ? reachableConnectionsText(reached) : 'none';
  return `${terminalText(change.pod)}  ${text(change.before)} -> ${text(change.after)}`;
}

/**
 * What explain's pod would gain or lose if a staged policy were enforced: per direction, the
 * pods whose connections with it change. `policy` is already safe for a terminal.
 */
export function stagedChangeLines(policy: string, changes: ExposureChanges): string[] {
  const direction = (label: string, list: readonly ReachChange[]) =>
    list.length === 0
      ? []
      : [
          `  ${label}: ${list.length} ${list.length === 1 ? 'pod changes' : 'pods change'}`,
          ...listedLines(list, reachChangeText),
        ];
  return [
    `if staged policy ${policy} were enforced:`,
    ...direction('pods that can reach it', changes.ingress),
    ...direction('pods it can reach', changes.egress),
  ];
}
