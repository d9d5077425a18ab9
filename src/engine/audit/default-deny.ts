import { isIsolated } from '../compile/chain-isolation.js';
import type { Analysis, Direction } from '../compile/compile.js';
import { podEndpoint } from '../compile/endpoint.js';
import { ConnectionEvaluator, endpointPeerTest } from '../evaluate/connections.js';
import { PortSetTable } from '../evaluate/port-set-table.js';
import type { Pod } from '../model/types.js';
import { recompile } from './recompile.js';

/**
 * Default denies of every enforced layer, found by asking the kernel about pods no policy names:
 * a pod without labels in each namespace, and a stranger (a pod without labels in a namespace
 * of its own). A namespace has a default deny for a direction when some layer isolates its
 * newcomer and refuses it something with the stranger (a NetworkPolicy or Cilium policy
 * selecting every pod, a Calico tier whose policies apply to every pod and end in Deny, Cilium's
 * `enable-policy: always`), or refuses the stranger everything (an Admin or Baseline deny-all).
 */

/** Characters no Kubernetes name may hold: the probes can never be mistaken for real pods. */
const NEWCOMER = '(newcomer)';
const STRANGER_NAMESPACE = '(stranger)';

const probePod = (namespace: string, name: string): Pod => ({
  id: `${namespace}/${name}`,
  namespace,
  name,
  kind: 'Pod',
  labels: {},
  ips: [],
  hostNetwork: false,
  ports: [],
});

/** The namespaces (of those given) whose newcomers some enforced layer denies by default, per direction. */
export function layerDefaultDenies(
  analysis: Analysis,
  namespaces: readonly string[],
): Readonly<Record<Direction, ReadonlySet<string>>> {
  const found = { ingress: new Set<string>(), egress: new Set<string>() };
  if (namespaces.length === 0) return found;
  const pods = [
    ...namespaces.map((namespace) => probePod(namespace, NEWCOMER)),
    probePod(STRANGER_NAMESPACE, NEWCOMER),
  ];
  const probe = recompile(analysis, { ...analysis.cluster, pods });
  const evaluator = new ConnectionEvaluator(probe);
  const stranger = podEndpoint(probe, namespaces.length);
  const strangerTest = endpointPeerTest(probe, stranger);
  namespaces.forEach((namespace, podIdx) => {
    const newcomer = podEndpoint(probe, podIdx);
    for (const direction of ['ingress', 'egress'] as const) {
      const chain = probe.chains[direction][podIdx];
      if (!chain) continue;
      const destination = direction === 'ingress' ? newcomer : stranger;
      const admitted = evaluator.side(direction, newcomer, strangerTest, destination);
      // Isolated, what no rule admits is refused; not isolated, only a deny of everything counts.
      const refused = isIsolated(chain)
        ? admitted !== PortSetTable.FULL
        : admitted === PortSetTable.EMPTY;
      if (refused) found[direction].add(namespace);
    }
  });
  return found;
}
