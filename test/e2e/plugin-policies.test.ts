import { beforeAll, describe, expect, it } from 'vitest';
import { CALICO_NODE, CALICO_RESOURCES, CILIUM_AGENT, describeOnCluster } from './test-cluster.js';
import { watchUntil } from './watch-until.js';

/** A NetworkPolicy of shop (web, db, api) lets web and db reach api on 8080. */
const API_FROM_WEB_AND_DB = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-web-and-db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}, {podSelector: {matchLabels: {app: db}}}]
    ports: [{port: 8080}]
`;

/**
 * Cilium: an allow of web to api on 8080 and 9090, and a deny of 9090. "Deny policies take
 * precedence over allow policies, regardless of whether they are a Cilium Network Policy, a
 * Clusterwide Cilium Network Policy or even a Kubernetes Network Policy."
 * (https://docs.cilium.io/en/latest/security/policy/deny/)
 */
const CILIUM_POLICIES = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: api-allow-web, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: api}}
  ingress:
  - fromEndpoints: [{matchLabels: {app: web}}]
    toPorts: [{ports: [{port: "8080", protocol: TCP}, {port: "9090", protocol: TCP}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: api-deny-web-9090, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: api}}
  ingressDeny:
  - fromEndpoints: [{matchLabels: {app: web}}]
    toPorts: [{ports: [{port: "9090", protocol: TCP}]}]
`;

/**
 * Calico: a tier before the default one, whose policy passes web's traffic to api on to the
 * next tier and denies db's. "If a NetworkPolicy or GlobalNetworkPolicy in the Tier Passes the
 * packet, the next Tier containing a Policy that applies to the endpoint processes the packet."
 * (https://docs.tigera.io/calico/latest/reference/resources/tier)
 */
const CALICO_POLICIES = `apiVersion: crd.projectcalico.org/v1
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata: {name: security.api-gate, namespace: shop}
spec:
  tier: security
  order: 10
  selector: app == 'api'
  types: [Ingress]
  ingress:
  - action: Pass
    source: {selector: app == 'web'}
  - action: Deny
    source: {selector: app == 'db'}
`;

const CILIUM_CONFIG = `apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data: {enable-policy: default}
`;

interface Answer {
  verdict?: string;
  partial: boolean;
  unread: { resource: string; namespace?: string; reason: string; canI: string }[];
  unmodelled: unknown[];
  enforcement?: { plugin: string };
}

const check = (from: string, to: string, port: number, ...more: string[]) => [
  'netpol',
  'check',
  from,
  to,
  '--port',
  String(port),
  ...more,
];

describeOnCluster(
  'Cilium and Calico policies on a real kube-apiserver',
  (cluster) => {
    cluster.installCrds('cilium');
    cluster.installCrds('calico');
    cluster.addPods('shop', {
      web: { ip: '10.0.1.10' },
      db: { ip: '10.0.1.20' },
      api: { ip: '10.0.1.30', ports: [8080, 9090] },
    });
    cluster.applyYaml(API_FROM_WEB_AND_DB);
    cluster.applyYaml(CILIUM_POLICIES);
    cluster.applyYaml(CALICO_POLICIES);
    cluster.applyYaml(CILIUM_CONFIG);
    // "tier-blind" may read everything these tests use except Calico's Tiers (used with --as).
    cluster.grantRead('tier-blind', 'tier-blind', {
      '': ['pods', 'services', 'namespaces', 'nodes', 'configmaps'],
      'networking.k8s.io': ['networkpolicies'],
      'discovery.k8s.io': ['endpointslices'],
      'cilium.io': ['ciliumnetworkpolicies', 'ciliumclusterwidenetworkpolicies'],
      'crd.projectcalico.org': CALICO_RESOURCES.filter((plural) => plural !== 'tiers'),
    });
  },
  (cluster) => {
    describe('with the Cilium agent running', () => {
      beforeAll(() => cluster.applyYaml(CILIUM_AGENT));

      it('denies by a CiliumNetworkPolicy deny what another one allows, naming it', () => {
        const run = cluster.kubectl(check('shop/web', 'shop/api', 9090));
        expect(run.exitCode).toBe(1);
        expect(run.stdout.split('\n')[0]).toBe('DENIED  shop/web -> shop/api  TCP 9090');
        expect(run.stdout).toContain(
          'denied by ciliumnetworkpolicy/shop/api-deny-web-9090 ingressDeny rule 1',
        );
        expect(run.stderr).toContain(
          'Calico policies present, but the network plugin is Cilium: they are not evaluated',
        );
      });

      it('answers -o json from every object read live, complete, on Cilium', () => {
        const run = cluster.kubectl(check('shop/web', 'shop/api', 8080, '-o', 'json'));
        expect(run.exitCode).toBe(0);
        const answer = JSON.parse(run.stdout) as Answer;
        expect(answer).toMatchObject({
          verdict: 'ALLOWED',
          partial: false,
          unread: [],
          unmodelled: [],
          enforcement: { plugin: 'Cilium' },
        });
      });

      it('explains what may reach a pod with the Cilium deny applied', () => {
        const run = cluster.kubectl(['netpol', 'explain', 'shop/api']);
        expect(run.exitCode).toBe(0);
        const reach = run.stdout.slice(run.stdout.indexOf('pods that can reach it'));
        expect(reach.split('\n').slice(1, 3).sort()).toEqual([
          '    shop/db  TCP 8080',
          '    shop/web  TCP 8080',
        ]);
      });

      it('sees a CiliumClusterwideNetworkPolicy added while it watches', async () => {
        const outcome = await watchUntil(
          cluster.kubeconfig,
          () =>
            cluster.applyYaml(`apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: late}
spec:
  endpointSelector: {matchLabels: {app: db}}
  egress: [{toEndpoints: [{matchLabels: {app: api}}]}]
`),
          (snapshot) => (snapshot.cluster.ciliumPolicies ?? []).some((p) => p.name === 'late'),
        );
        expect(outcome).toEqual({ seen: true, errors: [] });
      });

      it("sees cilium-config's enforcement mode change while it watches", async () => {
        const setMode = (mode: string) =>
          cluster.mustKubectl([
            '-n',
            'kube-system',
            'patch',
            'configmap',
            'cilium-config',
            '--type=merge',
            '-p',
            JSON.stringify({ data: { 'enable-policy': mode } }),
          ]);
        const outcome = await watchUntil(
          cluster.kubeconfig,
          () => setMode('never'),
          (snapshot) => snapshot.cluster.ciliumConfig?.enforcement === 'never',
        );
        setMode('default');
        expect(outcome).toEqual({ seen: true, errors: [] });
      });
    });

    describe('with calico-node running instead', () => {
      beforeAll(() => {
        cluster.mustKubectl(['-n', 'kube-system', 'delete', 'pod', 'cilium-x7k2p', '--wait=false']);
        cluster.applyYaml(CALICO_NODE);
      });

      it('denies by a tier before the default one what a NetworkPolicy allows', () => {
        const run = cluster.kubectl(check('shop/db', 'shop/api', 8080));
        expect(run.exitCode).toBe(1);
        expect(run.stdout.split('\n')[0]).toBe('DENIED  shop/db -> shop/api  TCP 8080');
        expect(run.stdout).toContain(
          'calico tier security: denied by networkpolicy.projectcalico.org/shop/security.api-gate ingress rule 2',
        );
        expect(run.stderr).toContain(
          'Cilium policies present, but the network plugin is Calico: ignored',
        );
      });

      it('passes on to the default tier, where the NetworkPolicy allows', () => {
        const run = cluster.kubectl(check('shop/web', 'shop/api', 8080));
        expect(run.exitCode).toBe(0);
        expect(run.stdout).toContain(
          'calico tier security: passed to the next tier by networkpolicy.projectcalico.org/shop/security.api-gate ingress rule 1',
        );
        expect(run.stdout).toContain(
          'calico tier default: allowed by networkpolicy/shop/api-from-web-and-db ingress rule 1',
        );
      });

      it('sees a Calico GlobalNetworkPolicy added while it watches', async () => {
        const outcome = await watchUntil(
          cluster.kubeconfig,
          () =>
            cluster.applyYaml(`apiVersion: crd.projectcalico.org/v1
kind: GlobalNetworkPolicy
metadata: {name: security.late}
spec:
  tier: security
  order: 20
  selector: app == 'db'
  types: [Egress]
  egress: [{action: Deny}]
`),
          (snapshot) =>
            (snapshot.cluster.calicoPolicies ?? []).some((p) => p.name === 'security.late'),
        );
        expect(outcome).toEqual({ seen: true, errors: [] });
      });

      it('names the Tier list a user may not read, and marks the answer partial', () => {
        const run = cluster.kubectl(
          check('shop/web', 'shop/api', 8080, '--as', 'tier-blind', '-o', 'json'),
        );
        const answer = JSON.parse(run.stdout) as Answer;
        expect(answer.partial).toBe(true);
        expect(answer.unread).toEqual([
          {
            resource: 'tiers.crd.projectcalico.org',
            reason: '403 Forbidden',
            canI: 'kubectl auth can-i list tiers.crd.projectcalico.org',
          },
        ]);
        expect(run.stderr).toContain('cannot list tiers.crd.projectcalico.org cluster-wide');
      });
    });
  },
);
