import type { AuditCode, AuditFinding } from '../../../src/engine/audit/types.js';
import {
  type DirectionDiagnosis,
  diagnoseFlow,
} from '../../../src/engine/diagnose/flow-diagnosis.js';
import type { Protocol } from '../../../src/engine/index.js';
import { auditCluster } from '../../../src/engine/index.js';
import { analyseYaml } from '../../helpers/load.js';
import { endpoint, flow } from '../../helpers/scenario.js';

/** A namespace manifest, with labels. */
export function ns(name: string, labels: Record<string, string> = {}): string {
  return `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: ${JSON.stringify(labels)}}\n`;
}

/** A running pod manifest: `pod('shop/web', {app: 'web'}, '10.0.0.1', {ports, hostNetwork})`. */
export function pod(
  id: string,
  labels: Record<string, string>,
  ip?: string,
  extra: { ports?: string; hostNetwork?: boolean; kind?: string } = {},
): string {
  const [namespace, name] = id.split('/');
  const spec = `{hostNetwork: ${extra.hostNetwork ?? false}, containers: [{name: main, image: app, ports: ${extra.ports ?? '[]'}}]}`;
  return `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${namespace}, labels: ${JSON.stringify(labels)}}\nspec: ${spec}\n${ip ? `status: {podIP: ${ip}}\n` : ''}`;
}

/** A NetworkPolicy manifest from its spec in flow YAML. */
export function policy(id: string, spec: string): string {
  const [namespace, name] = id.split('/');
  return `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: ${spec}\n`;
}

/** kube-system/kube-dns (selector k8s-app=kube-dns, UDP and TCP 53 on 53), at 10.96.0.10. */
export const KUBE_DNS_SERVICE = `---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  clusterIP: 10.96.0.10
  selector: {k8s-app: kube-dns}
  ports:
    - {name: dns, port: 53, protocol: UDP, targetPort: 53}
    - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
`;

/**
 * A Service labelled CoreDNS in `namespace`, selecting app=coredns on UDP and TCP 53: one of
 * several that may look like the cluster DNS.
 */
export function corednsService(namespace: string): string {
  return `---
apiVersion: v1
kind: Service
metadata: {name: coredns, namespace: ${namespace}, labels: {kubernetes.io/name: CoreDNS}}
spec:
  selector: {app: coredns}
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
`;
}

/** The audit findings of some manifests, optionally only those of one code. */
export function audit<C extends AuditCode>(
  yaml: string,
  code?: C,
): Extract<AuditFinding, { code: C }>[] {
  const findings = auditCluster(analyseYaml(yaml)).findings;
  return findings.filter((f) => code === undefined || f.code === code) as Extract<
    AuditFinding,
    { code: C }
  >[];
}

/** The diagnosis of the first denied direction of a flow between two pods of some manifests. */
export function diagnoseFirst(
  yaml: string,
  from: string,
  to: string,
  protocol: Protocol,
  port: number,
): DirectionDiagnosis | undefined {
  const analysis = analyseYaml(yaml);
  const verdict = flow(analysis, from, to, protocol, port);
  return diagnoseFlow(analysis, endpoint(analysis, from), endpoint(analysis, to), verdict)[0];
}
