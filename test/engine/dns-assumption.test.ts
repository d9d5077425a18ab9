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
import { APP, COREDNS_5353, DENY_EGRESS } from './audit/dns-scenario.js';
import { audit } from './audit/yaml.js';

const NONE = clusterOfYaml(fixture('dns/none/cluster.yaml'));
const TWO = clusterOfYaml(fixture('dns/two-services/cluster.yaml'));
const OPENSHIFT = fixture('dns/openshift/cluster.yaml');
const NAMED_PORT_UNRESOLVED = fixture('dns/named-port-unresolved/cluster.yaml');
/** The EndpointSlice OpenShift's DNS Service has: the named ports resolved on its pods, 5353. */
const DNS_DEFAULT_SLICE = `---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: dns-default-x8k2p
  namespace: openshift-dns
  labels: {kubernetes.io/service-name: dns-default}
addressType: IPv4
endpoints: [{addresses: [10.128.0.12]}]
ports: [{name: dns, port: 5353, protocol: UDP}, {name: dns-tcp, port: 5353, protocol: TCP}]
`;

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

describe('a DNS Service whose named targetPort the input does not resolve', () => {
  it('says 53 is assumed for it, naming the targetPorts left unresolved', () => {
    const asked = withClusterDns(ALLOW_DNS, clusterOfYaml(NAMED_PORT_UNRESOLVED));
    const [allowDns] = scaffoldTemplate(asked) as NetworkPolicy[];
    expect(dnsRules(allowDns as NetworkPolicy)).toEqual([
      [
        'openshift-dns',
        { 'dns.operator.openshift.io/daemonset-dns': 'default' },
        ['UDP/53', 'TCP/53'],
      ],
    ]);
    expect(dnsAssumption(asked)).toEqual({
      assumed: 'target-port',
      servers: [
        {
          namespace: 'openshift-dns',
          podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' },
          service: 'openshift-dns/dns-default',
          distributions: 'OpenShift',
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
          unresolvedPorts: [
            { protocol: 'UDP', targetPort: 'dns' },
            { protocol: 'TCP', targetPort: 'dns-tcp' },
          ],
        },
      ],
      policy: { namespace: 'shop', name: 'allow-dns-egress' },
    });
  });

  it('takes the port from the Service’s EndpointSlices when they are in the input', () => {
    const cluster = clusterOfYaml(`${NAMED_PORT_UNRESOLVED}${DNS_DEFAULT_SLICE}`);
    const asked = withClusterDns(ALLOW_DNS, cluster);
    const [allowDns] = scaffoldTemplate(asked) as NetworkPolicy[];
    expect(dnsRules(allowDns as NetworkPolicy)[0]?.[2]).toEqual(['UDP/5353', 'TCP/5353']);
    expect(dnsAssumption(asked)).toBeUndefined();
  });

  it('takes a numeric targetPort from the Service alone, and assumes only for the named one', () => {
    // kube-dns maps UDP 53 to the named port dns, TCP 53 to 5353; its CoreDNS pod is not read.
    const service = COREDNS_5353.slice(COREDNS_5353.indexOf('apiVersion: v1\nkind: Service'));
    const asked = withClusterDns(ALLOW_DNS, clusterOfYaml(`${service}---\n${APP}`));
    const [allowDns] = scaffoldTemplate(asked) as NetworkPolicy[];
    expect(dnsRules(allowDns as NetworkPolicy)[0]?.[2]).toEqual(['UDP/53', 'TCP/5353']);
    expect(dnsAssumption(asked)).toMatchObject({
      assumed: 'target-port',
      servers: [{ unresolvedPorts: [{ protocol: 'UDP', targetPort: 'dns' }] }],
    });
  });

  it('carries what is assumed in the data of the audit’s fix', () => {
    const [blocked] = audit(`${NAMED_PORT_UNRESOLVED}${DENY_EGRESS}`, 'dns-blocked');
    expect(blocked?.fixes.map(fixActionData)).toContainEqual(
      expect.objectContaining({
        kind: 'scaffold',
        fix: expect.objectContaining({
          dnsAssumption: expect.objectContaining({ assumed: 'target-port' }),
        }),
      }),
    );
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
