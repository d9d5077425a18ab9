import { type ChainRule, mainReading, type RuleChain } from '../compile/chains.js';
import type { Analysis, CompiledPeer } from '../compile/compile.js';
import { type Endpoint, type PodEndpoint, podEndpoint } from '../compile/endpoint.js';
import { NO_NAMED_PORTS, type PortResolver } from '../compile/named-ports.js';
import { addressText, EVERY_ADDRESS, regionAddresses } from '../primitives/ip-block.js';
import { familyView, flowFamilies, mayHaveDualStackPods } from './address-families.js';
import { endpointPeerTest } from './connections.js';
import { admittedPorts, type PeerTest, ruleMatchesPeer } from './kernel.js';
import {
  EVERY_POD,
  isSelectorPeer,
  matchesEveryPod,
  selectorPeerCovers,
} from './peer-containment.js';
import { type IpAssumption, peerIpBlocks } from './unknown-ip.js';

/**
 * Why a Deny rule may deny some connection of a side though none with a pod of the input or an
 * address outside them shows it, so that the side is kept `restricted` (the safe direction).
 */
export type DenyDoubt =
  /**
   * Its peers select pods (or anyone) and no earlier rule surely matches all they select: pods
   * the input does not list would reach it.
   */
  | 'pods-not-in-input'
  /** Its peers' CIDRs cut the address space into too many regions to try each. */
  | 'addresses'
  /**
   * Whether it or an earlier rule matches some pod, the input cannot tell (the pod's IP, its
   * namespace's labels, a hostNetwork pod the plugin may select).
   */
  | 'uncertain-match';

/**
 * Whether a Deny rule denies some connection: `sure` with a pod of the input or an address
 * outside them, `doubtful` where only peers it cannot list (or tell) may reach it.
 */
export type DenyReach =
  | {
      readonly kind: 'sure';
      /** Up to two pods it denies, when it denies only pods: one alone may be the subject. */
      readonly pods: readonly number[];
    }
  | { readonly kind: 'doubtful'; readonly doubts: readonly DenyDoubt[] }
  | { readonly kind: 'none' };

/**
 * The analysis as each walk over it may see the pods: as it is and, where a pod may be
 * dual-stack, as a connection over each address family does (see viewsWith).
 */
function walkViews(analysis: Analysis): readonly Analysis[] {
  if (!mayHaveDualStackPods(analysis)) return [analysis];
  return [analysis, familyView(analysis, 4), familyView(analysis, 6)];
}

/**
 * The pods, ascending, that a rule's peers may match as some view sees them, whichever pod the
 * rule's chain governs: asked with no governed pod, a node-host peer may match every hostNetwork
 * pod (whose node is then unknown, see sameNode), so those of any one pod's node among them.
 */
function podsPeersMayMatch(analysis: Analysis, rule: ChainRule): number[] {
  const views = walkViews(analysis);
  return analysis.pods.flatMap((_, podIdx) => {
    const matches = views.some((view) =>
      ruleMatchesPeer(rule, endpointPeerTest(view, podEndpoint(view, podIdx), 'inside')),
    );
    return matches ? [podIdx] : [];
  });
}

/** Beyond this many regions of the address space, addresses are not tried one by one. */
const TRIED_REGIONS = 4096;

/** Whether a peer may match an address outside the pods: it is no pod selector. */
function mayMatchAddresses(peer: CompiledPeer): boolean {
  switch (peer.kind) {
    case 'pods-in-policy-namespace':
    case 'pods-in-selected-namespaces':
    case 'cilium-endpoints':
      return false;
    case 'calico-endpoints': {
      const { nets, notNets, selector, namespaceSelector, namespace } = peer.endpoints;
      const selects = selector ?? namespaceSelector ?? namespace;
      return nets.length > 0 || notNets.length > 0 || selects === undefined;
    }
    default:
      return true;
  }
}

/**
 * One address of each region the CIDRs of a chain's peers cut the address space into (every
 * CIDR holds all of a region or none of it); undefined when they are too many.
 */
function addressSamples(chain: RuleChain): Endpoint[] | undefined {
  const cidrs = chain.rules.flatMap((rule) =>
    rule.peers.flatMap((peer) =>
      peerIpBlocks(peer).flatMap((block) => [block.range, ...block.excepts]),
    ),
  );
  const addresses = regionAddresses(EVERY_ADDRESS, cidrs, TRIED_REGIONS);
  return addresses?.map((address) => ({
    kind: 'external',
    ip: addressText(address.family, address.value),
    address,
  }));
}

/**
 * The pods the peers of rules may match (see DenyReaches.podReach), in order, for one analysis:
 * every pod for a rule without peers; else found once for the peers and the rules' namespace,
 * by every address family a walk may take, which the chains of many pods share (Calico's are
 * each pod's own): so a Deny no pod reaches is not a walk over every pod for each pod it governs.
 */
export class PeerCandidates {
  private readonly byPeers = new WeakMap<readonly CompiledPeer[], Map<string, readonly number[]>>();

  constructor(private readonly analysis: Analysis) {}

  /** The pods `rule`'s peers may match. */
  of(rule: ChainRule): readonly number[] {
    const { analysis } = this;
    if (rule.peers.length === 0) return analysis.pods.map((_, podIdx) => podIdx);
    const byNamespace = this.byPeers.get(rule.peers) ?? new Map<string, readonly number[]>();
    this.byPeers.set(rule.peers, byNamespace);
    let found = byNamespace.get(rule.namespace);
    if (!found) {
      found = podsPeersMayMatch(analysis, rule);
      byNamespace.set(rule.namespace, found);
    }
    return found;
  }
}

/**
 * How the Deny rules of one side reach the other side: each pod of the input (by each address
 * family the connection may take) and one address of each region the chain's CIDRs cut out is
 * matched against the chain's rules and walked through the kernel, the same walk every answer
 * takes (tiers in order; in a tier, the first matching rule by priority and rule order decides,
 * Pass leaves it to the next tier; Cilium's deny rules sit in a tier before its allows, as
 * "Deny policies take precedence over allow policies",
 * https://docs.cilium.io/en/latest/security/policy/deny/). Pods the input
 * does not list are weighed by selector containment only (see reachesUnlistedPods).
 */
export class DenyReaches {
  private readonly main: readonly number[];
  /** The chain's address samples once computed (undefined: too many regions). */
  private addresses: Endpoint[] | undefined | null = null;

  /**
   * `subject` is a pod the chain governs (where named ports resolve for ingress, the anchor of
   * node-host peers); `resolvers` are the ways named ports may resolve on the side's
   * destinations, for the pods the input does not list; the pod `excluded` is left out of the
   * walk (the subject, whose traffic with itself is allowed, when it matters); `candidates` are
   * the analysis's, shared by the DenyReaches of its other chains.
   */
  constructor(
    private readonly analysis: Analysis,
    private readonly candidates: PeerCandidates,
    private readonly chain: RuleChain,
    private readonly subject: PodEndpoint,
    private readonly resolvers: readonly PortResolver[],
    private readonly excluded = -1,
  ) {
    this.main = mainReading(chain.rules);
  }

  /**
   * Whether the Deny rule at `index` denies some connection between the subject and another pod
   * of the input or an address outside them, or else why it may deny one all the same.
   * Stops at the second pod it denies, so that one of two is not the subject.
   */
  of(index: number): DenyReach {
    const rule = this.chain.rules[index] as ChainRule;
    // Matching no rule with peers but itself, a peer takes the most of it: if it then decides
    // nothing, it decides nothing for any peer.
    if (!this.decidesAny(index, () => false)) return { kind: 'none' };
    // An address outside the pods it denies settles it without a walk over every pod (a
    // deny of the cloud's metadata address, or of everyone).
    const addresses = rule.peers.length === 0 || rule.peers.some(mayMatchAddresses);
    const samples = addresses ? this.samples() : [];
    if (samples?.some((address) => this.addressReach(address, index))) {
      return { kind: 'sure', pods: [] };
    }
    let uncertain = false;
    const pods: number[] = [];
    for (const podIdx of this.candidates.of(rule)) {
      if (pods.length === 2) break;
      // A pod's traffic with itself is always allowed (see isTrafficToItself).
      if (podIdx === this.excluded) continue;
      const reaches = this.viewsWith(podIdx).map((view) => this.podReach(view, podIdx, index));
      if (reaches.includes('sure')) pods.push(podIdx);
      uncertain ||= reaches.includes('doubtful');
    }
    if (pods.length === 2) return { kind: 'sure', pods };
    const doubts: DenyDoubt[] = uncertain ? ['uncertain-match'] : [];
    if (!samples) doubts.push('addresses');
    if (pods.length > 0) return { kind: 'sure', pods };
    if (this.reachesUnlistedPods(index)) doubts.push('pods-not-in-input');
    return doubts.length > 0 ? { kind: 'doubtful', doubts } : { kind: 'none' };
  }

  /** The chain's address samples, computed on first use (undefined: too many regions). */
  private samples(): readonly Endpoint[] | undefined {
    if (this.addresses === null) this.addresses = addressSamples(this.chain);
    return this.addresses;
  }

  /** Whether the Deny rule at `index` denies some connection with an address outside the pods. */
  private addressReach(address: Endpoint, index: number): boolean {
    const test = endpointPeerTest(this.analysis, address, 'outside', this.subject);
    const rule = this.chain.rules[index] as ChainRule;
    return (
      ruleMatchesPeer(rule, test) &&
      this.decides(index, this.hits(test, index), this.resolverFor(-1))
    );
  }

  /**
   * Whether a pod the input does not list may reach the Deny rule at `index`: one matching a
   * pod selector of its peers (any pod, when it has none) and, of the other rules, only those
   * without peers and those with a peer that surely matches whatever that selector does (one
   * matching every pod, or a selector it contains).
   */
  private reachesUnlistedPods(index: number): boolean {
    const rule = this.chain.rules[index] as ChainRule;
    const selectors =
      rule.peers.length === 0 ? [EVERY_POD] : rule.peers.filter((peer) => !mayMatchAddresses(peer));
    return selectors.some((selector) => {
      const covers = (other: ChainRule) =>
        other.peers.some(
          (peer) =>
            matchesEveryPod(peer) ||
            (isSelectorPeer(peer) &&
              isSelectorPeer(selector) &&
              selectorPeerCovers(peer, other.namespace, selector, rule.namespace)),
        );
      return this.decidesAny(index, covers);
    });
  }

  /**
   * Whether the rule at `index` decides some ports, by some way named ports may resolve, for a
   * peer it matches along with the rules without peers and those `alsoMatched` tells.
   */
  private decidesAny(index: number, alsoMatched: (rule: ChainRule) => boolean): boolean {
    const hits = this.main.filter((i) => {
      const rule = this.chain.rules[i] as ChainRule;
      return i === index || rule.peers.length === 0 || alsoMatched(rule);
    });
    return this.resolvers.some((resolve) => this.decides(index, hits, resolve));
  }

  /**
   * Whether the Deny rule at `index` denies some connection with pod `podIdx` as `view` sees
   * its addresses: surely, only under an assumption the input cannot check, or not at all.
   */
  private podReach(view: Analysis, podIdx: number, index: number): 'sure' | 'doubtful' | 'none' {
    const rule = this.chain.rules[index] as ChainRule;
    const inside = this.peerTest(view, podIdx, 'inside');
    if (!ruleMatchesPeer(rule, inside)) return 'none';
    const outside = this.peerTest(view, podIdx, 'outside');
    const resolve = this.resolverFor(podIdx);
    // Matching fewer rules leaves more to the Deny: its surest reach is with every rule that
    // may match, and its widest with only those that surely do.
    if (ruleMatchesPeer(rule, outside) && this.decides(index, this.hits(inside, index), resolve))
      return 'sure';
    return this.decides(index, this.hits(outside, index), resolve) ? 'doubtful' : 'none';
  }

  /** Whether peers match pod `podIdx` as `view` sees it, under an assumption on unknown IPs. */
  private peerTest(view: Analysis, podIdx: number, assumption: IpAssumption): PeerTest {
    return endpointPeerTest(view, podEndpoint(view, podIdx), assumption, this.subject);
  }

  /** The rules of the main reading whose peers pass the test, and the Deny rule `index`. */
  private hits(test: PeerTest, index: number): number[] {
    return this.main.filter(
      (i) => i === index || ruleMatchesPeer(this.chain.rules[i] as ChainRule, test),
    );
  }

  /** Whether the rule at `index` decides some ports in the kernel's walk of `hits`. */
  private decides(index: number, hits: readonly number[], resolve: PortResolver): boolean {
    let decided = false;
    admittedPorts(this.chain, hits, resolve, undefined, (visited) => {
      if (visited === index) decided = true;
    });
    return decided;
  }

  /**
   * How named ports resolve: on the subject for ingress, on the other pod for egress (-1: an
   * address outside the pods, where they resolve on none).
   */
  private resolverFor(podIdx: number): PortResolver {
    if (!this.chain.namedPorts) return NO_NAMED_PORTS;
    const destination = this.chain.direction === 'ingress' ? this.subject.podIdx : podIdx;
    return this.analysis.namedPorts.resolvers[destination] ?? NO_NAMED_PORTS;
  }

  /** The analysis as each address family a connection with pod `podIdx` may take sees it. */
  private viewsWith(podIdx: number): readonly Analysis[] {
    const other = podEndpoint(this.analysis, podIdx);
    const [source, destination] =
      this.chain.direction === 'egress' ? [this.subject, other] : [other, this.subject];
    const families = flowFamilies(this.analysis, source, destination);
    return families ? families.map((family) => familyView(this.analysis, family)) : [this.analysis];
  }
}
