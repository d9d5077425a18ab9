import { describe, expect, it } from 'vitest';
import { analyseYaml, analyseYamlWithFindings } from '../helpers/load.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}`;

/** A HorizontalPodAutoscaler of shop/web with the given bounds, as `minReplicas: 2` lines. */
const autoscaler = (...bounds: string[]) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
${bounds.map((line) => `  ${line}`).join('\n')}`;

const webPod = (yaml: string) =>
  analyseYaml(yaml).pods.find((pod) => pod.id === 'shop/web') ?? { replicas: 'missing' };

describe('HorizontalPodAutoscalers', () => {
  it('make the workload they scale stand for several replicas, within their bounds', () => {
    const pod = webPod(`${autoscaler('minReplicas: 2', 'maxReplicas: 10')}\n---\n${DEPLOYMENT}`);
    expect(pod).toMatchObject({ replicas: 'several', autoscaled: { min: 2, max: 10 } });
  });

  it('default minReplicas to 1, and fix the count when the bounds meet', () => {
    expect(webPod(`${DEPLOYMENT}\n---\n${autoscaler('maxReplicas: 4')}`)).toMatchObject({
      replicas: 'several',
      autoscaled: { min: 1, max: 4 },
    });
    expect(
      webPod(`${DEPLOYMENT}\n---\n${autoscaler('minReplicas: 1', 'maxReplicas: 1')}`),
    ).toMatchObject({ replicas: 1, autoscaled: { min: 1, max: 1 } });
  });

  it('leave other workloads alone, and a workload without one keeps spec.replicas', () => {
    const other = autoscaler('maxReplicas: 5').replace('name: web}', 'name: api}');
    const pod = webPod(`${DEPLOYMENT}\n---\n${other}`);
    expect(pod).toMatchObject({ replicas: 3 });
    expect(pod).not.toHaveProperty('autoscaled');
  });

  it('are refused with an error naming the field when their bounds are not a range', () => {
    const { analysis, findings } = analyseYamlWithFindings(
      `${DEPLOYMENT}\n---\n${autoscaler('minReplicas: 5', 'maxReplicas: 2')}`,
    );
    expect(findings.map((f) => `${f.object}: ${f.message}`)).toEqual([
      'HorizontalPodAutoscaler shop/web: spec.maxReplicas: must be at least 1 and at least minReplicas (5), got 2',
    ]);
    expect(analysis.pods[0]).toMatchObject({ replicas: 3 });
  });
});

const node = (name: string, spec: string) => `apiVersion: v1
kind: Node
metadata: {name: ${name}}
spec: ${spec}`;

describe('Nodes', () => {
  it("give the cluster's pod ranges: podCIDRs, else podCIDR, each once", () => {
    const analysis = analyseYaml(
      [
        node('a', '{podCIDRs: [10.244.0.0/24, "fd00:10:244::/64"], podCIDR: 10.244.0.0/24}'),
        node('b', '{podCIDR: 10.244.1.0/24}'),
        node('c', '{podCIDRs: [10.244.1.0/24]}'),
        DEPLOYMENT,
      ].join('\n---\n'),
    );
    expect(analysis.cluster.podCidrs).toEqual([
      '10.244.0.0/24',
      'fd00:10:244::/64',
      '10.244.1.0/24',
    ]);
    expect(analysis.podRange.cidrs).toEqual(analysis.cluster.podCidrs);
  });

  it('leave the range unknown when none has one; a bad CIDR is an error naming the Node', () => {
    const { analysis, findings } = analyseYamlWithFindings(
      [node('a', '{}'), node('b', '{podCIDRs: [10.244.0/24]}'), DEPLOYMENT].join('\n---\n'),
    );
    expect(analysis.cluster.podCidrs).toBeUndefined();
    expect(findings.map((f) => `${f.severity} ${f.object}: ${f.message}`)).toEqual([
      'error Node b: spec.podCIDRs: "10.244.0/24" is not a CIDR',
    ]);
  });
});
