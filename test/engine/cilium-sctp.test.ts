import { describe, expect, it } from 'vitest';
import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import {
  type Analysis,
  auditCluster,
  ciliumLayerNotes,
  computeMatrix,
  type DirectionVerdict,
  type Protocol,
  portSetAllows,
} from '../../src/engine/index.js';
import { findingMessage } from '../../src/render/audit.js';
import { undecidedLayerText } from '../../src/render/completeness.js';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { analyseYaml, fixture } from '../helpers/load.js';

// Whether SCTP passes at all is Cilium's choice, before any policy (the sources are quoted in
// test/fixtures/cilium-sctp/policy.yaml): from 1.13 only with cilium-config enable-sctp (off by
// default), before 1.13 never; without it the datapath's conntrack lookup drops every SCTP
// packet of an endpoint ("CT: Unknown L4 protocol"), whatever NetworkPolicies or Cilium's own
// policies say.
const MODEL = fixture('conformance/cilium/model.yaml');
const POLICY = fixture('cilium-sctp/policy.yaml');
const CONFIG_ON = fixture('cilium-sctp/config-on.yaml');
const CONFIG_OFF = fixture('cilium-sctp/config-off.yaml');
const CONFIG_WITHOUT_KEY = fixture('cilium-sctp/config-without-key.yaml');
const AGENT_1_16 = ciliumAgentYaml('quay.io/cilium/cilium:v1.16.0');
const AGENT_1_12 = ciliumAgentYaml('quay.io/cilium/cilium:v1.12.10', 'cilium-old');

/** The answer from one pod to another, with the reasons of UNKNOWN sides. */
function flow(analysis: Analysis, from: string, to: string, protocol: Protocol, port: number) {
  const at = (id: string) => podEndpoint(analysis, analysis.podIndex.get(id) as number);
  const verdict = evaluateFlow(analysis, at(from), at(to), protocol, port);
  const why = (side: DirectionVerdict) => (side.undecided ?? []).map(undecidedLayerText);
  return {
    verdict: verdict.verdict,
    sides: [verdict.egress.kind, verdict.ingress.kind],
    why: [...new Set([...why(verdict.egress), ...why(verdict.ingress)])],
  };
}

/** web to api on SCTP 3868 (the rule's port), SCTP 9 (no rule's) and TCP 3868, by verdict. */
function webToApi(analysis: Analysis) {
  return (
    [
      ['SCTP', 3868],
      ['SCTP', 9],
      ['TCP', 3868],
    ] as const
  ).map(([protocol, port]) => flow(analysis, 'shop/web', 'shop/api', protocol, port).verdict);
}

/** The matrix's answer from web to api on SCTP 3868. */
function matrixWebToApi(analysis: Analysis) {
  const matrix = computeMatrix(analysis);
  const row = matrix.podIdxs.indexOf(analysis.podIndex.get('shop/web') as number);
  const column = matrix.podIdxs.indexOf(analysis.podIndex.get('shop/api') as number);
  if (!portSetAllows(matrix.connections(row, column), 'SCTP', 3868)) return 'DENIED';
  return portSetAllows(matrix.undecidedConnections(row, column), 'SCTP', 3868)
    ? 'UNKNOWN'
    : 'ALLOWED';
}

const NOT_GIVEN =
  'ConfigMap kube-system/cilium-config is not in the input, so whether Cilium passes SCTP is unknown: its datapath drops every SCTP packet unless cilium-config sets enable-sctp: "true" (off by default)';

describe('SCTP on Cilium, by cilium-config enable-sctp and the agent version', () => {
  it('enforces the policy as written where enable-sctp is on', () => {
    const analysis = analyseYaml(MODEL, POLICY, AGENT_1_16, CONFIG_ON);
    expect(webToApi(analysis)).toEqual(['ALLOWED', 'DENIED', 'DENIED']);
    expect(matrixWebToApi(analysis)).toBe('ALLOWED');
  });

  for (const [name, config] of [
    ['enable-sctp "false"', CONFIG_OFF],
    ['no enable-sctp key', CONFIG_WITHOUT_KEY],
  ]) {
    it(`drops every SCTP flow between pods with ${name}, on both sides, TCP unchanged`, () => {
      const analysis = analyseYaml(MODEL, POLICY, AGENT_1_16, config as string);
      expect(flow(analysis, 'shop/web', 'shop/api', 'SCTP', 3868)).toEqual({
        verdict: 'DENIED',
        sides: ['cilium-datapath', 'cilium-datapath'],
        why: [],
      });
      expect(webToApi(analysis)).toEqual(['DENIED', 'DENIED', 'DENIED']);
      expect(flow(analysis, 'shop/web', 'shop/admin', 'TCP', 80).verdict).toBe('ALLOWED');
      expect(matrixWebToApi(analysis)).toBe('DENIED');
    });
  }

  it('drops SCTP sent by a pod to a host-network pod (its own side), not on the host side', () => {
    const analysis = analyseYaml(MODEL, AGENT_1_16, CONFIG_OFF);
    expect(flow(analysis, 'shop/web', 'kube-system/node-agent', 'SCTP', 9)).toEqual({
      verdict: 'DENIED',
      sides: ['cilium-datapath', 'unrestricted'],
      why: [],
    });
  });

  it('drops SCTP on Cilium before 1.13 whatever cilium-config says', () => {
    const analysis = analyseYaml(MODEL, POLICY, AGENT_1_12, CONFIG_ON);
    // The agent refuses the policy naming SCTP too (test/engine/cilium-refusals.test.ts): api
    // is not isolated, and TCP passes.
    expect(webToApi(analysis)).toEqual(['DENIED', 'DENIED', 'ALLOWED']);
    expect(analysis.ciliumSctp).toMatchObject({ kind: 'dropped', version: { minor: 12 } });
  });

  it('is UNKNOWN where cilium-config is not given, only for flows the policies would allow', () => {
    const analysis = analyseYaml(MODEL, POLICY, AGENT_1_16);
    expect(flow(analysis, 'shop/web', 'shop/api', 'SCTP', 3868)).toEqual({
      verdict: 'UNKNOWN',
      sides: ['unrestricted', 'allowed'],
      why: [NOT_GIVEN],
    });
    expect(webToApi(analysis)).toEqual(['UNKNOWN', 'DENIED', 'DENIED']);
    expect(matrixWebToApi(analysis)).toBe('UNKNOWN');
  });

  it('is UNKNOWN where enable-sctp is on but some agents predate 1.13', () => {
    const analysis = analyseYaml(MODEL, POLICY, AGENT_1_16, AGENT_1_12, CONFIG_ON);
    expect(flow(analysis, 'shop/web', 'shop/api', 'SCTP', 3868).why).toEqual([
      'cilium-config turns enable-sctp on, but agent image quay.io/cilium/cilium:v1.12.10 runs Cilium 1.12, before 1.13, which drops every SCTP packet: pods on its nodes get no SCTP',
    ]);
  });

  it('is UNKNOWN where Cilium is only assumed from its policies and cilium-config is not given', () => {
    const cnp = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: admin-in, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: admin}}
  ingress: [{fromEndpoints: [{}]}]
`;
    const analysis = analyseYaml(MODEL, POLICY, cnp);
    expect(analysis.ciliumLayer).toBe('assumed');
    expect(flow(analysis, 'shop/web', 'shop/api', 'SCTP', 3868).verdict).toBe('UNKNOWN');
  });

  it('changes nothing where the network plugin is Calico', () => {
    const calico = ciliumAgentYaml('docker.io/calico/node:v3.27.0', 'calico-node');
    const analysis = analyseYaml(MODEL, POLICY, calico);
    expect(webToApi(analysis)).toEqual(['ALLOWED', 'DENIED', 'DENIED']);
  });
});

/** The SCTP audit findings and notes, in words, on a cluster of `yaml`. */
function sctpWords(...yaml: string[]) {
  const analysis = analyseYaml(MODEL, POLICY, ...yaml);
  return {
    audit: auditCluster(analysis)
      .findings.filter((finding) => finding.code.startsWith('cilium-sctp'))
      .map((finding) => `${finding.code}: ${findingMessage(finding)}`),
    notes: ciliumLayerNotes(analysis, analysis.cni.plugin)
      .filter((note) => note.code === 'cilium-sctp')
      .map((note) => `${note.severity}: ${note.message}`),
  };
}

describe('NetworkPolicy SCTP ports on Cilium, in the audit and notes', () => {
  it('warn that the rule admits nothing where Cilium drops SCTP', () => {
    expect(sctpWords(AGENT_1_16, CONFIG_OFF)).toEqual({
      audit: [
        'cilium-sctp-dropped: shop/api-diameter ingress rule 1 allows SCTP 3868, which no pod ever receives: Cilium drops every SCTP packet before any policy: cilium-config does not set enable-sctp: "true" (off by default)',
      ],
      notes: [
        'warning: networkpolicy/shop/api-diameter names SCTP ports; Cilium drops every SCTP packet: cilium-config does not set enable-sctp: "true" (off by default)',
      ],
    });
  });

  it('note that SCTP answers are UNKNOWN where cilium-config is not given', () => {
    expect(sctpWords(AGENT_1_16)).toEqual({
      audit: [
        `cilium-sctp-unconfirmed: shop/api-diameter ingress rule 1 allows SCTP 3868, and its SCTP answers are UNKNOWN: ${NOT_GIVEN}`,
      ],
      notes: [
        'info: networkpolicy/shop/api-diameter names SCTP ports; whether Cilium passes SCTP is unknown (cilium-config is not in the input; enable-sctp is off by default): SCTP answers are UNKNOWN',
      ],
    });
  });

  it('say nothing where Cilium passes SCTP, or the network plugin is Calico', () => {
    expect(sctpWords(AGENT_1_16, CONFIG_ON)).toEqual({ audit: [], notes: [] });
    const calico = ciliumAgentYaml('docker.io/calico/node:v3.27.0', 'calico-node');
    expect(sctpWords(calico)).toEqual({ audit: [], notes: [] });
  });
});
