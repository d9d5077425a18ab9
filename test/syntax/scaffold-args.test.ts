import { describe, expect, it } from 'vitest';
import { scaffoldRequest } from '../../src/syntax/scaffold-args.js';

describe('template arguments the engine cannot use', () => {
  it('come back as every mistake by argument, in reading order, not as a thrown error', () => {
    const result = scaffoldRequest(
      { template: 'allow', to: 'app in (a', toNamespace: 'web', port: ['80/TCP/x', '8080'] },
      'shop',
    );
    expect(result).toEqual({
      ok: false,
      error: [
        { kind: 'syntax', arg: 'port', value: '80/TCP/x', message: 'cannot parse port "80/TCP/x"' },
        {
          kind: 'other-direction',
          arg: 'toNamespace',
          direction: 'ingress',
          peers: ['from', 'fromNamespace', 'fromCidr'],
        },
        {
          kind: 'syntax',
          arg: 'to',
          value: 'app in (a',
          message: 'cannot parse selector term "app in (a"',
        },
      ],
    });
  });

  it('name the conflicting arguments of a default-deny', () => {
    expect(
      scaffoldRequest({ template: 'default-deny', direction: 'ingress', allowDns: true }, 'shop'),
    ).toEqual({
      ok: false,
      error: [{ kind: 'dns-without-egress', arg: 'allowDns', direction: 'ingress' }],
    });
  });
});
