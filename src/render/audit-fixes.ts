import {
  type AuditFinding,
  type CiliumRefusalReason,
  type DnsFound,
  dnsAssumption,
  type EarlyDeny,
  type FixAction,
  type LabelSelector,
  type LayerRuleRef,
} from '../engine/index.js';
import { dnsAssumptionText, dnsServersText } from './dns.js';
import { policyText } from './peers.js';
import {
  type FixActionData,
  fixActionData,
  requestArgs,
  scaffoldCommand,
  shellWord,
} from './scaffold-command.js';
import { labelText, selectorText } from './selectors.js';
import { listText, terminalText } from './terminal-text.js';

/** A selector in words; the empty one says what it selects. */
export function selectorWords(selector: LabelSelector): string {
  return selectorText(selector) ?? '{} (everything)';
}

/** "Cilium ciliumnetworkpolicy/shop/x ingressDeny rule 1 [deny]", "Calico (tier security) ...". */
export function layerRuleWords(rule: LayerRuleRef): string {
  const tier = rule.tier ? ` (tier ${terminalText(rule.tier)})` : '';
  return `${rule.layer}${tier} ${terminalText(rule.policy)} ${rule.list} rule ${rule.ruleIndex + 1} [${rule.action}]`;
}

/**
 * How to let DNS (to `dns`, in words) through a deny before NetworkPolicies: an Accept or Allow
 * ahead of it in its tier, or the deny narrowed; a Cilium deny only narrowed, as it wins over
 * every allow.
 */
function earlyDenyText(deny: EarlyDeny, dns: string): string {
  if (deny.kind === 'calico-tier-end') {
    const policies = deny.policies.length > 0 ? ` (${listText(deny.policies)})` : '';
    return `add an Allow rule for DNS to ${dns} to a policy of Calico tier ${terminalText(deny.tier)}${policies}: the tier denies what its policies leave, before any NetworkPolicy`;
  }
  const rule = layerRuleWords(deny.rule);
  if (deny.rule.layer === 'Cilium deny') {
    return `narrow ${rule} to leave out DNS to ${dns}: no allow, NetworkPolicy or Cilium, overrides a Cilium deny`;
  }
  const accept = deny.rule.layer === 'Calico' ? 'an Allow' : 'an Accept';
  return `allow DNS to ${dns} with ${accept} rule ahead of ${rule} in its tier, or narrow that rule to leave DNS out: it decides before any NetworkPolicy`;
}

/** A fix in words, with the command that applies it and the structured action it renders. */
export interface FixText {
  readonly text: string;
  readonly command?: string;
  /** undefined for advice in words only. */
  readonly action?: FixActionData;
}

function scaffoldText(action: Extract<FixAction, { kind: 'scaffold' }>, flags: readonly string[]) {
  const args = requestArgs(action.fix);
  const namespace = terminalText(action.fix.namespace);
  const command = scaffoldCommand(action.fix, flags);
  if (action.replaces) {
    return {
      text: `rewrite ${policyText(action.replaces)} (preview; add --apply to update it in the cluster)`,
      command,
    };
  }
  const what =
    args.template === 'default-deny'
      ? `add a default-deny ${args.direction} policy to ${namespace}${args.allowDns ? ', with DNS allowed' : ''}`
      : args.template === 'allow-dns'
        ? `allow DNS egress from the pods of ${namespace}`
        : `add ${args.name === undefined ? 'a policy' : terminalText(args.name)} to ${namespace}`;
  const assumption = dnsAssumption(action.fix);
  const assumed = assumption ? `; ${dnsAssumptionText(assumption)}` : '';
  return { text: `${what} (preview; add --apply to create it)${assumed}`, command };
}

function fixText(action: FixAction, flags: readonly string[], f: AuditFinding): FixText {
  switch (action.kind) {
    case 'scaffold':
      return scaffoldText(action, flags);
    case 'set-selector':
      return {
        text: `set ${action.field} of ${policyText(action.policy)} to ${selectorWords(action.selector)}`,
      };
    case 'label-namespace':
      return {
        text: `label namespace ${terminalText(action.namespace)} ${labelText(action.key, action.value)}`,
        command: `kubectl label namespace ${shellWord(action.namespace)} ${shellWord(`${action.key}=${action.value}`)}`,
      };
    case 'label-pod': {
      const label = labelText(action.key, action.value);
      const { kind, namespace = '', name } = action.pod;
      if (kind !== 'Pod') {
        return {
          text: `label the pod template of ${terminalText(`${kind} ${namespace}/${name}`)} ${label} (if the typo is the pod's)`,
        };
      }
      return {
        text: `label pod ${terminalText(`${namespace}/${name}`)} ${label} (if the typo is the pod's)`,
        command: `kubectl label pod ${shellWord(name)} -n ${shellWord(namespace)} ${shellWord(`${action.key}=${action.value}`)} --overwrite`,
      };
    }
    case 'set-port':
      return {
        text: `set spec.${action.rule.direction}[${action.rule.ruleIndex}].ports[${action.portIndex}].port of ${policyText(action.rule.policy)} to ${terminalText(`${action.port}`)}`,
      };
    case 'set-cidr':
      return {
        text: `set ${action.field} of ${policyText(action.policy)} to ${terminalText(action.cidr)} (${action.keeps === 'network' ? 'what it matches today' : 'if only that address was meant'})`,
      };
    case 'remove-rule':
      return {
        text: `remove spec.${action.rule.direction}[${action.rule.ruleIndex}] of ${policyText(action.rule.policy)}`,
      };
    case 'remove-cluster-rule':
      return {
        text: `remove spec.${action.rule.direction}[${action.rule.ruleIndex}] of ${terminalText(action.rule.policy)}`,
      };
    case 'set-priority':
      return {
        text: `set spec.priority of ${terminalText(action.policy)} to ${action.priority} (or another priority no policy of its tier takes)`,
      };
    case 'add-policy-type':
      return { text: `add ${action.type} to spec.policyTypes of ${policyText(action.policy)}` };
    case 'allow-dns-before-deny': {
      const found = 'dnsFound' in f ? f.dnsFound : { servers: [] };
      return { text: earlyDenyText(action.deny, dnsServersText(found)) };
    }
  }
}

const CNI_ADVICE: Partial<Readonly<Record<string, string>>> = {
  'AWS VPC CNI':
    'enable the network policy agent of the VPC CNI (add-on configuration enableNetworkPolicy: "true"), v1.14 or later',
  Flannel:
    'add a policy engine (Calico with Flannel is Canal) or move to a CNI that enforces policies',
  kindnet: 'use kind v0.24 or later (kindnetd enforces policies), or install Calico or Cilium',
  'Weave Net': 'run weave-npc in the weave-net DaemonSet',
  'kube-router': 'run kube-router with --run-firewall=true',
  GKE: 'enable GKE Dataplane V2 or network policy enforcement on the cluster',
  AKS: 'use an AKS network policy engine (--network-policy azure, calico or cilium)',
  'Docker Desktop': 'use a cluster whose CNI enforces policies (kind, or minikube with Calico)',
};

/**
 * How to give every node's pods a DNS server when the DNS Service (as found, else
 * kube-system/kube-dns) has internalTrafficPolicy Local ("Service Internal Traffic Policy",
 * kubernetes.io/docs/concepts/services-networking/service-traffic-policy/: with Local and no
 * endpoint on the node, kube-proxy drops the traffic).
 */
function localDnsAdvice(found: DnsFound): string {
  const service = found.servers[0]?.service ?? 'kube-system/kube-dns';
  return `run a DNS pod on every node (a DaemonSet, or NodeLocal DNSCache), or set internalTrafficPolicy: Cluster on ${terminalText(service)}`;
}

/** How to have the Cilium agent take a policy it refuses. */
function refusalFix(reason: CiliumRefusalReason): string {
  switch (reason.kind) {
    case 'sctp-port':
      return 'upgrade Cilium to 1.13 or later, or remove the SCTP ports';
    case 'icmp-rules-off':
      return 'set enable-icmp-rules: "true" in kube-system/cilium-config, or remove the icmps rules';
    case 'rule-shape': {
      const rule = `${reason.list} rule ${reason.ruleIndex + 1}`;
      if (reason.shape.kind === 'peer-kinds') return `split ${rule}: one rule per kind of peer`;
      return reason.shape.kind === 'icmps-with-ports'
        ? `split ${rule}: its icmps in a rule of their own, with the same peers`
        : `upgrade Cilium to 1.17 or later, or drop toPorts from ${rule} (toServices then admits every port)`;
    }
  }
}

/** What to do when no fix action fits: advice in words, by code. */
function advice(f: AuditFinding): string | undefined {
  switch (f.code) {
    case 'cni-ignores-policies':
      return [
        ...new Set(
          f.cni.evidence.map(
            (e) => CNI_ADVICE[e.plugin] ?? 'install a CNI that enforces NetworkPolicies',
          ),
        ),
      ].join('; ');
    case 'cni-unknown':
      return 'check which network plugin the nodes run (kubectl get pods -n kube-system) and that it enforces NetworkPolicies';
    case 'removed-api-version':
      return 'write apiVersion: networking.k8s.io/v1 (the fields are the same) and apply it again';
    case 'ambiguous-named-port':
      return 'give the port a name of its own in each container, and name the one meant in the policies';
    case 'ip-block-contains-pods':
      return 'select those pods with podSelector/namespaceSelector; keep ipBlocks for addresses outside the cluster';
    case 'ip-block-clients-masqueraded': {
      const [namespace = '', name = ''] = f.service.split('/');
      return `keep the clients' addresses: kubectl patch service ${shellWord(name)} -n ${shellWord(namespace)} -p '{"spec":{"externalTrafficPolicy":"Local"}}' (traffic then goes only to nodes running a backend)`;
    }
    case 'host-network-pod-selected':
    case 'host-network-pods':
      return "protect them on the node (host firewall) or run them off the host network; peers reach them by their node's address (ipBlock)";
    case 'rule-allows-everything':
      return 'name the peers or the ports the rule is for; if it is meant to admit everything, say so in the policy name';
    case 'policy-selects-no-pods':
    case 'pod-selector-matches-nothing':
      // A workload scaled to zero is no selector mistake: nothing to do.
      return f.fixes.length > 0 || f.scaledToZero
        ? undefined
        : 'compare with the labels of the pods meant (kubectl get pods --show-labels); nothing to do if they are not deployed yet';
    case 'namespace-selector-matches-nothing':
      return f.fixes.length > 0
        ? undefined
        : 'label the namespaces meant, or select them by name with kubernetes.io/metadata.name=NAME';
    case 'unknown-named-port':
      return f.fixes.length > 0
        ? undefined
        : 'name the port as the pods declare it (containers[].ports[].name), or give its number';
    case 'cluster-pass-falls-through':
      return f.rule.tier === 'Admin'
        ? 'write Accept if the traffic is meant to flow; if NetworkPolicies were meant to decide it, add them for the pods the policy selects'
        : undefined;
    case 'policy-overruled-by-admin':
    case 'rule-overruled-by-admin':
      return 'change the cluster policy if the NetworkPolicy is meant to decide (an Admin Pass hands traffic to NetworkPolicies), or drop what it can never change';
    case 'baseline-rule-unreachable':
      return 'nothing to do if it is a backstop for pods not yet isolated; otherwise decide that traffic in the NetworkPolicies';
    case 'rule-shadowed-across-layers':
      return 'change the earlier rule if this one is meant to decide; otherwise remove this one';
    case 'duplicate-across-layers':
      return 'keep one of the two, in the layer the team maintains';
    case 'cilium-l7-never-applies':
      return f.reason === 'refused'
        ? 'narrow the deny if the L7 rule is meant to filter that traffic, else remove the L7 rule'
        : 'name the port the pods listen on (containers[].ports[]), or remove the rule';
    case 'cilium-endport-ignored':
      return 'upgrade Cilium to 1.16 or later, or list each port of the range in its own entry';
    case 'cilium-sctp-dropped':
      return f.version
        ? 'upgrade Cilium to 1.13 or later and set enable-sctp: "true" in kube-system/cilium-config (Helm --set sctp.enabled=true), or remove the SCTP ports'
        : 'set enable-sctp: "true" in kube-system/cilium-config (Helm --set sctp.enabled=true; needs kernel 5.2 or later), or remove the SCTP ports';
    case 'cilium-policy-refused':
      return refusalFix(f.refused.reason);
    case 'cilium-sctp-unconfirmed':
      return f.why.olderAgent
        ? 'finish upgrading every Cilium agent to 1.13 or later'
        : 'give kube-system/cilium-config with -f, or let this user read it (kubectl auth can-i list configmaps -n kube-system), to learn whether enable-sctp is on';
    case 'dns-blocked':
    case 'dns-tcp-blocked':
      if (f.blockedBy === 'no-local-dns') return localDnsAdvice(f.dnsFound);
      // Nothing isolates the pods and no early deny was traced (a Baseline deny, or DNS pods
      // not in the input): the deny is another tier's.
      return f.fixes.length === 0
        ? `in a tier before the rule that denies it (kubectl netpol check names it), allow DNS to ${dnsServersText(f.dnsFound)}`
        : undefined;
    case 'dns-server-unknown':
      return f.serverUnknown !== 'dns-services-disagree'
        ? 'give the cluster DNS Service and its pods in the input (-f), or read them from the cluster'
        : undefined;
    case 'dns-route-unknown':
      return f.routeUnknown === 'internal-traffic-local'
        ? `read the pods from the cluster (their nodeName decides which DNS pods serve them), or ${localDnsAdvice(f.dnsFound)}`
        : undefined;
    case 'staged-policy-cuts-dns':
      return `add an egress Allow to ${dnsServersText(f.dnsFound)} to the staged policy before enforcing it`;
    default:
      return undefined;
  }
}

/** The fixes of a finding in words and commands; `flags` make scaffold commands read the same snapshot. */
export function findingFixes(f: AuditFinding, flags: readonly string[] = []): FixText[] {
  const hint = advice(f);
  return [
    ...f.fixes.map((action) => ({ ...fixText(action, flags, f), action: fixActionData(action) })),
    ...(hint ? [{ text: hint }] : []),
  ];
}
