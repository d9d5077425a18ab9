/**
 * explain's Calico and Cilium allow rows naming outside clients by address (Calico `nets`,
 * Cilium `fromCIDR` and `fromCIDRSet`) on a pod behind a Service that may show it those clients
 * from a node's address carry the masked-client doubt of the ipBlock rows, as `check CLIENT
 * svc/NAME` gives it; straight to the pod's address they stand.
 */
import { describe, expect, it } from 'vitest';
import { checkOutcome, explainPod, type PluginRuleGrant } from '../../src/engine/index.js';
import { exposureLines } from '../../src/render/exposure.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';
import {
  nodeYaml,
  webBackendYaml,
  webServiceFlows,
  webServiceYaml,
} from '../helpers/web-service.js';

/** A Calico policy of `kind` allowing TCP 8080 to app == 'web' from `source`. */
const calicoYaml = (
  kind: string,
  namespace: string,
  source: string,
) => `apiVersion: projectcalico.org/v3
kind: ${kind}
metadata: {name: from-office${namespace}}
spec:
  selector: app == 'web'
  ingress:
  - action: Allow
    protocol: TCP
    source: ${source}
    destination: {ports: [8080]}
`;

/** A CiliumNetworkPolicy of web allowing TCP 8080 to app: web from `peer` (one rule field). */
const ciliumYaml = (peer: string) => `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: from-office, namespace: web}
spec:
  endpointSelector: {matchLabels: {app: web}}
  ingress:
  - ${peer}
    toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
`;

const CALICO_GLOBAL_OFFICE = calicoYaml('GlobalNetworkPolicy', '', '{nets: [203.0.113.0/24]}');
const CILIUM_FROM_CIDR = ciliumYaml('fromCIDR: [203.0.113.0/24]');

/** explain web/web-1: its ingress Calico and Cilium rules, with the documents given besides it. */
function ingressRules(...documents: string[]): readonly PluginRuleGrant[] {
  const analysis = analyseYaml(stream(webBackendYaml(), ...documents));
  return (
    explainPod(analysis, analysis.podIndex.get('web/web-1') as number).ingress.pluginRules ?? []
  );
}

const doubtsOf = (rules: readonly PluginRuleGrant[]) => rules.map((rule) => rule.routeDoubts);
const WEB_DOUBT = [{ kind: 'masked-client', service: 'web/web' }];

describe("explain's Calico and Cilium rows of outside clients behind a Service that may masquerade them", () => {
  const policies = {
    'Calico GlobalNetworkPolicy nets': CALICO_GLOBAL_OFFICE,
    // The first address of the nets is in notNets: the rule admits only the upper half.
    'Calico NetworkPolicy nets and notNets': calicoYaml(
      'NetworkPolicy',
      ', namespace: web',
      '{nets: [203.0.113.0/24], notNets: [203.0.113.0/25]}',
    ),
    // Every address but those of notNets: the client is one.
    'Calico GlobalNetworkPolicy notNets alone': calicoYaml(
      'GlobalNetworkPolicy',
      '',
      '{notNets: [10.0.0.0/8]}',
    ),
    'Cilium fromCIDR': CILIUM_FROM_CIDR,
    // Clients outside the cluster; all: those and the nodes.
    'Cilium fromEntities world': ciliumYaml('fromEntities: [world]'),
    'Cilium fromEntities all': ciliumYaml('fromEntities: [all]'),
    'Cilium fromCIDRSet with an except': ciliumYaml(
      'fromCIDRSet: [{cidr: 203.0.113.0/24, except: [203.0.113.0/25]}]',
    ),
  };

  for (const [name, policy] of Object.entries(policies)) {
    it(`${name}: doubted through a LoadBalancer with externalTrafficPolicy Cluster, as check is`, () => {
      expect(doubtsOf(ingressRules(policy, webServiceYaml('LoadBalancer')))).toEqual([WEB_DOUBT]);
      const analysis = analyseYaml(
        stream(webBackendYaml(), policy, webServiceYaml('LoadBalancer')),
      );
      const flows = webServiceFlows(analysis, '203.0.113.200');
      expect(checkOutcome(flows)).toBe('UNKNOWN');
      expect(flows.map((flow) => flow.routeDoubt?.kind)).toEqual(['masked-client']);
    });

    // The rule opens 8080 only: a Service to 9090 does not bring it clients.
    it(`${name}: stands with externalTrafficPolicy Local, a ClusterIP, or another target port`, () => {
      for (const service of [
        webServiceYaml('LoadBalancer', 'Local'),
        webServiceYaml('ClusterIP'),
        webServiceYaml('LoadBalancer', undefined, 9090),
      ]) {
        expect(doubtsOf(ingressRules(policy, service))).toEqual([undefined]);
      }
    });
  }

  it('Cilium fromEntities cluster: doubted where the Nodes show its outside clients, as check is', () => {
    const cluster = ciliumYaml('fromEntities: [cluster]');
    const node = nodeYaml('node-a', '192.168.10.1', '10.244.1.0/24');
    expect(doubtsOf(ingressRules(cluster, node, webServiceYaml('LoadBalancer')))).toEqual([
      WEB_DOUBT,
    ]);
    const analysis = analyseYaml(
      stream(webBackendYaml(), cluster, node, webServiceYaml('LoadBalancer')),
    );
    expect(webServiceFlows(analysis, '192.168.10.1').map((flow) => flow.routeDoubt?.kind)).toEqual([
      'masked-client',
    ]);
    // Without a Node no client outside the pods is known to be in the cluster.
    expect(doubtsOf(ingressRules(cluster, webServiceYaml('LoadBalancer')))).toEqual([undefined]);
  });

  it('Calico nets of both families: each is probed, here the IPv6 one an earlier rule leaves', () => {
    const dualStack = stream(
      namespaceYaml('web'),
      podYaml('web/web-1', {
        labels: { app: 'web' },
        ips: ['10.244.1.5', 'fd00::5'],
        ports: [{ port: 8080 }],
      }),
    );
    const policy = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: office}
spec:
  selector: app == 'web'
  ingress:
  - {action: Deny, source: {nets: [203.0.113.0/24]}}
  - {action: Allow, protocol: TCP, source: {nets: [203.0.113.0/24, 2001:db8::/64]}}
`;
    const analysis = analyseYaml(stream(dualStack, policy, webServiceYaml('LoadBalancer')));
    const rules = explainPod(analysis, analysis.podIndex.get('web/web-1') as number).ingress;
    expect(doubtsOf(rules.pluginRules ?? [])).toEqual([undefined, WEB_DOUBT]);
    expect(webServiceFlows(analysis, '2001:db8::5').map((flow) => flow.routeDoubt?.kind)).toEqual([
      'masked-client',
    ]);
  });

  it('leaves deny rules and rules naming no address undoubted', () => {
    const deny = CALICO_GLOBAL_OFFICE.replace('action: Allow', 'action: Deny');
    const pods = ciliumYaml('fromEndpoints: [{matchLabels: {app: client}}]');
    for (const policy of [deny, pods]) {
      expect(doubtsOf(ingressRules(policy, webServiceYaml('LoadBalancer')))).toEqual([undefined]);
    }
  });

  it('renders the doubt under the rule, as under an ipBlock row of the same clients', () => {
    const ipBlock = policyYaml(
      'web/office-block',
      'podSelector: {}\ningress:\n- from: [{ipBlock: {cidr: 203.0.113.0/24}}]\n  ports: [{port: 8080}]',
    );
    const analysis = analyseYaml(
      stream(webBackendYaml(), ipBlock, CILIUM_FROM_CIDR, webServiceYaml('LoadBalancer')),
    );
    const lines = exposureLines(explainPod(analysis, analysis.podIndex.get('web/web-1') as number));
    const under = (rule: string) => lines[lines.findIndex((line) => line.includes(rule)) + 1];
    expect(under('(ciliumnetworkpolicy/web/from-office ingress rule 1)')).toMatch(
      /^ {6}UNKNOWN through service web\/web: /,
    );
    expect(under('(ciliumnetworkpolicy/web/from-office ingress rule 1)')).toBe(
      under('(web/office-block ingress rule 1)'),
    );
  });
});
