import { type Analysis, type CheckedFlow, checkTargets } from '../../src/engine/index.js';
import { namespaceYaml, podYaml, stream } from './scenario.js';

/** Namespace web and its pod web/web-1 (app: web, 10.244.1.5, port 8080), on a node if given. */
export function webBackendYaml(nodeName?: string): string {
  const pod = { labels: { app: 'web' }, ips: ['10.244.1.5'], ports: [{ port: 8080 }] };
  return stream(namespaceYaml('web'), podYaml('web/web-1', nodeName ? { ...pod, nodeName } : pod));
}

/** A Service `web` of a type and traffic policy, from its port 80 to web/web-1's `targetPort`. */
export function webServiceYaml(type: string, trafficPolicy?: string, targetPort = 8080): string {
  return `apiVersion: v1
kind: Service
metadata: {name: web, namespace: web}
spec:
  type: ${type}
  ${trafficPolicy ? `externalTrafficPolicy: ${trafficPolicy}` : ''}
  clusterIP: 10.96.0.20
  selector: {app: web}
  ports: [{port: 80, targetPort: ${targetPort}}]
`;
}

/** The flows of `check SOURCE svc/web --port 80` (namespace web). */
export function webServiceFlows(analysis: Analysis, source: string): readonly CheckedFlow[] {
  const answer = checkTargets(analysis, {
    source,
    destination: 'svc/web',
    port: '80',
    namespace: 'web',
  });
  if (!answer.ok) throw new Error(answer.error.kind);
  return answer.value.flows;
}

/** A Node with one InternalIP and a pod range. */
export const nodeYaml = (name: string, address: string, podCidr: string) => `apiVersion: v1
kind: Node
metadata: {name: ${name}}
spec: {podCIDR: ${podCidr}}
status: {addresses: [{type: InternalIP, address: ${address}}, {type: Hostname, address: ${name}}]}
`;
