import { describe, expect, it } from 'vitest';
import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import {
  type Cluster,
  compileCluster,
  computeMatrix,
  type DirectionVerdict,
  portSetAllows,
} from '../../src/engine/index.js';
import { undecidedLayerText } from '../../src/render/completeness.js';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { CILIUM_CONFIG_REFUSED } from '../helpers/cilium-config.js';
import { clusterOfYaml, fixture } from '../helpers/load.js';

const MODEL = fixture('conformance/cilium/model.yaml');

// api takes ingress from web on 8080 only, web sends only there; nothing selects admin or probe.
const POLICY = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: api-from-web, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: api}}
  ingress:
  - fromEndpoints: [{matchLabels: {app: web}}]
    toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: web-to-api, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: web}}
  egress:
  - toEndpoints: [{matchLabels: {app: api}}]
    toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
`;

/** Answers check's way on a cluster, with what makes each UNKNOWN side so, in words. */
function answers(cluster: Cluster) {
  const analysis = compileCluster(cluster, { networkPlugin: 'cilium' });
  const at = (id: string) => podEndpoint(analysis, analysis.podIndex.get(id) as number);
  return (from: string, to: string, port: number) => {
    const flow = evaluateFlow(analysis, at(from), at(to), 'TCP', port);
    const why = (side: DirectionVerdict) => (side.undecided ?? []).map(undecidedLayerText);
    return { verdict: flow.verdict, egress: why(flow.egress), ingress: why(flow.ingress) };
  };
}

describe('an unread cilium-config', () => {
  // Cilium 1.18 has no high-scale ipcache mode, which an unread cilium-config would leave
  // unknown too on 1.14 to 1.17 (see cilium-high-scale-ipcache.test.ts).
  const cilium118 = ciliumAgentYaml('quay.io/cilium/cilium:v1.18.0');
  const refused = { ...clusterOfYaml(MODEL, POLICY, cilium118), unread: [CILIUM_CONFIG_REFUSED] };
  const check = answers(refused);

  it('keeps the verdict that every enforcement mode gives', () => {
    // Allowed by the rules of both sides under default and always; never enforces nothing.
    expect(check('shop/web', 'shop/api', 8080)).toEqual({
      verdict: 'ALLOWED',
      egress: [],
      ingress: [],
    });
  });

  it('is UNKNOWN where "never" would allow what the policies deny, naming the ConfigMap', () => {
    const { verdict, ingress } = check('shop/web', 'shop/api', 9090);
    expect(verdict).toBe('UNKNOWN');
    expect(ingress).toEqual([
      'configmaps kube-system/cilium-config could not be read (403 Forbidden); check: kubectl auth can-i list configmaps -n kube-system, so Cilium\'s enable-policy is unknown: "never" would enforce no policy and answer otherwise than the "default" assumed',
    ]);
  });

  it('is UNKNOWN where "always" would isolate a pod no policy selects', () => {
    const { verdict, egress, ingress } = check('shop/admin', 'ops/probe', 80);
    expect(verdict).toBe('UNKNOWN');
    const always = expect.stringContaining('"always" would isolate every pod');
    expect({ egress, ingress }).toEqual({ egress: [always], ingress: [always] });
  });

  it('changes nothing where cilium-config was read', () => {
    const read = answers(clusterOfYaml(MODEL, POLICY));
    expect(read('shop/web', 'shop/api', 9090).verdict).toBe('DENIED');
    expect(read('shop/admin', 'ops/probe', 80).verdict).toBe('ALLOWED');
  });

  it('leaves host-network pods alone: no mode makes them Cilium endpoints', () => {
    // Only the pod's side could change; the agent's egress is the host's.
    expect(check('kube-system/node-agent', 'ops/probe', 80)).toEqual({
      verdict: 'UNKNOWN',
      egress: [],
      ingress: [expect.stringContaining('"always" would isolate every pod')],
    });
    expect(check('ops/probe', 'kube-system/node-agent', 80).ingress).toEqual([]);
  });

  it('gives the matrix the same undecided ports as check', () => {
    const analysis = compileCluster(refused, { networkPlugin: 'cilium' });
    const matrix = computeMatrix(analysis);
    const cell = (from: string, to: string, port: number) => {
      const row = matrix.podIdxs.indexOf(analysis.podIndex.get(from) as number);
      const column = matrix.podIdxs.indexOf(analysis.podIndex.get(to) as number);
      if (!portSetAllows(matrix.connections(row, column), 'TCP', port)) return 'DENIED';
      return portSetAllows(matrix.undecidedConnections(row, column), 'TCP', port)
        ? 'UNKNOWN'
        : 'ALLOWED';
    };
    expect(cell('shop/web', 'shop/api', 8080)).toBe('ALLOWED');
    expect(cell('shop/web', 'shop/api', 9090)).toBe('UNKNOWN');
    expect(cell('shop/admin', 'ops/probe', 80)).toBe('UNKNOWN');
  });
});

describe('an unread cilium-config on a Cilium cluster without Cilium policies', () => {
  it('still makes NetworkPolicy answers UNKNOWN where the mode would change them', () => {
    const cluster = clusterOfYaml(
      MODEL,
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
`,
    );
    const check = answers({ ...cluster, unread: [CILIUM_CONFIG_REFUSED] });
    expect(check('shop/admin', 'shop/api', 80).ingress).toEqual([
      expect.stringContaining('"never" would enforce no policy'),
    ]);
    expect(answers(cluster)('shop/admin', 'shop/api', 80).verdict).toBe('DENIED');
  });
});
