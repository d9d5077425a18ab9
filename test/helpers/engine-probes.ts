/**
 * What the engine's property tests probe on a generated cluster: its pods and some outside
 * addresses as endpoints, and the ports worth asking about. Shared by properties.test.ts and
 * agreement.test.ts.
 */
import {
  addressEndpoint,
  type Endpoint,
  endpointId,
  podEndpoint,
} from '../../src/engine/compile/endpoint.js';
import type { Analysis } from '../../src/engine/index.js';
import { type Cluster, type PortSet, PROTOCOLS, type Protocol } from '../../src/engine/index.js';
import { portSetKey } from '../../src/engine/primitives/port-set.js';
import { INTERESTING_PORTS } from './cluster-arbitrary.js';
import type { ReferenceEndpoint } from './reference-model.js';

const SEED = Number(process.env.NETPOL_FC_SEED ?? 1_700_531);
const RUNS = Number(process.env.NETPOL_FC_RUNS ?? 80);
/** Deterministic fast-check parameters; NETPOL_FC_SEED and NETPOL_FC_RUNS explore others. */
export const params = { seed: SEED, numRuns: RUNS };
/** For properties of clusters without policies, where fewer shapes exist. */
export const lightParams = { seed: SEED, numRuns: Math.ceil(RUNS / 3) };

/** Addresses outside the pods: inside, outside and excepted from the generated ipBlocks. */
const EXTERNAL_IPS = ['10.0.0.200', '10.0.1.77', '203.0.113.1', 'fd00::99', 'fd00::6:1'];

/** One protocol and port to ask about. */
export interface Probe {
  readonly protocol: Protocol;
  readonly port: number;
}

/** Every protocol on the port numbers the cluster mentions, their neighbours, the extremes. */
export function probesOf(cluster: Cluster, extra: readonly number[] = []): Probe[] {
  const ports = new Set<number>([1, 65535, ...INTERESTING_PORTS, ...extra]);
  for (const pod of cluster.pods) for (const p of pod.ports) ports.add(p.port);
  for (const policy of cluster.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const entry of rule.ports) {
        if (typeof entry.port !== 'number') continue;
        const end = entry.endPort ?? entry.port;
        for (const p of [entry.port - 1, entry.port, end, end + 1]) ports.add(p);
      }
    }
  }
  const valid = [...ports].filter((p) => p >= 1 && p <= 65535).sort((a, b) => a - b);
  return PROTOCOLS.flatMap((protocol) => valid.map((port) => ({ protocol, port })));
}

/** The reference model's view of an endpoint. */
export function refOf(endpoint: Endpoint): ReferenceEndpoint {
  if (endpoint.kind === 'pod') return { pod: endpoint.pod };
  if (endpoint.kind === 'external') return { ip: endpoint.ip };
  throw new Error('the reference model has no host names');
}

/** An endpoint's name in failure messages. */
export const refName = endpointId;

/** The outside addresses as endpoints of the analysis. */
export function externalEndpoints(analysis: Analysis): Endpoint[] {
  return EXTERNAL_IPS.map((ip) => {
    const found = addressEndpoint(analysis, ip);
    if (!found) throw new Error(`test address ${ip} should parse`);
    return found;
  });
}

/** Every pod of the analysis as an endpoint, in pod order. */
export const pods = (analysis: Analysis): Endpoint[] =>
  analysis.pods.map((_, idx) => podEndpoint(analysis, idx));

/** A port set in failure messages. */
export const describeSet = (set: PortSet) => portSetKey(set) || '(none)';
