import { describe, expect, it } from 'vitest';
import { auditCluster } from '../../src/engine/audit/audit.js';
import { compileCluster } from '../../src/engine/index.js';
import { clusterOfYaml } from '../helpers/load.js';
import { flow, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/**
 * Cilium's documentation lists "ipBlock set with a pod IP" among the known missing features for
 * Kubernetes Network Policy (https://docs.cilium.io/en/stable/network/kubernetes/policy/,
 * cilium/cilium#9209): on Cilium an ipBlock admits addresses outside the cluster only. Other
 * plugins match pod addresses, as the upstream e2e test "should allow egress access to server in
 * CIDR block" expects.
 */
const CLUSTER = clusterOfYaml(
  stream(
    podYaml('shop/client', { labels: { app: 'client' }, ips: ['10.0.1.1'] }),
    podYaml('shop/api', { labels: { app: 'api' }, ips: ['10.0.0.1'] }),
    policyYaml(
      'shop/client-out',
      `
      podSelector: {matchLabels: {app: client}}
      policyTypes: [Egress]
      egress:
      - to: [{ipBlock: {cidr: 10.0.0.0/24}}, {ipBlock: {cidr: 192.0.2.0/24}}]
      `,
    ),
  ),
);

const verdictOn = (networkPlugin: 'cilium' | 'calico' | undefined, to: string) => {
  const analysis = compileCluster(CLUSTER, networkPlugin ? { networkPlugin } : {});
  return flow(analysis, 'shop/client', to, 'TCP', 8080).verdict;
};

describe('a NetworkPolicy ipBlock holding a pod address', () => {
  it('admits the pod on a plugin that matches pod addresses, or an unknown one', () => {
    expect(verdictOn('calico', 'shop/api')).toBe('ALLOWED');
    expect(verdictOn(undefined, 'shop/api')).toBe('ALLOWED');
  });

  it('does not admit the pod on Cilium, and says why', () => {
    const analysis = compileCluster(CLUSTER, { networkPlugin: 'cilium' });
    const verdict = flow(analysis, 'shop/client', 'shop/api', 'TCP', 8080);
    expect(verdict.verdict).toBe('DENIED');
    expect(verdict.egress).toMatchObject({
      kind: 'denied',
      misses: [
        {
          policy: { namespace: 'shop', name: 'client-out' },
          peerMisses: [
            { kind: 'cilium-cidr-pod', cidr: '10.0.0.0/24' },
            { kind: 'outside-cidr', cidr: '192.0.2.0/24' },
          ],
        },
      ],
    });
  });

  it('still admits addresses outside the cluster on Cilium', () => {
    expect(verdictOn('cilium', '192.0.2.7')).toBe('ALLOWED');
  });

  it('is still reported by the audit on Cilium, where it admits none of those pods', () => {
    const analysis = compileCluster(CLUSTER, { networkPlugin: 'cilium' });
    const findings = auditCluster(analysis).findings.filter(
      (f) => f.code === 'ip-block-contains-pods',
    );
    expect(findings).toMatchObject([{ cidr: '10.0.0.0/24', pods: ['shop/api'] }]);
  });
});
