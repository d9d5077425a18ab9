/** Port names declared twice, CIDRs with host bits, and policies of removed API versions. */
import { describe, expect, it } from 'vitest';
import { analyseYamlWithFindings } from '../../helpers/load.js';
import { flow } from '../../helpers/scenario.js';
import { audit, pod, policy } from './yaml.js';

const TWO_METRICS = '[{name: metrics, containerPort: 9090}, {name: metrics, containerPort: 15090}]';

describe('a port name declared twice in one pod', () => {
  it('is a warning when the numbers differ, grouping the pods alike', () => {
    const yaml = [1, 2, 3]
      .map((i) => pod(`shop/api-${i}`, { app: 'api' }, `10.0.0.${i}`, { ports: TWO_METRICS }))
      .join('');
    expect(audit(yaml, 'ambiguous-named-port')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        namespace: 'shop',
        port: 'metrics',
        protocol: 'TCP',
        ports: [9090, 15090],
        pods: ['shop/api-1', 'shop/api-2', 'shop/api-3'],
      }),
    ]);
  });

  it('is a note on the same number, and nothing for one name per protocol', () => {
    const same = pod('shop/a', {}, '10.0.0.1', {
      ports: '[{name: dns, containerPort: 53}, {name: dns, containerPort: 53}]',
    });
    expect(audit(same, 'ambiguous-named-port')).toMatchObject([{ severity: 'info' }]);
    const perProtocol = pod('shop/b', {}, '10.0.0.2', {
      ports: '[{name: dns, containerPort: 53, protocol: UDP}, {name: dns, containerPort: 53}]',
    });
    expect(audit(perProtocol, 'ambiguous-named-port')).toEqual([]);
  });
});

describe('ipBlock CIDRs with host bits or leading zeros', () => {
  const APP = pod('shop/app', { app: 'app' }, '10.1.0.1');
  const egressTo = (block: string) =>
    policy(
      'shop/out',
      `{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: ${block}}]}]}`,
    );

  it('loads them and matches the network part, as plugins do', () => {
    const { analysis, findings } = analyseYamlWithFindings(
      `${APP}${egressTo('{cidr: 10.0.0.5/24, except: [10.0.0.129/25]}')}`,
    );
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(flow(analysis, 'shop/app', '10.0.0.7', 'TCP', 443).allowed).toBe(true);
    expect(flow(analysis, 'shop/app', '10.0.0.200', 'TCP', 443).allowed).toBe(false);
    expect(flow(analysis, 'shop/app', '10.0.1.5', 'TCP', 443).allowed).toBe(false);
  });

  it('reports each, with the network (and for a cidr with host bits, the address) as fixes', () => {
    const findings = audit(
      `${APP}${egressTo('{cidr: 10.0.0.5/24, except: [10.0.0.129/25]}')}`,
      'non-canonical-cidr',
    );
    expect(findings.map((f) => [f.field, f.cidr, f.network, f.problem, f.fixes])).toEqual([
      [
        'spec.egress[0].to[0].ipBlock.cidr',
        '10.0.0.5/24',
        '10.0.0.0/24',
        'host-bits',
        [
          expect.objectContaining({ kind: 'set-cidr', cidr: '10.0.0.0/24', keeps: 'network' }),
          expect.objectContaining({ kind: 'set-cidr', cidr: '10.0.0.5/32', keeps: 'address' }),
        ],
      ],
      [
        'spec.egress[0].to[0].ipBlock.except[0]',
        '10.0.0.129/25',
        '10.0.0.128/25',
        'host-bits',
        [expect.objectContaining({ cidr: '10.0.0.128/25', keeps: 'network' })],
      ],
    ]);
  });

  it('reports a leading zero in the prefix length and IPv6 host bits; canonical blocks are quiet', () => {
    expect(audit(`${APP}${egressTo('{cidr: 10.0.0.0/08}')}`, 'non-canonical-cidr')).toMatchObject([
      { problem: 'leading-zeros', network: '10.0.0.0/8' },
    ]);
    expect(
      audit(`${APP}${egressTo('{cidr: "2001:db8::1/64"}')}`, 'non-canonical-cidr'),
    ).toMatchObject([{ network: '2001:db8::/64' }]);
    expect(audit(`${APP}${egressTo('{cidr: 10.0.0.0/24}')}`, 'non-canonical-cidr')).toEqual([]);
  });
});

describe('NetworkPolicies of removed API versions', () => {
  it('warns, naming the file and the object, and leaves the policy out as an API server would', () => {
    const yaml = `${pod('shop/api', { app: 'api' }, '10.0.0.2')}---
apiVersion: extensions/v1beta1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;
    const { analysis, findings } = analyseYamlWithFindings(yaml);
    expect(findings).toContainEqual({
      severity: 'warning',
      code: 'removed-api-version',
      object: 'NetworkPolicy shop/deny-all',
      location: { file: 'input-1.yaml', document: 2, line: 8 },
      message: expect.stringContaining(
        'apiVersion extensions/v1beta1 was removed in Kubernetes 1.16',
      ),
    });
    expect(analysis.policies).toEqual([]);
    expect(audit(yaml, 'removed-api-version')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        policy: { namespace: 'shop', name: 'deny-all' },
        apiVersion: 'extensions/v1beta1',
        removedIn: '1.16',
        location: { file: 'input-1.yaml', document: 2, line: 8 },
      }),
    ]);
  });
});
