import { describe, expect, it } from 'vitest';
import {
  diffFlows,
  type FlowTransition,
  flowDecision,
  type PairDiff,
  transitionOpens,
} from '../../src/engine/index.js';
import { FULL_PORT_SET, portSetOf } from '../../src/engine/primitives/port-set.js';
import { analyseYaml, fixture } from '../helpers/load.js';
import { namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

const PODS = stream(
  namespaceYaml('a'),
  podYaml('a/web', { labels: { app: 'web' }, ips: ['10.0.0.1'] }),
  podYaml('a/db', { labels: { app: 'db' }, ips: ['10.0.0.2'], ports: [{ port: 5432 }] }),
);
const DENY_DB = policyYaml(
  'a/deny-db',
  'podSelector: {matchLabels: {app: db}}\npolicyTypes: [Ingress]',
);
const ALLOW_WEB = policyYaml(
  'a/allow-web',
  `
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{port: 5432}]
  `,
);
/** A policy of a layer the engine does not evaluate: what it may select is UNKNOWN. */
const UNMODELLED =
  'apiVersion: crd.antrea.io/v1beta1\nkind: NetworkPolicy\nmetadata: {name: c, namespace: a}\nspec: {}\n';

/** The changes between two snapshots given as YAML streams, as `from->to: before=>after PORTS`. */
function changes(before: string, after: string): string[] {
  return diffFlows(analyseYaml(before), analyseYaml(after)).flatMap((pair: PairDiff) =>
    pair.transitions.map(
      (t) => `${pair.from}->${pair.to}: ${t.before}=>${t.after} ${JSON.stringify(t.ports.TCP)}`,
    ),
  );
}

describe('diffFlows', () => {
  it('lists a flow a new rule opens, and only the pairs that change', () => {
    expect(changes(stream(PODS, DENY_DB), stream(PODS, DENY_DB, ALLOW_WEB))).toEqual([
      'a/web->a/db: DENIED=>ALLOWED [[5432,5432]]',
    ]);
  });

  it('lists the flows a new isolation closes, every port of them', () => {
    const [pair] = diffFlows(analyseYaml(PODS), analyseYaml(stream(PODS, DENY_DB)));
    expect(pair?.from).toBe('a/web');
    expect(pair?.to).toBe('a/db');
    expect(pair?.transitions).toEqual([
      { ports: FULL_PORT_SET, before: 'ALLOWED', after: 'DENIED' },
    ]);
    expect(transitionOpens(pair?.transitions[0] as FlowTransition)).toBe(false);
    // Only pairs towards the newly isolated pod changed.
    expect(changes(PODS, stream(PODS, DENY_DB))).toHaveLength(1);
  });

  it('finds nothing between snapshots that answer alike, whatever the objects are named', () => {
    const renamed = DENY_DB.replace('name: deny-db', 'name: other-name');
    expect(changes(stream(PODS, DENY_DB), stream(PODS, renamed))).toEqual([]);
  });

  it('reports flows becoming UNKNOWN, and UNKNOWN ones becoming decided', () => {
    const toUnknown = diffFlows(analyseYaml(PODS), analyseYaml(stream(PODS, UNMODELLED)));
    expect(toUnknown.length).toBeGreaterThan(0);
    for (const pair of toUnknown) {
      expect(pair.transitions.map((t) => `${t.before}=>${t.after}`)).toEqual(['ALLOWED=>UNKNOWN']);
      expect(transitionOpens(pair.transitions[0] as FlowTransition)).toBe(false);
    }
    const fromUnknown = diffFlows(analyseYaml(stream(PODS, UNMODELLED)), analyseYaml(PODS));
    expect(fromUnknown.map((p) => p.transitions.map((t) => `${t.before}=>${t.after}`))).toEqual(
      toUnknown.map(() => ['UNKNOWN=>ALLOWED']),
    );
    expect(transitionOpens(fromUnknown[0]?.transitions[0] as FlowTransition)).toBe(true);
  });

  it('compares pods by id, leaving out pods present on one side only', () => {
    const more = stream(PODS, podYaml('a/new', { labels: { app: 'web' }, ips: ['10.0.0.3'] }));
    expect(changes(stream(PODS, DENY_DB), stream(more, DENY_DB, ALLOW_WEB))).toEqual([
      'a/web->a/db: DENIED=>ALLOWED [[5432,5432]]',
    ]);
  });
});

describe('flowDecision', () => {
  it('names the rule that allows a flow after the change, side by side', () => {
    const after = analyseYaml(stream(PODS, DENY_DB, ALLOW_WEB));
    const decision = flowDecision(after, 'a/web', 'a/db', portSetOf('TCP', 5432, 5432));
    expect(decision).toEqual({
      protocol: 'TCP',
      port: 5432,
      outcome: 'ALLOWED',
      sides: [
        { direction: 'egress', kind: 'unrestricted', reason: 'no-policy' },
        {
          direction: 'ingress',
          kind: 'rule',
          policy: { namespace: 'a', name: 'allow-web' },
          ruleIndex: 0,
        },
      ],
    });
  });

  it('names only the denying side of a denied flow, and the undecided side of an UNKNOWN one', () => {
    const denied = flowDecision(analyseYaml(stream(PODS, DENY_DB)), 'a/web', 'a/db', FULL_PORT_SET);
    expect(denied?.sides).toEqual([
      { direction: 'ingress', kind: 'isolation', policies: [{ namespace: 'a', name: 'deny-db' }] },
    ]);
    const unknown = flowDecision(
      analyseYaml(stream(PODS, UNMODELLED)),
      'a/web',
      'a/db',
      FULL_PORT_SET,
    );
    expect(unknown?.outcome).toBe('UNKNOWN');
    expect(unknown?.sides.every((side) => side.kind === 'undecided')).toBe(true);
    expect(unknown?.sides.length).toBeGreaterThan(0);
  });
});

describe('diffFlows of dual-stack pods, family by family', () => {
  // shop/db admits 10.1.0.0/16 on 5432: shop/web reaches it over IPv4, not over IPv6.
  const DUAL_STACK = fixture('manifests/dual-stack/cluster.yaml');
  const DB_BLOCK = '{ipBlock: {cidr: 10.1.0.0/16, except: [10.1.0.40/32]}}';
  /** The fixture with shop/db admitting these peers instead. */
  const dbFrom = (peers: string) => analyseYaml(DUAL_STACK.replace(DB_BLOCK, peers));
  const webToDb = (pairs: readonly PairDiff[]) =>
    pairs.find((pair) => pair.from === 'shop/web' && pair.to === 'shop/db');

  it('lists a flow one family alone closes, with that family', () => {
    const pair = webToDb(
      diffFlows(analyseYaml(DUAL_STACK), dbFrom('{ipBlock: {cidr: 192.168.0.0/16}}')),
    );
    expect(pair?.transitions).toEqual([
      {
        ports: portSetOf('TCP', 5432, 5432),
        before: 'ALLOWED',
        after: 'DENIED',
        families: ['IPv4'],
      },
    ]);
    expect(transitionOpens(pair?.transitions[0] as FlowTransition)).toBe(false);
  });

  it('lists a flow one family alone opens, with that family, and no family where both change', () => {
    const both = `${DB_BLOCK}, {ipBlock: {cidr: 'fd00:1::/64'}}`;
    const pair = webToDb(diffFlows(analyseYaml(DUAL_STACK), dbFrom(both)));
    expect(pair?.transitions).toEqual([
      {
        ports: portSetOf('TCP', 5432, 5432),
        before: 'DENIED',
        after: 'ALLOWED',
        families: ['IPv6'],
      },
    ]);
    // From nothing to both families at once: one change, of every family.
    const open = webToDb(diffFlows(dbFrom('{ipBlock: {cidr: 192.168.0.0/16}}'), dbFrom(both)));
    expect(open?.transitions).toEqual([
      { ports: portSetOf('TCP', 5432, 5432), before: 'DENIED', after: 'ALLOWED' },
    ]);
  });

  it('finds nothing when neither family changes', () => {
    const same = DB_BLOCK.replace('10.1.0.0/16', '10.1.0.0/17');
    expect(webToDb(diffFlows(analyseYaml(DUAL_STACK), dbFrom(same)))).toBeUndefined();
  });

  it('names what decides the family a change is of, not the stricter family', () => {
    const analysis = analyseYaml(DUAL_STACK);
    const port = portSetOf('TCP', 5432, 5432);
    expect(flowDecision(analysis, 'shop/web', 'shop/db', port)?.outcome).toBe('DENIED');
    const overIpv4 = flowDecision(analysis, 'shop/web', 'shop/db', port, 'IPv4');
    expect(overIpv4?.outcome).toBe('ALLOWED');
    expect(overIpv4?.sides[1]).toEqual({
      direction: 'ingress',
      kind: 'rule',
      policy: { namespace: 'shop', name: 'db-in' },
      ruleIndex: 0,
    });
  });
});
