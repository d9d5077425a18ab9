/**
 * explain's exposure of a pod behind a Service that may show it clients outside the pods from a
 * node's address: the ingress ipBlock rows naming such clients carry the doubt `check CLIENT
 * svc/NAME` gives them, while straight to the pod's address they stand.
 */
import { describe, expect, it } from 'vitest';
import { explainPod, type PeerGrant } from '../../src/engine/index.js';
import { exposureLines } from '../../src/render/exposure.js';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { ciliumConfigYaml } from '../helpers/cilium-config.js';
import { analyseYaml } from '../helpers/load.js';
import { policyYaml, stream } from '../helpers/scenario.js';
import { webBackendYaml, webServiceFlows, webServiceYaml } from '../helpers/web-service.js';

const OFFICE_ON_8080 = policyYaml(
  'web/from-office',
  'podSelector: {}\ningress:\n- from: [{ipBlock: {cidr: 203.0.113.0/24}}]\n  ports: [{port: 8080}]',
);

/** explain web/web-1: its ingress grants, with the documents given besides it. */
function ingressGrants(...documents: string[]): readonly PeerGrant[] {
  const analysis = analyseYaml(stream(webBackendYaml(), ...documents));
  return explainPod(analysis, analysis.podIndex.get('web/web-1') as number).ingress.grants;
}

const doubtsOf = (grants: readonly PeerGrant[]) => grants.map((grant) => grant.routeDoubts);

/** web/web behind a LoadBalancer (externalTrafficPolicy Cluster) on Cilium. */
const CILIUM_BEHIND_LOAD_BALANCER = [
  webServiceYaml('LoadBalancer'),
  ciliumAgentYaml('quay.io/cilium/cilium:v1.16.19'),
];

/** With `documents`, the ipBlock row (the first) is doubted, as check doubts `client`. */
function expectDoubtedAsCheck(client: string, ...documents: string[]) {
  expect(doubtsOf(ingressGrants(...documents))[0]).toEqual([
    { kind: 'masked-client', service: 'web/web' },
  ]);
  const analysis = analyseYaml(stream(webBackendYaml(), ...documents));
  expect(webServiceFlows(analysis, client).map((flow) => flow.routeDoubt?.kind)).toEqual([
    'masked-client',
  ]);
}

describe("explain's ingress ipBlock rows behind a Service that may masquerade clients", () => {
  it('carry the masked-client doubt of a LoadBalancer or NodePort with externalTrafficPolicy Cluster', () => {
    for (const type of ['LoadBalancer', 'NodePort']) {
      expect(doubtsOf(ingressGrants(OFFICE_ON_8080, webServiceYaml(type)))).toEqual([
        [{ kind: 'masked-client', service: 'web/web' }],
      ]);
    }
  });

  it('stand where the clients keep their address or never come through the Service', () => {
    const dsr = [
      ciliumConfigYaml('kube-proxy-replacement: "true", bpf-lb-mode: dsr'),
      ciliumAgentYaml('quay.io/cilium/cilium:v1.16.19'),
    ];
    // As a LoadBalancer with externalTrafficPolicy Cluster is doubted, these are not:
    // externalTrafficPolicy Local; a ClusterIP Service, which outside clients do not reach;
    // a Service to another port, which this rule does not open; Cilium in DSR mode.
    expect(
      doubtsOf(ingressGrants(OFFICE_ON_8080, webServiceYaml('LoadBalancer')))[0],
    ).toBeDefined();
    for (const documents of [
      [webServiceYaml('LoadBalancer', 'Local')],
      [webServiceYaml('ClusterIP')],
      [webServiceYaml('LoadBalancer', undefined, 9090)],
      [webServiceYaml('LoadBalancer'), ...dsr],
      [],
    ]) {
      expect(doubtsOf(ingressGrants(OFFICE_ON_8080, ...documents))).toEqual([undefined]);
    }
  });

  it('stand where the address does not decide: a peer admitting every address', () => {
    const anywhere = policyYaml(
      'web/anywhere',
      'podSelector: {}\ningress:\n- from: [{ipBlock: {cidr: 0.0.0.0/0}}]',
    );
    const everyone = policyYaml('web/everyone', 'podSelector: {}\ningress:\n- {}');
    expect(
      doubtsOf(ingressGrants(OFFICE_ON_8080, webServiceYaml('LoadBalancer')))[0],
    ).toBeDefined();
    expect(doubtsOf(ingressGrants(anywhere, webServiceYaml('LoadBalancer')))).toEqual([undefined]);
    // The office rule still admits its clients, and so does the rule without peers.
    expect(
      doubtsOf(ingressGrants(OFFICE_ON_8080, everyone, webServiceYaml('LoadBalancer'))),
    ).toEqual([undefined, undefined]);
  });

  it("are doubted on Cilium even for every address, as check is: Cilium's CIDRs miss a node's address", () => {
    const anywhere = policyYaml(
      'web/anywhere',
      'podSelector: {}\ningress:\n- from: [{ipBlock: {cidr: 0.0.0.0/0}}]',
    );
    expectDoubtedAsCheck('203.0.113.5', anywhere, ...CILIUM_BEHIND_LOAD_BALANCER);
  });

  it('are doubted where an earlier rule denies only the first part of the block, as check is', () => {
    // Cilium's deny of the lower half leaves the upper half to the ipBlock.
    const denyLowerHalf = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: deny-lower-half, namespace: web}
spec:
  endpointSelector: {matchLabels: {app: web}}
  ingressDeny:
  - fromCIDR: [203.0.113.0/25]
`;
    expectDoubtedAsCheck(
      '203.0.113.200',
      OFFICE_ON_8080,
      denyLowerHalf,
      ...CILIUM_BEHIND_LOAD_BALANCER,
    );
  });

  it('are rendered with the doubt under the rule', () => {
    const analysis = analyseYaml(
      stream(webBackendYaml(), OFFICE_ON_8080, webServiceYaml('LoadBalancer')),
    );
    const lines = exposureLines(explainPod(analysis, analysis.podIndex.get('web/web-1') as number));
    const rule = lines.findIndex((line) => line.includes('203.0.113.0/24'));
    expect(lines[rule + 1]).toBe(
      "      UNKNOWN through service web/web: its backends may see these clients from a node's address instead (kube-proxy masquerades such a connection unless the Service is a NodePort or LoadBalancer with externalTrafficPolicy Local, or Cilium's load balancer serves it in DSR mode; whether policies see the address before or after is the network plugin's), which this rule may answer otherwise; straight to the pod's address it stands",
    );
  });
});
