import { describe, expect, it } from 'vitest';
import { analyseYaml, analyseYamlWithFindings } from '../helpers/load.js';

describe('workloads kept for platform checks', () => {
  it("keeps every pod and workload with its containers' images, arguments and literal env", () => {
    const yaml = `
apiVersion: v1
kind: Pod
metadata:
  name: aws-node-x
  namespace: kube-system
  ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: aws-node, uid: u}]
spec:
  containers:
    - name: aws-eks-nodeagent
      image: agent:v1
      command: [/agent]
      args: [--enable-network-policy=true]
      env:
        - {name: MODE, value: strict}
        - name: NODE
          valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: aws-node, namespace: kube-system}
spec: {template: {spec: {containers: [{name: aws-node, image: cni:v1}]}}}
`;
    expect(analyseYaml(yaml).cluster.workloads).toEqual([
      {
        kind: 'Pod',
        namespace: 'kube-system',
        name: 'aws-node-x',
        owner: 'DaemonSet/aws-node',
        containers: [
          {
            name: 'aws-eks-nodeagent',
            image: 'agent:v1',
            args: ['/agent', '--enable-network-policy=true'],
            env: { MODE: 'strict' },
          },
        ],
      },
      {
        kind: 'DaemonSet',
        namespace: 'kube-system',
        name: 'aws-node',
        containers: [{ name: 'aws-node', image: 'cni:v1', args: [], env: {} }],
      },
    ]);
  });
});

describe("a pod's service account from manifests", () => {
  const accountsOf = (yaml: string) =>
    analyseYaml(yaml).pods.map((pod) => [pod.id, pod.serviceAccount]);

  it('reads serviceAccountName, else the deprecated serviceAccount alias the API server takes', () => {
    const yaml = `
apiVersion: v1
kind: Pod
metadata: {name: named, namespace: a}
spec: {serviceAccountName: web, serviceAccount: old, containers: [{name: c, image: i}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: legacy, namespace: a}
spec:
  selector: {matchLabels: {app: legacy}}
  template:
    metadata: {labels: {app: legacy}}
    spec: {serviceAccount: old, containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: none, namespace: a}
spec: {containers: [{name: c, image: i}]}
`;
    expect(accountsOf(yaml)).toEqual([
      ['a/named', 'web'],
      ['a/legacy', 'old'],
      ['a/none', undefined],
    ]);
  });

  it("gives each pod its ServiceAccount's labels when that object is read, in any order", () => {
    const pod = (id: string, account?: string) => {
      const [namespace, name] = id.split('/');
      const named = account ? `serviceAccountName: ${account}, ` : '';
      return `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: {${named}containers: [{name: c, image: i}]}\n`;
    };
    const yaml = [
      pod('a/named', 'web'),
      pod('a/none'),
      pod('b/other', 'web'),
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: a, labels: {team: a}}\n',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: a}\n',
    ].join('---\n');
    expect(analyseYaml(yaml).pods.map((pod) => [pod.id, pod.serviceAccountLabels])).toEqual([
      ['a/named', { team: 'a' }],
      ['a/none', {}],
      // b/web was not read: its labels are not known.
      ['b/other', undefined],
    ]);
  });

  it('names a ServiceAccount whose labels are not a map of strings, and leaves it out', () => {
    const { findings } = analyseYamlWithFindings(
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: a, labels: {team: [a]}}\n',
    );
    expect(findings.map((f) => [f.severity, f.object])).toContainEqual([
      'error',
      'ServiceAccount a/web',
    ]);
  });
});
