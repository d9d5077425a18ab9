/**
 * A client outside the pods reaching a Service: kube-proxy may hand the backends its connection
 * from a node's address, so an answer that depends on the client's address is UNKNOWN unless
 * the Service keeps it (a NodePort or LoadBalancer with externalTrafficPolicy Local).
 */
import { describe, expect, it } from 'vitest';
import { checkOutcome, checkTargets } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/** A Service `web` in namespace web, of a type and traffic policy, in front of pod web/web-1. */
function serviceYaml(type: string, trafficPolicy?: string): string {
  return `apiVersion: v1
kind: Service
metadata: {name: web, namespace: web}
spec:
  type: ${type}
  ${trafficPolicy ? `externalTrafficPolicy: ${trafficPolicy}` : ''}
  clusterIP: 10.96.0.20
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;
}

const OFFICE_ONLY = policyYaml(
  'web/from-office',
  'podSelector: {}\ningress:\n- from: [{ipBlock: {cidr: 203.0.113.0/24}}]',
);

/** The outcome of `check SOURCE svc/web --port 80` with the given Service and policies. */
function outcome(source: string, service: string, ...policies: string[]) {
  const analysis = analyseYaml(
    stream(
      namespaceYaml('web'),
      podYaml('web/web-1', {
        labels: { app: 'web' },
        ips: ['10.244.1.5'],
        ports: [{ port: 8080 }],
      }),
      podYaml('web/client', { labels: { app: 'client' }, ips: ['10.244.1.6'] }),
      service,
      ...policies,
    ),
  );
  const answer = checkTargets(analysis, {
    source,
    destination: 'svc/web',
    port: '80',
    namespace: 'web',
  });
  if (!answer.ok) throw new Error(answer.error.kind);
  return {
    outcome: checkOutcome(answer.value.flows),
    doubts: answer.value.flows.map((flow) => flow.routeDoubt?.kind),
  };
}

describe('a client outside the pods through a Service', () => {
  it('is UNKNOWN where an ipBlock admits it and kube-proxy may show the backends a node address', () => {
    for (const service of [
      serviceYaml('LoadBalancer', 'Cluster'),
      serviceYaml('NodePort'),
      serviceYaml('ClusterIP'),
      // A ClusterIP reached from outside is masqueraded whatever externalTrafficPolicy says.
      serviceYaml('ClusterIP', 'Local'),
    ]) {
      expect(outcome('203.0.113.5', service, OFFICE_ONLY)).toEqual({
        outcome: 'UNKNOWN',
        doubts: ['masked-client'],
      });
    }
  });

  it('is UNKNOWN where an ipBlock misses it: a node address may be inside the block', () => {
    expect(outcome('198.51.100.7', serviceYaml('LoadBalancer'), OFFICE_ONLY).outcome).toBe(
      'UNKNOWN',
    );
  });

  it('keeps the policies verdict with externalTrafficPolicy Local on a load balancer or NodePort', () => {
    for (const type of ['LoadBalancer', 'NodePort']) {
      const service = serviceYaml(type, 'Local');
      expect(outcome('203.0.113.5', service, OFFICE_ONLY)).toEqual({
        outcome: 'ALLOWED',
        doubts: [undefined],
      });
      expect(outcome('198.51.100.7', service, OFFICE_ONLY).outcome).toBe('DENIED');
    }
  });

  it('keeps a verdict that holds for every address: not isolated, all sources, 0.0.0.0/0, pods only', () => {
    const service = serviceYaml('LoadBalancer');
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
    expect(outcome('web/client', serviceYaml('LoadBalancer'), podsOnly)).toEqual({
      outcome: 'ALLOWED',
      doubts: [undefined],
    });
  });
});
