/**
 * Scaffolds that allow DNS say what they assumed of the cluster DNS when the input does not tell
 * it, and with several DNS Services that disagree, admit each on its own ports.
 */
import { describe, expect, it } from 'vitest';
import {
  type ClusterNetworkPolicy,
  dnsAssumption,
  type NetworkPolicy,
  type ScaffoldRequest,
  scaffoldTemplate,
  type TemplateRequest,
  withClusterDns,
} from '../../src/engine/index.js';
import { fixActionData } from '../../src/render/scaffold-command.js';
import { clusterOfYaml, fixture } from '../helpers/load.js';
import { audit } from './audit/yaml.js';

const NONE = clusterOfYaml(fixture('dns/none/cluster.yaml'));
const TWO = clusterOfYaml(fixture('dns/two-services/cluster.yaml'));
const OPENSHIFT = fixture('dns/openshift/cluster.yaml');

const ALLOW_DNS: ScaffoldRequest = { kind: 'allow-dns', namespace: 'shop' };
const KUBE_DNS_ON_53 = {
  namespace: 'kube-system',
  podLabels: { 'k8s-app': 'kube-dns' },
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};

/** Each egress rule of a NetworkPolicy as [DNS namespace, pod labels, ports]. */
function dnsRules(policy: NetworkPolicy) {
  return policy.egress.map((rule) => [
    rule.peers[0]?.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'],
    rule.peers[0]?.podSelector?.matchLabels,
    rule.ports.map((p) => `${p.protocol}/${p.port}`),
  ]);
}

describe('what an allow-dns rule assumes of the cluster DNS', () => {
  it('says kubeadm’s kube-dns on 53 is assumed where the input shows no cluster DNS', () => {
    expect(dnsAssumption(withClusterDns(ALLOW_DNS, NONE))).toEqual({
      assumed: 'not-found',
      servers: [KUBE_DNS_ON_53],
      policy: { namespace: 'shop', name: 'allow-dns-egress' },
    });
  });

  it('says it is assumed where nothing was read at all', () => {
    expect(dnsAssumption(ALLOW_DNS)).toMatchObject({ assumed: 'not-read' });
  });

  it('assumes nothing where the input tells one cluster DNS', () => {
    const openshift = clusterOfYaml(OPENSHIFT);
    expect(dnsAssumption(withClusterDns(ALLOW_DNS, openshift))).toBeUndefined();
    const deny: TemplateRequest = { kind: 'default-deny', namespace: 'shop', direction: 'both' };
    expect(dnsAssumption(withClusterDns(deny, NONE))).toBeUndefined();
  });

  it('admits each of several DNS Services on its own ports, and says so', () => {
    const request: TemplateRequest = {
      kind: 'default-deny',
      namespace: 'bank',
      direction: 'both',
      allowDns: true,
    };
    const asked = withClusterDns(request, TWO);
    const [, allowDns] = scaffoldTemplate(asked) as NetworkPolicy[];
    expect(dnsRules(allowDns as NetworkPolicy)).toEqual([
      ['kube-system', { 'k8s-app': 'kube-dns' }, ['UDP/53', 'TCP/53']],
      [
        'openshift-dns',
        { 'dns.operator.openshift.io/daemonset-dns': 'default' },
        ['UDP/5353', 'TCP/5353'],
      ],
    ]);
    expect(dnsAssumption(asked)).toMatchObject({
      assumed: 'several',
      servers: [{ service: 'kube-system/kube-dns' }, { service: 'openshift-dns/dns-default' }],
      policy: { namespace: 'bank', name: 'allow-dns-egress' },
    });
  });

  it('writes one cluster-policy rule per DNS Service, each with its ports', () => {
    const request: TemplateRequest = {
      kind: 'baseline-deny',
      namespace: 'bank',
      direction: 'egress',
      allowDns: true,
    };
    const [policy] = scaffoldTemplate(withClusterDns(request, TWO)) as ClusterNetworkPolicy[];
    expect(
      policy?.egress.map((rule) => [
        rule.name,
        rule.action,
        rule.ports.map((p) => p.kind === 'number' && p.port),
      ]),
    ).toEqual([
      ['allow-dns', 'Accept', [53, 53]],
      ['allow-dns-2', 'Accept', [5353, 5353]],
      ['deny-all-egress', 'Deny', []],
    ]);
  });
});

describe('audit fixes that allow DNS', () => {
  it('write the default-deny egress fix against the cluster DNS found (OpenShift’s on 5353)', () => {
    // shop's pods without their policies: open for egress.
    const open = OPENSHIFT.slice(0, OPENSHIFT.indexOf('apiVersion: networking.k8s.io/v1'));
    const egress = audit(open, 'unisolated-pods').find((f) => f.direction === 'egress');
    const fix = egress?.fixes[0];
    expect(fix?.kind).toBe('scaffold');
    const request = fix?.kind === 'scaffold' ? fix.fix : ALLOW_DNS;
    const [, allowDns] = scaffoldTemplate(request) as NetworkPolicy[];
    expect(dnsRules(allowDns as NetworkPolicy)).toEqual([
      [
        'openshift-dns',
        { 'dns.operator.openshift.io/daemonset-dns': 'default' },
        ['UDP/5353', 'TCP/5353'],
      ],
    ]);
  });

  it('carry what they assume in their data', () => {
    const [blocked] = audit(fixture('dns/two-services/cluster.yaml'), 'dns-blocked');
    const data = blocked?.fixes.map(fixActionData);
    expect(data).toMatchObject([
      { kind: 'scaffold', fix: { namespace: 'bank', dnsAssumption: { assumed: 'several' } } },
    ]);
  });
});
