import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import { type Cluster, clusterPolicyNotes, compileCluster } from '../../src/engine/index.js';
import { undecidedLayerText } from '../../src/render/completeness.js';

/** Namespaces a and b (labelled team: a, team: b), with a/client and b/server. */
export const CLIENT_AND_SERVER = `apiVersion: v1
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
`;

/** An Admin-tier ClusterNetworkPolicy: b takes nothing from a on TCP 8080. */
export const CNP_DENY_A = `apiVersion: policy.networking.k8s.io/v1alpha2
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

/** A v1alpha1 AdminNetworkPolicy: b takes nothing from a on any port. */
export const ANP_DENY_A = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: anp-deny-a}
spec:
  priority: 5
  subject: {namespaces: {matchLabels: {team: b}}}
  ingress:
  - action: Deny
    from: [{namespaces: {matchLabels: {team: a}}}]
`;

/**
 * Check's answer from a/client to b/server on a TCP port: the verdict, the ingress side's
 * reasons for UNKNOWN, and the notes on cluster policies the plugin does not (or may not) enforce.
 */
export function clientToServer(cluster: Cluster, port: number) {
  const analysis = compileCluster(cluster);
  const at = (id: string) => podEndpoint(analysis, analysis.podIndex.get(id) as number);
  const flow = evaluateFlow(analysis, at('a/client'), at('b/server'), 'TCP', port);
  return {
    verdict: flow.verdict,
    ingress: (flow.ingress.undecided ?? []).map(undecidedLayerText),
    notes: clusterPolicyNotes(analysis)
      .filter((note) => note.code.startsWith('cluster-policy-'))
      .map((note) => note.message),
  };
}
