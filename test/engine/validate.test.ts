import { describe, expect, it } from 'vitest';
import {
  validateIpBlock,
  validateLabelSelector,
  validateNetworkPolicy,
  validatePolicyPort,
} from '../../src/engine/compile/validate.js';
import type {
  IpBlock,
  LabelSelector,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  PolicyType,
  SelectorRequirement,
} from '../../src/engine/model/types.js';
import { analyseYamlWithFindings } from '../helpers/load.js';

const selector = (
  matchLabels: Record<string, string> = {},
  matchExpressions: SelectorRequirement[] = [],
): LabelSelector => ({ matchLabels, matchExpressions });

/** A policy in namespace "x" with one ingress rule holding the given peer and port. */
function policy(
  overrides: Partial<NetworkPolicy> & { peer?: PolicyPeer; port?: PolicyPort } = {},
): NetworkPolicy {
  const { peer, port, ...rest } = overrides;
  return {
    namespace: 'x',
    name: 'p',
    podSelector: selector(),
    policyTypes: ['Ingress'],
    ingress: [
      {
        peers: [peer ?? { podSelector: selector({ app: 'web' }) }],
        ports: [port ?? { protocol: 'TCP', port: 80 }],
      },
    ],
    egress: [],
    ...rest,
  };
}

const fields = (errors: readonly { field: string }[]) => errors.map((e) => e.field);

describe('validateNetworkPolicy', () => {
  it('accepts a well-formed policy', () => {
    expect(validateNetworkPolicy(policy())).toEqual([]);
  });

  it('requires a DNS-1123 subdomain name and a DNS-1123 label namespace', () => {
    expect(validateNetworkPolicy(policy({ name: 'allow.web-1' }))).toEqual([]);
    expect(fields(validateNetworkPolicy(policy({ name: 'Allow_Web' })))).toEqual(['metadata.name']);
    expect(fields(validateNetworkPolicy(policy({ name: 'a'.repeat(254) })))).toEqual([
      'metadata.name',
    ]);
    expect(fields(validateNetworkPolicy(policy({ namespace: 'team.a' })))).toEqual([
      'metadata.namespace',
    ]);
    expect(fields(validateNetworkPolicy(policy({ namespace: 'a'.repeat(64) })))).toEqual([
      'metadata.namespace',
    ]);
  });

  it('accepts Ingress and Egress policyTypes only, at most two', () => {
    expect(validateNetworkPolicy(policy({ policyTypes: ['Egress', 'Ingress'] }))).toEqual([]);
    expect(
      fields(validateNetworkPolicy(policy({ policyTypes: ['ingress' as PolicyType] }))),
    ).toEqual(['spec.policyTypes[0]']);
    expect(
      fields(validateNetworkPolicy(policy({ policyTypes: ['Ingress', 'Egress', 'Ingress'] }))),
    ).toContain('spec.policyTypes');
  });

  it('validates spec.podSelector', () => {
    const bad = policy({ podSelector: selector({ 'bad key!': 'x' }) });
    expect(fields(validateNetworkPolicy(bad))).toEqual(['spec.podSelector.matchLabels']);
  });

  it('locates errors in egress rules under spec.egress[i].to[j] and .ports[k]', () => {
    const bad: NetworkPolicy = {
      ...policy(),
      policyTypes: ['Egress'],
      ingress: [],
      egress: [
        { peers: [], ports: [] },
        {
          peers: [{ podSelector: selector() }, {}],
          ports: [{ protocol: 'TCP' }, { protocol: 'TCP', port: 0 }],
        },
      ],
    };
    expect(fields(validateNetworkPolicy(bad)).sort()).toEqual([
      'spec.egress[1].ports[1].port',
      'spec.egress[1].to[1]',
    ]);
  });

  it('locates errors in ingress rules under spec.ingress[i].from[j]', () => {
    expect(fields(validateNetworkPolicy(policy({ peer: {} })))).toEqual([
      'spec.ingress[0].from[0]',
    ]);
  });
});

describe('peers', () => {
  const peerErrors = (peer: PolicyPeer) => validateNetworkPolicy(policy({ peer }));

  it('accepts each single kind and the podSelector+namespaceSelector pair', () => {
    expect(peerErrors({ podSelector: selector() })).toEqual([]);
    expect(peerErrors({ namespaceSelector: selector() })).toEqual([]);
    expect(peerErrors({ podSelector: selector(), namespaceSelector: selector() })).toEqual([]);
    expect(peerErrors({ ipBlock: { cidr: '10.0.0.0/8', except: [] } })).toEqual([]);
  });

  it('rejects an empty peer {}', () => {
    const errors = peerErrors({});
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/must specify a peer/);
  });

  it('rejects ipBlock combined with a podSelector or a namespaceSelector', () => {
    const block: IpBlock = { cidr: '10.0.0.0/8', except: [] };
    for (const peer of [
      { ipBlock: block, podSelector: selector() },
      { ipBlock: block, namespaceSelector: selector() },
    ]) {
      const errors = peerErrors(peer);
      expect(fields(errors)).toEqual(['spec.ingress[0].from[0]']);
      expect(errors[0]?.message).toMatch(/may not specify both ipBlock and another peer/);
    }
  });

  it('validates the selectors inside a peer', () => {
    expect(
      fields(
        peerErrors({ namespaceSelector: selector({}, [{ key: 'a', operator: 'In', values: [] }]) }),
      ),
    ).toEqual(['spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values']);
  });
});

describe('validateLabelSelector', () => {
  const errors = (sel: LabelSelector) => validateLabelSelector(sel, 's');

  it('accepts valid keys, prefixed keys and values (including the empty value)', () => {
    expect(
      errors(
        selector({
          app: 'web',
          'app.kubernetes.io/name': 'my_app.v-1',
          'a.b/c': '',
          [`${'k'.repeat(63)}`]: 'v'.repeat(63),
        }),
      ),
    ).toEqual([]);
  });

  it.each([
    ['a key starting with a dash', '-app'],
    ['a key with a space', 'my app'],
    ['an empty key', ''],
    ['an empty prefix', '/app'],
    ['an empty name after the prefix', 'example.com/'],
    ['an upper-case prefix', 'Example.com/app'],
    ['two slashes', 'a/b/c'],
    ['a 64-character name', 'k'.repeat(64)],
  ])('rejects %s as a key', (_, key) => {
    expect(fields(errors(selector({ [key]: 'v' })))).toEqual(['s.matchLabels']);
  });

  it.each([
    ['a value ending with a dash', 'web-'],
    ['a value with a slash', 'a/b'],
    ['a 64-character value', 'v'.repeat(64)],
  ])('rejects %s as a value', (_, value) => {
    expect(fields(errors(selector({ app: value })))).toEqual(['s.matchLabels']);
  });

  it('In and NotIn need values', () => {
    expect(errors(selector({}, [{ key: 'a', operator: 'In', values: ['x'] }]))).toEqual([]);
    expect(errors(selector({}, [{ key: 'a', operator: 'NotIn', values: ['x'] }]))).toEqual([]);
    for (const operator of ['In', 'NotIn'] as const) {
      const found = errors(selector({}, [{ key: 'a', operator, values: [] }]));
      expect(fields(found)).toEqual(['s.matchExpressions[0].values']);
      expect(found[0]?.message).toMatch(/^Required value/);
    }
  });

  it('Exists and DoesNotExist take no values', () => {
    expect(errors(selector({}, [{ key: 'a', operator: 'Exists', values: [] }]))).toEqual([]);
    expect(errors(selector({}, [{ key: 'a', operator: 'DoesNotExist', values: [] }]))).toEqual([]);
    for (const operator of ['Exists', 'DoesNotExist'] as const) {
      const found = errors(selector({}, [{ key: 'a', operator, values: ['x'] }]));
      expect(fields(found)).toEqual(['s.matchExpressions[0].values']);
      expect(found[0]?.message).toMatch(/^Forbidden/);
    }
  });

  it('rejects an unknown operator, including a wrongly cased one', () => {
    for (const operator of ['Equals', 'in', '']) {
      const found = errors(
        selector({}, [
          { key: 'a', operator: operator as SelectorRequirement['operator'], values: ['x'] },
        ]),
      );
      expect(fields(found)).toEqual(['s.matchExpressions[0].operator']);
    }
  });

  it('checks expression keys and values like labels', () => {
    expect(
      fields(errors(selector({}, [{ key: 'bad key', operator: 'Exists', values: [] }]))),
    ).toEqual(['s.matchExpressions[0].key']);
    expect(
      fields(errors(selector({}, [{ key: 'a', operator: 'In', values: ['ok', 'not ok'] }]))),
    ).toEqual(['s.matchExpressions[0].values[1]']);
  });
});

describe('validatePolicyPort', () => {
  const errors = (port: PolicyPort) => validatePolicyPort(port, 'p');

  it('accepts numbers, names, ranges and protocol-only entries', () => {
    expect(errors({ protocol: 'TCP', port: 1 })).toEqual([]);
    expect(errors({ protocol: 'UDP', port: 65535 })).toEqual([]);
    expect(errors({ protocol: 'SCTP' })).toEqual([]);
    expect(errors({ protocol: 'TCP', port: 'http' })).toEqual([]);
    expect(errors({ protocol: 'TCP', port: 'web-8080' })).toEqual([]);
    expect(errors({ protocol: 'TCP', port: 'a'.repeat(15) })).toEqual([]);
    expect(errors({ protocol: 'TCP', port: 32000, endPort: 32768 })).toEqual([]);
    expect(errors({ protocol: 'TCP', port: 80, endPort: 80 })).toEqual([]);
  });

  it('rejects an unknown protocol', () => {
    expect(fields(errors({ protocol: 'ICMP' as PolicyPort['protocol'], port: 80 }))).toEqual([
      'p.protocol',
    ]);
    expect(fields(errors({ protocol: 'tcp' as PolicyPort['protocol'], port: 80 }))).toEqual([
      'p.protocol',
    ]);
  });

  it.each([0, 65536, -1, 1.5])('rejects port number %d', (port) => {
    expect(fields(errors({ protocol: 'TCP', port }))).toEqual(['p.port']);
  });

  it.each([
    ['all digits', '80'],
    ['consecutive hyphens', 'http--x'],
    ['16 characters', 'a'.repeat(16)],
    ['upper case', 'HTTP'],
    ['a leading hyphen', '-http'],
    ['a trailing hyphen', 'http-'],
    ['an underscore', 'http_alt'],
    ['empty', ''],
  ])('rejects a port name with %s', (_, name) => {
    const found = errors({ protocol: 'TCP', port: name });
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(fields(found))).toEqual(new Set(['p.port']));
  });

  it('rejects endPort without port', () => {
    const found = errors({ protocol: 'TCP', endPort: 90 });
    expect(fields(found)).toEqual(['p.endPort']);
    expect(found[0]?.message).toMatch(/port/);
  });

  it('rejects endPort below port', () => {
    const found = errors({ protocol: 'TCP', port: 90, endPort: 89 });
    expect(fields(found)).toEqual(['p.endPort']);
    expect(found[0]?.message).toMatch(/greater than or equal/);
  });

  it('rejects endPort with a named port', () => {
    const found = errors({ protocol: 'TCP', port: 'http', endPort: 90 });
    expect(fields(found)).toEqual(['p.endPort']);
    expect(found[0]?.message).toMatch(/non-numeric/);
  });

  it('rejects endPort beyond 65535', () => {
    expect(fields(errors({ protocol: 'TCP', port: 80, endPort: 65536 }))).toEqual(['p.endPort']);
  });
});

describe('validateIpBlock', () => {
  const errors = (cidr: string, except: string[] = []) => validateIpBlock({ cidr, except }, 'b');

  it('accepts IPv4 and IPv6 blocks with excepts strictly inside', () => {
    expect(errors('10.0.0.0/8', ['10.1.0.0/16', '10.2.3.4/32'])).toEqual([]);
    expect(errors('2001:db8::/32', ['2001:db8:1::/48'])).toEqual([]);
    expect(errors('0.0.0.0/0', ['10.0.0.0/8'])).toEqual([]);
  });

  it('requires a cidr', () => {
    const found = errors('');
    expect(fields(found)).toEqual(['b.cidr']);
    expect(found[0]?.message).toMatch(/^Required value/);
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '10.0.0/8', 'any'])('rejects cidr %j', (cidr) => {
    expect(fields(errors(cidr))).toEqual(['b.cidr']);
  });

  it('rejects an invalid except', () => {
    expect(fields(errors('10.0.0.0/8', ['10.1.0.0']))).toEqual(['b.except[0]']);
  });

  it.each([
    ['equal to the cidr', '10.0.0.0/8'],
    ['equal to the cidr once host bits are dropped', '10.9.9.9/8'],
    ['larger than the cidr', '10.0.0.0/7'],
    ['outside the cidr', '11.0.0.0/16'],
    ['of the other family', 'fd00::/64'],
  ])('rejects an except %s', (_, except) => {
    const found = errors('10.0.0.0/8', ['10.1.0.0/16', except]);
    expect(fields(found)).toEqual(['b.except[1]']);
    expect(found[0]?.message).toMatch(/strict subset/);
  });

  it('rejects an IPv6 except that is not a strict subset', () => {
    expect(fields(errors('fd00::/64', ['fd00::/64']))).toEqual(['b.except[0]']);
    expect(fields(errors('fd00::/64', ['fd01::/80']))).toEqual(['b.except[0]']);
  });
});

describe('invalid policies in manifests', () => {
  it('are reported as errors and left out of the analysis', () => {
    const { analysis, findings } = analyseYamlWithFindings(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad, namespace: x}
spec:
  podSelector: {}
  ingress:
  - ports:
    - port: http
      endPort: 90
`);
    expect(analysis.policies).toEqual([]);
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'invalid-object',
        object: 'NetworkPolicy x/bad',
        message: expect.stringContaining('spec.ingress[0].ports[0].endPort'),
      }),
    ]);
  });
});
