import type { Analysis, PolicyRef } from '../compile/compile.js';
import type { PodEndpoint } from '../compile/endpoint.js';
import { keepsOutsideClientAddress, masksOutsideClients } from '../compile/service-forwarding.js';
import { resolveTargetPort, selectedPods } from '../compile/services.js';
import { type DirectionVerdict, evaluateFlow, type FlowVerdict } from '../evaluate/evaluate.js';
import { objectId, type Service } from '../model/types.js';
import { type CompiledIpBlock, ipBlockVerdict, regionAddresses } from '../primitives/ip-block.js';
import { externalEndpoint, masqueradedVerdictHolds } from './masquerade-sources.js';

/** The rule peer a grant stands for. */
export interface GrantRef {
  readonly policy: PolicyRef;
  readonly ruleIndex: number;
  readonly peerIndex: number | null;
}

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

/** An address an ipBlock admits (inside its CIDR, outside its excepts); undefined: none. */
function admittedAddress(block: CompiledIpBlock) {
  // One address per region the excepts cut the block into: one of them is admitted, if any is.
  const starts = regionAddresses([block.range], block.excepts, block.excepts.length * 2 + 1) ?? [];
  return starts.find((address) => ipBlockVerdict(block, address).kind === 'inside');
}

/** Whether the kernel's ingress answer (over each family) admits the connection by a grant. */
function admittedBy(verdict: FlowVerdict, grant: GrantRef): boolean {
  const sides: DirectionVerdict[] = verdict.families
    ? Object.values(verdict.families).map((family) => family.ingress)
    : [verdict.ingress];
  return sides.some(
    (side) =>
      side.kind === 'allowed' &&
      side.matches.some(
        (match) =>
          match.policy.namespace === grant.policy.namespace &&
          match.policy.name === grant.policy.name &&
          match.ruleIndex === grant.ruleIndex &&
          match.peerIndex === grant.peerIndex,
      ),
  );
}

/**
 * The Services (`namespace/name`) through which a client that an ingress ipBlock admits may
 * reach the pod by a node's address where that changes the answer: the kernel's verdict on a
 * client in the block, to the pod's target port of a Service port whose clients may be
 * masqueraded, is given by this grant and does not hold for the addresses a node may give it
 * (masqueradedVerdictHolds), as `check CLIENT svc/NAME` says UNKNOWN. Straight to the pod's own
 * address no node stands between: the grant holds there.
 */
export function maskedGrantServices(
  analysis: Analysis,
  backend: PodEndpoint,
  grant: GrantRef,
  block: CompiledIpBlock,
  services: readonly Service[],
): string[] {
  const address = admittedAddress(block);
  if (!address) return [];
  const client = externalEndpoint(address);
  const masked = (service: Service) =>
    service.ports.some((servicePort) => {
      if (keepsOutsideClientAddress(analysis, service, servicePort.protocol)) return false;
      const port = resolveTargetPort(servicePort, backend.pod);
      if (port === undefined) return false;
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
  return services.filter(masked).map((service) => objectId(service.namespace, service.name));
}
