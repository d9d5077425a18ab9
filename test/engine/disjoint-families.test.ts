import { describe, expect, it } from 'vitest';
import { checkTargets } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/** web (IPv4 only) isolated by an ingress ipBlock of IPv6 clients; open (IPv4 only); dual (both). */
const analysis = analyseYaml(
  stream(
    namespaceYaml('web'),
    podYaml('web/web', { labels: { app: 'web' }, ips: ['10.244.1.5'] }),
    podYaml('web/open', { labels: { app: 'open' }, ips: ['10.244.1.6'] }),
    podYaml('web/dual', { labels: { app: 'dual' }, ips: ['10.244.1.7', 'fd00::7'] }),
    podYaml('web/six', { labels: { app: 'six' }, ips: ['fd00::8'] }),
    podYaml('web/pending', { labels: { app: 'pending' } }),
    policyYaml(
      'web/from-v6',
      `podSelector: {matchLabels: {app: web}}
ingress: [{from: [{ipBlock: {cidr: "2001:db8::/32"}}]}]`,
    ),
  ),
);

const check = (source: string, destination: string) => {
  const answer = checkTargets(analysis, { source, destination, port: 8080, namespace: 'web' });
  if (!answer.ok) throw new Error(`${source} -> ${destination}: ${answer.error.kind}`);
  return answer.value.flows;
};

describe('ends that share no address family', () => {
  // An IPv6 client cannot open a connection to a pod that has IPv4 addresses only: the
  // ipBlock of IPv6 clients that isolates web does not make it reachable over IPv6.
  it.each([
    ['2001:db8::5', 'web/web', 'IPv6', 'IPv4'],
    ['2001:db8::5', 'web/open', 'IPv6', 'IPv4'],
    ['web/open', '2001:db8::5', 'IPv4', 'IPv6'],
    ['web/six', 'web/open', 'IPv6', 'IPv4'],
  ])('%s -> %s is no connection, not an answer of the policies', (from, to, ofFrom, ofTo) => {
    const [flow] = check(from, to);
    expect(flow?.verdict).toBeUndefined();
    expect(flow?.problem).toBe(
      `no connection between ${from} (${ofFrom}) and ${to} (${ofTo}): they share no address family`,
    );
  });

  it('ends that share a family, or whose addresses are not known, are answered by the policies', () => {
    expect(check('2001:db8::5', 'web/dual')[0]?.verdict?.verdict).toBe('ALLOWED');
    expect(check('10.0.0.9', 'web/web')[0]?.verdict?.verdict).toBe('DENIED');
    expect(check('10.0.0.9', 'web/open')[0]?.verdict?.verdict).toBe('ALLOWED');
    expect(check('2001:db8::5', 'web/pending')[0]?.verdict?.verdict).toBe('ALLOWED');
    expect(check('web/six', 'web/dual')[0]?.verdict?.verdict).toBe('ALLOWED');
  });
});
