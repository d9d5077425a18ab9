import { describe, expect, it } from 'vitest';
import { ciliumLayerState } from '../../src/engine/compile/compile-cilium-policy.js';
import { addressEndpoint, podEndpoint } from '../../src/engine/compile/endpoint.js';
import { entityMembership } from '../../src/engine/evaluate/cilium-peer-match.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import { compileCluster, type Pod } from '../../src/engine/index.js';
import { ciliumEndpointLabels } from '../../src/engine/primitives/cilium-labels.js';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { analyseYaml, fixture } from '../helpers/load.js';

const MODEL = fixture('conformance/cilium/model.yaml');

const pod = (overrides: Partial<Pod> = {}): Pod => ({
  id: 'shop/web',
  namespace: 'shop',
  name: 'web',
  kind: 'Pod',
  labels: { app: 'web' },
  ips: [],
  hostNetwork: false,
  ports: [],
  ...overrides,
});

describe("Cilium's endpoint labels", () => {
  it('add the namespace, its labels and the service account ("default" when unset)', () => {
    expect(ciliumEndpointLabels(pod(), { team: 'shop' })).toEqual({
      app: 'web',
      'io.kubernetes.pod.namespace': 'shop',
      'io.cilium.k8s.namespace.labels.team': 'shop',
      'io.cilium.k8s.policy.serviceaccount': 'default',
    });
    expect(
      ciliumEndpointLabels(pod({ serviceAccount: 'web' }), {})[
        'io.cilium.k8s.policy.serviceaccount'
      ],
    ).toBe('web');
  });
});

describe('entity membership', () => {
  const analysis = analyseYaml(MODEL);
  const at = (id: string) => podEndpoint(analysis, analysis.podIndex.get(id) as number);
  const address = (ip: string) => addressEndpoint(analysis, ip);

  it('decides world, cluster and all from pods, Nodes and addresses', () => {
    const web = at('shop/web');
    const node = address('192.168.1.10');
    const outside = address('8.8.8.8');
    if (!node || !outside) throw new Error('addresses');
    expect(
      ['world', 'cluster', 'all'].map((e) => entityMembership(analysis, e as 'world', web)),
    ).toEqual(['no', 'yes', 'yes']);
    expect(entityMembership(analysis, 'world', node)).toBe('no');
    expect(entityMembership(analysis, 'cluster', node)).toBe('yes');
    expect(entityMembership(analysis, 'world', outside)).toBe('yes');
    expect(entityMembership(analysis, 'cluster', outside)).toBe('no');
  });

  it('leaves to "maybe" what objects cannot tell: which node, the API server, health endpoints', () => {
    const agent = at('kube-system/node-agent');
    const outside = address('8.8.8.8');
    if (!outside) throw new Error('address');
    expect(entityMembership(analysis, 'host', agent)).toBe('maybe');
    expect(entityMembership(analysis, 'remote-node', agent)).toBe('maybe');
    expect(entityMembership(analysis, 'kube-apiserver', agent)).toBe('maybe');
    expect(entityMembership(analysis, 'kube-apiserver', at('shop/api'))).toBe('no');
    expect(entityMembership(analysis, 'host', at('shop/api'))).toBe('no');
    expect(entityMembership(analysis, 'health', outside)).toBe('maybe');
    expect(entityMembership(analysis, 'host', outside)).toBe('no');
  });
});

describe("whose layer applies: Cilium's", () => {
  const { cluster } = normalizeObjects(
    parseManifestText(
      `${MODEL}---\n${fixture('conformance/cilium/004-deny-over-networkpolicy-allow/policies.yaml')}`,
      'in.yaml',
    ).objects,
  );

  it('is enforced on Cilium, assumed when unknown, ignored on another plugin', () => {
    expect(ciliumLayerState(cluster, { networkPlugin: 'cilium' })).toBe('enforced');
    expect(ciliumLayerState(cluster, {})).toBe('assumed');
    expect(ciliumLayerState(cluster, { networkPlugin: 'calico' })).toBe('ignored');
    expect(ciliumLayerState(cluster, { networkPlugin: 'other' })).toBe('ignored');
    expect(ciliumLayerState({ ...cluster, ciliumPolicies: [] }, {})).toBe('absent');
  });

  it('decides the verdict: the deny rule counts only where Cilium is the plugin', () => {
    const verdict = (networkPlugin?: 'cilium' | 'calico') => {
      const analysis = compileCluster(cluster, networkPlugin ? { networkPlugin } : {});
      const at = (id: string) => podEndpoint(analysis, analysis.podIndex.get(id) as number);
      return evaluateFlow(analysis, at('shop/admin'), at('shop/api'), 'TCP', 8080).verdict;
    };
    expect(verdict('cilium')).toBe('DENIED');
    expect(verdict()).toBe('DENIED');
    expect(verdict('calico')).toBe('ALLOWED');
  });
});

describe('a clusterwide policy with several specs', () => {
  it('evaluates each spec, with its own subject', () => {
    const analysis = analyseYaml(
      MODEL,
      `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: two}
specs:
- endpointSelector: {matchLabels: {app: api}}
  ingress: [{fromEndpoints: [{matchLabels: {app: web}}]}]
- endpointSelector: {matchLabels: {app: admin}}
  ingressDeny: [{fromEntities: [cluster]}]
  enableDefaultDeny: {ingress: false}
`,
    );
    const at = (id: string) => podEndpoint(analysis, analysis.podIndex.get(id) as number);
    const flow = (from: string, to: string) =>
      evaluateFlow(analysis, at(from), at(to), 'TCP', 80).verdict;
    expect(flow('shop/web', 'shop/api')).toBe('ALLOWED');
    expect(flow('shop/admin', 'shop/api')).toBe('DENIED');
    expect(flow('shop/web', 'shop/admin')).toBe('DENIED');
    expect(flow('shop/api', 'shop/web')).toBe('ALLOWED');
  });
});
