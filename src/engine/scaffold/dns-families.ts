import type { Analysis } from '../compile/compile.js';
import type { AddressFamily } from '../compile/pod-addresses.js';
import { writtenServiceFamilies } from '../compile/services.js';
import type { Service } from '../model/types.js';

/**
 * The address families of the pod network, as the pods off the host network the input gives
 * an IP show them: every pod of a single-stack cluster has an address of its one family only.
 * Undefined when no such pod has an IP.
 */
function podNetworkFamilies(analysis: Analysis): ReadonlySet<AddressFamily> | undefined {
  const families = new Set<AddressFamily>();
  analysis.pods.forEach((pod, idx) => {
    if (pod.hostNetwork || pod.ips.length === 0) return;
    for (const family of analysis.podAddresses.familiesOf(idx)) families.add(family);
  });
  return families.size > 0 ? families : undefined;
}

/**
 * The address families lookups to DNS pods the input does not hold can take, behind their
 * Service: those of its ClusterIPs (spec.ipFamilies), as kube-proxy translates a ClusterIP
 * only to an endpoint address of its own family (kubernetes.io/docs/concepts/
 * services-networking/dual-stack/), which is what policies see; of those, the families the pod
 * network shows (podNetworkFamilies), unless it shows none of them. Undefined when neither
 * tells: the family is unknown.
 */
export function unseenDnsFamilies(
  analysis: Analysis,
  service: Service | undefined,
): ReadonlySet<AddressFamily> | undefined {
  const written = service && writtenServiceFamilies(service);
  const network = podNetworkFamilies(analysis);
  if (!written || !network) return written ?? network;
  const common = [...written].filter((family) => network.has(family));
  return common.length > 0 ? new Set(common) : written;
}
