import { expect, it } from 'vitest';
import { describeOnCluster } from './test-cluster.js';

/** api of shop (web, api) denies all ingress by NetworkPolicy, which only an admin can see. */
const API_DENY_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-deny-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
`;

/**
 * Antrea's policy CRD (a layer the engine does not evaluate), reduced to what the API server needs
 * to serve it.
 */
const ANTREA_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: networkpolicies.crd.antrea.io}
spec:
  group: crd.antrea.io
  scope: Namespaced
  names: {kind: NetworkPolicy, listKind: NetworkPolicyList, plural: networkpolicies, singular: networkpolicy}
  versions:
  - name: v1beta1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

const ANTREA_POLICY = `apiVersion: crd.antrea.io/v1beta1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop}
spec:
  appliedTo: [{podSelector: {matchLabels: {app: api}}}]
  ingress: [{action: Allow, from: [{podSelector: {matchLabels: {app: web}}}]}]
`;

interface Answer {
  verdict?: string;
  partial: boolean;
  unread: { resource: string; namespace?: string; reason: string; canI: string }[];
  unmodelled: { apiVersion: string; kind: string; namespace?: string; name: string }[];
}

describeOnCluster(
  'partial reads and other policy layers on a real kube-apiserver',
  (cluster) => {
    cluster.addPods('shop', { web: { ip: '10.0.1.10' }, api: { ip: '10.0.1.20', ports: [8080] } });
    cluster.applyYaml(API_DENY_INGRESS);
    // "restricted" may read pods, services and namespaces everywhere, but no policy.
    cluster.grantRead('restricted', 'pod-reader', {
      '': ['pods', 'services', 'namespaces'],
      'discovery.k8s.io': ['endpointslices'],
    });
    cluster.applyYaml(ANTREA_CRD);
    cluster.mustKubectl([
      'wait',
      '--for=condition=Established',
      'crd/networkpolicies.crd.antrea.io',
      '--timeout=60s',
    ]);
    cluster.applyYaml(ANTREA_POLICY);
  },
  (cluster) => {
    const check = ['netpol', 'check', 'shop/web', 'shop/api', '--port', '8080'];
    const asRestricted = (args: string[]) =>
      cluster.kubectl([args[0] as string, '--context', 'restricted', ...args.slice(1)]);

    it('marks the JSON answer of a user who may not list networkpolicies as partial', () => {
      const run = asRestricted([...check, '-o', 'json']);
      expect(run.stderr).toContain('cannot list networkpolicies cluster-wide');
      const answer = JSON.parse(run.stdout) as Answer;
      expect(answer.partial).toBe(true);
      expect(answer.unread).toContainEqual({
        resource: 'networkpolicies',
        namespace: 'shop',
        reason: '403 Forbidden',
        canI: 'kubectl auth can-i list networkpolicies -n shop',
      });
      expect(answer.unread).toContainEqual({
        resource: 'networkpolicies.crd.antrea.io',
        namespace: 'shop',
        reason: '403 Forbidden',
        canI: 'kubectl auth can-i list networkpolicies.crd.antrea.io -n shop',
      });
      // Pods and namespaces were readable: only policy lists are missing.
      expect(new Set(answer.unread.map((u) => u.resource))).toEqual(
        new Set(['networkpolicies', 'networkpolicies.crd.antrea.io']),
      );
    });

    it('answers UNKNOWN (exit 2) where the unread policies could decide, naming the list', () => {
      const run = asRestricted(check);
      expect(run.exitCode).toBe(2);
      expect(run.stdout.split('\n')[0]).toBe('UNKNOWN  shop/web -> shop/api  TCP 8080');
      expect(run.stdout).toContain(
        'networkpolicies in namespace shop could not be read (403 Forbidden); check: kubectl auth can-i list networkpolicies -n shop',
      );
    });

    it('gives the admin the NetworkPolicy verdict when told to leave the Antrea policy out', () => {
      const run = cluster.kubectl([...check, '--ignore-unmodelled', '-o', 'json']);
      const answer = JSON.parse(run.stdout) as Answer;
      expect(answer.verdict).not.toBe('UNKNOWN');
      expect(cluster.kubectl(check).exitCode).toBe(2);
    });

    it('says once in a text answer which lists were not read and how to check', () => {
      const run = asRestricted(check);
      expect(run.stdout.split('partial:').length - 1).toBe(1);
      expect(run.stdout).toContain(
        '  networkpolicies in namespace shop (403 Forbidden); check: kubectl auth can-i list networkpolicies -n shop',
      );
    });

    it('matrix -o json of the same user is partial too', () => {
      const run = asRestricted(['netpol', 'matrix', '-o', 'json']);
      const answer = JSON.parse(run.stdout) as Answer;
      expect(answer.partial).toBe(true);
      expect(answer.unread.map((u) => u.resource)).toContain('networkpolicies');
    });

    it('gives an admin a complete answer that names the policy the engine does not evaluate', () => {
      const run = cluster.kubectl([...check, '-o', 'json']);
      const answer = JSON.parse(run.stdout) as Answer;
      expect(answer.partial).toBe(false);
      expect(answer.unread).toEqual([]);
      expect(answer.unmodelled).toEqual([
        {
          apiVersion: 'crd.antrea.io/v1beta1',
          kind: 'NetworkPolicy',
          namespace: 'shop',
          name: 'allow-web',
        },
      ]);
      expect(run.stderr).toContain(
        '1 NetworkPolicy (crd.antrea.io/v1beta1) object not evaluated: the engine does not evaluate this kind yet',
      );
    });
  },
);
