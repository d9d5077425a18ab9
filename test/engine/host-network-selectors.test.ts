/**
 * hostNetwork pods in NetworkPolicy selectors. Kubernetes leaves their treatment to the plugin,
 * within two readings (kubernetes.io/docs/concepts/services-networking/network-policies/
 * #networkpolicy-and-hostnetwork-pods): selectors match them like any pod, or ignore them and
 * their traffic is the node's. Calico, Cilium and kube-router take the second; where the plugin
 * is not known (or not known to), a selector that would select such a pod makes the side
 * UNKNOWN, naming the pod and the plugin, and answers the readings agree on stay decided.
 */
import { describe, expect, it } from 'vitest';
import type { UndecidedLayer } from '../../src/engine/compile/undecided.js';
import { reachablePods } from '../../src/engine/evaluate/reachable.js';
import type { Analysis } from '../../src/engine/index.js';
import { undecidedLayerText } from '../../src/render/completeness.js';
import { HOST_POD_SCENARIO, matrixUndecided } from '../helpers/host-pod-scenario.js';
import { analyseYaml } from '../helpers/load.js';
import { flow, policyYaml } from '../helpers/scenario.js';

/** A DaemonSet running the plugin's agent image, the evidence the plugin is detected by. */
const agent = (image: string, container = 'agent') => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: network-agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: network-agent}}
  template:
    metadata: {labels: {app: network-agent}}
    spec:
      containers: [{name: ${container}, image: "${image}"}]
`;

const PODS = HOST_POD_SCENARIO;

/** shop/api admits TCP 8080 from `from` and sends TCP 9100 to it. */
const api = (peer: string) =>
  policyYaml(
    'shop/api',
    `
    podSelector: {matchLabels: {app: api}}
    policyTypes: [Ingress, Egress]
    ingress: [{from: [${peer}], ports: [{port: 8080}]}]
    egress: [{to: [${peer}], ports: [{port: 9100}]}]`,
  );

const AGENTS =
  '{namespaceSelector: {matchLabels: {team: ops}}, podSelector: {matchLabels: {app: agent}}}';

const inbound = (analysis: Analysis) => flow(analysis, 'ops/agent', 'shop/api', 'TCP', 8080);
const outbound = (analysis: Analysis) => flow(analysis, 'shop/api', 'ops/agent', 'TCP', 9100);

describe('a selector that would select a hostNetwork pod', () => {
  it('is UNKNOWN both ways when the network plugin is not known, naming the pod', () => {
    const analysis = analyseYaml(PODS, api(AGENTS));
    const layer: UndecidedLayer = {
      kind: 'host-network-selectors',
      hostPod: 'ops/agent',
      plugin: 'unknown',
    };
    const answerIn = inbound(analysis);
    expect(answerIn.verdict).toBe('UNKNOWN');
    expect(answerIn.ingress.undecided).toEqual([layer]);
    const answerOut = outbound(analysis);
    expect(answerOut.verdict).toBe('UNKNOWN');
    expect(answerOut.egress.undecided).toEqual([layer]);
    const text = undecidedLayerText(answerIn.ingress.undecided?.[0] ?? layer);
    expect(text).toContain('ops/agent uses the host network');
    expect(text).toContain('the network plugin is not known');
  });

  it('is UNKNOWN on OVN-Kubernetes, which may match host-network traffic, naming it', () => {
    const ovn = agent('ghcr.io/ovn-org/ovn-kubernetes/ovn-kube-ubuntu:master', 'ovnkube-node');
    const answer = inbound(analyseYaml(PODS, api(AGENTS), ovn));
    expect(answer.verdict).toBe('UNKNOWN');
    expect(answer.ingress.undecided).toEqual([
      { kind: 'host-network-selectors', hostPod: 'ops/agent', plugin: 'OVN-Kubernetes' },
    ]);
  });

  it('stays DENIED on the plugins known to ignore hostNetwork pods in selectors', () => {
    for (const image of [
      'docker.io/calico/node:v3.28.0',
      'quay.io/cilium/cilium:v1.16.0',
      'docker.io/cloudnativelabs/kube-router:v2.1.0',
    ]) {
      const analysis = analyseYaml(PODS, api(AGENTS), agent(image));
      expect(inbound(analysis).verdict, image).toBe('DENIED');
      expect(outbound(analysis).verdict, image).toBe('DENIED');
      expect(inbound(analysis).ingress.undecided ?? [], image).toEqual([]);
    }
  });

  it('stays decided where both readings agree', () => {
    // The selector does not select the pod: DENIED whichever reading the plugin takes.
    const other = '{podSelector: {matchLabels: {app: agent}}}';
    expect(inbound(analyseYaml(PODS, api(other))).verdict).toBe('DENIED');
    // An ipBlock holding the node's address admits its traffic under either reading.
    const both = `${AGENTS}, {ipBlock: {cidr: 192.168.0.0/24}}`;
    expect(inbound(analyseYaml(PODS, api(both))).verdict).toBe('ALLOWED');
  });

  it('leaves the pair undecided in the matrix and in reachable, as in check', () => {
    const undecidedPair = (analysis: Analysis) =>
      matrixUndecided(analysis, 'ops/agent', 'shop/api');
    const analysis = analyseYaml(PODS, api(AGENTS));
    expect(undecidedPair(analysis)).toBe(true);
    const serverIdx = analysis.podIndex.get('shop/api') as number;
    expect(reachablePods(analysis, serverIdx, 'ingress')).toMatchObject([
      { pod: 'ops/agent', undecided: true },
    ]);
    const calico = analyseYaml(PODS, api(AGENTS), agent('docker.io/calico/node:v3.28.0'));
    expect(undecidedPair(calico)).toBe(false);
  });
});
