import { describe, expect, it } from 'vitest';
import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import {
  type Analysis,
  auditCluster,
  computeMatrix,
  type DirectionVerdict,
  portSetAllows,
} from '../../src/engine/index.js';
import { findingMessage } from '../../src/render/audit.js';
import { undecidedLayerText } from '../../src/render/completeness.js';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { analyseYaml, fixture } from '../helpers/load.js';

// Cilium before 1.16 copies only `port` of a NetworkPolicy port (parsePorts in
// pkg/k8s/network_policy.go of v1.14.5 and v1.15.3) and logs "EndPort in kubernetes NetworkPolicy
// is not supported" (pkg/k8s/watchers/network_policy.go); cilium/cilium#28684: "Cilium silently
// accepts it and ignores the endPort"; 1.16 added port ranges (cilium/cilium#32389), and the
// 1.18 docs no longer list "Port ranges (endPort)" among the known missing features
// (https://docs.cilium.io/en/stable/network/kubernetes/policy/).
const MODEL = fixture('conformance/cilium/model.yaml');

// api takes ingress from web on TCP 8080-8090 only.
const RANGE = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-range, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{protocol: TCP, port: 8080, endPort: 8090}]
`;

const agent = ciliumAgentYaml;

/** check's answer from web to api on a TCP port, with the reasons of an UNKNOWN ingress side. */
function webToApi(analysis: Analysis, port: number) {
  const at = (id: string) => podEndpoint(analysis, analysis.podIndex.get(id) as number);
  const flow = evaluateFlow(analysis, at('shop/web'), at('shop/api'), 'TCP', port);
  const why = (side: DirectionVerdict) => (side.undecided ?? []).map(undecidedLayerText);
  return { verdict: flow.verdict, why: why(flow.ingress) };
}

/** The matrix's answer from web to api on a TCP port. */
function matrixWebToApi(analysis: Analysis, port: number) {
  const matrix = computeMatrix(analysis);
  const row = matrix.podIdxs.indexOf(analysis.podIndex.get('shop/web') as number);
  const column = matrix.podIdxs.indexOf(analysis.podIndex.get('shop/api') as number);
  if (!portSetAllows(matrix.connections(row, column), 'TCP', port)) return 'DENIED';
  return portSetAllows(matrix.undecidedConnections(row, column), 'TCP', port)
    ? 'UNKNOWN'
    : 'ALLOWED';
}

const UNKNOWN_WHY =
  "networkpolicy/shop/api-range uses endPort, which Cilium before 1.16 ignores (a range then admits only its first port), and the version of Cilium could not be read from its agent image's tag";

describe('NetworkPolicy endPort on Cilium, by the version its agent image shows', () => {
  it('admits the whole range on Cilium 1.16', () => {
    const analysis = analyseYaml(MODEL, RANGE, agent('quay.io/cilium/cilium:v1.16.0'));
    expect([8080, 8085, 8090, 8091].map((port) => webToApi(analysis, port).verdict)).toEqual([
      'ALLOWED',
      'ALLOWED',
      'ALLOWED',
      'DENIED',
    ]);
  });

  for (const image of ['quay.io/cilium/cilium:v1.14.5', 'quay.io/cilium/cilium:v1.15.3']) {
    it(`admits only the first port on ${image}, as Cilium cuts the range`, () => {
      const analysis = analyseYaml(MODEL, RANGE, agent(image));
      expect(webToApi(analysis, 8080)).toEqual({ verdict: 'ALLOWED', why: [] });
      expect(webToApi(analysis, 8085)).toEqual({ verdict: 'DENIED', why: [] });
      expect(matrixWebToApi(analysis, 8085)).toBe('DENIED');
      expect(matrixWebToApi(analysis, 8080)).toBe('ALLOWED');
    });
  }

  it('is UNKNOWN inside the range when the image has only a digest, naming why', () => {
    const image = 'quay.io/cilium/cilium@sha256:0123abcd';
    const analysis = analyseYaml(MODEL, RANGE, agent(image));
    expect(webToApi(analysis, 8085)).toEqual({ verdict: 'UNKNOWN', why: [UNKNOWN_WHY] });
    expect(matrixWebToApi(analysis, 8085)).toBe('UNKNOWN');
    // The first port and ports outside the range get the same answer from every version.
    expect(webToApi(analysis, 8080).verdict).toBe('ALLOWED');
    expect(webToApi(analysis, 8091).verdict).toBe('DENIED');
    expect(matrixWebToApi(analysis, 8080)).toBe('ALLOWED');
  });

  it('is UNKNOWN when agents run versions on both sides of 1.16 (an upgrade under way)', () => {
    const analysis = analyseYaml(
      MODEL,
      RANGE,
      agent('quay.io/cilium/cilium:v1.15.3'),
      agent('quay.io/cilium/cilium:v1.16.0', 'cilium-canary'),
    );
    expect(webToApi(analysis, 8085).verdict).toBe('UNKNOWN');
  });

  it('answers as written where the network plugin is not Cilium', () => {
    const calico = agent('docker.io/calico/node:v3.27.0', 'calico-node');
    const analysis = analyseYaml(MODEL, RANGE, calico);
    expect(webToApi(analysis, 8085)).toEqual({ verdict: 'ALLOWED', why: [] });
  });
});

describe('the cilium-endport-ignored audit finding', () => {
  /** The finding's severity and message on a cluster running the given agent image. */
  const findings = (image: string) =>
    auditCluster(analyseYaml(MODEL, RANGE, agent(image)))
      .findings.filter((finding) => finding.code === 'cilium-endport-ignored')
      .map((finding) => ({ severity: finding.severity, message: findingMessage(finding) }));

  it('warns that Cilium 1.14 allows only the first port, naming the image', () => {
    expect(findings('quay.io/cilium/cilium:v1.14.5')).toEqual([
      {
        severity: 'warning',
        message:
          'shop/api-range ingress rule 1 allows TCP 8080-8090, but the cluster runs Cilium 1.14 (quay.io/cilium/cilium:v1.14.5), which ignores endPort before 1.16: it allows only TCP 8080',
      },
    ]);
  });

  it('notes that the range is UNKNOWN when the tag tells no version', () => {
    expect(findings('quay.io/cilium/cilium@sha256:0123abcd')).toEqual([
      {
        severity: 'info',
        message:
          "shop/api-range ingress rule 1 allows TCP 8080-8090 with endPort, which Cilium before 1.16 ignores (allowing only TCP 8080), and the Cilium version could not be read from its agent image's tag: flows to the rest of the range are UNKNOWN",
      },
    ]);
  });

  it('says nothing on Cilium 1.16', () => {
    expect(findings('quay.io/cilium/cilium:v1.16.0')).toEqual([]);
  });
});
