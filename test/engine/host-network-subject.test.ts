/**
 * A hostNetwork pod's own NetworkPolicies. Kubernetes leaves their effect to the plugin, within
 * two readings (kubernetes.io/docs/concepts/services-networking/network-policies/
 * #networkpolicy-and-hostnetwork-pods): it applies them like to any pod, or ignores such pods in
 * selectors and takes their traffic as the node's. Calico, Cilium, kube-router and
 * OVN-Kubernetes never isolate such a pod; where the plugin is not known, an answer the two
 * readings give differently is UNKNOWN, naming the policies, and one they agree on is decided.
 */
import { describe, expect, it } from 'vitest';
import type { UndecidedLayer } from '../../src/engine/compile/undecided.js';
import { reachablePods } from '../../src/engine/evaluate/reachable.js';
import type { Analysis } from '../../src/engine/index.js';
import { undecidedLayerText } from '../../src/render/completeness.js';
import { agentDaemonSetYaml } from '../helpers/cilium-agent.js';
import { runCli } from '../helpers/cli.js';
import { HOST_POD_SCENARIO, matrixUndecided } from '../helpers/host-pod-scenario.js';
import { analyseYaml } from '../helpers/load.js';
import { flow, policyYaml } from '../helpers/scenario.js';

const PODS = HOST_POD_SCENARIO;

/** ops/agent's own policy: ingress from shop/api on TCP 9100 only, no egress at all. */
const LOCKDOWN = policyYaml(
  'ops/lockdown',
  `
    podSelector: {matchLabels: {app: agent}}
    policyTypes: [Ingress, Egress]
    ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}}]
      ports: [{port: 9100}]`,
);

const LAYER: UndecidedLayer = {
  kind: 'host-network-subject',
  policies: ['networkpolicy/ops/lockdown'],
  plugin: 'unknown',
};

const scrape = (analysis: Analysis, port: number) =>
  flow(analysis, 'shop/api', 'ops/agent', 'TCP', port);

describe("a hostNetwork pod's own policies", () => {
  it('make it UNKNOWN where the plugin is not known and the readings differ, naming them', () => {
    const analysis = analyseYaml(PODS, LOCKDOWN);
    const inbound = scrape(analysis, 9200);
    expect(inbound.verdict).toBe('UNKNOWN');
    expect(inbound.ingress).toMatchObject({ kind: 'unrestricted', reason: 'host-network' });
    expect(inbound.ingress.undecided).toEqual([LAYER]);
    const outbound = flow(analysis, 'ops/agent', 'shop/api', 'TCP', 8080);
    expect(outbound.verdict).toBe('UNKNOWN');
    expect(outbound.egress.undecided).toEqual([LAYER]);
    expect(flow(analysis, 'ops/agent', '203.0.113.5', 'TCP', 443).verdict).toBe('UNKNOWN');
    const text = undecidedLayerText(LAYER);
    expect(text).toContain('networkpolicy/ops/lockdown selects it');
    expect(text).toContain('the network plugin is not known');
  });

  it('stay decided where both readings agree', () => {
    const analysis = analyseYaml(PODS, LOCKDOWN);
    const allowed = scrape(analysis, 9100);
    expect(allowed.verdict).toBe('ALLOWED');
    expect(allowed.ingress.undecided).toBeUndefined();
    // A policy that does not select it changes nothing under either reading.
    const other = LOCKDOWN.replace('app: agent', 'app: other');
    expect(scrape(analyseYaml(PODS, other), 9200).verdict).toBe('ALLOWED');
  });

  it('do not isolate it on the plugins known never to', () => {
    for (const [name, container, image] of [
      ['calico-node', 'calico-node', 'docker.io/calico/node:v3.28.0'],
      ['cilium', 'cilium-agent', 'quay.io/cilium/cilium:v1.16.0'],
      ['kube-router', 'kube-router', 'docker.io/cloudnativelabs/kube-router:v2.1.0'],
      ['ovnkube-node', 'ovnkube-node', 'ghcr.io/ovn-org/ovn-kubernetes/ovn-kube-ubuntu:master'],
    ] as const) {
      const analysis = analyseYaml(PODS, LOCKDOWN, agentDaemonSetYaml(name, container, image));
      const answer = scrape(analysis, 9200);
      expect(answer.verdict, image).toBe('ALLOWED');
      expect(answer.ingress, image).toEqual({ kind: 'unrestricted', reason: 'host-network' });
    }
  });

  it('read in check as the reading that ignores them, or as allowed either way', async () => {
    const check = (port: string) =>
      runCli(
        ['check', 'shop/api', 'ops/agent', '--port', port, '-f', '-'],
        `${PODS}---\n${LOCKDOWN}`,
      );
    const unknown = (await check('9200')).stdout;
    expect(unknown).toContain('if the plugin ignores hostNetwork pods in selectors: not isolated');
    expect(unknown).toContain('ops/lockdown does not apply to it');
    const agreed = (await check('9100')).stdout;
    expect(agreed).toContain(
      'allowed either way: ops/agent uses the host network, and ops/lockdown',
    );
    expect(agreed).not.toContain('NetworkPolicies do not apply to host-network pods');
  });

  it('leave the pair undecided in the matrix and in reachable, as in check', () => {
    const undecidedPair = (analysis: Analysis) =>
      matrixUndecided(analysis, 'shop/api', 'ops/agent');
    const analysis = analyseYaml(PODS, LOCKDOWN);
    expect(undecidedPair(analysis)).toBe(true);
    const agentIdx = analysis.podIndex.get('ops/agent') as number;
    expect(reachablePods(analysis, agentIdx, 'ingress')).toMatchObject([
      { pod: 'shop/api', undecided: true },
    ]);
    const calico = agentDaemonSetYaml(
      'calico-node',
      'calico-node',
      'docker.io/calico/node:v3.28.0',
    );
    expect(undecidedPair(analyseYaml(PODS, LOCKDOWN, calico))).toBe(false);
  });
});
