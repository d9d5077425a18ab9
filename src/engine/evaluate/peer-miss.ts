import type { CalicoConditionMiss } from '../compile/calico-endpoints.js';
import type { CiliumEntity } from '../model/cilium-policy.js';
import type { SelectorMismatch } from '../primitives/selector.js';

/** Why a peer of a rule did not match the other side of a connection. */
export type PeerMiss =
  | {
      /** A podSelector without namespaceSelector only looks in the policy's namespace. */
      readonly kind: 'other-namespace';
      readonly peerIndex: number;
      readonly policyNamespace: string;
      readonly namespace: string;
    }
  | {
      readonly kind: 'namespace-labels';
      readonly peerIndex: number;
      readonly namespace: string;
      readonly mismatch: SelectorMismatch;
    }
  | {
      /** The namespace is not in the input, and the selector needs labels other than its name. */
      readonly kind: 'namespace-not-given';
      readonly peerIndex: number;
      readonly namespace: string;
    }
  | {
      readonly kind: 'pod-labels';
      readonly peerIndex: number;
      readonly pod: string;
      readonly mismatch: SelectorMismatch;
    }
  | {
      /** Selectors do not see hostNetwork pods: their traffic carries the node's address. */
      readonly kind: 'host-network';
      readonly peerIndex: number;
    }
  | { readonly kind: 'not-a-pod'; readonly peerIndex: number }
  | {
      /** The pod's IP is unknown and the ipBlock admits only part of where it may lie. */
      readonly kind: 'ip-unknown';
      readonly peerIndex: number;
      readonly cidr: string;
    }
  | {
      /** The pod's IP is unknown, and the ipBlock admits none of the pod range. */
      readonly kind: 'outside-pod-range';
      readonly peerIndex: number;
      readonly cidr: string;
    }
  | { readonly kind: 'outside-cidr'; readonly peerIndex: number; readonly cidr: string }
  | {
      /** The other side is a host known by name: whether the CIDR holds its address is DNS's. */
      readonly kind: 'name-addresses';
      readonly peerIndex: number;
      readonly cidr: string;
      readonly hostname: string;
    }
  | {
      /** A condition of a Calico rule side (selector, namespace, nets...) does not hold. */
      readonly kind: 'calico-condition';
      readonly peerIndex: number;
      readonly condition: CalicoConditionMiss['condition'];
      readonly reason: string;
    }
  | {
      readonly kind: 'excepted';
      readonly peerIndex: number;
      readonly cidr: string;
      readonly except: string;
    }
  | {
      /** A Cilium entity (world, cluster, host...) the other side is not part of. */
      readonly kind: 'cilium-entity';
      readonly peerIndex: number;
      readonly entity: CiliumEntity;
    }
  | {
      /**
       * The other side is not the host of the pod's node: not a hostNetwork pod, on another
       * node, or on a node not known (`node-unknown`: either side has no spec.nodeName).
       */
      readonly kind: 'node-host';
      readonly peerIndex: number;
      readonly reason: 'not-host-network' | 'other-node' | 'node-unknown';
    }
  | {
      /** Cilium's CIDR peers never match the cluster's own pods, whatever their address. */
      readonly kind: 'cilium-cidr-pod';
      readonly peerIndex: number;
      readonly cidr: string;
    }
  | {
      /**
       * The address is a node's, which Cilium's CIDR peers match only with cilium-config's
       * policy-cidr-match-mode naming `nodes` (see cni/cilium-cidr-nodes.ts).
       */
      readonly kind: 'cilium-cidr-node';
      readonly peerIndex: number;
      readonly cidr: string;
    };
