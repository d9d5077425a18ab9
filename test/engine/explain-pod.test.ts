import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/engine/index.js';
import { buildPeerIndex, computeMatrix, explainPod } from '../../src/engine/index.js';
import { FULL_PORT_SET, portSetOf } from '../../src/engine/primitives/port-set.js';
import { exposureLines } from '../../src/render/exposure.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

// x/host runs on a node of its own: traffic with its node, always allowed, is not at stake.
const MODEL = stream(
  namespaceYaml('x', { team: 'a' }),
  namespaceYaml('y', { team: 'b' }),
  podYaml('x/a', { labels: { app: 'a' }, ips: ['10.0.0.1'], nodeName: 'n1' }),
  podYaml('x/b', { labels: { app: 'b' }, ips: ['10.0.0.2'], nodeName: 'n1' }),
  podYaml('x/pending', { labels: { app: 'b' }, nodeName: 'n1' }),
  podYaml('x/host', {
    labels: { app: 'b' },
    ips: ['192.168.0.10'],
    hostNetwork: true,
    nodeName: 'n2',
  }),
  podYaml('y/c', { labels: { app: 'c' }, ips: ['10.0.1.3'], nodeName: 'n1' }),
);

const POLICY = policyYaml(
  'x/in',
  `
  podSelector: {matchLabels: {app: a}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: b}}
    - ipBlock: {cidr: 10.0.1.0/24}
    ports: [{port: 80}]
  - from:
    - namespaceSelector: {matchLabels: {team: b}}
  `,
);

const idx = (analysis: Analysis, id: string) => {
  const found = analysis.podIndex.get(id);
  if (found === undefined) throw new Error(`no pod ${id}`);
  return found;
};

describe('explainPod', () => {
  const analysis = analyseYaml(MODEL, POLICY);
  const policy = { namespace: 'x', name: 'in' };

  it('lists the isolating policies and each rule peer with the pods it covers', () => {
    const ingress = explainPod(analysis, idx(analysis, 'x/a')).ingress;
    expect(ingress.restriction).toEqual({ kind: 'isolated', policies: [policy] });
    expect(ingress.grants).toEqual([
      {
        policy,
        direction: 'ingress',
        ruleIndex: 0,
        peerIndex: 0,
        peer: { podSelector: { matchLabels: { app: 'b' }, matchExpressions: [] } },
        ports: [{ protocol: 'TCP', port: 80 }],
        // Selectors see pods without an address; the hostNetwork pod only maybe: the network
        // plugin is not known, and Kubernetes lets it apply selectors to such pods or not.
        matchedPods: ['x/b', 'x/pending'],
        maybePods: ['x/host'],
      },
      {
        policy,
        direction: 'ingress',
        ruleIndex: 0,
        peerIndex: 1,
        peer: { ipBlock: { cidr: '10.0.1.0/24', except: [] } },
        ports: [{ protocol: 'TCP', port: 80 }],
        matchedPods: ['y/c'],
        // Its IP is unknown, and so is the pod range: the block may hold it.
        maybePods: ['x/pending'],
      },
      {
        policy,
        direction: 'ingress',
        ruleIndex: 1,
        peerIndex: 0,
        peer: { namespaceSelector: { matchLabels: { team: 'b' }, matchExpressions: [] } },
        ports: [],
        matchedPods: ['y/c'],
      },
    ]);
  });

  it('lists the pods that may connect, with the ports both sides allow', () => {
    const ingress = explainPod(analysis, idx(analysis, 'x/a')).ingress;
    expect(ingress.pods).toEqual([
      { pod: 'x/b', connections: portSetOf('TCP', 80, 80) },
      { pod: 'x/pending', connections: portSetOf('TCP', 80, 80) },
      {
        pod: 'x/host',
        connections: portSetOf('TCP', 80, 80),
        undecided: true,
        unknown: portSetOf('TCP', 80, 80),
      },
      { pod: 'y/c', connections: FULL_PORT_SET },
    ]);
  });

  it('shows an unrestricted direction with no grants and every other pod reachable', () => {
    const egress = explainPod(analysis, idx(analysis, 'x/a')).egress;
    expect(egress.restriction).toEqual({ kind: 'unrestricted', reason: 'no-policy' });
    expect(egress.grants).toEqual([]);
    expect(egress.pods.map((p) => p.pod)).toEqual(['x/b', 'x/pending', 'x/host', 'y/c']);
  });

  it("limits a sender's reachable pods by the receivers' ingress", () => {
    const egress = explainPod(analysis, idx(analysis, 'x/b')).egress;
    expect(egress.pods).toContainEqual({ pod: 'x/a', connections: portSetOf('TCP', 80, 80) });
    const hostEgress = explainPod(analysis, idx(analysis, 'x/host')).egress;
    // Only if the plugin applies x/in's podSelector to the hostNetwork pod (it is not known).
    expect(hostEgress.pods.find((p) => p.pod === 'x/a')).toMatchObject({ undecided: true });
    const otherNode = explainPod(analysis, idx(analysis, 'y/c')).egress;
    expect(otherNode.pods.find((p) => p.pod === 'x/a')).not.toHaveProperty('undecided');
  });

  it('reports hostNetwork pods as unrestricted, naming the policies a plugin not known may apply', () => {
    const selectsAll = analyseYaml(
      MODEL,
      policyYaml('x/deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]'),
    );
    const exposure = explainPod(selectsAll, idx(selectsAll, 'x/host'));
    const restriction = {
      kind: 'unrestricted',
      reason: 'host-network',
      selectedBy: [{ namespace: 'x', name: 'deny' }],
    };
    expect(exposure.ingress.restriction).toEqual(restriction);
    expect(exposure.egress.restriction).toEqual(restriction);
    expect(exposure.ingress.grants).toEqual([]);
    // Denied if the plugin applies x/deny to it: UNKNOWN.
    expect(exposure.ingress.pods).toMatchObject([{ pod: 'y/c', undecided: true }]);
    expect(exposureLines(exposure)).toContain(
      'Ingress: x/host uses the host network; x/deny selects it, isolating it only if the network plugin applies selectors to such pods (answers that would change are UNKNOWN)',
    );
  });

  it('a rule without peers grants every pod', () => {
    const open = analyseYaml(MODEL, policyYaml('x/open', 'podSelector: {}\ningress:\n- {}'));
    const grants = explainPod(open, idx(open, 'x/b')).ingress.grants;
    expect(grants).toEqual([
      {
        policy: { namespace: 'x', name: 'open' },
        direction: 'ingress',
        ruleIndex: 0,
        peerIndex: null,
        peer: null,
        ports: [],
        matchedPods: ['x/a', 'x/b', 'x/pending', 'x/host', 'y/c'],
      },
    ]);
  });
});

describe('explainPod with a kept matrix and peer index', () => {
  const analysis = analyseYaml(MODEL, POLICY);
  const plain = analysis.pods.map((_, i) => explainPod(analysis, i));

  it('gives the same answer as without them', () => {
    const context = { matrix: computeMatrix(analysis), peerIndex: buildPeerIndex(analysis) };
    analysis.pods.forEach((_, i) => {
      expect(explainPod(analysis, i, context)).toEqual(plain[i]);
    });
  });

  it('gives the same answer with a matrix over only some pods', () => {
    const matrix = computeMatrix(analysis, [idx(analysis, 'y/c'), idx(analysis, 'x/a')]);
    analysis.pods.forEach((_, i) => {
      expect(explainPod(analysis, i, { matrix })).toEqual(plain[i]);
    });
  });

  it('gives the same answer with a matrix over all pods in another order', () => {
    // A ConnectivityMatrix indexes by position in podIdxs ("in output order"), not by pod index.
    const reversed = computeMatrix(analysis, analysis.pods.map((_, i) => i).reverse());
    const a = idx(analysis, 'x/a');
    expect(explainPod(analysis, a, { matrix: reversed }).ingress.pods).toEqual(
      plain[a]?.ingress.pods,
    );
  });
});
