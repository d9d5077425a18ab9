import type { Analysis, CompiledPeer, PolicyRef } from '../compile/compile.js';
import type { PodEndpoint } from '../compile/endpoint.js';
import { keepsOutsideClientAddress, masksOutsideClients } from '../compile/service-forwarding.js';
import { resolveTargetPort, selectedPods } from '../compile/services.js';
import { type DirectionVerdict, evaluateFlow, type FlowVerdict } from '../evaluate/evaluate.js';
import { objectId, type Service } from '../model/types.js';
import { admittedAddresses } from './admitted-addresses.js';
import type { RouteDoubt } from './check-targets.js';
import { externalEndpoint, masqueradedVerdictHolds } from './masquerade-sources.js';

/** The doubt on clients outside the pods that a Service may show its backends by a node's address. */
export type MaskedClientDoubt = Extract<RouteDoubt, { kind: 'masked-client' }>;

/** The rule a grant stands for: a NetworkPolicy rule's peer, or a Calico or Cilium rule. */
export type GrantRef =
  | {
      readonly kind: 'networkpolicy';
      readonly policy: PolicyRef;
      readonly ruleIndex: number;
      readonly peerIndex: number | null;
    }
  /** `policy`: the kubectl name, as `PluginRuleGrant.policy`. */
  | { readonly kind: 'calico'; readonly policy: string; readonly ruleIndex: number }
  | {
      readonly kind: 'cilium';
      readonly policy: string;
      readonly specIndex: number;
      readonly ruleIndex: number;
    };

/**
 * The Services whose backends include a pod and may see clients outside the cluster by a
 * node's address (masksOutsideClients).
 */
export function maskingServices(analysis: Analysis, backend: PodEndpoint): Service[] {
  return [...analysis.services.values()].filter(
    (service) =>
      service.namespace === backend.pod.namespace &&
      masksOutsideClients(analysis, service) &&
      selectedPods(analysis, service).includes(backend.podIdx),
  );
}

/** Whether one side of the kernel's answer admits the connection by a grant. */
function sideAdmits(side: DirectionVerdict, grant: GrantRef): boolean {
  switch (grant.kind) {
    case 'networkpolicy':
      return (
        side.kind === 'allowed' &&
        side.matches.some(
          (match) =>
            match.policy.namespace === grant.policy.namespace &&
            match.policy.name === grant.policy.name &&
            match.ruleIndex === grant.ruleIndex &&
            match.peerIndex === grant.peerIndex,
        )
      );
    case 'calico':
      return (
        side.kind === 'calico' &&
        side.match.action === 'Allow' &&
        side.match.policy === grant.policy &&
        side.match.ruleIndex === grant.ruleIndex
      );
    case 'cilium': {
      const matches =
        side.kind === 'cilium-policy'
          ? side.matches
          : side.kind === 'allowed'
            ? (side.ciliumMatches ?? [])
            : [];
      return matches.some(
        (match) =>
          match.action === 'allow' &&
          match.policy === grant.policy &&
          match.specIndex === grant.specIndex &&
          match.ruleIndex === grant.ruleIndex,
      );
    }
  }
}

/** Whether the kernel's ingress answer (over each family) admits the connection by a grant. */
export function admittedBy(verdict: FlowVerdict, grant: GrantRef): boolean {
  const sides: DirectionVerdict[] = verdict.families
    ? Object.values(verdict.families).map((family) => family.ingress)
    : [verdict.ingress];
  return sides.some((side) => sideAdmits(side, grant));
}

/**
 * The masked-client doubts on an ingress rule that admits clients by their address (an ipBlock,
 * a Calico nets or notNets, a Cilium fromCIDR or entity): one per Service (of `services`)
 * through which such a client may reach the pod by a node's address where that changes the
 * answer. That is where the kernel's verdict on a client the rule admits (`peers`,
 * admittedAddresses), to the pod's target port of a Service port whose clients may be
 * masqueraded, is given by this grant and does not hold for the addresses a node may give it
 * (masqueradedVerdictHolds), as `check CLIENT svc/NAME` says UNKNOWN. Straight to the pod's own
 * address no node stands between: the grant holds there.
 */
export function maskedClientDoubts(
  analysis: Analysis,
  backend: PodEndpoint,
  grant: GrantRef,
  peers: readonly CompiledPeer[],
  services: () => readonly Service[],
): MaskedClientDoubt[] {
  const fronting = services();
  if (fronting.length === 0) return [];
  const clients = admittedAddresses(analysis, backend, peers).map(externalEndpoint);
  const masked = (service: Service) =>
    service.ports.some((servicePort) => {
      if (keepsOutsideClientAddress(analysis, service, servicePort.protocol)) return false;
      const port = resolveTargetPort(servicePort, backend.pod);
      if (port === undefined) return false;
      return clients.some((client) => {
        const verdict = evaluateFlow(
          analysis,
          client,
          backend,
          servicePort.protocol,
          port,
          'service-ip',
        );
        return (
          admittedBy(verdict, grant) && !masqueradedVerdictHolds(analysis, client, backend, verdict)
        );
      });
    });
  return fronting.filter(masked).map((service) => ({
    kind: 'masked-client',
    service: objectId(service.namespace, service.name),
  }));
}
