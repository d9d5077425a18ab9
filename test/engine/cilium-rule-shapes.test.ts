import { describe, expect, it } from 'vitest';
import { type Analysis, auditCluster, ciliumLayerNotes } from '../../src/engine/index.js';
import { findingFixes } from '../../src/render/audit-fixes.js';
import { undecidedLayerText } from '../../src/render/completeness.js';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { LEGACY_DB_YAML } from '../helpers/cilium-config.js';
import { analyseYaml, analyseYamlWithFindings, fixture } from '../helpers/load.js';
import { flow } from '../helpers/scenario.js';

// Rule shapes Cilium's agent refuses in some releases only, refusing the whole policy
// (`Rule.Sanitize`, pkg/policy/api/rule_validation.go):
// - deny rules are checked like allow rules only from 1.16.7 (cilium/cilium#36598 in 1.17.0,
//   backported to 1.16.7; v1.16.6 sanitises ingress and egress alone): two kinds of peer, or
//   icmps beside toPorts, in an ingressDeny/egressDeny rule;
// - toServices beside toPorts: `"ToServices": false` in l3DependentL4Support from v1.14.0 to
//   v1.16.19, true in v1.13.18 and v1.17.0.
const MODEL = fixture('conformance/cilium/model.yaml');
const agent = (tag: string) => ciliumAgentYaml(`quay.io/cilium/cilium:${tag}`);

/** api takes shop's pods but denies admin, and 192.0.2.0/24, in one deny rule. */
const TWO_PEER_KINDS = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: api-in, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: api}}
  ingress:
  - fromEndpoints: [{}]
  ingressDeny:
  - fromEndpoints: [{matchLabels: {app: admin}}]
    fromCIDR: [192.0.2.0/24]
`;

/** api takes shop's pods but denies admin TCP 8080 (and pings) in one deny rule. */
const ICMPS_WITH_PORTS = TWO_PEER_KINDS.replace(
  '    fromCIDR: [192.0.2.0/24]\n',
  `    icmps: [{fields: [{type: 8, family: IPv4}]}]
    toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
`,
);

/** web may send only to the selectorless Service legacy-db (192.0.2.40) on TCP 5432. */
const SERVICES_WITH_PORTS = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: web-out, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: web}}
  egress:
  - toServices: [{k8sService: {serviceName: legacy-db}}]
    toPorts: [{ports: [{port: "5432", protocol: TCP}]}]
---
${LEGACY_DB_YAML}`;

const verdict = (analysis: Analysis, from: string, to: string, port = 8080) =>
  flow(analysis, from, to, 'TCP', port).verdict;

/** Why the ingress (or egress) side of a flow is UNKNOWN, in words. */
const why = (analysis: Analysis, from: string, to: string, port = 8080) => {
  const verdict = flow(analysis, from, to, 'TCP', port);
  return [...(verdict.ingress.undecided ?? []), ...(verdict.egress.undecided ?? [])].map(
    undecidedLayerText,
  );
};

describe('a deny rule with two kinds of peer', () => {
  it('is taken before 1.16.7, its peers ORed', () => {
    const analysis = analyseYaml(MODEL, TWO_PEER_KINDS, agent('v1.16.6'));
    expect(verdict(analysis, 'shop/admin', 'shop/api')).toBe('DENIED');
    expect(verdict(analysis, 'shop/web', 'shop/api')).toBe('ALLOWED');
    expect(analysis.ciliumRefused).toBeUndefined();
    // In an allow rule every release refuses it: a read error names the field.
    const allow = TWO_PEER_KINDS.replace('  ingressDeny:\n', '');
    const { findings } = analyseYamlWithFindings(MODEL, allow, agent('v1.16.6'));
    expect(findings.map((f) => f.message)).toContainEqual(
      expect.stringContaining('combining fromEndpoints and fromCIDR is not supported yet'),
    );
  });

  it('has the policy refused from 1.16.7, and says so in a note, an audit finding and a fix', () => {
    for (const tag of ['v1.16.7', 'v1.17.0']) {
      const analysis = analyseYaml(MODEL, TWO_PEER_KINDS, agent(tag));
      // Refused whole: api is not isolated at all.
      expect(verdict(analysis, 'shop/admin', 'shop/api')).toBe('ALLOWED');
      expect(verdict(analysis, 'ops/probe', 'shop/api')).toBe('ALLOWED');
    }
    const analysis = analyseYaml(MODEL, TWO_PEER_KINDS, agent('v1.16.8'));
    expect(ciliumLayerNotes(analysis, 'Cilium').map((note) => note.message)).toEqual([
      'ciliumnetworkpolicy/shop/api-in: its ingressDeny rule 1 combines fromEndpoints and fromCIDR, which Cilium 1.16.8 (quay.io/cilium/cilium:v1.16.8) refuses (refused from 1.16.7); left out, as the agent enforces none of its rules and isolates no pod by it',
    ]);
    const [finding] = auditCluster(analysis).findings.filter(
      (f) => f.code === 'cilium-policy-refused',
    );
    expect(finding && findingFixes(finding).map((fix) => fix.text)).toEqual([
      'split ingressDeny rule 1: one rule per kind of peer',
    ]);
  });

  it('makes UNKNOWN only what refusing the policy changes when the version is not known', () => {
    const analysis = analyseYaml(MODEL, TWO_PEER_KINDS, agent('latest'));
    expect(verdict(analysis, 'shop/admin', 'shop/api')).toBe('UNKNOWN');
    expect(why(analysis, 'shop/admin', 'shop/api')).toEqual([
      'ciliumnetworkpolicy/shop/api-in may be refused whole (Cilium from 1.16.7 refuses a policy whose deny rule combines fromEndpoints and fromCIDR, and the Cilium version is not known (no agent image tag in the input tells it, down to the patch or past a pre-release where one decides, or agents run versions on both sides of 1.16.7)), and without it the answer differs',
    ]);
    // Allowed with the policy and without it.
    expect(verdict(analysis, 'shop/web', 'shop/api')).toBe('ALLOWED');
  });
});

describe('an agent tag naming no patch release', () => {
  it('is UNKNOWN where the patch decides (1.16.7), not the answer of 1.16.0', () => {
    for (const tag of ['v1.16', 'v1.16-custom']) {
      const analysis = analyseYaml(MODEL, TWO_PEER_KINDS, agent(tag));
      expect(verdict(analysis, 'shop/admin', 'shop/api')).toBe('UNKNOWN');
      expect(why(analysis, 'shop/admin', 'shop/api')).toEqual([
        'ciliumnetworkpolicy/shop/api-in may be refused whole (Cilium from 1.16.7 refuses a policy whose deny rule combines fromEndpoints and fromCIDR, and the Cilium version is not known (no agent image tag in the input tells it, down to the patch or past a pre-release where one decides, or agents run versions on both sides of 1.16.7)), and without it the answer differs',
      ]);
    }
  });

  it('still decides where every patch of its minor version agrees', () => {
    // 1.17 checks deny rules from 1.17.0; 1.16 refuses toServices beside toPorts in each patch.
    const denied = analyseYaml(MODEL, TWO_PEER_KINDS, agent('v1.17'));
    expect(verdict(denied, 'shop/admin', 'shop/api')).toBe('ALLOWED');
    const refused = analyseYaml(MODEL, SERVICES_WITH_PORTS, agent('v1.16'));
    expect(verdict(refused, 'shop/web', '198.51.100.1', 443)).toBe('ALLOWED');
  });
});

describe('an agent tag naming a pre-release', () => {
  it('is UNKNOWN where the release it precedes decides, not the answer of that release', () => {
    // A 1.17.0 snapshot or candidate may predate the deny-rule checks of 1.17.0 and 1.16.7.
    for (const tag of ['v1.17.0-pre.1', 'v1.17.0-rc.0']) {
      const analysis = analyseYaml(MODEL, TWO_PEER_KINDS, agent(tag));
      expect(verdict(analysis, 'shop/admin', 'shop/api')).toBe('UNKNOWN');
      expect(why(analysis, 'shop/admin', 'shop/api')).toEqual([
        expect.stringContaining('down to the patch or past a pre-release where one decides'),
      ]);
    }
    const services = analyseYaml(MODEL, SERVICES_WITH_PORTS, agent('v1.17.0-pre.1'));
    expect(verdict(services, 'shop/web', '198.51.100.1', 443)).toBe('UNKNOWN');
  });

  it('still decides where every build it may be agrees', () => {
    // Every 1.18.0 build comes after 1.17.0; every 1.16.0 build refuses toServices beside toPorts.
    const denied = analyseYaml(MODEL, TWO_PEER_KINDS, agent('v1.18.0-pre.0'));
    expect(verdict(denied, 'shop/admin', 'shop/api')).toBe('ALLOWED');
    const refused = analyseYaml(MODEL, SERVICES_WITH_PORTS, agent('v1.16.0-rc.1'));
    expect(verdict(refused, 'shop/web', '198.51.100.1', 443)).toBe('ALLOWED');
  });
});

describe('a deny rule with icmps beside toPorts', () => {
  it('denies its ports before 1.16.7', () => {
    const analysis = analyseYaml(MODEL, ICMPS_WITH_PORTS, agent('v1.16.6'));
    expect(verdict(analysis, 'shop/admin', 'shop/api')).toBe('DENIED');
    expect(verdict(analysis, 'shop/admin', 'shop/api', 9090)).toBe('ALLOWED');
  });

  it('has the policy refused from 1.16.7', () => {
    const analysis = analyseYaml(MODEL, ICMPS_WITH_PORTS, agent('v1.17.0'));
    expect(verdict(analysis, 'shop/admin', 'shop/api')).toBe('ALLOWED');
    expect(analysis.ciliumRefused?.map((p) => p.reason)).toMatchObject([
      { kind: 'rule-shape', shape: { kind: 'icmps-with-ports' }, list: 'ingressDeny' },
    ]);
  });
});

describe('toServices beside toPorts', () => {
  it('has the policy refused from 1.14 to 1.16 alone: web is not isolated', () => {
    const analysis = analyseYaml(MODEL, SERVICES_WITH_PORTS, agent('v1.15.19'));
    expect(verdict(analysis, 'shop/web', '198.51.100.1', 443)).toBe('ALLOWED');
    // Before 1.14 and from 1.17 web reaches only the Service's port.
    for (const tag of ['v1.13.18', 'v1.17.0']) {
      const taken = analyseYaml(MODEL, SERVICES_WITH_PORTS, agent(tag));
      expect(verdict(taken, 'shop/web', '192.0.2.40', 5432)).toBe('ALLOWED');
      expect(verdict(taken, 'shop/web', '198.51.100.1', 443)).toBe('DENIED');
    }
    expect(ciliumLayerNotes(analysis, 'Cilium').map((note) => note.message)).toContain(
      'ciliumnetworkpolicy/shop/web-out: its egress rule 1 has toServices beside toPorts, which Cilium 1.15.19 (quay.io/cilium/cilium:v1.15.19) refuses (refused from 1.14 until 1.17); left out, as the agent enforces none of its rules and isolates no pod by it',
    );
  });

  it('is UNKNOWN where the version is not known and the refusal matters', () => {
    const analysis = analyseYaml(MODEL, SERVICES_WITH_PORTS, agent('latest'));
    expect(verdict(analysis, 'shop/web', '198.51.100.1', 443)).toBe('UNKNOWN');
    expect(why(analysis, 'shop/web', '198.51.100.1', 443)).toEqual([
      'ciliumnetworkpolicy/shop/web-out may be refused whole (Cilium from 1.14 until 1.17 refuses a policy whose allow rule has toServices beside toPorts, and the Cilium version is not known (no agent image tag in the input tells it, down to the patch or past a pre-release where one decides, or agents run versions on both sides of 1.14 or 1.17)), and without it the answer differs',
    ]);
    expect(verdict(analysis, 'shop/web', '192.0.2.40', 5432)).toBe('ALLOWED');
  });
});
