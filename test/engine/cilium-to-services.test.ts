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
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import {
  CILIUM_CONFIG_REFUSED,
  ciliumConfigYaml,
  LEGACY_DB_YAML,
} from '../helpers/cilium-config.js';
import { analyseYaml, clusterOfYaml, fixture } from '../helpers/load.js';
import { flow } from '../helpers/scenario.js';

const agent = (tag: string) => ciliumAgentYaml(`quay.io/cilium/cilium:${tag}`);
const BARE_MODEL = fixture('conformance/cilium/model.yaml');
/** The model with a Cilium 1.17 agent, which matches Services with a selector by their pods. */
const MODEL = `${BARE_MODEL}---\n${agent('v1.17.0')}`;

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

// How toServices resolves by release (sources in src/engine/cni/cilium-to-services.ts): a
// Service with a selector matches its pods from 1.17 and nothing before; a Service without one
// stands for its slices' addresses as CIDRs, which match no pod; endpoints neither ready nor
// serving count from 1.19 only, and a slice listing no port gives none from 1.18.
describe('toServices by Cilium release', () => {
  const selectorService = (tag: string) =>
    analyseYaml(BARE_MODEL, POLICY, API_SERVICE, LEGACY_DB_YAML, agent(tag));

  it('matches nothing for a Service with a selector before 1.17, and says so', () => {
    const old = selectorService('v1.16.19');
    expect(flow(old, 'shop/web', 'shop/api', 'TCP', 8080).verdict).toBe('DENIED');
    expect(ciliumLayerNotes(old, 'Cilium').map((note) => note.message)).toContain(
      'ciliumnetworkpolicy/shop/web-to-services egress rule 1: toServices names Service shop/api, which has a selector, and Cilium 1.16.19 (quay.io/cilium/cilium:v1.16.19) takes only Services without one (those with a selector came in 1.17): it matches nothing',
    );
    // The selectorless Service still counts.
    expect(flow(old, 'shop/web', '192.0.2.40', 'TCP', 5432).verdict).toBe('ALLOWED');
  });

  it('is UNKNOWN for a Service with a selector when the version is not known', () => {
    const untold = selectorService('latest');
    const verdict = flow(untold, 'shop/web', 'shop/api', 'TCP', 8080);
    expect(verdict.verdict).toBe('UNKNOWN');
    expect((verdict.egress.undecided ?? []).map(undecidedLayerText)).toEqual([
      'ciliumnetworkpolicy/shop/web-to-services egress rule 1 names Service shop/api in toServices, which has a selector: Cilium matches its pods from 1.17 and nothing before, and the Cilium version is not known (no agent image tag in the input tells it, down to the patch or past a pre-release where one decides, or agents run versions on both sides of 1.17)',
    ]);
    // admin is no backend in any release.
    expect(flow(untold, 'shop/web', 'shop/admin', 'TCP', 8080).verdict).toBe('DENIED');
  });

  it("never matches a pod by a selectorless Service's address (it is a CIDR)", () => {
    const podAddress = LEGACY_DB_YAML.replace('192.0.2.40', '10.0.0.3');
    const analysis = analyseYaml(BARE_MODEL, POLICY, API_SERVICE, podAddress, agent('v1.17.0'));
    expect(flow(analysis, 'shop/web', 'shop/admin', 'TCP', 5432).verdict).toBe('DENIED');
  });

  it('takes an endpoint neither ready nor serving from 1.19 only, UNKNOWN when not known', () => {
    const notReady = LEGACY_DB_YAML.replace(
      '[{addresses: [192.0.2.40]}]',
      '[{addresses: [192.0.2.40]}, {addresses: [192.0.2.41], conditions: {ready: false, serving: false}}]',
    );
    const at = (tag: string) =>
      flow(
        analyseYaml(BARE_MODEL, POLICY, notReady, agent(tag)),
        'shop/web',
        '192.0.2.41',
        'TCP',
        5432,
      );
    expect(at('v1.18.0').verdict).toBe('DENIED');
    expect(at('v1.19.0').verdict).toBe('ALLOWED');
    expect(at('latest').verdict).toBe('UNKNOWN');
    expect((at('latest').egress.undecided ?? []).map(undecidedLayerText)).toEqual([
      expect.stringContaining('names Service shop/legacy-db in toServices, whose EndpointSlices'),
    ]);
  });

  it('takes no address of a slice listing no port from 1.18', () => {
    const portless = LEGACY_DB_YAML.replace('ports: [{port: 5432, protocol: TCP}]\n', '');
    const at = (tag: string) =>
      flow(
        analyseYaml(BARE_MODEL, POLICY, portless, agent(tag)),
        'shop/web',
        '192.0.2.40',
        'TCP',
        5432,
      ).verdict;
    expect([at('v1.17.0'), at('v1.18.0')]).toEqual(['ALLOWED', 'DENIED']);
  });
});

// Before 1.18 the agent keeps a slice's serving endpoints that are not ready only with
// enable-k8s-terminating-endpoint on, its default ("discarding Endpoint on EndpointSlice …: not
// Ready and EnableK8sTerminatingEndpoint", pkg/k8s/endpoints.go, v1.16.19); 1.18 removed the flag.
describe('toServices and enable-k8s-terminating-endpoint', () => {
  /** legacy-db with a second endpoint, 192.0.2.41, terminating but still serving. */
  const TERMINATING = LEGACY_DB_YAML.replace(
    '[{addresses: [192.0.2.40]}]',
    '[{addresses: [192.0.2.40]}, {addresses: [192.0.2.41], conditions: {ready: false, serving: true, terminating: true}}]',
  );
  const toTerminating = (tag: string, ...config: string[]) =>
    flow(
      analyseYaml(BARE_MODEL, POLICY, TERMINATING, agent(tag), ...config),
      'shop/web',
      '192.0.2.41',
      'TCP',
      5432,
    );
  const off = ciliumConfigYaml('enable-k8s-terminating-endpoint: "false"');

  it('drops a serving terminating endpoint before 1.18 when cilium-config turns it off', () => {
    expect(toTerminating('v1.16.19').verdict).toBe('ALLOWED');
    expect(toTerminating('v1.16.19', off).verdict).toBe('DENIED');
    // The ready endpoint still counts, and 1.18 has no such setting.
    expect(
      flow(
        analyseYaml(BARE_MODEL, POLICY, TERMINATING, agent('v1.16.19'), off),
        'shop/web',
        '192.0.2.40',
        'TCP',
        5432,
      ).verdict,
    ).toBe('ALLOWED');
    expect(toTerminating('v1.18.0', off).verdict).toBe('ALLOWED');
  });

  it('is UNKNOWN before 1.18 when cilium-config could not be read, and says why', () => {
    const cluster = {
      ...clusterOfYaml(BARE_MODEL, POLICY, TERMINATING, agent('v1.16.19')),
      unread: [CILIUM_CONFIG_REFUSED],
    };
    const analysis = compileCluster(cluster, { networkPlugin: 'cilium' });
    const verdict = flow(analysis, 'shop/web', '192.0.2.41', 'TCP', 5432);
    expect(verdict.verdict).toBe('UNKNOWN');
    // Besides the enforcement mode, which an unread cilium-config leaves unknown too.
    expect((verdict.egress.undecided ?? []).map(undecidedLayerText)).toContain(
      'ciliumnetworkpolicy/shop/web-to-services egress rule 1 names Service shop/legacy-db in toServices: Cilium before 1.18 takes its serving endpoints that are not ready only with enable-k8s-terminating-endpoint on (the default), and configmaps kube-system/cilium-config could not be read (403 Forbidden); check: kubectl auth can-i list configmaps -n kube-system',
    );
  });
});

describe('toServices in an egressDeny rule', () => {
  it('is UNKNOWN: Cilium resolves toServices in egress rules alone', () => {
    const denyApi = POLICY.replace(
      '  egress:\n  - toServices:',
      '  egress:\n  - toEndpoints: [{}]\n  egressDeny:\n  - toServices:',
    );
    const analysis = analyseYaml(MODEL, denyApi, API_SERVICE, LEGACY_DB_YAML);
    const verdict = flow(analysis, 'shop/web', 'shop/api', 'TCP', 8080);
    expect(verdict.verdict).toBe('UNKNOWN');
    expect((verdict.egress.undecided ?? []).map(undecidedLayerText)).toEqual([
      'ciliumnetworkpolicy/shop/web-to-services selects it with egressDeny toServices, which the engine does not evaluate',
    ]);
  });
});
