import { beforeAll, describe, expect, it } from 'vitest';
import {
  CALICO_NODE,
  CALICO_RESOURCES,
  CILIUM_AGENT,
  describeOnCluster,
  type TestCluster,
} from './test-cluster.js';

/**
 * The pods' ServiceAccounts (the `default` ones too: no controller makes them here), with the
 * labels Calico's service-account selectors read.
 */
const ACCOUNTS = [
  'kube-system/default',
  'edge/default',
  'shop/default',
  'shop/api',
  'shop/web',
  'shop/db',
].map((id) => {
  const [namespace, name] = id.split('/') as [string, string];
  const team = { api: 'a', web: 'b' }[name];
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace, ...(team ? { labels: { team } } : {}) },
  };
});

/**
 * Calico policies on ServiceAccount labels, one by serviceAccounts.selector and one by `pcsa.*`
 * in a selector. "serviceAccounts: Match endpoints running under service accounts" and
 * "pcsa.<label>: the service account labels" are matched as the endpoint's labels
 * (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#serviceaccountmatch,
 * libcalico-go updateprocessors/rules.go parseServiceAccounts).
 */
const ACCOUNT_POLICIES = `apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata: {name: default.db-from-team-a, namespace: shop}
spec:
  selector: app == 'db'
  types: [Ingress]
  ingress:
  - action: Allow
    source: {serviceAccounts: {selector: team == 'a'}}
---
apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata: {name: default.cache-from-team-b, namespace: shop}
spec:
  selector: app == 'cache'
  types: [Ingress]
  ingress:
  - action: Allow
    source: {selector: pcsa.team == 'b'}
`;

/**
 * A StagedKubernetesNetworkPolicy isolating api: "Staged network policies ... are not enforced"
 * (https://docs.tigera.io/calico/latest/reference/resources/stagedkubernetesnetworkpolicy).
 */
const STAGED_LOCKDOWN = `apiVersion: crd.projectcalico.org/v1
kind: StagedKubernetesNetworkPolicy
metadata: {name: lockdown, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
`;

/**
 * Cilium policies of edge: a may send TCP 80 to b and b take it from a, nothing else. Under
 * enable-policy "never" Cilium enforces no policy; under "always" every endpoint is isolated
 * (https://docs.cilium.io/en/latest/security/policy/intro/#policy-enforcement-modes).
 */
const EDGE_POLICIES = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: b-ingress, namespace: edge}
spec:
  endpointSelector: {matchLabels: {app: b}}
  ingress:
  - fromEndpoints: [{matchLabels: {app: a}}]
    toPorts: [{ports: [{port: "80", protocol: TCP}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: a-egress, namespace: edge}
spec:
  endpointSelector: {matchLabels: {app: a}}
  egress:
  - toEndpoints: [{matchLabels: {app: b}}]
    toPorts: [{ports: [{port: "80", protocol: TCP}]}]
`;

/**
 * "config-by-name" may list and watch kube-system's ConfigMap cilium-config alone: "If you
 * restrict list or watch by resourceName, clients must include a metadata.name field selector"
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources).
 */
const CILIUM_CONFIG_BY_NAME = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cilium-config-reader, namespace: kube-system}
rules:
- apiGroups: [""]
  resources: [configmaps]
  resourceNames: [cilium-config]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: cilium-config-reader, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cilium-config-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: config-by-name}]
`;

const CILIUM_CONFIG = `apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data: {enable-policy: default}
`;

/** Every list the plugin reads on this cluster, by API group. */
const EVERYTHING = {
  '': ['pods', 'services', 'namespaces', 'nodes', 'configmaps', 'serviceaccounts'],
  'networking.k8s.io': ['networkpolicies'],
  'discovery.k8s.io': ['endpointslices'],
  'cilium.io': ['ciliumnetworkpolicies', 'ciliumclusterwidenetworkpolicies'],
  'crd.projectcalico.org': CALICO_RESOURCES,
};

/** Lets `user` read every list but one of the core group. */
function grantAllBut(cluster: TestCluster, user: string, refused: string): void {
  cluster.grantRead(user, user, {
    ...EVERYTHING,
    '': EVERYTHING[''].filter((plural) => plural !== refused),
  });
}

interface Answer {
  verdict: string;
  partial: boolean;
  unread: { resource: string; namespace?: string; name?: string; reason: string }[];
  stagedPreviews?: { policy: string; verdict: string }[];
}

const check = (cluster: TestCluster, from: string, to: string, port: number, ...more: string[]) =>
  cluster.kubectl(['netpol', 'check', from, to, '--port', String(port), ...more]);

const checkJson = (
  cluster: TestCluster,
  from: string,
  to: string,
  port: number,
  ...more: string[]
) => JSON.parse(check(cluster, from, to, port, '-o', 'json', ...more).stdout) as Answer;

describeOnCluster(
  'ServiceAccounts, staged Kubernetes policies and cilium-config read live from a real kube-apiserver',
  (cluster) => {
    cluster.installCrds('calico');
    cluster.installCrds('cilium');
    cluster.addPods('shop', {
      web: { ip: '10.0.1.10', serviceAccount: 'web' },
      api: { ip: '10.0.1.20', serviceAccount: 'api', ports: [8080] },
      db: { ip: '10.0.1.30', serviceAccount: 'db', ports: [5432] },
      cache: { ip: '10.0.1.40', ports: [6379] },
    });
    cluster.addPods('edge', { a: { ip: '10.0.2.10' }, b: { ip: '10.0.2.20', ports: [80, 81] } });
    cluster.apply(ACCOUNTS);
    cluster.applyYaml(ACCOUNT_POLICIES);
    cluster.applyYaml(STAGED_LOCKDOWN);
    cluster.applyYaml(EDGE_POLICIES);
    cluster.applyYaml(CILIUM_CONFIG);
    grantAllBut(cluster, 'account-blind', 'serviceaccounts');
    grantAllBut(cluster, 'config-blind', 'configmaps');
    grantAllBut(cluster, 'config-by-name', 'configmaps');
    cluster.applyYaml(CILIUM_CONFIG_BY_NAME);
  },
  (cluster) => {
    describe('with calico-node running', () => {
      beforeAll(() => cluster.applyYaml(CALICO_NODE));

      it('decides serviceAccounts.selector from the ServiceAccounts it lists', () => {
        const run = check(cluster, 'shop/api', 'shop/db', 5432, '-v', '6');
        expect(run.stdout.split('\n')[0]).toBe('ALLOWED  shop/api -> shop/db  TCP 5432');
        expect(run.stdout).toContain(
          'allowed by networkpolicy.projectcalico.org/shop/default.db-from-team-a ingress rule 1',
        );
        expect(run.stderr).toMatch(/GET \S+\/api\/v1\/serviceaccounts\?/);
        const other = check(cluster, 'shop/web', 'shop/db', 5432);
        expect(other.exitCode).toBe(1);
        expect(other.stdout.split('\n')[0]).toBe('DENIED  shop/web -> shop/db  TCP 5432');
      });

      it('decides pcsa.* in a selector from the same list', () => {
        expect(checkJson(cluster, 'shop/web', 'shop/cache', 6379).verdict).toBe('ALLOWED');
        expect(checkJson(cluster, 'shop/api', 'shop/cache', 6379).verdict).toBe('DENIED');
      });

      it('leaves the selectors on ServiceAccount labels UNKNOWN, naming the list, for a user who may not list them', () => {
        const run = check(cluster, 'shop/api', 'shop/db', 5432, '--as', 'account-blind');
        expect(run.exitCode).toBe(2);
        expect(run.stdout.split('\n')[0]).toBe('UNKNOWN  shop/api -> shop/db  TCP 5432');
        expect(run.stdout).toContain(
          'networkpolicy.projectcalico.org/shop/default.db-from-team-a rule 1 matches on source.serviceAccounts.selector (ServiceAccount labels not read)',
        );
        expect(run.stdout).toContain(
          '  serviceaccounts (403 Forbidden); check: kubectl auth can-i list serviceaccounts --all-namespaces',
        );
        expect(run.stderr).toContain(
          'cannot list serviceaccounts (403 Forbidden: serviceaccounts is forbidden: User "account-blind" cannot list resource "serviceaccounts" in API group "" at the cluster scope); Calico selectors on ServiceAccount labels stay UNKNOWN. Check with: kubectl auth can-i list serviceaccounts --all-namespaces',
        );
        const answer = checkJson(cluster, 'shop/api', 'shop/cache', 6379, '--as', 'account-blind');
        expect([answer.verdict, answer.partial, answer.unread]).toEqual([
          'UNKNOWN',
          true,
          [
            {
              resource: 'serviceaccounts',
              reason: '403 Forbidden',
              canI: 'kubectl auth can-i list serviceaccounts --all-namespaces',
            },
          ],
        ]);
      });

      it('still decides, for that user, what no selector on ServiceAccount labels touches', () => {
        const answer = checkJson(cluster, 'shop/db', 'shop/web', 80, '--as', 'account-blind');
        expect(answer.verdict).toBe('ALLOWED');
      });

      it('previews a StagedKubernetesNetworkPolicy read live, never enforcing it', () => {
        const run = check(cluster, 'shop/web', 'shop/api', 8080);
        expect(run.exitCode).toBe(0);
        expect(run.stdout.split('\n')[0]).toBe('ALLOWED  shop/web -> shop/api  TCP 8080');
        expect(run.stdout).toContain(
          'if staged policy stagedkubernetesnetworkpolicy/shop/lockdown were enforced: DENIED',
        );
        const answer = checkJson(cluster, 'shop/web', 'shop/api', 8080);
        expect([answer.verdict, answer.stagedPreviews]).toEqual([
          'ALLOWED',
          [{ policy: 'stagedkubernetesnetworkpolicy/shop/lockdown', verdict: 'DENIED' }],
        ]);
      });
    });

    describe('with the Cilium agent running instead', () => {
      beforeAll(() => {
        cluster.mustKubectl(['-n', 'kube-system', 'delete', 'pod', 'calico-node-x7k2p']);
        cluster.applyYaml(CILIUM_AGENT);
      });

      it('answers from cilium-config for a user who may read it', () => {
        const run = check(cluster, 'edge/a', 'edge/b', 81);
        expect(run.exitCode).toBe(1);
        expect(run.stdout.split('\n')[0]).toBe('DENIED  edge/a -> edge/b  TCP 81');
      });

      it('reads cilium-config for a user allowed that ConfigMap alone, by name', () => {
        const answer = checkJson(cluster, 'edge/a', 'edge/b', 81, '--as', 'config-by-name');
        expect([answer.verdict, answer.partial, answer.unread]).toEqual(['DENIED', false, []]);
      });

      it('is UNKNOWN, naming the refused ConfigMap, where "never" would answer otherwise', () => {
        const run = check(cluster, 'edge/a', 'edge/b', 81, '--as', 'config-blind');
        expect(run.exitCode).toBe(2);
        expect(run.stdout.split('\n')[0]).toBe('UNKNOWN  edge/a -> edge/b  TCP 81');
        expect(run.stdout).toContain(
          'configmaps kube-system/cilium-config could not be read (403 Forbidden); check: kubectl auth can-i list configmaps -n kube-system, so Cilium\'s enable-policy is unknown: "never" would enforce no policy and answer otherwise than the "default" assumed',
        );
        expect(run.stderr).toContain(
          'cannot read ConfigMap kube-system/cilium-config (403 Forbidden); Cilium\'s policy enforcement mode is assumed to be "default"',
        );
      });

      it('is UNKNOWN where "always" would isolate what nothing selects', () => {
        const run = check(cluster, 'edge/b', 'edge/a', 80, '--as', 'config-blind');
        expect(run.stdout.split('\n')[0]).toBe('UNKNOWN  edge/b -> edge/a  TCP 80');
        expect(run.stdout).toContain(
          'so Cilium\'s enable-policy is unknown: "always" would isolate every pod and answer otherwise than the "default" assumed',
        );
      });

      it('keeps the verdict every mode gives, and names the ConfigMap as unread', () => {
        const answer = checkJson(cluster, 'edge/a', 'edge/b', 80, '--as', 'config-blind');
        expect(answer).toMatchObject({
          verdict: 'ALLOWED',
          partial: true,
          unread: [
            {
              resource: 'configmaps',
              namespace: 'kube-system',
              name: 'cilium-config',
              reason: '403 Forbidden',
            },
          ],
        });
      });
    });
  },
);
