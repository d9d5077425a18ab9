/**
 * A client outside the pods reaching a Service: kube-proxy may hand the backends its connection
 * from a node's address, so an answer that depends on the client's address is UNKNOWN unless
 * the Service keeps it (a NodePort or LoadBalancer with externalTrafficPolicy Local).
 */
import { describe, expect, it } from 'vitest';
import { type Cluster, checkOutcome, compileCluster } from '../../src/engine/index.js';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { CILIUM_CONFIG_REFUSED, ciliumConfigYaml } from '../helpers/cilium-config.js';
import { analyseYaml, clusterOfYaml } from '../helpers/load.js';
import { podYaml, policyYaml, stream } from '../helpers/scenario.js';
import {
  nodeYaml,
  webBackendYaml,
  webServiceFlows,
  webServiceYaml,
} from '../helpers/web-service.js';

const OFFICE_ONLY = policyYaml(
  'web/from-office',
  'podSelector: {}\ningress:\n- from: [{ipBlock: {cidr: 203.0.113.0/24}}]',
);

/** The outcome of `check SOURCE svc/web --port 80` with the given Service and policies. */
function outcome(source: string, service: string, ...policies: string[]) {
  const analysis = analyseYaml(
    stream(
      webBackendYaml(),
      podYaml('web/client', { labels: { app: 'client' }, ips: ['10.244.1.6'] }),
      service,
      ...policies,
    ),
  );
  const flows = webServiceFlows(analysis, source);
  return {
    outcome: checkOutcome(flows),
    doubts: flows.map((flow) => flow.routeDoubt?.kind),
  };
}

describe('a client outside the pods through a Service', () => {
  it('is UNKNOWN where an ipBlock admits it and kube-proxy may show the backends a node address', () => {
    for (const service of [
      webServiceYaml('LoadBalancer', 'Cluster'),
      webServiceYaml('NodePort'),
      webServiceYaml('ClusterIP'),
      // A ClusterIP reached from outside is masqueraded whatever externalTrafficPolicy says.
      webServiceYaml('ClusterIP', 'Local'),
    ]) {
      expect(outcome('203.0.113.5', service, OFFICE_ONLY)).toEqual({
        outcome: 'UNKNOWN',
        doubts: ['masked-client'],
      });
    }
  });

  it('is UNKNOWN where an ipBlock misses it: a node address may be inside the block', () => {
    expect(outcome('198.51.100.7', webServiceYaml('LoadBalancer'), OFFICE_ONLY).outcome).toBe(
      'UNKNOWN',
    );
  });

  it('keeps the policies verdict with externalTrafficPolicy Local on a load balancer or NodePort', () => {
    for (const type of ['LoadBalancer', 'NodePort']) {
      const service = webServiceYaml(type, 'Local');
      expect(outcome('203.0.113.5', service, OFFICE_ONLY)).toEqual({
        outcome: 'ALLOWED',
        doubts: [undefined],
      });
      expect(outcome('198.51.100.7', service, OFFICE_ONLY).outcome).toBe('DENIED');
    }
  });

  it('keeps a verdict that holds for every address: not isolated, all sources, 0.0.0.0/0, pods only', () => {
    const service = webServiceYaml('LoadBalancer');
    const everyone = policyYaml('web/everyone', 'podSelector: {}\ningress:\n- {}');
    const anywhere = policyYaml(
      'web/anywhere',
      'podSelector: {}\ningress:\n- from: [{ipBlock: {cidr: 0.0.0.0/0}}]',
    );
    const podsOnly = policyYaml(
      'web/pods-only',
      'podSelector: {}\ningress:\n- from: [{podSelector: {matchLabels: {app: client}}}]',
    );
    const denyAll = policyYaml('web/deny-all', 'podSelector: {}\npolicyTypes: [Ingress]');
    expect(outcome('203.0.113.5', service).outcome).toBe('ALLOWED');
    expect(outcome('203.0.113.5', service, everyone).outcome).toBe('ALLOWED');
    expect(outcome('203.0.113.5', service, anywhere).outcome).toBe('ALLOWED');
    expect(outcome('203.0.113.5', service, podsOnly).outcome).toBe('DENIED');
    expect(outcome('203.0.113.5', service, denyAll).outcome).toBe('DENIED');
  });

  it('leaves a pod client alone: kube-proxy does not masquerade pod traffic', () => {
    const podsOnly = policyYaml(
      'web/pods-only',
      'podSelector: {}\ningress:\n- from: [{podSelector: {matchLabels: {app: client}}}]',
    );
    expect(outcome('web/client', webServiceYaml('LoadBalancer'), podsOnly)).toEqual({
      outcome: 'ALLOWED',
      doubts: [undefined],
    });
  });
});

/** kube-system/cilium-config with `data`, and the Cilium agent that makes Cilium the plugin. */
const cilium = (data: string) => [
  ciliumConfigYaml(data),
  ciliumAgentYaml('quay.io/cilium/cilium:v1.16.19'),
];

describe("on Cilium, whose kube-proxy replacement in DSR mode keeps the client's address", () => {
  const DSR = 'kube-proxy-replacement: "true", bpf-lb-mode: dsr';

  it('keeps the verdict on a NodePort or LoadBalancer with externalTrafficPolicy Cluster', () => {
    for (const type of ['LoadBalancer', 'NodePort']) {
      const service = webServiceYaml(type);
      expect(outcome('203.0.113.5', service, OFFICE_ONLY, ...cilium(DSR))).toEqual({
        outcome: 'ALLOWED',
        doubts: [undefined],
      });
      expect(outcome('198.51.100.7', service, OFFICE_ONLY, ...cilium(DSR)).outcome).toBe('DENIED');
    }
  });

  it('keeps the verdict in hybrid mode for TCP only: UDP is SNATed', () => {
    const hybrid = cilium('kube-proxy-replacement: "true", bpf-lb-mode: hybrid');
    expect(outcome('203.0.113.5', webServiceYaml('LoadBalancer'), OFFICE_ONLY, ...hybrid)).toEqual({
      outcome: 'ALLOWED',
      doubts: [undefined],
    });
    const udp = webServiceYaml('LoadBalancer').replace('targetPort: 8080}', 'protocol: UDP}');
    expect(outcome('203.0.113.5', udp, OFFICE_ONLY, ...hybrid)).toEqual({
      outcome: 'UNKNOWN',
      doubts: ['masked-client'],
    });
  });

  it('stays UNKNOWN where the agent may SNAT, or the setting is not known', () => {
    const service = webServiceYaml('LoadBalancer');
    expect(outcome('203.0.113.5', service, OFFICE_ONLY, ...cilium(DSR)).doubts).toEqual([
      undefined,
    ]);
    for (const data of [
      // SNAT, the default mode; and DSR without the kube-proxy replacement serving the Service.
      'kube-proxy-replacement: "true"',
      'kube-proxy-replacement: "true", bpf-lb-mode: snat',
      'bpf-lb-mode: dsr',
      'kube-proxy-replacement: "false", bpf-lb-mode: dsr',
      // Each Service may pick SNAT by annotation, which is not read.
      `${DSR}, bpf-lb-mode-annotation: "true"`,
    ]) {
      expect(outcome('203.0.113.5', service, OFFICE_ONLY, ...cilium(data)).doubts).toEqual([
        'masked-client',
      ]);
    }
    // A ClusterIP reached from outside is no NodePort: the agent drops it unless
    // bpf-lb-external-clusterip, which is not read.
    expect(
      outcome('203.0.113.5', webServiceYaml('ClusterIP'), OFFICE_ONLY, ...cilium(DSR)).doubts,
    ).toEqual(['masked-client']);
  });

  it("is UNKNOWN where an ipBlock of every address admits it: Cilium's CIDRs miss a node's address", () => {
    // A node's address is the host or remote-node identity to Cilium, which CIDR selectors do
    // not match by default (policy-cidr-match-mode).
    const anywhere = policyYaml(
      'web/anywhere',
      'podSelector: {}\ningress:\n- from: [{ipBlock: {cidr: 0.0.0.0/0}}]',
    );
    const agent = ciliumAgentYaml('quay.io/cilium/cilium:v1.16.19');
    expect(outcome('203.0.113.5', webServiceYaml('LoadBalancer'), anywhere, agent)).toEqual({
      outcome: 'UNKNOWN',
      doubts: ['masked-client'],
    });
    // In DSR mode the backends see the client's own address, which the block admits.
    expect(
      outcome('203.0.113.5', webServiceYaml('LoadBalancer'), anywhere, ...cilium(DSR)),
    ).toEqual({ outcome: 'ALLOWED', doubts: [undefined] });
  });

  it('stays UNKNOWN when cilium-config could not be read', () => {
    const doubts = (cluster: Cluster) =>
      webServiceFlows(compileCluster(cluster), '203.0.113.5').map((flow) => flow.routeDoubt?.kind);
    const base = stream(
      webBackendYaml(),
      webServiceYaml('LoadBalancer'),
      OFFICE_ONLY,
      ciliumAgentYaml('quay.io/cilium/cilium:v1.16.19'),
    );
    expect(doubts(clusterOfYaml(base, ciliumConfigYaml(DSR)))).toEqual([undefined]);
    const unread = { ...clusterOfYaml(base), unread: [CILIUM_CONFIG_REFUSED] };
    expect(doubts(unread)).toEqual(['masked-client']);
  });
});

/** Two Nodes; web/web-1 runs on node-b, where a hostNetwork pod shows the kernel its host. */
const NODES = [
  nodeYaml('node-a', '192.168.10.1', '10.244.0.0/24'),
  nodeYaml('node-b', '192.168.10.2', '10.244.1.0/24'),
];
const NODE_B_HOST = podYaml('kube-system/kube-proxy-b', {
  ips: ['192.168.10.2'],
  hostNetwork: true,
  nodeName: 'node-b',
});

/** `check SOURCE svc/web --port 80` (a LoadBalancer, externalTrafficPolicy Cluster) with Nodes. */
function withNodes(source: string, ...documents: string[]) {
  const analysis = analyseYaml(
    stream(webBackendYaml('node-b'), webServiceYaml('LoadBalancer'), ...documents),
  );
  return checkOutcome(webServiceFlows(analysis, source));
}

/** web/web-1 admits these ipBlocks alone. */
const admitting = (...cidrs: string[]) =>
  policyYaml(
    'web/admitted',
    `podSelector: {}\ningress:\n- from: [${cidrs.map((cidr) => `{ipBlock: {cidr: ${cidr}}}`).join(', ')}]`,
  );

describe('with the Nodes in the input, the addresses a node may give the client', () => {
  it('keeps ALLOWED only where the client, every node address and the pod ranges are admitted', () => {
    const all = admitting('203.0.113.0/24', '192.168.10.0/24', '10.244.0.0/16');
    expect(withNodes('203.0.113.5', all, NODE_B_HOST, ...NODES)).toBe('ALLOWED');
    // The pod ranges left out: a bridge or tunnel interface toward the pod has one of them.
    const officeAndNodes = admitting('203.0.113.0/24', '192.168.10.0/24');
    expect(withNodes('203.0.113.5', officeAndNodes, NODE_B_HOST, ...NODES)).toBe('UNKNOWN');
    expect(withNodes('203.0.113.5', OFFICE_ONLY, NODE_B_HOST, ...NODES)).toBe('UNKNOWN');
    // A denied client: the backend's own node masquerades it from its host, always allowed.
    expect(withNodes('198.51.100.7', OFFICE_ONLY, NODE_B_HOST, ...NODES)).toBe('UNKNOWN');
    // The backend's node not known to the kernel as a host, or no Node in the input.
    expect(withNodes('203.0.113.5', all, ...NODES)).toBe('UNKNOWN');
    expect(withNodes('203.0.113.5', all, NODE_B_HOST)).toBe('UNKNOWN');
  });
});
