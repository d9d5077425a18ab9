import { expect, it } from 'vitest';
import { describeOnCluster } from './test-cluster.js';

const NS = 'e2e-svc';

/**
 * A client allowed to reach 192.0.2.0/24 on 5432, a database outside the cluster behind a
 * Service without selector and a hand-made EndpointSlice, a Service without selector and
 * without slices, and a Deployment's pod as a kubelet would have it (owned by a ReplicaSet;
 * no ReplicaSet or Deployment object, as nothing but the API server runs).
 */
const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata: {name: ${NS}}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: ${NS}, labels: {app: client}}
spec: {containers: [{name: main, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-6f7c9d-abcde
  namespace: ${NS}
  labels: {app: web, pod-template-hash: 6f7c9d}
  ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-6f7c9d, uid: 5b0f3c52-6d8e-4a51-9a51-2f0b2c1d0e01}
spec: {containers: [{name: main, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: billing-db, namespace: ${NS}}
spec:
  ports: [{name: pg, port: 5432, targetPort: 5432}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: billing-db-manual
  namespace: ${NS}
  labels: {kubernetes.io/service-name: billing-db}
addressType: IPv4
endpoints: [{addresses: [192.0.2.50]}]
ports: [{name: pg, port: 5432, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: ${NS}}
spec:
  ports: [{port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-egress, namespace: ${NS}}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
    - to: [{ipBlock: {cidr: 192.0.2.0/24}}]
      ports: [{port: 5432}]
`;

interface CheckJson {
  allowed: boolean;
  notes?: { kind: string; service: string; address: string; backendPorts: number[] }[];
  flows: { from: string; to: string; port: number; allowed: boolean }[];
}

describeOnCluster(
  'Services and names against a real kube-apiserver',
  (cluster) => {
    cluster.applyYaml(MANIFESTS);
    cluster.setPodIp(NS, 'client', '10.244.7.10');
    cluster.setPodIp(NS, 'web-6f7c9d-abcde', '10.244.7.11');
  },
  (cluster) => {
    const check = (...args: string[]) => cluster.kubectl(['netpol', 'check', '-n', NS, ...args]);
    const checkJson = (...args: string[]) => {
      const run = check(...args, '-o', 'json');
      expect(run.stderr).toBe('');
      return { exitCode: run.exitCode, answer: JSON.parse(run.stdout) as CheckJson };
    };
    const clusterIp = (name: string, namespace = NS) =>
      cluster.mustKubectl([
        'get',
        'service',
        name,
        '-n',
        namespace,
        '-o',
        'jsonpath={.spec.clusterIP}',
      ]);

    it('a Service without selector is answered for its EndpointSlice address, by every name', () => {
      for (const target of [
        'svc/billing-db',
        `svc/billing-db.${NS}`,
        `billing-db.${NS}.svc.cluster.local`,
      ]) {
        const { exitCode, answer } = checkJson('pod/client', target, '--port', '5432');
        expect([target, exitCode]).toEqual([target, 0]);
        expect(answer.flows).toMatchObject([
          { from: `${NS}/client`, to: '192.0.2.50', port: 5432, allowed: true },
        ]);
        expect(answer).not.toHaveProperty('notes');
      }
    });

    it('its ClusterIP is answered for the same backend, with the note', () => {
      const ip = clusterIp('billing-db');
      const { exitCode, answer } = checkJson('pod/client', ip, '--port', '5432');
      expect(exitCode).toBe(0);
      expect(answer.notes).toMatchObject([
        { kind: 'service-address', address: ip, service: `${NS}/billing-db`, backendPorts: [5432] },
      ]);
      expect(answer.flows).toMatchObject([{ to: '192.0.2.50', port: 5432, allowed: true }]);
    });

    it("the kubernetes Service's ClusterIP: unknown without its EndpointSlice, then the API server's endpoint", () => {
      // Only the API server runs here: nothing has written the kubernetes Service's slice yet.
      const ip = clusterIp('kubernetes', 'default');
      expect(check('pod/client', ip, '--port', '443').exitCode).toBe(2);
      cluster.applyYaml(`apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kubernetes
  namespace: default
  labels: {kubernetes.io/service-name: kubernetes}
addressType: IPv4
endpoints: [{addresses: [172.18.0.2]}]
ports: [{name: https, port: 6443, protocol: TCP}]
`);
      const { exitCode, answer } = checkJson('pod/client', ip, '--port', '443');
      expect(exitCode).toBe(1);
      expect(answer.notes).toMatchObject([
        { service: 'default/kubernetes', address: ip, backendPorts: [6443] },
      ]);
      expect(answer.flows).toMatchObject([{ to: '172.18.0.2', port: 6443, allowed: false }]);
    });

    it('a ClusterIP whose backends are unknown gets no verdict', () => {
      const ip = clusterIp('legacy');
      const run = check('pod/client', ip, '--port', '80');
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(
        `${ip}: the ClusterIP of service ${NS}/legacy, whose backends are unknown (no selector, no EndpointSlice in the input)`,
      );
    });

    it("a Deployment's pod by deploy/NAME, NAMESPACE/NAME, and a did-you-mean", () => {
      for (const source of ['deploy/web', `${NS}/web`]) {
        const { answer } = checkJson(source, 'svc/billing-db', '--port', '5432');
        expect(answer.flows.map((f) => f.from)).toEqual([`${NS}/web-6f7c9d-abcde`]);
      }
      const typo = check(`${NS}/wbe`, 'svc/billing-db', '--port', '5432');
      expect(typo.exitCode).toBe(2);
      expect(typo.stderr).toBe(
        `error: ${NS}/wbe: no pod ${NS}/wbe in the input; did you mean ${NS}/web?\n`,
      );
    });
  },
);
