import { describe, expect, it } from 'vitest';
import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import {
  type Cluster,
  ciliumLayerNotes,
  compileCluster,
  type UnreadList,
} from '../../src/engine/index.js';
import { undecidedLayerText } from '../../src/render/completeness.js';
import { LEGACY_DB_YAML } from '../helpers/cilium-config.js';
import { clusterOfYaml, fixture } from '../helpers/load.js';

const MODEL = fixture('conformance/cilium/model.yaml');

/** web may send only to the Services api and legacy-db of shop. */
const POLICY = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: web-to-services, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: web}}
  egress:
  - toServices:
    - k8sService: {serviceName: api}
    - k8sService: {serviceName: legacy-db}
`;

const API_SERVICE = `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: 8080}]}
`;

const refused = (resource: string, namespace?: string): UnreadList => ({
  resource,
  ...(namespace ? { namespace } : {}),
  reason: '403 Forbidden',
  canI: `kubectl auth can-i list ${resource}${namespace ? ` -n ${namespace}` : ''}`,
});

/** web -> api on TCP 8080 as check answers it, why its egress is UNKNOWN, and the notes. */
function webToApi(cluster: Cluster) {
  const analysis = compileCluster(cluster, { networkPlugin: 'cilium' });
  const at = (id: string) => podEndpoint(analysis, analysis.podIndex.get(id) as number);
  const flow = evaluateFlow(analysis, at('shop/web'), at('shop/api'), 'TCP', 8080);
  return {
    verdict: flow.verdict,
    why: (flow.egress.undecided ?? []).map(undecidedLayerText),
    notes: ciliumLayerNotes(analysis, 'Cilium').map((note) => note.message),
  };
}

describe('toServices naming a Service', () => {
  it('reaches its backends when it is found, with no note', () => {
    expect(webToApi(clusterOfYaml(MODEL, POLICY, API_SERVICE, LEGACY_DB_YAML))).toEqual({
      verdict: 'ALLOWED',
      why: [],
      notes: [],
    });
  });

  it('matches nothing when it is not found, and says so in a note', () => {
    expect(webToApi(clusterOfYaml(MODEL, POLICY, LEGACY_DB_YAML))).toEqual({
      verdict: 'DENIED',
      why: [],
      notes: [
        'ciliumnetworkpolicy/shop/web-to-services egress rule 1: toServices names Service shop/api, which was not found: it matches nothing',
      ],
    });
  });

  it("is UNKNOWN where its namespace's Services could not be read, naming the list", () => {
    const cluster = { ...clusterOfYaml(MODEL, POLICY), unread: [refused('services', 'shop')] };
    expect(webToApi(cluster)).toEqual({
      verdict: 'UNKNOWN',
      why: [
        'ciliumnetworkpolicy/shop/web-to-services egress rule 1 names Service shop/api in toServices, and services in namespace shop could not be read (403 Forbidden); check: kubectl auth can-i list services -n shop: which addresses it matches is unknown',
        'ciliumnetworkpolicy/shop/web-to-services egress rule 1 names Service shop/legacy-db in toServices, and services in namespace shop could not be read (403 Forbidden); check: kubectl auth can-i list services -n shop: which addresses it matches is unknown',
      ],
      notes: [],
    });
  });

  it('is UNKNOWN where a selectorless Service is found but its EndpointSlices are not', () => {
    const cluster = {
      ...clusterOfYaml(MODEL, POLICY, API_SERVICE, LEGACY_DB_YAML.split('---')[0] as string),
      unread: [refused('endpointslices')],
    };
    const { verdict, why } = webToApi(cluster);
    expect(verdict).toBe('ALLOWED');
    const analysis = compileCluster(cluster, { networkPlugin: 'cilium' });
    const at = (id: string) => podEndpoint(analysis, analysis.podIndex.get(id) as number);
    // admin is no backend of api; legacy-db's unread slices may hold its address.
    const toAdmin = evaluateFlow(analysis, at('shop/web'), at('shop/admin'), 'TCP', 5432);
    expect(toAdmin.verdict).toBe('UNKNOWN');
    expect((toAdmin.egress.undecided ?? []).map(undecidedLayerText)).toEqual([
      expect.stringContaining('names Service shop/legacy-db in toServices, and endpointslices'),
    ]);
    expect(why).toEqual([]);
  });

  it('ignores Services lists unread in other namespaces', () => {
    const cluster = {
      ...clusterOfYaml(MODEL, POLICY, API_SERVICE, LEGACY_DB_YAML),
      unread: [refused('services', 'ops')],
    };
    expect(webToApi(cluster).verdict).toBe('ALLOWED');
  });
});
