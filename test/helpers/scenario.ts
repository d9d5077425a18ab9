import { addressEndpoint, type Endpoint, podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow, type FlowVerdict } from '../../src/engine/evaluate/evaluate.js';
import type { Analysis, Protocol } from '../../src/engine/index.js';

/** Options of a pod written by `podYaml`. */
export interface PodSpec {
  readonly labels?: Record<string, string>;
  /** status.podIPs; the first also becomes status.podIP. */
  readonly ips?: readonly string[];
  readonly hostNetwork?: boolean;
  /** spec.nodeName: the node the pod is scheduled on. */
  readonly nodeName?: string;
  readonly ports?: readonly { name?: string; port: number; protocol?: Protocol }[];
  /** status.conditions with a Ready condition of this status; none written when absent. */
  readonly ready?: boolean;
  /** metadata.deletionTimestamp is set: the pod is shutting down. */
  readonly terminating?: boolean;
}

function labelBlock(labels: Record<string, string>, indent: string): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `${indent}labels:\n${entries.map(([k, v]) => `${indent}  ${k}: "${v}"`).join('\n')}\n`;
}

/** A Namespace manifest. */
export function namespaceYaml(name: string, labels: Record<string, string> = {}): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${labelBlock(labels, '  ')}`;
}

/** A Pod manifest ("ns/name") with labels, addresses, hostNetwork and container ports. */
export function podYaml(id: string, spec: PodSpec = {}): string {
  const [namespace, name] = id.split('/');
  const ports = (spec.ports ?? [])
    .map(
      (p) =>
        `    - containerPort: ${p.port}\n      protocol: ${p.protocol ?? 'TCP'}\n` +
        (p.name ? `      name: ${p.name}\n` : ''),
    )
    .join('');
  const ips = spec.ips ?? [];
  const addresses =
    ips.length === 0
      ? ''
      : `  podIP: "${ips[0]}"\n  podIPs:\n${ips.map((ip) => `  - ip: "${ip}"\n`).join('')}`;
  const conditions =
    spec.ready === undefined
      ? ''
      : `  conditions:\n  - type: Ready\n    status: "${spec.ready ? 'True' : 'False'}"\n`;
  const status = addresses || conditions ? `status:\n${addresses}${conditions}` : '';
  const deleted = spec.terminating ? '  deletionTimestamp: "2026-01-01T00:00:00Z"\n' : '';
  return (
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n` +
    deleted +
    labelBlock(spec.labels ?? {}, '  ') +
    `spec:\n  hostNetwork: ${spec.hostNetwork ?? false}\n` +
    (spec.nodeName ? `  nodeName: ${spec.nodeName}\n` : '') +
    `  containers:\n  - name: main\n    image: app\n` +
    (ports ? `    ports:\n${ports}` : '') +
    status
  );
}

/** Joins manifests into one YAML stream. */
export function stream(...documents: string[]): string {
  return documents.join('\n---\n');
}

/** The endpoint for "ns/name" (a pod that must exist) or an IP address. */
export function endpoint(analysis: Analysis, ref: string): Endpoint {
  const idx = analysis.podIndex.get(ref);
  if (idx !== undefined) return podEndpoint(analysis, idx);
  const found = addressEndpoint(analysis, ref);
  if (!found) throw new Error(`neither a pod nor an address: ${ref}`);
  return found;
}

/** Evaluates one connection given pod ids or addresses. */
export function flow(
  analysis: Analysis,
  from: string,
  to: string,
  protocol: Protocol,
  port: number,
): FlowVerdict {
  return evaluateFlow(analysis, endpoint(analysis, from), endpoint(analysis, to), protocol, port);
}

/** Removes the common leading indentation of a template literal's lines. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n+|\s+$/g, '').split('\n');
  const indent = Math.min(
    ...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0),
  );
  return lines.map((line) => line.slice(indent)).join('\n');
}

/** A NetworkPolicy manifest ("ns/name"); `spec` is YAML (any common indentation) under `spec:`. */
export function policyYaml(id: string, spec: string): string {
  const [namespace, name] = id.split('/');
  const body = dedent(spec)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${body}\n`;
}

/** A ClusterNetworkPolicy manifest; `spec` is YAML (any common indentation) under `spec:`. */
export function cnpYaml(name: string, spec: string): string {
  const body = dedent(spec)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n${body}\n`;
}
