import { describe, expect, it } from 'vitest';
import { audit, pod, policy } from './yaml.js';

const API = pod('shop/api', { app: 'api' }, '10.0.0.2', {
  ports: '[{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]',
});
const DNS = pod('shop/dns', { app: 'dns' }, '10.0.0.3', {
  ports: '[{name: dns, containerPort: 53, protocol: UDP}]',
});
const CLIENT = pod('shop/client', { app: 'client' }, '10.0.0.4');

describe('named ports no pod they resolve on declares', () => {
  it('on an ingress rule, looks at the selected pods and proposes the name they declare', () => {
    const yaml = `${API}${policy('shop/p', '{podSelector: {matchLabels: {app: api}}, ingress: [{ports: [{port: http}, {port: metric}]}]}')}`;
    expect(audit(yaml, 'unknown-named-port')).toEqual([
      expect.objectContaining({
        severity: 'error',
        port: 'metric',
        portIndex: 1,
        podsChecked: 1,
        similar: { name: 'metrics', protocol: 'TCP' },
        fixes: [
          {
            kind: 'set-port',
            rule: { policy: { namespace: 'shop', name: 'p' }, direction: 'ingress', ruleIndex: 0 },
            portIndex: 1,
            port: 'metrics',
          },
        ],
      }),
    ]);
  });

  it('counts a port declared only by pods the policy does not select', () => {
    const yaml = `${API}${CLIENT}${policy('shop/p', '{podSelector: {matchLabels: {app: client}}, ingress: [{ports: [{port: http}]}]}')}`;
    expect(audit(`${yaml}`, 'unknown-named-port')).toMatchObject([
      { severity: 'warning', port: 'http', fixes: [] },
    ]);
  });

  it("on an egress rule, looks at the peers' pods and tells a protocol mix-up", () => {
    const yaml = `${DNS}${CLIENT}${policy('shop/p', '{podSelector: {matchLabels: {app: client}}, egress: [{to: [{podSelector: {matchLabels: {app: dns}}}], ports: [{protocol: TCP, port: dns}]}]}')}`;
    expect(audit(yaml, 'unknown-named-port')).toMatchObject([
      { severity: 'error', protocol: 'TCP', similar: { name: 'dns', protocol: 'UDP' }, fixes: [] },
    ]);
  });

  it('on an egress rule, counts a port declared only by pods the peers do not match', () => {
    const other = pod('tools/api', { app: 'dns' }, '10.0.1.2', {
      ports: '[{name: http, containerPort: 8080}]',
    });
    const host = pod('shop/agent', { app: 'dns' }, '10.0.0.9', {
      hostNetwork: true,
      ports: '[{name: http, containerPort: 8080}]',
    });
    const yaml = `${API}${DNS}${CLIENT}${other}${host}${policy('shop/p', '{podSelector: {matchLabels: {app: client}}, egress: [{to: [{podSelector: {matchLabels: {app: dns}}}], ports: [{port: http}]}]}')}`;
    expect(audit(yaml, 'unknown-named-port')).toMatchObject([
      { severity: 'warning', port: 'http', podsChecked: 1 },
    ]);
  });

  it("is quiet when any peer's pod declares the name", () => {
    const yaml = `${API}${DNS}${CLIENT}${policy('shop/p', '{podSelector: {matchLabels: {app: client}}, egress: [{to: [{podSelector: {matchLabels: {app: dns}}}, {podSelector: {matchLabels: {app: api}}}], ports: [{port: http}, {port: dns, protocol: UDP}]}]}')}`;
    expect(audit(yaml, 'unknown-named-port')).toEqual([]);
  });

  it('is quiet when the destination declares the name', () => {
    const yaml = `${DNS}${CLIENT}${policy('shop/p', '{podSelector: {matchLabels: {app: client}}, egress: [{to: [{podSelector: {matchLabels: {app: dns}}}], ports: [{protocol: UDP, port: dns}]}]}')}`;
    expect(audit(yaml, 'unknown-named-port')).toEqual([]);
  });
});

describe('ipBlocks that hold pod addresses', () => {
  const egressTo = (block: string) =>
    policy(
      'shop/p',
      `{podSelector: {matchLabels: {app: client}}, egress: [{to: [{ipBlock: ${block}}], ports: [{port: 443}]}]}`,
    );

  it('lists the pods inside, leaving host-network pods (node addresses) out', () => {
    const host = pod('shop/agent', { app: 'agent' }, '10.0.0.9', { hostNetwork: true });
    expect(
      audit(`${API}${CLIENT}${host}${egressTo('{cidr: 10.0.0.0/24}')}`, 'ip-block-contains-pods'),
    ).toMatchObject([
      { severity: 'warning', cidr: '10.0.0.0/24', pods: ['shop/api', 'shop/client'] },
    ]);
  });

  it('is quiet when the pods are excepted, outside, or the block is the whole family', () => {
    for (const block of [
      '{cidr: 10.0.0.0/16, except: [10.0.0.0/24]}',
      '{cidr: 192.0.2.0/24}',
      '{cidr: 0.0.0.0/0}',
    ])
      expect(audit(`${API}${CLIENT}${egressTo(block)}`, 'ip-block-contains-pods')).toEqual([]);
  });
});
