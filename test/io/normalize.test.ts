import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';

function normalize(yaml: string) {
  return normalizeObjects(parseManifestText(yaml, 'in.yaml').objects);
}

describe('normalising manifests into the engine model', () => {
  it('finds where each object came from by the name findings give it, the last of duplicates', () => {
    const { locations } = normalize(`apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: x}
spec: {podSelector: {}}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: guard}
spec: {selector: all()}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
`);
    expect(locations.get('Pod x/a')).toEqual({ file: 'in.yaml', document: 4, line: 15 });
    expect(locations.get('NetworkPolicy x/deny')).toMatchObject({ document: 2 });
    // Named as every other kind is, though Calico's policies share one table.
    expect(locations.get('GlobalNetworkPolicy guard')).toMatchObject({
      document: 3,
    });
    expect(locations.get('Pod x/b')).toBeUndefined();
    expect(locations.get('Pod')).toBeUndefined();
    expect([...locations.keys()].sort()).toEqual([
      'GlobalNetworkPolicy guard',
      'NetworkPolicy x/deny',
      'Pod x/a',
    ]);
    expect(locations.size).toBe(3);
  });

  it('expands typed lists whose items carry no kind', () => {
    const { cluster } = normalize(`apiVersion: v1
kind: PodList
items:
- metadata: {name: a, namespace: x}
  spec: {containers: []}
- metadata: {name: b, namespace: x}
  spec: {containers: []}
`);
    expect(cluster.pods.map((p) => p.id)).toEqual(['x/a', 'x/b']);
  });

  it('records a NetworkPolicy of another API group (e.g. Antrea) as not evaluated, with a note', () => {
    const { cluster, findings } = normalize(`apiVersion: crd.antrea.io/v1beta1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec: {appliedTo: [{podSelector: {}}]}
`);
    expect(cluster.policies).toEqual([]);
    const location = { file: 'in.yaml', document: 1, line: 1 };
    expect(cluster.unmodelledPolicies).toEqual([
      {
        apiVersion: 'crd.antrea.io/v1beta1',
        kind: 'NetworkPolicy',
        namespace: 'x',
        name: 'p',
        location,
      },
    ]);
    expect(findings).toEqual([
      {
        severity: 'info',
        code: 'unmodelled-policy',
        object: 'NetworkPolicy x/p',
        location,
        message:
          'not evaluated: the engine does not evaluate NetworkPolicy (crd.antrea.io/v1beta1) yet, so verdicts on the pods it selects may differ on the cluster',
      },
    ]);
  });

  it('names the first ten unmodelled policies of a kind with their line, and counts the rest', () => {
    const policy = (i: number) =>
      `apiVersion: crd.antrea.io/v1beta1\nkind: NetworkPolicy\nmetadata: {name: p${i}, namespace: x}\nspec: {}\n`;
    const { findings } = normalize(
      Array.from({ length: 12 }, (_, i) => policy(i + 1)).join('---\n'),
    );
    expect(findings).toHaveLength(11);
    expect(findings[9]).toMatchObject({
      object: 'NetworkPolicy x/p10',
      location: { file: 'in.yaml', document: 10, line: 46 },
    });
    expect(findings[10]).toEqual({
      severity: 'info',
      code: 'unmodelled-policy',
      message:
        '2 more NetworkPolicy (crd.antrea.io/v1beta1) objects not evaluated: the engine does not evaluate this kind yet, so verdicts on the pods they select may differ on the cluster',
    });
  });

  it("records each policy layer the engine does not evaluate (not Cilium's or Calico's), cluster-scoped ones without a namespace", () => {
    const { cluster, findings } = normalize(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: allow-dns}
spec: {endpointSelector: {}}
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: lockdown}
---
apiVersion: crd.antrea.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: acnp}
---
apiVersion: crd.antrea.io/v1beta1
kind: NetworkPolicy
metadata: {name: anp, namespace: shop}
---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata: {name: macvlan, namespace: shop}
---
apiVersion: cilium.io/v2
kind: CiliumEndpoint
metadata: {name: not-a-policy, namespace: shop}
`);
    expect(
      cluster.unmodelledPolicies?.map((p) => `${p.kind} ${p.namespace ?? '-'}/${p.name}`),
    ).toEqual([
      'ClusterNetworkPolicy -/acnp',
      'MultiNetworkPolicy shop/macvlan',
      'NetworkPolicy shop/anp',
    ]);
    expect(findings.map((f) => f.message)).toContain(
      'ignored 1 CiliumEndpoint object: not used by NetworkPolicy analysis',
    );
  });

  it('leaves unmodelledPolicies out when the input has none', () => {
    const { cluster } = normalize(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec: {podSelector: {}}
`);
    expect(cluster.policies).toHaveLength(1);
    expect(cluster.unmodelledPolicies).toBeUndefined();
  });

  it('makes each workload template one pod, unless the objects it owns are present', () => {
    const { cluster } = normalize(`apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec: {template: {metadata: {labels: {app: api}}, spec: {containers: []}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {metadata: {labels: {app: web}}, spec: {containers: []}}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d4f
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: "1"}]
spec: {template: {metadata: {labels: {app: web}}, spec: {containers: []}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-5d4f-abcde
  namespace: shop
  labels: {app: web}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f, uid: "2"}]
spec: {containers: []}
status: {podIP: 10.0.0.5}
`);
    expect(cluster.pods.map((p) => [p.id, p.kind, p.ips])).toEqual([
      ['shop/api', 'Deployment', []],
      ['shop/web-5d4f-abcde', 'Pod', ['10.0.0.5']],
    ]);
  });

  it('reads the CronJob template through its job template', () => {
    const { cluster } = normalize(`apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: ops}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {job: nightly}}
        spec: {containers: [{name: c, ports: [{containerPort: 9000, name: admin, protocol: UDP}]}]}
`);
    expect(cluster.pods).toEqual([
      {
        id: 'ops/nightly',
        namespace: 'ops',
        name: 'nightly',
        kind: 'CronJob',
        labels: { job: 'nightly' },
        ips: [],
        hostNetwork: false,
        ports: [{ port: 9000, protocol: 'UDP', name: 'admin' }],
        replicas: 'several',
      },
    ]);
  });

  it("reads a pod's nodeName, and none where it is not written (a template)", () => {
    const { cluster } = normalize(`apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: ops}
spec: {nodeName: worker-1, hostNetwork: true, containers: []}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: exporter, namespace: ops}
spec:
  selector: {matchLabels: {app: exporter}}
  template: {metadata: {labels: {app: exporter}}, spec: {hostNetwork: true, containers: []}}
`);
    expect(cluster.pods.map((p) => [p.id, p.hostNetwork, p.nodeName])).toEqual([
      ['ops/agent', true, 'worker-1'],
      ['ops/exporter', true, undefined],
    ]);
  });

  it('skips pods that have finished, as they hold no address', () => {
    const { cluster } = normalize(`apiVersion: v1
kind: Pod
metadata: {name: done, namespace: x}
spec: {containers: []}
status: {phase: Succeeded, podIP: 10.0.0.9}
`);
    expect(cluster.pods).toEqual([]);
  });

  it('defaults the namespace to "default" and reads dual-stack podIPs', () => {
    const { cluster } = normalize(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: []}
status: {podIP: 10.0.0.1, podIPs: [{ip: 10.0.0.1}, {ip: "fd00::1"}]}
`);
    expect(cluster.pods[0]?.id).toBe('default/p');
    expect(cluster.pods[0]?.ips).toEqual(['10.0.0.1', 'fd00::1']);
  });

  it('applies policyTypes defaults as the API server does', () => {
    const { cluster } = normalize(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ingress-only, namespace: x}
spec: {podSelector: {}, egress: []}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: both, namespace: x}
spec: {podSelector: {}, egress: [{}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: declared, namespace: x}
spec: {podSelector: {}, policyTypes: [Egress], ingress: [{}]}
`);
    expect(cluster.policies.map((p) => [p.name, p.policyTypes])).toEqual([
      ['ingress-only', ['Ingress']],
      ['both', ['Ingress', 'Egress']],
      ['declared', ['Egress']],
    ]);
  });

  it('keeps nil and empty selectors apart in peers', () => {
    const { cluster } = normalize(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector: {}
    - namespaceSelector: {}
`);
    const peers = cluster.policies[0]?.ingress[0]?.peers;
    expect(peers?.[0]).toEqual({ podSelector: { matchLabels: {}, matchExpressions: [] } });
    expect(peers?.[1]).toEqual({ namespaceSelector: { matchLabels: {}, matchExpressions: [] } });
  });

  it('reports a field of the wrong type with its path and drops that object only', () => {
    const { cluster, findings } = normalize(`apiVersion: v1
kind: Pod
metadata: {name: p, namespace: x, labels: {version: 2}}
spec: {containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: q, namespace: x}
spec: {containers: []}
`);
    expect(cluster.pods.map((p) => p.id)).toEqual(['x/q']);
    expect(findings).toEqual([
      {
        severity: 'error',
        code: 'invalid-object',
        message: 'metadata.labels.version: Invalid value: 2: must be a string',
        object: 'Pod x/p',
        location: { file: 'in.yaml', document: 1, line: 1 },
      },
    ]);
  });

  it('tells a headless Service (clusterIP None) from one written without a clusterIP', () => {
    const service = (name: string, clusterIP: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: x}
spec: {${clusterIP}ports: [{port: 80}]}
`;
    const { cluster } = normalize(
      [
        service('headless', 'clusterIP: None, '),
        service('listed-none', 'clusterIPs: [None], '),
        service('unwritten', ''),
        service('assigned', 'clusterIP: 10.96.0.5, '),
      ].join('---\n'),
    );
    const shape = cluster.services.map(({ name, clusterIPs, headless }) => ({
      name,
      clusterIPs,
      headless,
    }));
    expect(shape).toEqual([
      { name: 'headless', clusterIPs: [], headless: true },
      { name: 'listed-none', clusterIPs: [], headless: true },
      { name: 'unwritten', clusterIPs: [], headless: undefined },
      { name: 'assigned', clusterIPs: ['10.96.0.5'], headless: undefined },
    ]);
  });
});
