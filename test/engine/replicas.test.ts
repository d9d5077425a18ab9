/**
 * A workload stands for its replicas: its pair with itself is traffic between two of them,
 * which policies govern; only a single pod's traffic to itself is always allowed.
 */
import { describe, expect, it } from 'vitest';
import { computeMatrix, explainPod, portSetAllows } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { flow } from '../helpers/scenario.js';

function deployment(name: string, replicas: string, kind = 'Deployment'): string {
  return `apiVersion: apps/v1
kind: ${kind}
metadata: {name: ${name}, namespace: default}
spec:
  ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: main, image: nginx, ports: [{containerPort: 8080}]}]}`;
}

const DENY_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-ingress, namespace: default}
spec: {podSelector: {}, policyTypes: [Ingress]}`;

const analysis = analyseYaml(
  [
    deployment('web', 'replicas: 3'),
    deployment('single', 'replicas: 1'),
    deployment('defaulted', ''),
    deployment('agent', '', 'DaemonSet'),
    DENY_INGRESS,
  ].join('\n---\n'),
);

const pod = (id: string) => analysis.pods[analysis.podIndex.get(id) ?? -1];

describe('replicas', () => {
  it('are read from the workload: spec.replicas, 1 when unset, several for a DaemonSet', () => {
    expect(pod('default/web')?.replicas).toBe(3);
    expect(pod('default/single')?.replicas).toBe(1);
    expect(pod('default/defaulted')?.replicas).toBe(1);
    expect(pod('default/agent')?.replicas).toBe('several');
  });

  it('make a workload to itself replica-to-replica traffic that policies can deny', () => {
    expect(flow(analysis, 'default/web', 'default/web', 'TCP', 8080).verdict).toBe('DENIED');
    expect(flow(analysis, 'default/agent', 'default/agent', 'TCP', 8080).verdict).toBe('DENIED');
  });

  it('leave a single replica reaching itself', () => {
    const verdict = flow(analysis, 'default/single', 'default/single', 'TCP', 8080);
    expect(verdict.verdict).toBe('ALLOWED');
    expect(verdict.ingress).toEqual({ kind: 'unrestricted', reason: 'self' });
  });

  it('agree in the matrix and in explain', () => {
    const matrix = computeMatrix(analysis);
    const at = (id: string) => matrix.podIdxs.indexOf(analysis.podIndex.get(id) ?? -1);
    const web = at('default/web');
    const single = at('default/single');
    expect(portSetAllows(matrix.connections(web, web), 'TCP', 8080)).toBe(false);
    expect(portSetAllows(matrix.connections(single, single), 'TCP', 8080)).toBe(true);

    const open = analyseYaml(deployment('web', 'replicas: 2'));
    const exposure = explainPod(open, open.podIndex.get('default/web') ?? -1);
    expect(exposure.ingress.pods.map((p) => p.pod)).toEqual(['default/web']);
    const denied = explainPod(analysis, analysis.podIndex.get('default/web') ?? -1);
    expect(denied.ingress.pods).toEqual([]);
  });
});
