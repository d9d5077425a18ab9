import type {
  AuditFinding,
  AuditReport,
  CandidateMiss,
  ClusterRuleRef,
  CniDetection,
  CniEvidence,
  CniReason,
  Direction,
  ExampleFlow,
  OpenForm,
  RuleRef,
  ScaledToZeroWorkload,
  Severity,
} from '../engine/index.js';
import { NAMESPACE_NAME_LABEL, refusedPolicyName, withoutEndPorts } from '../engine/index.js';
import { findingFixes, layerRuleWords, selectorWords } from './audit-fixes.js';
import { clusterRuleText } from './cluster-tiers.js';
import {
  ciliumRefusalReasonText,
  ciliumSctpDropText,
  hostNetworkReadingText,
  undecidedLayerText,
} from './completeness.js';
import { dnsBlockText, dnsPortsText } from './dns.js';
import { locationText } from './findings.js';
import { policyText, ruleName } from './peers.js';
import { policyPortsText } from './ports.js';
import { scaledToZeroText } from './replicas.js';
import { restrictingTiersDetail } from './restricting-tiers.js';
import { labelText } from './selectors.js';
import { peerName, serviceIpBlockText } from './service-ip.js';
import { listText, terminalList, terminalText } from './terminal-text.js';

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The verb that agrees with n things: `agree(1, 'is', 'are')`. */
function agree(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

function ruleWords(rule: RuleRef): string {
  return ruleName(rule.policy, rule.direction, rule.ruleIndex);
}

/** What the near miss has instead: "pod x has app=web-frontend", "namespace m has no label team". */
function nearMissWords(miss: CandidateMiss, noun: 'pod' | 'namespace', namespace?: string): string {
  const subject = `${noun} ${listText([miss.candidate], namespace)}`;
  const wanted = miss.values.map((value) => labelText(miss.key, value)).join(' or ');
  const has = miss.found
    ? miss.found.key === miss.key
      ? `has ${labelText(miss.found.key, miss.found.value)}`
      : `has ${labelText(miss.found.key, miss.found.value)}, not ${wanted}`
    : `has no label ${terminalText(miss.key)}`;
  const why =
    miss.because === 'name'
      ? ' (the wanted value spells its name)'
      : miss.because === 'peer-pods'
        ? " (the peer's podSelector matches pods there)"
        : '';
  return `${subject} ${has}${why}`;
}

/** "Admin cnp/x priority 10 ingress rule 1 (name) [Deny]". */
function clusterRuleWords(rule: ClusterRuleRef): string {
  return `${rule.tier} ${clusterRuleText(rule)} [${rule.action}]`;
}

/** "NetworkPolicies (shop/deny), Cilium and Calico policies (...)": the layers isolating the pods. */
function isolatorWords(f: Extract<AuditFinding, { code: 'baseline-rule-unreachable' }>): string {
  const parts = [
    ...(f.isolatedBy.length > 0
      ? [`NetworkPolicies (${listText(f.isolatedBy.map((p) => `${p.namespace}/${p.name}`))})`]
      : []),
    ...(f.isolatedByPlugin.length > 0 ? [`policies ${listText(f.isolatedByPlugin)}`] : []),
    ...(f.ciliumAlways ? ["Cilium's enable-policy: always"] : []),
  ];
  return parts.join(' and ');
}

function clusterRulesWords(rules: readonly ClusterRuleRef[]): string {
  return rules.map(clusterRuleWords).join('; ');
}

/** "from pod a/b to pod c/d on TCP 80" (or an address for the peer). */
function exampleWords(example: ExampleFlow): string {
  const subject = `pod ${terminalText(example.subject)}`;
  const peer = `${example.peer.includes('/') ? 'pod ' : ''}${terminalText(example.peer)}`;
  const [from, to] = example.direction === 'ingress' ? [peer, subject] : [subject, peer];
  return `from ${from} to ${to} on ${example.protocol} ${example.port}`;
}

const OPEN_PEERS: Readonly<Record<OpenForm, string>> = {
  'no-peers': 'names no peers, so it admits everyone',
  'all-pods': 'admits every pod of every namespace (namespaceSelector: {})',
  'all-addresses': 'admits every address of the family (ipBlock /0)',
};

/** What an unisolated pod may do: "accept(s) connections from anywhere", "connect(s) anywhere". */
function openness(direction: Direction, n: number): string {
  return direction === 'ingress'
    ? `${agree(n, 'accepts', 'accept')} connections from anywhere`
    : `${agree(n, 'connects', 'connect')} anywhere`;
}

const CNI_REASONS: Readonly<Record<CniReason, string>> = {
  'aws-agent-disabled':
    'its network policy agent (aws-eks-nodeagent) runs with --enable-network-policy=false',
  'aws-agent-missing': 'it runs without its network policy agent (added in v1.14)',
  'weave-npc-missing': 'it runs without weave-npc, its policy controller',
  'kube-router-firewall-off': 'it runs with --run-firewall=false',
  'kindnet-before-policies':
    'kindnetd before kind v0.24 (kindnet v1.3) has no network policy support',
  'kindnet-policies-off': 'its network policy controller is turned off',
  'kindnet-version-unknown':
    'its image tag tells no version, and only recent kindnet enforces policies',
  'no-policy-support': 'it does not implement NetworkPolicy',
  'k3s-embedded-controller':
    "k3s's embedded network policy controller (unless k3s runs with --disable-network-policy)",
};

function evidenceWords(evidence: readonly CniEvidence[]): string {
  const groups = new Map<string, CniEvidence[]>();
  for (const e of evidence) groups.set(e.image, [...(groups.get(e.image) ?? []), e]);
  return [...groups.entries()]
    .map(([image, [first, ...rest]]) => {
      const where = first
        ? terminalText(`${first.workload.kind} ${first.workload.namespace}/${first.workload.name}`)
        : '';
      return `${where}${rest.length > 0 ? ` and ${rest.length} more` : ''} (${terminalText(image)})`;
    })
    .join('; ');
}

function reasonWords(evidence: readonly CniEvidence[]): string {
  const reasons = [...new Set(evidence.flatMap((e) => (e.reason ? [CNI_REASONS[e.reason]] : [])))];
  return reasons.length > 0 ? `: ${reasons.join('; ')}` : '';
}

/** One line on the network plugin, for the top of the report. */
export function cniLine(cni: CniDetection): string {
  if (cni.evidence.length === 0) {
    return cni.workloadsSeen === 0
      ? 'network plugin: unknown (the input holds no workloads of kube-system or the CNI namespaces)'
      : `network plugin: unknown (none recognised among ${count(cni.workloadsSeen, 'workload')})`;
  }
  const verdict =
    cni.enforcesPolicies === true
      ? 'enforces NetworkPolicies'
      : cni.enforcesPolicies === false
        ? 'does NOT enforce NetworkPolicies'
        : 'may not enforce NetworkPolicies';
  return `network plugin: ${cni.plugin}, ${verdict}${reasonWords(cni.evidence)} [${evidenceWords(cni.evidence)}]`;
}

/**
 * Why a selector picks no running pod when it picks the pods of workloads scaled to zero, and
 * that the policy or rule applies to them once they run.
 */
function scaledToZeroWords(idle: readonly ScaledToZeroWorkload[], what: 'policy' | 'rule'): string {
  const theirs = idle.length === 1 ? 'its pods once it runs' : 'theirs once they run';
  return `${idle.map(scaledToZeroText).join('; ')}; the ${what} applies to ${theirs}`;
}

/** What a finding says, in one sentence. */
export function findingMessage(f: AuditFinding): string {
  // Shown safely; listText compares pod ids with the namespace as it is.
  const ns = f.namespace === undefined ? undefined : terminalText(f.namespace);
  switch (f.code) {
    case 'unisolated-pods': {
      // Selected by a tier's policy that denies some of it, such a pod is still isolated by none.
      const [how, but] = f.restrictedBy
        ? [
            'isolated by',
            ` except what ${restrictingTiersDetail(f.restrictedBy)} ${agree(f.restrictedBy.length, 'denies', 'deny')}`,
          ]
        : ['selected by', ''];
      return `${count(f.pods.length, 'pod')} in ${ns} ${agree(f.pods.length, 'is', 'are')} ${how} no ${f.direction} policy and ${openness(f.direction, f.pods.length)}${but}: ${listText(f.pods, f.namespace)}`;
    }
    case 'no-default-deny':
      return `${ns} has no default-deny ${f.direction} policy: each pod is isolated by some policy today, but a new pod that none selects ${openness(f.direction, 1)}`;
    case 'policy-selects-no-pods': {
      const selects = `${policyText(f.policy)}: podSelector ${selectorWords(f.selector)} selects no pod in ${ns}`;
      if (f.scaledToZero) return `${selects} now: ${scaledToZeroWords(f.scaledToZero, 'policy')}`;
      const near = f.nearMiss ? `; ${nearMissWords(f.nearMiss, 'pod', f.namespace)}` : '';
      return `${selects}, so the policy applies to nothing${near}`;
    }
    case 'namespace-selector-matches-nothing': {
      const near = f.nearMisses.map((miss) => `; ${nearMissWords(miss, 'namespace')}`).join('');
      const byName = Object.keys(f.selector.matchLabels).join() === NAMESPACE_NAME_LABEL;
      const absent = byName && near === '' ? ' (no namespace of that name in the input)' : '';
      return `${peerName(f.peer)}: namespaceSelector ${selectorWords(f.selector)} matches no namespace${absent}${near}`;
    }
    case 'pod-selector-matches-nothing': {
      const where = `in ${f.namespaces.length === 1 ? 'namespace' : 'namespaces'} ${terminalList(f.namespaces)}`;
      const hostPods = `; it matches only host-network pods (${listText(f.hostNetworkPods)})`;
      const host =
        f.hostNetworkPods.length === 0
          ? ''
          : f.plugin === undefined
            ? `${hostPods}, which selectors do not see: their traffic carries the node's address`
            : `${hostPods}, which it matches only if the plugin applies selectors to such pods: ${hostNetworkReadingText(f.plugin)}`;
      const matches = `${peerName(f.peer)}: podSelector ${selectorWords(f.selector)} matches no pod ${where}`;
      if (f.scaledToZero) {
        return `${matches} now: ${scaledToZeroWords(f.scaledToZero, 'rule')}${host}`;
      }
      const near = f.nearMiss ? `; ${nearMissWords(f.nearMiss, 'pod')}` : '';
      return `${matches}${host}${near}`;
    }
    case 'one-sided-allow': {
      const n = f.peers.length;
      const peers = `${count(n, 'pod')} (${listText(f.peers, f.namespace)})`;
      // Where other tiers (Calico, Cilium, cluster policies) deny, no NetworkPolicy isolates them.
      const isolated =
        f.blockedBy.length > 0
          ? `, isolated by ${listText(f.blockedBy.map((p) => `${p.namespace}/${p.name}`))},`
          : '';
      return f.rule.direction === 'ingress'
        ? `${ruleWords(f.rule)} admits ${peers} that cannot use it: ${agree(n, 'its', 'their')} egress${isolated} does not allow that traffic, so nothing the rule opens flows`
        : `${ruleWords(f.rule)} allows traffic to ${peers} whose ingress${isolated} does not admit it, so nothing the rule opens flows`;
    }
    case 'dns-blocked':
    case 'dns-tcp-blocked':
    case 'dns-route-unknown':
    case 'dns-server-unknown': {
      const protocol =
        f.code === 'dns-route-unknown' || f.code === 'dns-server-unknown'
          ? f.protocol
          : f.code === 'dns-blocked'
            ? 'UDP'
            : 'TCP';
      const subject = `${count(f.pods.length, 'pod')} in ${ns}`;
      return `${dnsBlockText({ ...f, protocol }, subject)}: ${listText(f.pods, f.namespace)}`;
    }
    case 'unknown-named-port': {
      const whose =
        f.rule.direction === 'ingress' ? 'the policy selects' : "the rule's peers match";
      const port = terminalText(f.port);
      const similar = f.similar
        ? f.similar.name === f.port
          ? `; they declare ${port} for ${f.similar.protocol}, not ${f.protocol}`
          : `; they declare ${terminalText(f.similar.name)}`
        : '';
      return `${ruleWords(f.rule)}: port ${port}/${f.protocol} matches nothing: none of the ${count(f.podsChecked, 'pod')} ${whose} declares a ${f.protocol} container port of that name${similar}`;
    }
    case 'ambiguous-named-port': {
      const n = f.pods.length;
      const numbers = terminalList(f.ports.map(String));
      const differ = new Set(f.ports).size > 1;
      const effect = differ
        ? `: a policy naming it may open either (this analysis takes ${f.ports[0]}, the first)`
        : ' (on the same number, so policies naming it open that port either way)';
      return `${count(n, 'pod')} in ${ns} ${agree(n, 'declares', 'declare')} the ${terminalText(f.protocol)} port name ${terminalText(f.port)} more than once, for ports ${numbers}${effect}: ${listText(f.pods, f.namespace)}`;
    }
    case 'non-canonical-cidr': {
      const what =
        f.problem === 'host-bits'
          ? `has host bits set beyond its prefix length; plugins and this analysis match the network ${terminalText(f.network)}`
          : `has leading zeros; it stands for ${terminalText(f.network)}`;
      return `${policyText(f.policy)}: ${f.field} ${terminalText(f.cidr)} ${what}; API servers refuse such CIDRs in new objects since Kubernetes 1.36 (strict CIDR validation), and keep them only on objects stored before`;
    }
    case 'ip-block-contains-pods': {
      const except = f.except.length > 0 ? ` except ${terminalList(f.except)}` : '';
      return `${peerName(f.peer)}: ipBlock ${terminalText(f.cidr)}${except} holds the addresses of ${count(f.pods.length, 'pod')} (${listText(f.pods)}): whether ipBlocks apply to pod traffic depends on the network plugin, and pod addresses change`;
    }
    case 'ip-block-clients-masqueraded': {
      const except = f.except.length > 0 ? ` except ${terminalList(f.except)}` : '';
      const pods = `${count(f.pods.length, 'pod')} (${listText(f.pods, f.namespace)})`;
      return `${peerName(f.peer)}: ipBlock ${terminalText(f.cidr)}${except} names clients outside the cluster, but the ${pods} it protects ${agree(f.pods.length, 'is', 'are')} behind service ${terminalText(f.service)} (${terminalText(f.serviceType)}, externalTrafficPolicy Cluster): kube-proxy may hand ${agree(f.pods.length, 'it', 'them')} those clients' connections from a node's address, so the block may admit none of the clients it names, or every client if it holds the nodes' addresses`;
    }
    case 'ip-block-contains-service-ip':
      return `${peerName(f.peer)}: ${serviceIpBlockText(f.cidr, f.except, f.services)}, and this rule may not admit the traffic it names`;
    case 'host-network-pod-selected':
      return `${listText(f.policies.map((p) => `${p.namespace}/${p.name}`))} ${agree(f.policies.length, 'selects', 'select')} ${count(f.pods.length, 'host-network pod')} (${listText(f.pods, f.namespace)}): ${
        f.plugin === undefined
          ? 'policies do not apply to pods on the host network'
          : `policies isolate pods on the host network only if the plugin applies selectors to them (answers they would change are UNKNOWN): ${hostNetworkReadingText(f.plugin)}`
      }`;
    case 'host-network-pods':
      return `${count(f.pods.length, 'pod')} in ${ns} ${agree(f.pods.length, 'runs', 'run')} on the host network, where no policy isolates ${agree(f.pods.length, 'it', 'them')} and peers see the node's address: ${listText(f.pods, f.namespace)}`;
    case 'namespace-not-given':
      return `namespace ${ns} is not in the input, so of its labels only kubernetes.io/metadata.name is known, and namespaceSelectors of ${listText(f.policies)} need others: answers about its pods are UNKNOWN; add its Namespace manifest, or read the live cluster`;
    case 'pods-without-ip':
      return `${count(f.pods.length, 'pod')} in ${ns} ${agree(f.pods.length, 'has', 'have')} no IP address yet, so whether an ipBlock admits ${agree(f.pods.length, 'it', 'them')} depends on the address ${agree(f.pods.length, 'it gets', 'they get')} (answers that turn on it are UNKNOWN): ${listText(f.pods, f.namespace)}`;
    case 'duplicate-rule':
      return `${ruleWords(f.rule)} repeats ${ruleWords(f.same)}`;
    case 'shadowed-rule':
      return `${ruleWords(f.rule)} allows nothing that ${ruleWords(f.by)} does not already allow`;
    case 'rule-allows-everything': {
      const peer = f.peerIndex === null ? '' : ` peer ${f.peerIndex + 1}`;
      return `${ruleWords(f.rule)}${peer} ${OPEN_PEERS[f.form]}, on every port: the pods it selects are as open for ${f.rule.direction} as without any policy`;
    }
    case 'rule-allows-any-peer': {
      const peer = f.peerIndex === null ? '' : ` peer ${f.peerIndex + 1}`;
      return `${ruleWords(f.rule)}${peer} ${OPEN_PEERS[f.form]}, on ${policyPortsText(f.ports)}`;
    }
    case 'removed-api-version': {
      const where = f.location ? `${locationText(f.location)}: ` : '';
      return `${where}${policyText(f.policy)} is written for apiVersion ${terminalText(f.apiVersion)}, which Kubernetes ${f.removedIn} removed: API servers refuse it, so it is left out of this audit and would not be applied`;
    }
    case 'rules-ignored-by-policy-types': {
      const type = f.direction === 'ingress' ? 'Ingress' : 'Egress';
      return `${policyText(f.policy)} has ${count(f.rules, `${f.direction} rule`)} but its policyTypes leave out ${type}: ${agree(f.rules, 'it is', 'they are')} ignored`;
    }
    case 'shadowed-cluster-rule':
      return `${clusterRuleWords(f.rule)} never decides: everything it matches is decided first by ${clusterRulesWords(f.by)}`;
    case 'cluster-pass-falls-through':
      return f.rule.tier === 'Admin'
        ? `${clusterRuleWords(f.rule)} hands its traffic to NetworkPolicies and the Baseline tier, but none of them decides any of it: it falls through to the default allow, as if the rule were Accept`
        : `${clusterRuleWords(f.rule)} changes nothing: no later Baseline rule matches its traffic, which the default allow admits either way`;
    case 'equal-priority-conflict':
      return `${terminalText(f.policies[0])} and ${terminalText(f.policies[1])} share ${f.tier} priority ${f.priority} and decide the same traffic differently, e.g. ${exampleWords(f.example)}: the API leaves their order undefined, so such verdicts are UNKNOWN`;
    case 'policy-overruled-by-admin':
      return `${policyText(f.policy)} has no say on ${f.direction} between the pods of this snapshot: the Admin tier decides every such connection of the pods it selects first, by ${clusterRulesWords(f.by)}`;
    case 'rule-overruled-by-admin': {
      const deny = f.by.some((rule) => rule.action === 'Deny');
      return `${ruleWords(f.rule)} allows traffic that the Admin tier ${deny ? 'denies' : 'already accepts'} first: ${clusterRulesWords(f.by)}`;
    }
    case 'baseline-rule-unreachable':
      return `${clusterRuleWords(f.rule)} is never consulted: ${isolatorWords(f)} isolate every pod it governs in ${f.rule.direction}, and decide all their traffic before the Baseline tier`;
    case 'calico-pass-to-nothing':
      return `${terminalText(f.policy)} ${f.direction} rule ${f.ruleIndex + 1} passes traffic to later tiers, but no later tier has a rule for the pods it governs: what it passes is allowed, as if the rule were Allow`;
    case 'rule-shadowed-across-layers':
      return `${layerRuleWords(f.rule)} never decides a flow of these pods: ${f.by.map(layerRuleWords).join('; ')} ${f.by.length > 1 ? 'decide' : 'decides'} everything it matches first`;
    case 'duplicate-across-layers':
      return `${layerRuleWords(f.rule)} allows exactly the flows ${layerRuleWords(f.same)} allows: removing one changes nothing while the other stays`;
    case 'cilium-l7-never-applies':
      return f.reason === 'refused'
        ? `${layerRuleWords(f.rule)} has L7 rules its filter never applies: ${f.by.map(layerRuleWords).join('; ')} ${f.by.length > 1 ? 'refuse' : 'refuses'} its peers on ${policyPortsText(f.ports)} first`
        : `${layerRuleWords(f.rule)} has L7 rules on ${policyPortsText(f.ports)}, but no pod it leads to declares such a container port (${listText(f.pods, f.namespace)}): its filter never sees traffic`;
    case 'staged-policy-cuts-dns':
      return `if staged policy ${terminalText(f.policy)} were enforced, ${f.pods.length === 1 ? 'this pod' : `these ${f.pods.length} pods`} could no longer ${f.protocol === 'UDP' ? 'resolve names' : 'get DNS answers too large for UDP'} (DNS over ${dnsPortsText(f.protocol, f.ports)}), as ${f.pods.length === 1 ? 'it does' : 'they do'} today: ${listText(f.pods, f.namespace)}`;
    case 'cilium-endport-ignored': {
      const firsts = policyPortsText(withoutEndPorts(f.ports));
      return f.version
        ? `${ruleWords(f.rule)} allows ${policyPortsText(f.ports)}, but the cluster runs Cilium ${f.version.major}.${f.version.minor} (${terminalText(f.version.image)}), which ignores endPort before 1.16: it allows only ${firsts}`
        : `${ruleWords(f.rule)} allows ${policyPortsText(f.ports)} with endPort, which Cilium before 1.16 ignores (allowing only ${firsts}), and the Cilium version could not be read from its agent image's tag: flows to the rest of the range are UNKNOWN`;
    }
    case 'cilium-sctp-dropped':
      return `${ruleWords(f.rule)} allows ${policyPortsText(f.ports)}, which no pod ever receives: ${ciliumSctpDropText(f.version ? { kind: 'dropped', version: f.version } : { kind: 'dropped' })}`;
    case 'cilium-sctp-unconfirmed':
      return `${ruleWords(f.rule)} allows ${policyPortsText(f.ports)}, and its SCTP answers are UNKNOWN: ${undecidedLayerText(f.why)}`;
    case 'cilium-policy-refused': {
      const where = f.refused.location ? `${locationText(f.refused.location)}: ` : '';
      return `${where}${terminalText(refusedPolicyName(f.refused))} is refused whole by the Cilium agent: ${ciliumRefusalReasonText(f.refused.reason)}; it is left out of this audit, as none of its rules apply`;
    }
    case 'cni-ignores-policies':
      return `${f.cni.plugin} does not enforce NetworkPolicies${reasonWords(f.cni.evidence)}: every policy here is stored and ignored [${evidenceWords(f.cni.evidence)}]`;
    case 'cni-unknown':
      return `${cniLine(f.cni).replace(/^network plugin: /, 'the network plugin is ')}: whether NetworkPolicies are enforced cannot be told from this input`;
  }
}

const HEADINGS: Readonly<Record<Severity, string>> = {
  error: 'ERRORS',
  warning: 'WARNINGS',
  info: 'NOTES',
};

/** "2 errors, 3 warnings, 8 notes". */
export function summaryText(findings: readonly AuditFinding[]): string {
  const by = (severity: Severity) => findings.filter((f) => f.severity === severity).length;
  return `${count(by('error'), 'error')}, ${count(by('warning'), 'warning')}, ${count(by('info'), 'note')}`;
}

/** The report as text: the network plugin, findings grouped by severity with their fixes, a summary. */
export function auditLines(report: AuditReport, flags: readonly string[] = []): string[] {
  const lines = [cniLine(report.cni)];
  for (const severity of ['error', 'warning', 'info'] as const) {
    const group = report.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push('', `${HEADINGS[severity]} (${group.length})`);
    for (const f of group) {
      lines.push(
        `  ${f.code}${f.namespace ? ` [${terminalText(f.namespace)}]` : ''}`,
        `    ${findingMessage(f)}`,
      );
      for (const fix of findingFixes(f, flags)) {
        lines.push(`    fix: ${fix.text}`, ...(fix.command ? [`      ${fix.command}`] : []));
      }
    }
  }
  lines.push('', report.findings.length === 0 ? 'no findings' : summaryText(report.findings));
  return lines;
}

/**
 * The report as JSON/YAML: `{cni, summary: {error, warning, info}, findings: [{severity, code,
 * namespace?, message, objects: [{kind, namespace?, name}], fixes: [{text, command?, action?}], ...}]}`,
 * where the remaining fields of a finding are its code's structured details (0-based indexes).
 */
export function auditData(report: AuditReport, flags: readonly string[] = []) {
  const by = (severity: Severity) => report.findings.filter((f) => f.severity === severity).length;
  return {
    cni: report.cni,
    summary: { error: by('error'), warning: by('warning'), info: by('info') },
    findings: report.findings.map((f) => {
      const { fixes: _, severity, code, namespace, ...details } = f;
      return {
        severity,
        code,
        ...(namespace !== undefined ? { namespace } : {}),
        message: findingMessage(f),
        fixes: findingFixes(f, flags),
        ...details,
      };
    }),
  };
}
