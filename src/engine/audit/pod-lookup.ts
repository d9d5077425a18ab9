import type { Analysis, CompiledPeer } from '../compile/compile.js';
import { familyView, mayHaveDualStackPods } from '../evaluate/address-families.js';
import { buildPeerIndex, ipBlockPods, type PeerIndex } from '../evaluate/peer-index.js';
import { peerMatchesPod } from '../evaluate/peer-match.js';
import { hasUnknownIp } from '../evaluate/unknown-ip.js';
import type { LabelSelector, Labels } from '../model/types.js';
import { AddressIndex } from '../primitives/address-index.js';
import { selectorMatches } from '../primitives/selector.js';

/** Pods of one namespace off the host network with the same labels: selectors cannot tell them apart. */
export interface LabelClass {
  readonly namespace: string;
  readonly labels: Labels;
  readonly pods: number[];
}

/** The pods off the host network in label classes, by namespace. */
function labelClasses(analysis: Analysis): Map<string, LabelClass[]> {
  const byKey = new Map<string, Map<string, LabelClass>>();
  analysis.pods.forEach((pod, idx) => {
    if (pod.hostNetwork) return;
    const classes = byKey.get(pod.namespace) ?? new Map<string, LabelClass>();
    byKey.set(pod.namespace, classes);
    const key = JSON.stringify(Object.entries(pod.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    const found = classes.get(key);
    if (found) found.pods.push(idx);
    else classes.set(key, { namespace: pod.namespace, labels: pod.labels, pods: [idx] });
  });
  return new Map([...byKey].map(([namespace, classes]) => [namespace, [...classes.values()]]));
}

type IpBlockPeer = Extract<CompiledPeer, { kind: 'ip-block' }>;
type SelectorPeer = Extract<
  CompiledPeer,
  { kind: 'pods-in-policy-namespace' | 'pods-in-selected-namespaces' }
>;

/** A peer whose matches are not whole label classes (every kind but selectors of pods). */
export type ClasslessPeer = Exclude<CompiledPeer, SelectorPeer>;

/** No pods: one list, as callers tell lists apart by identity. */
const NO_PODS: readonly number[] = [];

/**
 * The answers the audit's checks ask again and again of one snapshot, each computed once: which
 * namespaces a namespaceSelector picks, the label classes of a namespace and which of them a
 * podSelector picks, the pods an ipBlock holds (by an address index, not pod by pod), and the
 * pods each peer of every layer matches.
 */
export class PodLookup {
  private classesByNamespace?: Map<string, LabelClass[]>;
  private readonly namespacesBySelector = new Map<string, readonly string[]>();
  private readonly ownNamespaces = new Map<string, readonly string[]>();
  private readonly classesBySelector = new Map<readonly string[], Map<string, LabelClass[]>>();
  private blocks?: { addresses: AddressIndex; unknownIps: number[] };
  private readonly podsByBlock = new Map<string, readonly number[]>();
  private peers?: PeerIndex;
  /** The pods with addresses of both families, when first asked. */
  private dualStackPods?: readonly number[];
  private readonly podsByOneFamily = new Map<ClasslessPeer, readonly number[]>();

  constructor(private readonly analysis: Analysis) {}

  /** Every peer of every layer with the pods it matches, built when first asked. */
  peerIndex(): PeerIndex {
    this.peers ??= buildPeerIndex(this.analysis);
    return this.peers;
  }

  /** The label classes of a namespace, in the order of their first pods. */
  classesOf(namespace: string): readonly LabelClass[] {
    this.classesByNamespace ??= labelClasses(this.analysis);
    return this.classesByNamespace.get(namespace) ?? [];
  }

  /** The names of the namespaces a namespaceSelector picks (one shared list per selector). */
  namespacesSelectedBy(selector: LabelSelector): readonly string[] {
    const key = JSON.stringify(selector);
    let names = this.namespacesBySelector.get(key);
    if (!names) {
      names = [...this.analysis.namespaces.values()]
        .filter((ns) => selectorMatches(selector, ns.labels))
        .map((ns) => ns.name);
      this.namespacesBySelector.set(key, names);
    }
    return names;
  }

  /** One namespace as a list (one shared list per namespace). */
  namespaceAlone(namespace: string): readonly string[] {
    let names = this.ownNamespaces.get(namespace);
    if (!names) {
      names = [namespace];
      this.ownNamespaces.set(namespace, names);
    }
    return names;
  }

  /**
   * The label classes of `namespaces` (a list this lookup handed out) whose labels a podSelector
   * picks (all of them without one).
   */
  classesSelectedBy(
    namespaces: readonly string[],
    podSelector: LabelSelector | undefined,
  ): readonly LabelClass[] {
    let bySelector = this.classesBySelector.get(namespaces);
    if (!bySelector) {
      bySelector = new Map();
      this.classesBySelector.set(namespaces, bySelector);
    }
    const key = JSON.stringify(podSelector ?? null);
    let found = bySelector.get(key);
    if (!found) {
      found = namespaces
        .flatMap((ns) => this.classesOf(ns))
        .filter((c) => !podSelector || selectorMatches(podSelector, c.labels));
      bySelector.set(key, found);
    }
    return found;
  }

  /**
   * The label classes whose labels a selector peer of a rule in `namespace` picks, in the
   * namespaces it looks in (one shared list per selector).
   */
  classesOfPeer(peer: SelectorPeer, namespace: string): readonly LabelClass[] {
    return this.classesSelectedBy(
      peer.kind === 'pods-in-policy-namespace'
        ? this.namespaceAlone(namespace)
        : this.namespacesSelectedBy(peer.namespaceSelector),
      peer.podSelector,
    );
  }

  /** Whether a peer matches whole label classes: a selector of pods by namespace and labels. */
  matchesByClass(peer: CompiledPeer): peer is SelectorPeer {
    return peer.kind === 'pods-in-policy-namespace' || peer.kind === 'pods-in-selected-namespaces';
  }

  /**
   * The pods a peer of any other kind matches, ascending; alike ipBlocks share one list. A
   * node-host peer matches the host of a node (a hostNetwork pod) relative to the chain's own
   * pod: none here.
   */
  podsOfPeer(peer: ClasslessPeer): readonly number[] {
    if (peer.kind === 'ip-block') return this.blockPods(peer);
    if (peer.kind === 'node-host') return [];
    const index = this.peerIndex();
    return index.podsOf[index.idOf.get(peer) ?? -1] ?? [];
  }

  /**
   * The pods a peer (of a rule in `namespace`) matches over one address family though not as
   * a whole, ascending. A connection of a dual-stack pod is seen by its address of one family
   * (see address-families.ts), and a Calico notNets matches where the address is in none of its
   * CIDRs (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#entityrule):
   * a notNets holding the pod's IPv4 address alone fails the pod and matches its IPv6
   * connections. Only a notNets does this: an ipBlock, nets or networks holding a pod's address
   * of one family holds the pod (podsOfPeer).
   */
  podsOfPeerByOneFamily(peer: ClasslessPeer, namespace: string): readonly number[] {
    if (peer.kind !== 'calico-endpoints' || peer.endpoints.notNets.length === 0) return NO_PODS;
    this.dualStackPods ??= mayHaveDualStackPods(this.analysis)
      ? this.analysis.pods.flatMap((_, idx) =>
          this.analysis.podAddresses.familiesOf(idx).length > 1 ? [idx] : [],
        )
      : NO_PODS;
    if (this.dualStackPods.length === 0) return NO_PODS;
    let pods = this.podsByOneFamily.get(peer);
    if (!pods) {
      const matches = (view: Analysis, podIdx: number) =>
        peerMatchesPod(view, peer, namespace, podIdx);
      pods = this.dualStackPods.filter(
        (podIdx) =>
          !matches(this.analysis, podIdx) &&
          this.analysis.podAddresses
            .familiesOf(podIdx)
            .some((family) => matches(familyView(this.analysis, family), podIdx)),
      );
      this.podsByOneFamily.set(peer, pods);
    }
    return pods;
  }

  /** The pods an ipBlock peer matches, ascending, as peerMatchesPod answers for each pod. */
  blockPods(peer: IpBlockPeer): readonly number[] {
    if (peer.outsideCluster) return [];
    this.blocks ??= {
      addresses: new AddressIndex(this.analysis.podAddresses.all()),
      unknownIps: this.analysis.pods.flatMap((_, idx) =>
        hasUnknownIp(this.analysis, idx) ? [idx] : [],
      ),
    };
    const { block } = peer.ipBlock;
    const key = `${block.cidr} ${block.except.join(' ')}`;
    let pods = this.podsByBlock.get(key);
    if (!pods) {
      const { addresses, unknownIps } = this.blocks;
      pods = ipBlockPods(this.analysis, addresses, unknownIps, peer.ipBlock).pods;
      this.podsByBlock.set(key, pods);
    }
    return pods;
  }
}
