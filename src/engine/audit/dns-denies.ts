import type { ChainRule, RuleChain } from '../compile/chains.js';
import type { Analysis } from '../compile/compile.js';
import { calicoBeforeNetworkPolicies } from '../compile/compile-calico.js';
import { podEndpoint } from '../compile/endpoint.js';
import { egressTrace } from '../evaluate/evaluate.js';
import type { SidePorts } from '../evaluate/side-ports.js';
import type { DnsProtocol, DnsServers } from '../scaffold/dns-reach.js';
import { unseenDnsDeniers, unseenServersBlock } from '../scaffold/unseen-dns.js';
import { layerRuleRef } from './layer-rules.js';
import { pluginPolicyObjects } from './plugin-objects.js';
import type { EarlyDeny, ObjectRef } from './types.js';

/** What cuts a pod's lookups over one protocol ahead of NetworkPolicies. */
export interface DnsEarlyDenies {
  /** The denies of tiers before NetworkPolicies deciding its egress to the DNS pods. */
  readonly denies: readonly EarlyDeny[];
  /** Whether its egress would still cut them with those tiers left out (NetworkPolicies, Baseline). */
  readonly laterToo: boolean;
}

/**
 * The denies of a chain's tiers before NetworkPolicies: the Admin tier and Cilium's deny rules;
 * on Calico, tiers and policies Calico evaluates before them (calicoBeforeNetworkPolicies).
 */
function earlyTest(analysis: Analysis): (rule: ChainRule) => boolean {
  const beforeNetworkPolicies = calicoBeforeNetworkPolicies(analysis.cluster.calicoTiers ?? []);
  return (rule) => {
    if (rule.tier === 'admin' || rule.tier === 'cilium-deny') return true;
    const { origin } = rule;
    if (origin.kind === 'calico-tier-end') return beforeNetworkPolicies(origin.tier);
    if (origin.kind !== 'calico-rule') return false;
    const { tier, order, name } = origin.policy.policy;
    return beforeNetworkPolicies(tier, { order, name });
  };
}

/** A deciding chain rule as the deny a fix names; undefined for one no written rule stands for. */
function earlyDeny(
  rule: ChainRule,
  objects: ReadonlyMap<string, ObjectRef>,
): EarlyDeny | undefined {
  const { origin } = rule;
  if (origin.kind === 'calico-tier-end') {
    const policies = origin.policies.filter((name) => !name.startsWith('networkpolicy/'));
    return { kind: 'calico-tier-end', tier: origin.tier, policies };
  }
  const ref = layerRuleRef(rule, objects);
  return ref && { kind: 'rule', rule: ref };
}

/**
 * Finds, from the kernel's trace of pods' egress to the cluster DNS pods (without them in the
 * input, its walk against their Services), the denies of tiers before NetworkPolicies that cut
 * their lookups: what no allow-dns NetworkPolicy can fix. Pods sharing an egress chain share the
 * answer.
 */
export class DnsDenyTracer {
  private readonly analysis: Analysis;
  private readonly early: (rule: ChainRule) => boolean;
  private readonly memo = new Map<string, DnsEarlyDenies | undefined>();
  private objects: ReadonlyMap<string, ObjectRef> | undefined;

  constructor(
    private readonly sides: SidePorts,
    private readonly servers: DnsServers,
  ) {
    this.analysis = sides.analysis;
    this.early = earlyTest(this.analysis);
  }

  /**
   * The early denies cutting lookups over `protocol` from the pod at `podIdx` to every DNS pod
   * that takes them (undefined: none).
   */
  of(podIdx: number, protocol: DnsProtocol): DnsEarlyDenies | undefined {
    const chain = this.analysis.chains.of('egress', podIdx);
    const key = `${chain.id}/${protocol}`;
    if (!this.memo.has(key)) this.memo.set(key, this.traced(podIdx, chain, protocol));
    return this.memo.get(key);
  }

  private traced(
    podIdx: number,
    chain: RuleChain,
    protocol: DnsProtocol,
  ): DnsEarlyDenies | undefined {
    const { analysis, servers } = this;
    const source = podEndpoint(analysis, podIdx);
    const targets = servers.pods.flatMap((dns) => {
      const port = servers.ports.get(dns)?.[protocol];
      return port === undefined ? [] : [{ destination: podEndpoint(analysis, dns), port }];
    });
    const decider = (chosen: RuleChain, { destination, port }: (typeof targets)[number]) => {
      const last = egressTrace(analysis, source, destination, protocol, port, chosen).at(-1);
      return last?.action === 'deny' ? last.matches[0]?.rule : undefined;
    };
    // Without DNS pods in the input, the walk of the chain against their Services tells.
    const { unseen } = servers;
    const seen = targets.length > 0;
    const deniers = (chosen: RuleChain) =>
      seen
        ? targets.flatMap((target) => decider(chosen, target) ?? [])
        : unseenDnsDeniers(this.sides, chosen, unseen, protocol);
    this.objects ??= pluginPolicyObjects(analysis);
    const objects = this.objects;
    const denies = [...new Set(deniers(chain))]
      .filter(this.early)
      .flatMap((rule) => earlyDeny(rule, objects) ?? []);
    if (denies.length === 0) return undefined;
    // The rest of the chain, as the kernel's main reading walks it, with the early tiers out.
    const later: RuleChain = {
      ...chain,
      id: -1,
      rules: chain.rules.filter((rule) => !rule.speculative && !this.early(rule)),
      readings: [],
    };
    const laterToo = seen
      ? targets.every((target) => decider(later, target) !== undefined)
      : unseenServersBlock(this.sides, podIdx, unseen, protocol, later).blockedBy !== undefined;
    return { denies, laterToo };
  }
}
