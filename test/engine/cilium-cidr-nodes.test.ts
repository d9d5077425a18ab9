import { describe, expect, it } from 'vitest';
import { type Cluster, compileCluster, type FlowVerdict } from '../../src/engine/index.js';
import { undecidedLayerText } from '../../src/render/completeness.js';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { CILIUM_CONFIG_REFUSED, ciliumConfigYaml } from '../helpers/cilium-config.js';
import { clusterOfYaml } from '../helpers/load.js';
import { flow, podYaml, policyYaml } from '../helpers/scenario.js';

// On Cilium a node's address is the `host` or `remote-node` identity, and "By default,
// CIDR-based selectors do not match in-cluster entities (pods or nodes) ... This requires you to
// configure Cilium with --policy-cidr-match-mode=nodes" (Documentation/security/policy/
// language.rst, "Selecting nodes with CIDR / ipBlock"; the option came in 1.15).
const NODE = `apiVersion: v1
kind: Node
metadata: {name: node-1}
status: {addresses: [{type: InternalIP, address: 192.168.10.1}]}
`;
// web-1 runs on another node: node-1's address is the remote-node identity to it, and not the
// host of its own node, whose traffic Kubernetes always allows.
const WEB = podYaml('web/web-1', { labels: { app: 'web' }, ips: ['10.0.0.5'], nodeName: 'node-2' });
/** web-1 takes connections from 192.168.10.0/24 alone, and sends to it alone. */
const FROM_NODES = policyYaml(
  'web/from-nodes',
  `
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{ipBlock: {cidr: 192.168.10.0/24}}]}]
  egress: [{to: [{ipBlock: {cidr: 192.168.10.0/24}}]}]
  `,
);
/** The same egress as a CiliumNetworkPolicy toCIDR rule. */
const TO_CIDR = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: to-nodes, namespace: web}
spec:
  endpointSelector: {matchLabels: {app: web}}
  egress: [{toCIDR: [192.168.10.0/24]}]
`;

const cluster = (tag: string, ...documents: string[]): Cluster =>
  clusterOfYaml(NODE, WEB, ciliumAgentYaml(`quay.io/cilium/cilium:${tag}`), ...documents);
const CONFIG_OFF = ciliumConfigYaml('enable-policy: default');
const CONFIG_NODES = ciliumConfigYaml('policy-cidr-match-mode: nodes');

/** Both directions between the node's address and web-1, and an outside address's too. */
function answers(input: Cluster) {
  const analysis = compileCluster(input);
  const verdictOf = (from: string, to: string): FlowVerdict['verdict'] =>
    flow(analysis, from, to, 'TCP', 8080).verdict;
  return {
    fromNode: verdictOf('192.168.10.1', 'web/web-1'),
    toNode: verdictOf('web/web-1', '192.168.10.1'),
    fromOutside: verdictOf('192.168.10.7', 'web/web-1'),
    toOutside: verdictOf('web/web-1', '192.168.10.7'),
  };
}

/** The answers of `answers` where the node's address gets `verdict`: outside ones are allowed. */
const nodeAnswers = (verdict: FlowVerdict['verdict']) => ({
  fromNode: verdict,
  toNode: verdict,
  fromOutside: 'ALLOWED',
  toOutside: 'ALLOWED',
});

describe("Cilium's CIDR peers and a node's address", () => {
  it('match it where cilium-config names nodes in policy-cidr-match-mode', () => {
    expect(answers(cluster('v1.16.5', FROM_NODES, CONFIG_NODES))).toEqual(nodeAnswers('ALLOWED'));
  });

  it('do not match it where cilium-config leaves the mode out, and say why', () => {
    const input = cluster('v1.16.5', FROM_NODES, CONFIG_OFF);
    expect(answers(input)).toEqual(nodeAnswers('DENIED'));
    const verdict = flow(compileCluster(input), '192.168.10.1', 'web/web-1', 'TCP', 8080);
    expect(verdict.ingress).toMatchObject({
      kind: 'denied',
      misses: [{ peerMisses: [{ kind: 'cilium-cidr-node', cidr: '192.168.10.0/24' }] }],
    });
  });

  it('do not match it on agents before 1.15, which have no such mode', () => {
    expect(answers(cluster('v1.14.9', FROM_NODES, CONFIG_NODES)).fromNode).toBe('DENIED');
  });

  it('leave the answer UNKNOWN where cilium-config is not in the input, naming the setting', () => {
    const input = cluster('v1.16.5', FROM_NODES);
    expect(answers(input)).toEqual(nodeAnswers('UNKNOWN'));
    const verdict = flow(compileCluster(input), '192.168.10.1', 'web/web-1', 'TCP', 8080);
    expect((verdict.ingress.undecided ?? []).map(undecidedLayerText)).toEqual([
      "192.168.10.1 is a node's address, and ConfigMap kube-system/cilium-config is not in the input: Cilium's CIDR rules (ipBlock, fromCIDR, toCIDR) match node addresses only when cilium-config's policy-cidr-match-mode names nodes (off by default)",
    ]);
  });

  it('leave the answer UNKNOWN where cilium-config could not be read', () => {
    const input = { ...cluster('v1.16.5', FROM_NODES), unread: [CILIUM_CONFIG_REFUSED] };
    expect(answers(input).toNode).toBe('UNKNOWN');
    const verdict = flow(compileCluster(input), 'web/web-1', '192.168.10.1', 'TCP', 8080);
    expect(verdict.egress.undecided).toContainEqual({
      kind: 'cilium-cidr-nodes',
      address: '192.168.10.1',
      unread: CILIUM_CONFIG_REFUSED,
    });
  });

  it('apply to a CiliumNetworkPolicy toCIDR rule alike', () => {
    expect(answers(cluster('v1.16.5', TO_CIDR, CONFIG_OFF)).toNode).toBe('DENIED');
    expect(answers(cluster('v1.16.5', TO_CIDR, CONFIG_NODES)).toNode).toBe('ALLOWED');
    expect(answers(cluster('v1.16.5', TO_CIDR)).toNode).toBe('UNKNOWN');
  });
});

describe("the address of a pod's own node", () => {
  // Kubernetes always lets the host of a pod's node reach it; whether Cilium does past its own
  // policies is not modelled (the node-local-plugin reading), so that is never DENIED.
  const ownNode = (...documents: string[]) =>
    clusterOfYaml(
      NODE,
      podYaml('web/web-1', { labels: { app: 'web' }, ips: ['10.0.0.5'], nodeName: 'node-1' }),
      ...documents,
    );
  const FROM_ELSEWHERE = policyYaml(
    'web/from-elsewhere',
    `
    podSelector: {matchLabels: {app: web}}
    policyTypes: [Ingress]
    ingress: [{from: [{ipBlock: {cidr: 203.0.113.0/24}}]}]
    `,
  );
  const agent = ciliumAgentYaml('quay.io/cilium/cilium:v1.16.5');
  const fromNode = (input: Cluster) =>
    flow(compileCluster(input), '192.168.10.1', 'web/web-1', 'TCP', 8080);

  it('is known by its Node object alone, with no hostNetwork pod to show the host', () => {
    expect(fromNode(ownNode(FROM_ELSEWHERE)).verdict).toBe('ALLOWED');
    for (const documents of [
      [FROM_NODES, CONFIG_OFF],
      [FROM_ELSEWHERE, CONFIG_OFF],
    ]) {
      const verdict = fromNode(ownNode(agent, ...documents));
      expect(verdict.verdict).toBe('UNKNOWN');
      expect(verdict.ingress.undecided).toContainEqual({
        kind: 'node-local-plugin',
        plugin: 'Cilium',
      });
    }
  });
});
