import { describe, expect, it } from 'vitest';
import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import {
  type Cluster,
  ciliumLayerNotes,
  compileCluster,
  type DirectionVerdict,
} from '../../src/engine/index.js';
import { undecidedLayerText } from '../../src/render/completeness.js';
import { CILIUM_CONFIG_REFUSED, ciliumConfigYaml } from '../helpers/cilium-config.js';
import { clusterOfYaml } from '../helpers/load.js';

// Cilium v1.20.2's source (Go module proxy) decides these: ClusterNetworkPolicy is read only when
// cilium-config sets enable-k8s-cluster-network-policy (pkg/defaults/defaults.go:
// `EnableK8sClusterNetworkPolicy = false`), only as policy.networking.k8s.io/v1alpha2
// (pkg/k8s/cluster_network_policy.go), and not before 1.20 ("Support for the Kubernetes
// ClusterNetworkPolicy (KCNP) is available starting with Cilium 1.20", cilium/cilium#47227).

const agent = (tag: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: cilium, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: cilium}}
  template:
    metadata: {labels: {k8s-app: cilium}}
    spec:
      hostNetwork: true
      containers: [{name: cilium-agent, image: "quay.io/cilium/cilium:${tag}"}]
`;

// b/server takes nothing from namespace a on 8080 by the Admin tier; 9090 is left to the rest.
const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: {name: a, labels: {team: a}}
---
apiVersion: v1
kind: Namespace
metadata: {name: b, labels: {team: b}}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
spec: {containers: [{name: c, image: busybox}]}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: b, labels: {app: server}}
spec: {containers: [{name: c, image: nginx}]}
status: {podIP: 10.0.2.1}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: deny-a}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {team: b}}}
  ingress:
  - action: Deny
    from: [{namespaces: {matchLabels: {team: a}}}]
    protocols: [{tcp: {destinationPort: {number: 8080}}}]
`;

const ANP = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: anp-deny-a}
spec:
  priority: 5
  subject: {namespaces: {matchLabels: {team: b}}}
  ingress:
  - action: Deny
    from: [{namespaces: {matchLabels: {team: a}}}]
`;

/** Check's answer from a/client to b/server on a TCP port, the ingress side's reasons, the notes. */
function answer(cluster: Cluster, port: number) {
  const analysis = compileCluster(cluster);
  const at = (id: string) => podEndpoint(analysis, analysis.podIndex.get(id) as number);
  const flow = evaluateFlow(analysis, at('a/client'), at('b/server'), 'TCP', port);
  const why = (side: DirectionVerdict) => (side.undecided ?? []).map(undecidedLayerText);
  const notes = ciliumLayerNotes(analysis, analysis.cni.plugin)
    .filter((note) => note.code === 'cluster-policy-not-enforced')
    .map((note) => note.message);
  return { verdict: flow.verdict, ingress: why(flow.ingress), notes };
}

describe('ClusterNetworkPolicies on Cilium', () => {
  it('are ignored before 1.20, with a warning naming the version', () => {
    const result = answer(clusterOfYaml(CLUSTER, agent('v1.19.4')), 8080);
    expect(result.verdict).toBe('ALLOWED');
    expect(result.notes).toEqual([
      'cnp/deny-a: Cilium enforces ClusterNetworkPolicy only from 1.20, and the cluster runs Cilium 1.19 (quay.io/cilium/cilium:v1.19.4); ignored, answers come from the other layers',
    ]);
  });

  it('are ignored on 1.20 unless cilium-config turns them on', () => {
    for (const data of ['', 'enable-k8s-cluster-network-policy: "false"']) {
      const result = answer(clusterOfYaml(CLUSTER, agent('v1.20.2'), ciliumConfigYaml(data)), 8080);
      expect(result.verdict).toBe('ALLOWED');
      expect(result.notes).toEqual([
        expect.stringContaining('(off by default), which it does not'),
      ]);
    }
  });

  it('decide as the Admin tier when cilium-config turns them on', () => {
    const on = ciliumConfigYaml('enable-k8s-cluster-network-policy: "true"');
    expect(answer(clusterOfYaml(CLUSTER, agent('v1.20.2'), on), 8080)).toEqual({
      verdict: 'DENIED',
      ingress: [],
      notes: [],
    });
  });

  it('are ignored under enable-policy: never, which enforces no rule at all', () => {
    const never = ciliumConfigYaml(
      'enable-policy: never, enable-k8s-cluster-network-policy: "true"',
    );
    expect(answer(clusterOfYaml(CLUSTER, agent('v1.20.2'), never), 8080).verdict).toBe('ALLOWED');
  });

  it('never include the v1alpha1 AdminNetworkPolicy, which Cilium does not read', () => {
    const on = ciliumConfigYaml('enable-k8s-cluster-network-policy: "true"');
    const result = answer(clusterOfYaml(CLUSTER, ANP, agent('v1.20.2'), on), 9090);
    expect(result.verdict).toBe('ALLOWED');
    expect(result.notes).toEqual([
      'anp/anp-deny-a: Cilium implements no v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy; ignored, answers come from the other layers',
    ]);
  });

  it('make UNKNOWN, naming the ConfigMap, only what they decide when cilium-config is unread', () => {
    const refused = {
      ...clusterOfYaml(CLUSTER, agent('v1.20.2')),
      unread: [CILIUM_CONFIG_REFUSED],
    };
    const denied = answer(refused, 8080);
    expect(denied.verdict).toBe('UNKNOWN');
    expect(denied.ingress).toContain(
      'configmaps kube-system/cilium-config could not be read (403 Forbidden); check: kubectl auth can-i list configmaps -n kube-system, so whether Cilium enforces ClusterNetworkPolicies is unknown: without enable-k8s-cluster-network-policy (off by default) it ignores them and would answer otherwise',
    );
    // No cluster policy rule matches 9090: only "always" (which isolates every pod) is a doubt.
    expect(answer(refused, 9090).ingress).toEqual([
      expect.stringContaining('"always" would isolate every pod'),
    ]);
  });

  it('stay enforced on other plugins', () => {
    const calico = agent('v1.20.2').replace('quay.io/cilium/cilium', 'docker.io/calico/node');
    expect(answer(clusterOfYaml(CLUSTER, calico), 8080).verdict).toBe('DENIED');
  });
});
