/**
 * diff when a pod gains or loses an address family: the family's connections come and go with
 * the address, a pod change, not a flow the policies opened or closed.
 */
import { describe, expect, it } from 'vitest';
import { diffFlows } from '../../src/engine/index.js';
import { EMPTY_PORT_SET, portSetOf } from '../../src/engine/primitives/port-set.js';
import { diffLines, flowDiffReport } from '../../src/render/diff.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/** shop/db admits the IPv4 pod range only on 5432: IPv6 connections to it are denied. */
const DB_IN = policyYaml(
  'shop/db-in',
  `
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress:
    - from: [{ipBlock: {cidr: 10.1.0.0/16}}]
      ports: [{port: 5432}]
  `,
);

/** web and db, each with these addresses. */
const snapshot = (web: string[], db: string[]) =>
  analyseYaml(
    stream(
      namespaceYaml('shop'),
      podYaml('shop/web', { labels: { app: 'web' }, ips: web }),
      podYaml('shop/db', { labels: { app: 'db' }, ips: db, ports: [{ port: 5432 }] }),
      DB_IN,
    ),
  );
const SINGLE = snapshot(['10.1.0.10'], ['10.1.0.20']);
const DUAL = snapshot(['10.1.0.10', 'fd00:1::10'], ['10.1.0.20', 'fd00:1::20']);

describe('diff of pods going dual-stack or back', () => {
  it('an IPv6 address both pods gain opens or closes no flow: it is a family gained', () => {
    const webToDb = diffFlows(SINGLE, DUAL).find(
      (p) => p.from === 'shop/web' && p.to === 'shop/db',
    );
    expect(webToDb?.transitions).toEqual([]);
    expect(webToDb?.familyChanges).toEqual([
      {
        family: 'IPv6',
        change: 'gained',
        answer: { allowed: EMPTY_PORT_SET, unknown: EMPTY_PORT_SET },
      },
    ]);
    const report = flowDiffReport(SINGLE, DUAL, []);
    expect(diffLines(report)).toEqual([
      '0 objects changed; flows: 0 opened, 0 closed; 1 pod pair gained or lost an address family',
      '',
      'no flow changes',
      '',
      'address families a pod gained or lost (pod changes, not flows the policies opened or closed):',
      '  shop/web -> shop/db: IPv6 gained (a pod got an IPv6 address); over it nothing allowed',
    ]);
  });

  it('losing the IPv6 address is a family lost, with what it allowed before', () => {
    const webToDb = diffFlows(DUAL, SINGLE).find(
      (p) => p.from === 'shop/web' && p.to === 'shop/db',
    );
    expect(webToDb?.transitions).toEqual([]);
    expect(webToDb?.familyChanges).toMatchObject([{ family: 'IPv6', change: 'lost' }]);
  });

  it('a change over the family both snapshots have is still a flow, marked with it', () => {
    const closedIpv4 = snapshot(['10.2.0.10', 'fd00:1::10'], ['10.1.0.20', 'fd00:1::20']);
    const webToDb = diffFlows(SINGLE, closedIpv4).find(
      (p) => p.from === 'shop/web' && p.to === 'shop/db',
    );
    expect(webToDb?.transitions).toEqual([
      {
        ports: portSetOf('TCP', 5432, 5432),
        before: 'ALLOWED',
        after: 'DENIED',
        families: ['IPv4'],
      },
    ]);
    expect(webToDb?.familyChanges).toMatchObject([{ family: 'IPv6', change: 'gained' }]);
  });
});
