import { isIsolated } from '../compile/chain-isolation.js';
import type { Analysis, Direction } from '../compile/compile.js';
import { podEndpoint } from '../compile/endpoint.js';
import { ConnectionEvaluator, endpointPeerTest } from '../evaluate/connections.js';
import { PortSetTable } from '../evaluate/port-set-table.js';
import type { Pod } from '../model/types.js';
import { recompile } from './recompile.js';

/**
 * Asks the kernel how every enforced layer treats a stranger (a pod without labels in a
 * namespace of its own), once for a set of pods:
 * - pods no layer isolates are closed when some layer refuses the stranger everything (an Admin
 *   or Baseline deny-all, a Calico or Cilium deny), so they do not accept or send anything;
 * - a namespace has a default deny for a direction when some layer isolates its newcomer (a pod
 *   without labels) and refuses it something with the stranger (a NetworkPolicy or Cilium policy
 *   selecting every pod, a Calico tier whose policies apply to every pod and end in Deny,
 *   Cilium's `enable-policy: always`), or refuses the stranger everything.
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

/** Ids per direction. */
type ByDirection = Readonly<Record<Direction, ReadonlySet<string>>>;

/** What the kernel answers about the stranger. */
export interface StrangerAnswers {
  /** The pods (of those given) whose side some layer closes to the stranger entirely. */
  readonly closed: ByDirection;
  /** The namespaces (of those given) whose newcomers some enforced layer denies by default. */
  readonly defaultDenies: ByDirection;
}

/** Compiles the given pods and namespaces' newcomers beside the stranger, and asks the kernel. */
export function strangerAnswers(
  analysis: Analysis,
  pods: readonly Pod[],
  namespaces: readonly string[],
): StrangerAnswers {
  const closed = { ingress: new Set<string>(), egress: new Set<string>() };
  const defaultDenies = { ingress: new Set<string>(), egress: new Set<string>() };
  if (pods.length + namespaces.length === 0) return { closed, defaultDenies };
  const newcomers = namespaces.map((namespace) => probePod(namespace, NEWCOMER));
  const probed = [...pods, ...newcomers];
  const probe = recompile(analysis, {
    ...analysis.cluster,
    pods: [...probed, probePod(STRANGER_NAMESPACE, NEWCOMER)],
  });
  const evaluator = new ConnectionEvaluator(probe);
  const stranger = podEndpoint(probe, probed.length);
  const strangerTest = endpointPeerTest(probe, stranger);
  probed.forEach((pod, podIdx) => {
    const subject = podEndpoint(probe, podIdx);
    for (const direction of ['ingress', 'egress'] as const) {
      const chain = probe.chains.of(direction, podIdx);
      const destination = direction === 'ingress' ? subject : stranger;
      const admitted = evaluator.side(direction, subject, strangerTest, destination);
      const isolated = isIsolated(chain);
      if (podIdx < pods.length) {
        if (!isolated && admitted === PortSetTable.EMPTY) closed[direction].add(pod.id);
        continue;
      }
      // Isolated, what no rule admits is refused; not isolated, only a deny of everything counts.
      const refused = isolated ? admitted !== PortSetTable.FULL : admitted === PortSetTable.EMPTY;
      if (refused) defaultDenies[direction].add(pod.namespace);
    }
  });
  return { closed, defaultDenies };
}
