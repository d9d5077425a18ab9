import { describe, expect, it } from 'vitest';
import { checkTargets } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { cnpYaml, namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/**
 * A pod reaching itself. network-policy-api (site-src/api-overview.md): "A Pod connecting to its
 * own Pod IP is not subject to CNP. A Pod connecting to a Service IP that the service proxy
 * load-balances back to the same Pod is subject to ClusterNetworkPolicy." NetworkPolicies never
 * block a pod's access to itself (kubernetes.io, Network Policies).
 */
const service = (clusterIP?: string) => `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}${clusterIP === undefined ? '' : `\n  clusterIP: ${clusterIP}`}
  ports: [{port: 80, targetPort: 8080}]
`;

const WEB = stream(
  namespaceYaml('shop'),
  podYaml('shop/web', { labels: { app: 'web' }, ips: ['10.0.0.1'], ports: [{ port: 8080 }] }),
);

const ADMIN_DENY = cnpYaml(
  'deny-into-shop',
  `
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
  ingress:
  - {name: deny-all, action: Deny, from: [{namespaces: {}}]}
  `,
);

const DENY_ALL = policyYaml('shop/deny-all', 'podSelector: {}\npolicyTypes: [Ingress, Egress]');

/** The verdict of shop/web reaching `destination` on `port`. */
function verdictOf(destination: string, port: string, ...manifests: string[]) {
  const analysis = analyseYaml(WEB, ...manifests);
  const checked = checkTargets(analysis, {
    source: 'shop/web',
    destination,
    port,
    namespace: 'shop',
  });
  if (!checked.ok) throw new Error(`the check should resolve: ${checked.error.kind}`);
  return checked.value.flows.map((flow) => flow.verdict?.verdict);
}

describe('a pod reaching itself', () => {
  it('by its own address is not subject to cluster policies', () => {
    expect(verdictOf('shop/web', '8080', ADMIN_DENY, service('10.96.0.10'))).toEqual(['ALLOWED']);
  });

  it('through a Service ClusterIP is subject to cluster policies', () => {
    expect(verdictOf('svc/web', '80', ADMIN_DENY, service('10.96.0.10'))).toEqual(['DENIED']);
    expect(verdictOf('10.96.0.10', '80', ADMIN_DENY, service('10.96.0.10'))).toEqual(['DENIED']);
  });

  it('through a Service written without clusterIP (the API server assigns one) is subject to them', () => {
    expect(verdictOf('svc/web', '80', ADMIN_DENY, service())).toEqual(['DENIED']);
  });

  it('through a headless Service reaches its own address, not subject to them', () => {
    expect(verdictOf('svc/web', '80', ADMIN_DENY, service('None'))).toEqual(['ALLOWED']);
  });

  it('through a Service ClusterIP is still not blocked by NetworkPolicies', () => {
    expect(verdictOf('svc/web', '80', DENY_ALL, service('10.96.0.10'))).toEqual(['ALLOWED']);
  });
});
