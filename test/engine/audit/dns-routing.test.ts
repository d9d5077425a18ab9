/**
 * DNS reach follows kube-proxy's route to the kube-dns Service: with internalTrafficPolicy Local
 * a pod's lookups go only to the DNS pods on its own node (none there: dropped), with topology
 * hints to some the input cannot tell; audit and the effect preview say so, or UNKNOWN.
 */
import { describe, expect, it } from 'vitest';
import { policyEffect } from '../../../src/engine/index.js';
import { findingMessage } from '../../../src/render/audit.js';
import { findingFixes } from '../../../src/render/audit-fixes.js';
import { effectLines } from '../../../src/render/effect.js';
import { analyseYaml } from '../../helpers/load.js';
import { audit, policy } from './yaml.js';

/** The kube-dns Service, with `extra` spec fields (`internalTrafficPolicy: Local`). */
const kubeDns = (extra: string, annotations = '{}') => `---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, annotations: ${annotations}}
spec:
  clusterIP: 10.96.0.10
  selector: {k8s-app: kube-dns}
  ${extra}
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
`;

/** A running pod on a node (none: `node` undefined), with labels. */
const podOn = (id: string, labels: Record<string, string>, ip: string, node?: string) => {
  const [namespace, name] = id.split('/');
  return `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}, labels: ${JSON.stringify(labels)}}
spec: {${node ? `nodeName: ${node}, ` : ''}containers: [{name: main, image: app}]}
status: {podIP: ${ip}}
`;
};

/** CoreDNS pods on node-a and node-b, told apart by a `replica` label. */
const DNS_PODS = `${podOn('kube-system/coredns-a', { 'k8s-app': 'kube-dns', replica: 'a' }, '10.244.0.10', 'node-a')}${podOn('kube-system/coredns-b', { 'k8s-app': 'kube-dns', replica: 'b' }, '10.244.1.10', 'node-b')}`;

/** shop's egress to the DNS pods `podLabels` select, on UDP and TCP 53. */
const dnsEgress = (podLabels: string) =>
  policy(
    'shop/dns',
    `{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {}, podSelector: {matchLabels: ${podLabels}}}], ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}]}`,
  );
const ALL_DNS = dnsEgress('{k8s-app: kube-dns}');
const ONLY_B = dnsEgress('{replica: b}');
const LOCAL = kubeDns('internalTrafficPolicy: Local');

describe('kube-dns with internalTrafficPolicy Local', () => {
  it('a pod on a node without a DNS pod cannot resolve names: kube-proxy drops them, whatever allow-dns says', () => {
    const yaml = `${LOCAL}${podOn('kube-system/coredns-a', { 'k8s-app': 'kube-dns' }, '10.244.0.10', 'node-a')}${podOn('shop/app', { app: 'app' }, '10.244.1.5', 'node-b')}${ALL_DNS}`;
    const [finding] = audit(yaml, 'dns-blocked');
    expect(finding).toMatchObject({ blockedBy: 'no-local-dns', pods: ['shop/app'], fixes: [] });
    if (!finding) throw new Error('no finding');
    expect(findingMessage(finding)).toBe(
      '1 pod in shop cannot resolve names: the cluster DNS Service kube-system/kube-dns has internalTrafficPolicy Local and no cluster DNS pod serves it on their node, so kube-proxy drops their lookups: app',
    );
    expect(findingFixes(finding).map((fix) => fix.text)).toEqual([
      'run a DNS pod on every node (a DaemonSet, or NodeLocal DNSCache), or set internalTrafficPolicy: Cluster on kube-system/kube-dns',
    ]);
  });

  it('a pod reaches only the DNS pod of its own node: egress to another one does not do', () => {
    const onA = podOn('shop/app', { app: 'app' }, '10.244.0.5', 'node-a');
    expect(audit(`${LOCAL}${DNS_PODS}${onA}${ONLY_B}`, 'dns-blocked')).toMatchObject([
      { blockedBy: 'egress', pods: ['shop/app'] },
    ]);
    const onB = podOn('shop/app', { app: 'app' }, '10.244.1.5', 'node-b');
    expect(audit(`${LOCAL}${DNS_PODS}${onB}${ONLY_B}`, 'dns-blocked')).toEqual([]);
    // Without Local, kube-proxy may send it to either: one admitted DNS pod answers.
    expect(audit(`${kubeDns('')}${DNS_PODS}${onA}${ONLY_B}`, 'dns-blocked')).toEqual([]);
  });

  it('a pod whose node is not known may or may not resolve names: UNKNOWN, not fine', () => {
    const nowhere = podOn('shop/app', { app: 'app' }, '10.244.2.5');
    expect(audit(`${LOCAL}${DNS_PODS}${nowhere}${ONLY_B}`, 'dns-blocked')).toEqual([]);
    const [finding] = audit(`${LOCAL}${DNS_PODS}${nowhere}${ONLY_B}`, 'dns-route-unknown');
    expect(finding).toMatchObject({
      severity: 'warning',
      protocol: 'UDP',
      routeUnknown: 'internal-traffic-local',
      blockedBy: 'egress',
      pods: ['shop/app'],
    });
    if (!finding) throw new Error('no finding');
    expect(findingMessage(finding)).toMatch(
      /^1 pod in shop may be unable to resolve names: UNKNOWN: the cluster DNS Service kube-system\/kube-dns has internalTrafficPolicy Local and their node .* is not known; of them, egress to UDP 53 of the cluster DNS pods/,
    );
    // Refused by every DNS pod, it fails wherever kube-proxy sends it.
    const denied = policy('shop/deny', '{podSelector: {}, policyTypes: [Egress]}');
    expect(audit(`${LOCAL}${DNS_PODS}${nowhere}${denied}`, 'dns-blocked')).toMatchObject([
      { blockedBy: 'egress' },
    ]);
  });
});

describe('kube-dns routed by topology hints', () => {
  const HINTED = kubeDns('', '{service.kubernetes.io/topology-mode: Auto}');
  const app = podOn('shop/app', { app: 'app' }, '10.244.0.5', 'node-a');

  it('DNS pods that answer a pod differently make its DNS UNKNOWN; all answering, it resolves', () => {
    expect(audit(`${HINTED}${DNS_PODS}${app}${ONLY_B}`, 'dns-route-unknown')).toMatchObject([
      { routeUnknown: 'topology-hints', blockedBy: 'egress', pods: ['shop/app'] },
    ]);
    expect(audit(`${HINTED}${DNS_PODS}${app}${ALL_DNS}`)).not.toContainEqual(
      expect.objectContaining({ code: expect.stringMatching(/^dns-/) }),
    );
  });
});

describe('the effect preview with kube-dns Local', () => {
  it('blocks DNS for a pod whose own node runs no DNS pod the new policy admits', () => {
    const base = analyseYaml(
      `${LOCAL}${DNS_PODS}${podOn('shop/app', { app: 'app' }, '10.244.0.5', 'node-a')}`,
    );
    const effect = policyEffect(base.cluster, analyseYaml(ONLY_B).cluster.policies);
    expect(effect.dnsBlocked).toEqual([
      { protocol: 'UDP', blockedBy: 'egress', ports: [53], onTheirNode: true, pods: ['shop/app'] },
    ]);
    // The pod may reach coredns-b: its egress is cut off from the DNS pod on its own node only.
    expect(effectLines(effect, { clusterPolicy: false, allowDnsFlag: false }).at(-1)).toBe(
      'blocks DNS: 1 pod cannot resolve names: egress to UDP 53 of the cluster DNS pods on their node (k8s-app=kube-dns in kube-system, behind the Service kube-system/kube-dns, known by name) is not allowed: shop/app (scaffold allow-dns for them too)',
    );
  });

  it('reports DNS going from "may fail" to surely blocked', () => {
    // The pod's node is not known: only coredns-b admits it, so its lookups may fail (UNKNOWN).
    const nowhere = podOn('shop/app', { app: 'app' }, '10.244.2.5');
    const base = analyseYaml(`${LOCAL}${DNS_PODS}${nowhere}${ONLY_B}`);
    // Isolating coredns-b's ingress leaves the pod no DNS pod that answers, on any node.
    const lockDns = policy(
      'kube-system/deny-dns-ingress',
      '{podSelector: {matchLabels: {replica: b}}, policyTypes: [Ingress]}',
    );
    const effect = policyEffect(base.cluster, analyseYaml(lockDns).cluster.policies);
    expect(effect.dnsBlocked).toEqual([
      {
        protocol: 'UDP',
        blockedBy: 'dns-ingress',
        ports: [53],
        wasPossible: true,
        pods: ['shop/app'],
      },
    ]);
    expect(effectLines(effect, { clusterPolicy: false, allowDnsFlag: false }).at(-1)).toMatch(
      /^blocks DNS \(before, it may have been blocked\): 1 pod cannot resolve names: /,
    );
  });
});
