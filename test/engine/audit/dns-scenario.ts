/** A namespace whose pods need DNS: the cluster DNS pod, NodeLocal DNSCache, and policies. */
import { pod, policy } from './yaml.js';

/** A cluster DNS pod serving UDP and TCP 53. */
export const COREDNS = pod('kube-system/coredns-1', { 'k8s-app': 'kube-dns' }, '10.0.9.1', {
  ports: '[{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53}]',
});
/** CoreDNS on 5353 behind kube-dns's port 53 (a named targetPort for UDP, a number for TCP). */
export const COREDNS_5353 = `${pod('kube-system/coredns-1', { 'k8s-app': 'kube-dns' }, '10.0.9.1', {
  ports: '[{name: dns, containerPort: 5353, protocol: UDP}, {name: dns-tcp, containerPort: 5353}]',
})}---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system}
spec:
  clusterIP: 10.96.0.10
  selector: {k8s-app: kube-dns}
  ports:
  - {name: dns, port: 53, protocol: UDP, targetPort: dns}
  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 5353}
`;
/** A pod of shop. */
export const APP = pod('shop/app', { app: 'app' }, '10.0.0.1');
/** Egress isolation of every pod of shop. */
export const DENY_EGRESS = policy('shop/deny', '{podSelector: {}, policyTypes: [Egress]}');
/** An egress policy of shop to the cluster DNS pods on `ports`. */
export const dnsTo = (ports: string) =>
  policy(
    'shop/dns',
    `{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: ${ports}}]}`,
  );
/** NodeLocal DNSCache's DaemonSet, listening on 169.254.25.10. */
export const NODE_LOCAL = `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-local-dns, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: node-local-dns}}
  template:
    metadata: {labels: {k8s-app: node-local-dns}}
    spec: {hostNetwork: true, containers: [{name: node-cache, image: registry.k8s.io/dns/k8s-dns-node-cache:1.23.1, args: [-localip, "169.254.25.10,10.96.0.10"]}]}
`;
/** An egress policy of shop to `cidr` on UDP and TCP 53. */
export const toAddress = (cidr: string) =>
  policy(
    'shop/node-local',
    `{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: ${cidr}}}], ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}]}`,
  );
