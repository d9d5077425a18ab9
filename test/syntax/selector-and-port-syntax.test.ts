import { describe, expect, it } from 'vitest';
import { parsePolicyPort as readPolicyPort } from '../../src/syntax/port-syntax.js';
import { parseSelector as readSelector } from '../../src/syntax/selector-syntax.js';
import { throwing } from '../helpers/parsed.js';

const parseSelector = throwing(readSelector);
const parsePolicyPort = throwing(readPolicyPort);

describe('selector and port syntax', () => {
  it('parses kubectl selector syntax', () => {
    expect(
      parseSelector('app=api, tier==backend,env!=prod,role in (a, b),zone notin (x),debug,!canary'),
    ).toEqual({
      matchLabels: { app: 'api', tier: 'backend' },
      matchExpressions: [
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'role', operator: 'In', values: ['a', 'b'] },
        { key: 'zone', operator: 'NotIn', values: ['x'] },
        { key: 'debug', operator: 'Exists', values: [] },
        { key: 'canary', operator: 'DoesNotExist', values: [] },
      ],
    });
    expect(parseSelector('')).toEqual({ matchLabels: {}, matchExpressions: [] });
    expect(() => parseSelector('app in a,b')).toThrow('cannot parse selector term "app in a"');
  });

  it('parses ports, ranges, names and protocols', () => {
    expect(parsePolicyPort('8080')).toEqual({ protocol: 'TCP', port: 8080 });
    expect(parsePolicyPort('53/udp')).toEqual({ protocol: 'UDP', port: 53 });
    expect(parsePolicyPort('8000-8100/TCP')).toEqual({
      protocol: 'TCP',
      port: 8000,
      endPort: 8100,
    });
    expect(parsePolicyPort('metrics/TCP')).toEqual({ protocol: 'TCP', port: 'metrics' });
    expect(parsePolicyPort('SCTP')).toEqual({ protocol: 'SCTP' });
    expect(() => parsePolicyPort('80/TCP/x')).toThrow('cannot parse port "80/TCP/x"');
  });
});
