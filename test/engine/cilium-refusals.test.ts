import { describe, expect, it } from 'vitest';
import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import {
  type Analysis,
  auditCluster,
  type Cluster,
  ciliumLayerNotes,
  compileCluster,
  computeMatrix,
  type Protocol,
  portSetAllows,
} from '../../src/engine/index.js';
import { findingMessage } from '../../src/render/audit.js';
import { undecidedLayerText } from '../../src/render/completeness.js';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { CILIUM_CONFIG_REFUSED, ciliumConfigYaml } from '../helpers/cilium-config.js';
import { analyseYaml, clusterOfYaml, fixture } from '../helpers/load.js';

// Policies Cilium's agent refuses whole, so that none of their rules apply and they isolate no
// pod (sources quoted in src/engine/cni/cilium-refusals.ts):
// - before 1.13, any policy naming SCTP in a port: L4Proto.Validate takes only TCP, UDP and ANY
//   (pkg/policy/api/utils.go, v1.12.0; v1.13.0 adds SCTP);
// - a Cilium policy with icmps rules unless enable-icmp-rules is on (rule_validation.go, v1.11.0
//   to v1.20.2): off by default in 1.11, on from 1.12.
const MODEL = fixture('conformance/cilium/model.yaml');
const agent = (tag: string, name?: string) => ciliumAgentYaml(`quay.io/cilium/cilium:${tag}`, name);
/** An agent whose image tag tells no version. */
const AGENT_UNTOLD = fixture('cilium-refusals/agent-latest.yaml');

const NP_SCTP = fixture('cilium-refusals/api-diameter.yaml');
const CNP_ICMP = fixture('cilium-refusals/api-ping.yaml');

/** The verdict from one pod to another, and why a side is UNKNOWN, in words. */
function check(analysis: Analysis, from: string, to: string, protocol: Protocol, port: number) {
  const at = (id: string) => podEndpoint(analysis, analysis.podIndex.get(id) as number);
  const flow = evaluateFlow(analysis, at(from), at(to), protocol, port);
  return {
    verdict: flow.verdict,
    why: (flow.ingress.undecided ?? []).map(undecidedLayerText),
  };
}

const verdict = (analysis: Analysis, from: string, port = 3868) =>
  check(analysis, from, 'shop/api', 'TCP', port).verdict;

/** CNP_ICMP analysed with an agent of `tag` and cilium-config holding `data`. */
const pingPolicy = (tag: string, data: string) =>
  analyseYaml(MODEL, CNP_ICMP, agent(tag), ciliumConfigYaml(data));

/** The matrix's answer from a pod to api on TCP 3868. */
function matrixVerdict(analysis: Analysis, from: string) {
  const matrix = computeMatrix(analysis);
  const row = matrix.podIdxs.indexOf(analysis.podIndex.get(from) as number);
  const column = matrix.podIdxs.indexOf(analysis.podIndex.get('shop/api') as number);
  if (!portSetAllows(matrix.connections(row, column), 'TCP', 3868)) return 'DENIED';
  return portSetAllows(matrix.undecidedConnections(row, column), 'TCP', 3868)
    ? 'UNKNOWN'
    : 'ALLOWED';
}

describe('a NetworkPolicy naming SCTP on Cilium', () => {
  it('is left out before 1.13: the pod it selected is not isolated', () => {
    const analysis = analyseYaml(MODEL, NP_SCTP, agent('v1.12.10'));
    expect(verdict(analysis, 'shop/admin')).toBe('ALLOWED');
    expect(analysis.policies).toEqual([]);
    expect(ciliumLayerNotes(analysis, 'Cilium').map((note) => note.message)).toContain(
      'networkpolicy/shop/api-diameter: it names SCTP in a port, which Cilium 1.12 (quay.io/cilium/cilium:v1.12.10) refuses (SCTP came in 1.13); left out, as the agent enforces none of its rules and isolates no pod by it',
    );
    const findings = auditCluster(analysis).findings.filter(
      (f) => f.code === 'cilium-policy-refused',
    );
    expect(findings.map(findingMessage)).toEqual([
      'networkpolicy/shop/api-diameter is refused whole by the Cilium agent: it names SCTP in a port, and agent image quay.io/cilium/cilium:v1.12.10 runs Cilium 1.12, which refuses such a policy (SCTP came in 1.13); it is left out of this audit, as none of its rules apply',
    ]);
    expect(findings[0]?.severity).toBe('warning');
  });

  it('is enforced from 1.13', () => {
    const analysis = analyseYaml(MODEL, NP_SCTP, agent('v1.13.0'));
    expect(verdict(analysis, 'shop/admin')).toBe('DENIED');
    expect(verdict(analysis, 'shop/web')).toBe('ALLOWED');
    expect(analysis.ciliumRefused).toBeUndefined();
  });

  it('makes UNKNOWN only what refusing it would change when the version is not known', () => {
    const analysis = analyseYaml(MODEL, NP_SCTP, AGENT_UNTOLD);
    expect(check(analysis, 'shop/admin', 'shop/api', 'TCP', 3868)).toEqual({
      verdict: 'UNKNOWN',
      why: [
        'networkpolicy/shop/api-diameter may be refused whole (Cilium before 1.13 refuses a policy naming SCTP in a port, and the Cilium version is not known (no agent image tag in the input tells it, down to the patch or past a pre-release where one decides, or agents run versions on both sides of 1.13)), and without it the answer differs',
      ],
    });
    // Allowed with the policy and without it.
    expect(verdict(analysis, 'shop/web')).toBe('ALLOWED');
    expect([matrixVerdict(analysis, 'shop/admin'), matrixVerdict(analysis, 'shop/web')]).toEqual([
      'UNKNOWN',
      'ALLOWED',
    ]);
    // Agents on both sides of 1.13 (an upgrade under way) cannot tell either.
    const mixed = analyseYaml(MODEL, NP_SCTP, agent('v1.13.0'), agent('v1.12.10', 'cilium-old'));
    expect(verdict(mixed, 'shop/admin')).toBe('UNKNOWN');
  });

  it('is kept whatever the version on other plugins', () => {
    expect(verdict(analyseYaml(MODEL, NP_SCTP), 'shop/admin')).toBe('DENIED');
  });
});

describe('a CiliumNetworkPolicy', () => {
  it('naming SCTP is left out before 1.13, and one with protocol ANY is kept', () => {
    const sctp = CNP_ICMP.replace(
      /icmps: .*/,
      'toPorts: [{ports: [{port: "3868", protocol: SCTP}]}]',
    );
    const refused = analyseYaml(
      MODEL,
      sctp,
      agent('v1.12.10'),
      ciliumConfigYaml('enable-sctp: "true"'),
    );
    expect(verdict(refused, 'shop/admin')).toBe('ALLOWED');
    expect(refused.ciliumRefused?.map((p) => p.reason.kind)).toEqual(['sctp-port']);
    const any = analyseYaml(MODEL, sctp.replace('SCTP', 'ANY'), agent('v1.12.10'));
    expect(verdict(any, 'shop/admin')).toBe('DENIED');
  });

  it('with icmps rules is left out when cilium-config turns enable-icmp-rules off', () => {
    const off = pingPolicy('v1.16.0', 'enable-icmp-rules: "false"');
    expect(verdict(off, 'shop/web', 8080)).toBe('ALLOWED');
    expect(ciliumLayerNotes(off, 'Cilium').map((note) => note.message)).toContain(
      'ciliumnetworkpolicy/shop/api-ping-from-web: it has icmps rules, which Cilium refuses without enable-icmp-rules: "true" in cilium-config; left out, as the agent enforces none of its rules and isolates no pod by it',
    );
    expect(verdict(pingPolicy('v1.11.0', 'enable-icmp-rules: "1"'), 'shop/web', 8080)).toBe(
      'DENIED',
    );
  });

  it('with icmps rules follows the agent default when cilium-config does not set the option', () => {
    // Off by default in 1.11, on from 1.12.
    const old = pingPolicy('v1.11.20', 'enable-sctp: "false"');
    expect(verdict(old, 'shop/web', 8080)).toBe('ALLOWED');
    expect(old.ciliumRefused?.[0]?.reason).toMatchObject({
      kind: 'icmp-rules-off',
      version: { minor: 11 },
    });
    expect(verdict(pingPolicy('v1.12.0', 'enable-sctp: "false"'), 'shop/web', 8080)).toBe('DENIED');
    // The default depends on a version no image tag tells.
    expect(check(analyseYaml(MODEL, CNP_ICMP), 'shop/web', 'shop/api', 'TCP', 8080)).toEqual({
      verdict: 'UNKNOWN',
      why: [
        'ciliumnetworkpolicy/shop/api-ping-from-web may be refused whole (Cilium refuses a policy with icmps rules unless enable-icmp-rules is on, which cilium-config does not set, and its default (off in 1.11, on from 1.12) depends on the version: the Cilium version is not known (no agent image tag in the input tells it, down to the patch or past a pre-release where one decides, or agents run versions on both sides of 1.12)), and without it the answer differs',
      ],
    });
  });

  it('with icmps in deny rules only is refused without enable-icmp-rules from 1.16.7 alone', () => {
    // Rule.Sanitize checks deny rules from 1.17.0, backported to 1.16.7 (IngressDenyRule.sanitize
    // in v1.16.8, not in v1.16.6).
    const denyPing = CNP_ICMP.replace('ingress:', 'ingressDeny:');
    const off = (tag: string) =>
      analyseYaml(MODEL, denyPing, agent(tag), ciliumConfigYaml('enable-icmp-rules: "false"'));
    // Kept, the deny rule still isolates api.
    expect(verdict(off('v1.16.0'), 'shop/web', 8080)).toBe('DENIED');
    expect(verdict(off('v1.16.6'), 'shop/web', 8080)).toBe('DENIED');
    expect(verdict(off('v1.16.7'), 'shop/web', 8080)).toBe('ALLOWED');
    expect(verdict(off('v1.17.0'), 'shop/web', 8080)).toBe('ALLOWED');
    expect(check(off('latest'), 'shop/web', 'shop/api', 'TCP', 8080)).toEqual({
      verdict: 'UNKNOWN',
      why: [
        'ciliumnetworkpolicy/shop/api-ping-from-web may be refused whole (enable-icmp-rules is off, and Cilium refuses a policy with icmps in deny rules for that only from 1.16.7: the Cilium version is not known (no agent image tag in the input tells it, down to the patch or past a pre-release where one decides, or agents run versions on both sides of 1.16.7)), and without it the answer differs',
      ],
    });
  });

  it('with icmps rules is UNKNOWN where cilium-config could not be read', () => {
    const cluster: Cluster = {
      ...clusterOfYaml(MODEL, CNP_ICMP, agent('v1.16.0')),
      unread: [CILIUM_CONFIG_REFUSED],
    };
    const analysis = compileCluster(cluster);
    expect(check(analysis, 'shop/web', 'shop/api', 'TCP', 8080).why).toContain(
      'ciliumnetworkpolicy/shop/api-ping-from-web may be refused whole (Cilium refuses a policy with icmps rules unless enable-icmp-rules is on, and configmaps kube-system/cilium-config could not be read (403 Forbidden); check: kubectl auth can-i list configmaps -n kube-system), and without it the answer differs',
    );
  });
});
