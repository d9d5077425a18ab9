import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnCluster, type TestCluster } from './test-cluster.js';
import { watchUntil } from './watch-until.js';

/**
 * The NetworkPolicies of three namespaces: vault/safe serves 8443 and lets anyone in; town/web
 * is isolated by a default deny; market/stall has none.
 */
const TOWN_POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all-ingress, namespace: vault}
spec:
  podSelector: {}
  ingress: [{}]
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: town}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

/** Admin: only town may reach the vault (on 8443). Baseline: nobody reaches the market. */
const CLUSTER_POLICIES = `apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: protect-vault}
spec:
  tier: Admin
  priority: 10
  subject:
    namespaces: {matchLabels: {kubernetes.io/metadata.name: vault}}
  ingress:
  - name: town-on-8443
    action: Accept
    from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: town}}}]
    protocols: [{tcp: {destinationPort: {number: 8443}}}]
  - name: nobody-else
    action: Deny
    from: [{namespaces: {}}]
---
apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: market-default-deny}
spec:
  tier: Baseline
  priority: 10
  subject:
    namespaces: {matchLabels: {kubernetes.io/metadata.name: market}}
  ingress:
  - name: deny-all
    action: Deny
    from: [{namespaces: {}}]
`;

interface Answer {
  verdict?: string;
  partial: boolean;
  unread: { resource: string; reason: string }[];
  flows?: { ingress: unknown }[];
}

/** What `kubectl netpol explain WORDS<Tab>` offers: the candidates' lines, without the directive. */
const explainNames = (cluster: TestCluster, words: readonly string[]) =>
  cluster
    .mustKubectl(['netpol', '__complete', 'explain', ...words])
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith(':'));

const check = (from: string, to: string, port: number) => [
  'netpol',
  'check',
  from,
  to,
  '--port',
  String(port),
];

describeOnCluster(
  'ClusterNetworkPolicy on a real kube-apiserver',
  (cluster) => {
    cluster.addPods('vault', { safe: { ip: '10.0.1.10', ports: [8443] } });
    cluster.addPods('town', { web: { ip: '10.0.2.10' } });
    cluster.addPods('market', { stall: { ip: '10.0.3.10' } });
    cluster.applyYaml(TOWN_POLICIES);
    // "restricted" may read everything the verdicts need except cluster policies.
    cluster.grantRead('restricted', 'reader-without-cluster-policies', {
      '': ['pods', 'services', 'namespaces', 'nodes'],
      'discovery.k8s.io': ['endpointslices'],
      'networking.k8s.io': ['networkpolicies'],
    });
  },
  (cluster) => {
    // Runs first, before the CRD is installed.
    it('answers from NetworkPolicies alone, without a warning, where the CRD is absent', () => {
      const run = cluster.kubectl(check('market/stall', 'vault/safe', 8443));
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe('ALLOWED  market/stall -> vault/safe  TCP 8443');
    });

    it("completes explain's policy names without cluster policies where the CRD is absent", () => {
      expect(explainNames(cluster, ['-n', 'town', ''])).toContain(
        'netpol/\tNetworkPolicies in town',
      );
      expect(
        explainNames(cluster, ['-n', 'town', '']).filter((line) => line.startsWith('cnp/')),
      ).toEqual([]);
      expect(explainNames(cluster, ['vault/netpol/'])).toEqual([
        'vault/netpol/allow-all-ingress\tNetworkPolicy vault, selects 1 pod',
      ]);
      expect(explainNames(cluster, ['cnp/'])).toEqual([]);
    });

    describe('with the CRD installed and two cluster policies', () => {
      beforeAll(() => {
        cluster.installCrds('cluster-network-policy');
        cluster.applyYaml(CLUSTER_POLICIES);
      }, 5 * 60_000);

      it("completes explain's cluster policy names, the version served found by discovery", () => {
        expect(explainNames(cluster, ['-n', 'market', ''])).toContain(
          'cnp/\tClusterNetworkPolicies',
        );
        expect(explainNames(cluster, ['cnp/'])).toEqual([
          'cnp/market-default-deny\tClusterNetworkPolicy, Baseline tier, priority 10',
          'cnp/protect-vault\tClusterNetworkPolicy, Admin tier, priority 10',
        ]);
        expect(explainNames(cluster, ['cnp/pro'])).toEqual([
          'cnp/protect-vault\tClusterNetworkPolicy, Admin tier, priority 10',
        ]);
      });

      it('denies by the Admin tier what a NetworkPolicy allows, naming the policy', () => {
        const run = cluster.kubectl(check('market/stall', 'vault/safe', 8443));
        expect(run.exitCode).toBe(1);
        expect(run.stdout.split('\n')[0]).toBe('DENIED  market/stall -> vault/safe  TCP 8443');
        expect(run.stdout).toContain('protect-vault');
      });

      it('accepts by the Admin tier before the Deny rule below it', () => {
        const run = cluster.kubectl([...check('town/web', 'vault/safe', 8443), '-o', 'json']);
        expect(run.exitCode).toBe(0);
        const answer = JSON.parse(run.stdout) as Answer;
        expect(answer.verdict).toBe('ALLOWED');
        expect(answer.flows?.[0]?.ingress).toMatchObject({
          kind: 'cluster-policy',
          match: { policy: 'cnp/protect-vault', tier: 'Admin', action: 'Accept', ruleIndex: 0 },
        });
      });

      it('denies by the Baseline tier where no NetworkPolicy decides', () => {
        const run = cluster.kubectl(check('vault/safe', 'market/stall', 80));
        expect(run.exitCode).toBe(1);
        expect(run.stdout.split('\n')[0]).toBe('DENIED  vault/safe -> market/stall  TCP 80');
        expect(run.stdout).toContain('market-default-deny');
      });

      it('leaves to NetworkPolicies what neither tier matches', () => {
        const run = cluster.kubectl(check('market/stall', 'town/web', 80));
        expect(run.exitCode).toBe(1);
        expect(run.stdout).toContain('default-deny');
      });

      it('answers UNKNOWN (exit 2) for a user who may not list cluster policies', () => {
        const run = cluster.kubectl([
          ...check('market/stall', 'vault/safe', 8443),
          '--context',
          'restricted',
          '-o',
          'json',
        ]);
        expect(run.exitCode).toBe(2);
        const answer = JSON.parse(run.stdout) as Answer;
        expect(answer.verdict).toBe('UNKNOWN');
        expect(answer.partial).toBe(true);
        expect(answer.unread).toContainEqual(
          expect.objectContaining({
            resource: 'clusternetworkpolicies.policy.networking.k8s.io',
            reason: '403 Forbidden',
          }),
        );
      });

      it('sees a cluster policy change while the watch runs, without restarting', async () => {
        const outcome = await watchUntil(
          cluster.kubeconfig,
          () =>
            cluster.mustKubectl([
              'patch',
              'clusternetworkpolicy',
              'protect-vault',
              '--type=merge',
              '-p',
              '{"spec":{"priority":20}}',
            ]),
          (snapshot) =>
            (snapshot.cluster.clusterPolicies ?? []).some(
              (p) => p.name === 'protect-vault' && p.priority === 20,
            ),
        );
        expect(outcome).toEqual({ seen: true, errors: [] });
      }, 60_000);
    });
  },
);
