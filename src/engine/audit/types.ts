import type { CiliumRefusedPolicy } from '../cni/cilium-refusals.js';
import type { CiliumVersion } from '../cni/cilium-version.js';
import type { CniDetection } from '../cni/detect.js';
import type { RuleAction } from '../compile/chains.js';
import type { Direction, PolicyRef } from '../compile/compile.js';
import type { ScaledToZeroWorkload } from '../compile/scaled-to-zero.js';
import type { ClientScope, ServiceAddresses } from '../compile/services.js';
import type { UndecidedLayer } from '../compile/undecided.js';
import type { ClusterRuleMatch } from '../evaluate/evaluate.js';
import type { RestrictingTier } from '../evaluate/restricting-tiers.js';
import type { ClusterPolicyTier } from '../model/cluster-policy.js';
import type { Severity, SourceLocation } from '../model/findings.js';
import type { LabelSelector, PolicyPort, PolicyType, Protocol } from '../model/types.js';
import type { DnsFound } from '../scaffold/cluster-dns.js';
import type { DnsBlock, DnsProtocol, DnsServerDoubt } from '../scaffold/dns-reach.js';
import type { ScaffoldRequest } from '../scaffold/scaffold.js';

/** An object a finding concerns, structured so a UI can jump to it. */
export interface ObjectRef {
  /** "Namespace", "NetworkPolicy", "Pod" or a workload kind. */
  readonly kind: string;
  /** undefined for cluster-scoped objects (namespaces). */
  readonly namespace?: string;
  readonly name: string;
}

/** A rule of a policy, 0-based as in the manifest. */
export interface RuleRef {
  readonly policy: PolicyRef;
  readonly direction: Direction;
  readonly ruleIndex: number;
}

/** A peer of a rule, 0-based as in the manifest. */
export interface PeerRef extends RuleRef {
  readonly peerIndex: number;
}

/** A rule of any enforced policy layer, 0-based as in the manifest. */
export interface LayerRuleRef {
  readonly layer: 'Admin' | 'Cilium deny' | 'Calico' | 'NetworkPolicy' | 'Cilium' | 'Baseline';
  /** The policy as kubectl names it: NS/NAME (NetworkPolicy), cnp/NAME, ciliumnetworkpolicy/NS/NAME... */
  readonly policy: string;
  readonly object: ObjectRef;
  readonly direction: Direction;
  /** The manifest list holding the rule: ingress, egress, or Cilium's ingressDeny/egressDeny. */
  readonly list: string;
  readonly ruleIndex: number;
  readonly action: RuleAction;
  /** The Calico tier of a Calico rule. */
  readonly tier?: string;
}

/** A rule of a cluster policy, 0-based as in the manifest, with where it stands in evaluation. */
export type ClusterRuleRef = Omit<ClusterRuleMatch, 'peerIndex' | 'portIndex'>;

/** One connection standing for a class: a pod of the subject, its peer (pod id or address), a port. */
export interface ExampleFlow {
  readonly direction: Direction;
  /** The pod the rules govern (the destination of ingress, the source of egress). */
  readonly subject: string;
  /** A pod id, or an address outside the pods. */
  readonly peer: string;
  readonly protocol: Protocol;
  readonly port: number;
}

/**
 * A candidate (pod or namespace) that fails exactly one equality term of a selector, and what it
 * has instead: the same key with another value, the value under another key, or nothing.
 */
export interface CandidateMiss {
  /** A pod id or a namespace name. */
  readonly candidate: string;
  /** The term it fails: key and the values it would accept. */
  readonly key: string;
  readonly values: readonly string[];
  /** The candidate's label closest to the term; undefined when it has none like it. */
  readonly found?: { readonly key: string; readonly value: string };
  /** Close enough to be what was meant (a typo, the wrong key for the right value). */
  readonly likely: boolean;
  /** For namespaces: why this one is meant (its name is the wanted value; the peer's pods run there). */
  readonly because?: 'name' | 'peer-pods';
}

/** Something that fixes a finding, rendered as a command or an instruction. */
export type FixAction =
  | {
      /** `kubectl netpol scaffold ...` writing the fix; `replaces` when it rewrites a policy. */
      readonly kind: 'scaffold';
      readonly fix: ScaffoldRequest;
      readonly replaces?: PolicyRef;
    }
  | {
      /** Set a selector of a policy (a field path such as spec.ingress[0].from[1].podSelector). */
      readonly kind: 'set-selector';
      readonly policy: PolicyRef;
      readonly field: string;
      readonly selector: LabelSelector;
    }
  | {
      readonly kind: 'label-namespace';
      readonly namespace: string;
      readonly key: string;
      readonly value: string;
    }
  | {
      /** Label a pod (a workload: its pod template), when the pod may be the one with the typo. */
      readonly kind: 'label-pod';
      readonly pod: ObjectRef;
      readonly key: string;
      readonly value: string;
    }
  | {
      /** Name another container port in a rule's port entry. */
      readonly kind: 'set-port';
      readonly rule: RuleRef;
      readonly portIndex: number;
      readonly port: string;
    }
  | {
      /** Write a CIDR of an ipBlock another way (a field path such as spec.egress[0].to[0].ipBlock.cidr). */
      readonly kind: 'set-cidr';
      readonly policy: PolicyRef;
      readonly field: string;
      readonly cidr: string;
      /** What it keeps: what plugins match today (the network), or the one address written. */
      readonly keeps: 'network' | 'address';
    }
  | { readonly kind: 'remove-rule'; readonly rule: RuleRef }
  | { readonly kind: 'remove-cluster-rule'; readonly rule: ClusterRuleRef }
  | {
      /** Give a cluster policy (`cnp/NAME`) another priority. */
      readonly kind: 'set-priority';
      readonly policy: string;
      readonly priority: number;
    }
  | { readonly kind: 'add-policy-type'; readonly policy: PolicyRef; readonly type: PolicyType }
  | {
      /**
       * Let the finding's DNS lookups through a deny of a tier evaluated before NetworkPolicies,
       * which no NetworkPolicy overrides: an Accept (Calico: Allow) for them ahead of it in its
       * tier, or the deny narrowed to leave them out (for Cilium, only that: its denies win
       * over every allow).
       */
      readonly kind: 'allow-dns-before-deny';
      readonly deny: EarlyDeny;
    };

/** A deny of a tier before NetworkPolicies: a rule of its own, or a Calico tier's end. */
export type EarlyDeny =
  | { readonly kind: 'rule'; readonly rule: LayerRuleRef }
  | {
      /** The tier's default Deny, for what none of its policies applying to the pods decides. */
      readonly kind: 'calico-tier-end';
      readonly tier: string;
      /** Those policies (kubectl names). */
      readonly policies: readonly string[];
    };

/** What a rule admits when it admits every peer: no peers at all, every pod, every address. */
export type OpenForm = 'no-peers' | 'all-pods' | 'all-addresses';

/** The pods a DNS finding is about, and where their lookups are cut off. */
export interface DnsDetails {
  readonly pods: readonly string[];
  readonly blockedBy: DnsBlock;
  /**
   * The protocol of `ports`: set on every `no-port-53` finding, whose `ports` are the DNS pods'
   * port behind their Service's port 53 (53 itself unless its targetPort says another).
   */
  readonly protocol?: DnsProtocol;
  /** The ports the cluster DNS pods take lookups on over the finding's protocol. */
  readonly ports: readonly number[];
  readonly dnsPods: readonly string[];
  /** The address of NodeLocal DNSCache, when the snapshot runs it. */
  readonly nodeLocal?: string;
  /** How the input told the cluster DNS pods (findClusterDns). */
  readonly dnsFound: DnsFound;
  /** Set when the block is at the DNS pods on the pods' node (internalTrafficPolicy Local). */
  readonly onTheirNode?: true;
}

/** The finding-specific part of an audit finding, by code. */
export type AuditDetails =
  | {
      readonly code: 'unisolated-pods';
      readonly direction: Direction;
      readonly pods: readonly string[];
      /** Tiers that deny some of these pods' traffic although nothing isolates them (a Calico tier's Deny before a Pass). */
      readonly restrictedBy?: readonly RestrictingTier[];
    }
  | { readonly code: 'no-default-deny'; readonly direction: Direction }
  | {
      readonly code: 'policy-selects-no-pods';
      readonly policy: PolicyRef;
      readonly selector: LabelSelector;
      readonly nearMiss?: CandidateMiss;
      /** The workloads scaled to zero it selects: it applies to their pods once they run. */
      readonly scaledToZero?: readonly ScaledToZeroWorkload[];
    }
  | {
      readonly code: 'namespace-selector-matches-nothing';
      readonly peer: PeerRef;
      readonly selector: LabelSelector;
      readonly nearMisses: readonly CandidateMiss[];
    }
  | {
      readonly code: 'pod-selector-matches-nothing';
      readonly peer: PeerRef;
      readonly selector: LabelSelector;
      /** The namespaces the selector looks in. */
      readonly namespaces: readonly string[];
      readonly nearMiss?: CandidateMiss;
      /** The workloads scaled to zero it selects: the rule applies to their pods once they run. */
      readonly scaledToZero?: readonly ScaledToZeroWorkload[];
      /** Pods the selector matches that are on the host network, where selectors may not see them. */
      readonly hostNetworkPods: readonly string[];
      /**
       * The network plugin (as detected; "unknown" without evidence) where it may match
       * hostNetworkPods by selectors; absent where it is known to ignore them.
       */
      readonly plugin?: string;
    }
  | {
      readonly code: 'one-sided-allow';
      readonly rule: RuleRef;
      /** The pods the rule admits (senders of an ingress rule, receivers of an egress rule). */
      readonly peers: readonly string[];
      /** The policies that deny those pods the other direction (their egress, their ingress). */
      readonly blockedBy: readonly PolicyRef[];
    }
  /** No DNS over UDP: the pods cannot resolve names. */
  | ({ readonly code: 'dns-blocked' } & DnsDetails)
  /** DNS over UDP works, over TCP (answers too large for UDP) it does not. */
  | ({ readonly code: 'dns-tcp-blocked' } & DnsDetails)
  /**
   * DNS over a protocol may fail (UNKNOWN): the DNS Service routes by client and the input does
   * not tell which DNS pods the pods' lookups reach; `blockedBy` is where they fail if they do.
   */
  | ({
      readonly code: 'dns-route-unknown';
      readonly protocol: DnsProtocol;
      readonly routeUnknown: ClientScope;
    } & DnsDetails)
  /**
   * DNS over a protocol may fail (UNKNOWN): the input does not tell the cluster DNS pods (none,
   * or several candidates that answer differently); `blockedBy` is where they fail if they do.
   */
  | ({
      readonly code: 'dns-server-unknown';
      readonly protocol: DnsProtocol;
      readonly serverUnknown: DnsServerDoubt;
    } & DnsDetails)
  | {
      readonly code: 'unknown-named-port';
      readonly rule: RuleRef;
      readonly portIndex: number;
      readonly port: string;
      readonly protocol: Protocol;
      /** How many pods the name could resolve on (selected pods, or the peers' pods). */
      readonly podsChecked: number;
      /** A port those pods declare that is probably the one meant. */
      readonly similar?: { readonly name: string; readonly protocol: Protocol };
    }
  | {
      readonly code: 'ambiguous-named-port';
      /** The port name and protocol declared more than once by each of the pods. */
      readonly port: string;
      readonly protocol: Protocol;
      /** The numbers it names, in container order. */
      readonly ports: readonly number[];
      readonly pods: readonly string[];
    }
  | {
      readonly code: 'ip-block-contains-pods';
      readonly peer: PeerRef;
      readonly cidr: string;
      readonly except: readonly string[];
      readonly pods: readonly string[];
    }
  | {
      readonly code: 'ip-block-contains-service-ip';
      readonly peer: PeerRef;
      readonly cidr: string;
      readonly except: readonly string[];
      /** The Services whose ClusterIPs it admits, with those addresses and their backends. */
      readonly services: readonly ServiceAddresses[];
    }
  | {
      /**
       * An ingress ipBlock admitting clients outside the cluster to pods behind a Service whose
       * node ports or load balancer may hand them those clients' connections from a node's
       * address (masksOutsideClients).
       */
      readonly code: 'ip-block-clients-masqueraded';
      readonly peer: PeerRef;
      readonly cidr: string;
      readonly except: readonly string[];
      /** `namespace/name` of the Service, and its type. */
      readonly service: string;
      readonly serviceType: string;
      /** The pods the policy selects that are the Service's backends. */
      readonly pods: readonly string[];
    }
  | {
      readonly code: 'non-canonical-cidr';
      readonly policy: PolicyRef;
      /** Where the CIDR is written: spec.egress[0].to[0].ipBlock.cidr or ...except[1]. */
      readonly field: string;
      readonly cidr: string;
      /** The network it stands for, as plugins and this analysis read it. */
      readonly network: string;
      readonly problem: 'host-bits' | 'leading-zeros';
    }
  | {
      readonly code: 'host-network-pod-selected';
      readonly pods: readonly string[];
      readonly policies: readonly PolicyRef[];
      /**
       * The network plugin (as detected; "unknown" without evidence) where it may apply the
       * policies to such pods; absent where it is known never to.
       */
      readonly plugin?: string;
    }
  | { readonly code: 'host-network-pods'; readonly pods: readonly string[] }
  | { readonly code: 'pods-without-ip'; readonly pods: readonly string[] }
  | {
      /** The namespace is named but not in the input; these policies need its labels. */
      readonly code: 'namespace-not-given';
      readonly policies: readonly string[];
    }
  | { readonly code: 'duplicate-rule'; readonly rule: RuleRef; readonly same: RuleRef }
  | { readonly code: 'shadowed-rule'; readonly rule: RuleRef; readonly by: RuleRef }
  | {
      readonly code: 'rule-allows-everything';
      readonly rule: RuleRef;
      readonly form: OpenForm;
      /** The peer that opens it; null when the rule has no peers. */
      readonly peerIndex: number | null;
    }
  | {
      readonly code: 'rule-allows-any-peer';
      readonly rule: RuleRef;
      readonly form: OpenForm;
      readonly peerIndex: number | null;
      readonly ports: readonly PolicyPort[];
    }
  | {
      readonly code: 'removed-api-version';
      readonly policy: PolicyRef;
      readonly apiVersion: string;
      /** The Kubernetes release that stopped serving it. */
      readonly removedIn: string;
      /** The file (and document) it was read from. */
      readonly location?: SourceLocation;
    }
  | {
      readonly code: 'rules-ignored-by-policy-types';
      readonly policy: PolicyRef;
      readonly direction: Direction;
      readonly rules: number;
    }
  /** A cluster policy rule that decides nothing: earlier rules decide all it matches. */
  | {
      readonly code: 'shadowed-cluster-rule';
      readonly rule: ClusterRuleRef;
      readonly by: readonly ClusterRuleRef[];
    }
  /** A Pass rule after which nothing decides: Admin falls to the default allow, Baseline is a no-op. */
  | { readonly code: 'cluster-pass-falls-through'; readonly rule: ClusterRuleRef }
  | {
      readonly code: 'equal-priority-conflict';
      readonly tier: ClusterPolicyTier;
      readonly priority: number;
      readonly policies: readonly [string, string];
      readonly example: ExampleFlow;
    }
  /** Every flow of a NetworkPolicy (allowed or isolated) in one direction is decided by the Admin tier. */
  | {
      readonly code: 'policy-overruled-by-admin';
      readonly policy: PolicyRef;
      readonly direction: Direction;
      readonly by: readonly ClusterRuleRef[];
    }
  /** Everything a NetworkPolicy rule allows is decided before it by the Admin tier. */
  | {
      readonly code: 'rule-overruled-by-admin';
      readonly rule: RuleRef;
      readonly by: readonly ClusterRuleRef[];
    }
  /** A Baseline rule whose traffic the layers before it decide: it is never consulted. */
  | {
      readonly code: 'baseline-rule-unreachable';
      readonly rule: ClusterRuleRef;
      /** The NetworkPolicies isolating the pods it governs. */
      readonly isolatedBy: readonly PolicyRef[];
      /** The Cilium and Calico policies isolating them (kubectl names). */
      readonly isolatedByPlugin: readonly string[];
      /** Whether Cilium's `enable-policy: always` isolates some of them. */
      readonly ciliumAlways: boolean;
    }
  /** A Calico Pass rule after whose tier no tier holds a rule for the pods it governs. */
  | {
      readonly code: 'calico-pass-to-nothing';
      readonly policy: string;
      readonly direction: Direction;
      readonly ruleIndex: number;
    }
  /**
   * A rule of one layer that never decides a flow of the cluster's pods: earlier rules (a higher
   * tier, Cilium's denies, an earlier Calico rule or Pass) decide everything it matches.
   */
  | {
      readonly code: 'rule-shadowed-across-layers';
      readonly rule: LayerRuleRef;
      readonly by: readonly LayerRuleRef[];
    }
  /** Two rules of different layers that allow exactly the same flows of the cluster's pods. */
  | {
      readonly code: 'duplicate-across-layers';
      readonly rule: LayerRuleRef;
      readonly same: LayerRuleRef;
    }
  /**
   * A Cilium L7 rule whose filter never sees traffic: deny rules or higher tiers refuse all its
   * peers×ports (`by`), or no pod it leads to declares a container port it names.
   */
  | {
      readonly code: 'cilium-l7-never-applies';
      readonly rule: LayerRuleRef;
      readonly reason: 'refused' | 'no-container-port';
      readonly by: readonly LayerRuleRef[];
      readonly ports: readonly PolicyPort[];
      /** For `no-container-port`: the pods it leads to. */
      readonly pods: readonly string[];
    }
  /** A staged Calico policy that, if enforced, would cut DNS off for pods that have it today. */
  | {
      readonly code: 'staged-policy-cuts-dns';
      /** Its kubectl name: stagednetworkpolicy/NS/NAME or stagedglobalnetworkpolicy/NAME. */
      readonly policy: string;
      /** UDP: no lookups at all; TCP: answers too large for UDP fail. */
      readonly protocol: Protocol;
      /** The ports the cluster DNS pods take lookups on over that protocol. */
      readonly ports: readonly number[];
      readonly pods: readonly string[];
      /** How the input told the cluster DNS pods (findClusterDns), whom the fix allows. */
      readonly dnsFound: DnsFound;
    }
  /**
   * A NetworkPolicy rule with port ranges on Cilium before 1.16, which admits only each range's
   * first port, or on Cilium of a version its image tag does not tell.
   */
  | {
      readonly code: 'cilium-endport-ignored';
      readonly rule: RuleRef;
      /** The rule's port entries with an endPort. */
      readonly ports: readonly PolicyPort[];
      /** The agent's version, which ignores endPort; undefined: the version is not known. */
      readonly version?: CiliumVersion;
    }
  /**
   * A NetworkPolicy rule naming SCTP ports on Cilium, whose datapath drops every SCTP packet:
   * cilium-config leaves `enable-sctp` off, or the agent (`version`) predates 1.13.
   */
  | {
      readonly code: 'cilium-sctp-dropped';
      readonly rule: RuleRef;
      /** The rule's SCTP port entries. */
      readonly ports: readonly PolicyPort[];
      readonly version?: CiliumVersion;
    }
  /**
   * A NetworkPolicy rule naming SCTP ports on Cilium, when whether it passes SCTP cannot be told
   * (cilium-config not given or not readable, or agents older than 1.13 beside newer ones).
   */
  | {
      readonly code: 'cilium-sctp-unconfirmed';
      readonly rule: RuleRef;
      /** The rule's SCTP port entries. */
      readonly ports: readonly PolicyPort[];
      /** Why it cannot be told, as the UNKNOWN answers give it. */
      readonly why: Extract<UndecidedLayer, { kind: 'cilium-sctp-unknown' }>;
    }
  /** A policy the Cilium agent refuses whole, left out of the audit (see CiliumRefusalReason). */
  | { readonly code: 'cilium-policy-refused'; readonly refused: CiliumRefusedPolicy }
  | { readonly code: 'cni-ignores-policies'; readonly cni: CniDetection }
  | { readonly code: 'cni-unknown'; readonly cni: CniDetection };

/** Every audit finding code. */
export type AuditCode = AuditDetails['code'];

/** One audit finding: what is wrong, how serious, the objects involved and how to fix it. */
export type AuditFinding = AuditDetails & {
  readonly severity: Severity;
  /** The namespace it belongs to, for -n; undefined for cluster-wide findings. */
  readonly namespace?: string;
  readonly objects: readonly ObjectRef[];
  /** Alternatives, best first; empty when the fix is a judgement the text explains. */
  readonly fixes: readonly FixAction[];
};
