/**
 * What the engine could not read or does not evaluate turns exactly the verdicts it could
 * change into UNKNOWN: a side whose policies may be hidden, a namespaceSelector over unread
 * namespace labels, an address that may be an unread pod. Verdicts it cannot change stay exact,
 * and a side that surely denies still makes the flow DENIED.
 */
import { describe, expect, it } from 'vitest';
import {
  type Cluster,
  compileCluster,
  type UnmodelledPolicy,
  type UnreadList,
} from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { flow, namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

/** a/web may reach b/api on 8080 (b isolates api's ingress); c/other is open. */
const BASE = analyseYaml(
  stream(
    namespaceYaml('a', { team: 'a' }),
    namespaceYaml('b'),
    namespaceYaml('c'),
    podYaml('a/web', { labels: { app: 'web' }, ips: ['10.0.0.1'] }),
    podYaml('b/api', { labels: { app: 'api' }, ips: ['10.0.0.2'] }),
    podYaml('c/other', { labels: { app: 'other' }, ips: ['10.0.0.3'] }),
    policyYaml(
      'b/api-from-team-a',
      `
      podSelector: {matchLabels: {app: api}}
      policyTypes: [Ingress]
      ingress:
      - from: [{namespaceSelector: {matchLabels: {team: a}}}]
        ports: [{port: 8080}]
      `,
    ),
  ),
).cluster;

const unread = (resource: string, namespace?: string): UnreadList => ({
  resource,
  ...(namespace ? { namespace } : {}),
  reason: '403 Forbidden',
  canI: `kubectl auth can-i list ${resource}`,
});

const cilium = (namespace?: string): UnmodelledPolicy => ({
  apiVersion: 'cilium.io/v2',
  kind: namespace ? 'CiliumNetworkPolicy' : 'CiliumClusterwideNetworkPolicy',
  ...(namespace ? { namespace } : {}),
  name: 'p',
});

const verdictOf = (cluster: Cluster, from: string, to: string, port = 8080, options = {}) =>
  flow(compileCluster(cluster, options), from, to, 'TCP', port);

describe('unread NetworkPolicies', () => {
  const cluster = { ...BASE, unread: [unread('networkpolicies', 'b')] };

  it('make the sides of pods in that namespace UNKNOWN, naming the list', () => {
    const verdict = verdictOf(cluster, 'a/web', 'b/api');
    expect(verdict.verdict).toBe('UNKNOWN');
    expect(verdict.allowed).toBe(false);
    expect(verdict.ingress.undecided).toEqual([
      { kind: 'unread', list: unread('networkpolicies', 'b') },
    ]);
    expect(verdict.egress.undecided).toBeUndefined();
  });

  it('leave flows between pods of other namespaces exact', () => {
    expect(verdictOf(cluster, 'a/web', 'c/other').verdict).toBe('ALLOWED');
  });

  it('cannot overrule a side that surely denies', () => {
    // api denies 9090 from web for sure; web's egress (in a) is exact too, so DENIED stands...
    expect(verdictOf(BASE, 'a/web', 'b/api', 9090).verdict).toBe('DENIED');
    // ...while with b unread, api's side could hold an allow: UNKNOWN.
    expect(verdictOf(cluster, 'a/web', 'b/api', 9090).verdict).toBe('UNKNOWN');
    // An exact denying side and an undecided one: DENIED.
    const denyA = analyseYaml(
      stream(
        namespaceYaml('a', { team: 'a' }),
        namespaceYaml('b'),
        podYaml('a/web', { labels: { app: 'web' }, ips: ['10.0.0.1'] }),
        podYaml('b/api', { labels: { app: 'api' }, ips: ['10.0.0.2'] }),
        policyYaml('a/deny-egress', 'podSelector: {}\npolicyTypes: [Egress]'),
      ),
    ).cluster;
    expect(
      verdictOf({ ...denyA, unread: [unread('networkpolicies', 'b')] }, 'a/web', 'b/api').verdict,
    ).toBe('DENIED');
  });

  it('unread cluster-wide but read in some namespaces, leave the pods there exact', () => {
    const list = { ...unread('networkpolicies'), readIn: ['b'] };
    const verdict = verdictOf({ ...BASE, unread: [list] }, 'a/web', 'b/api');
    expect(verdict.verdict).toBe('UNKNOWN');
    expect(verdict.ingress.undecided).toBeUndefined();
    const both = { ...BASE, unread: [{ ...list, readIn: ['a', 'b'] }] };
    expect(verdictOf(both, 'a/web', 'b/api').verdict).toBe('ALLOWED');
  });

  it('cluster-wide, make every pod side UNKNOWN', () => {
    const all = { ...BASE, unread: [unread('networkpolicies')] };
    expect(verdictOf(all, 'a/web', 'c/other').verdict).toBe('UNKNOWN');
  });
});

describe('unread namespaces', () => {
  const cluster = { ...BASE, unread: [unread('namespaces')] };

  it('make a side whose rules select namespaces by label UNKNOWN', () => {
    expect(verdictOf(cluster, 'a/web', 'b/api').verdict).toBe('UNKNOWN');
  });

  it('leave sides without namespaceSelectors exact', () => {
    expect(verdictOf(cluster, 'a/web', 'c/other').verdict).toBe('ALLOWED');
  });
});

describe('unread pods', () => {
  it('make an address outside the known pods UNKNOWN on its own side', () => {
    const cluster = { ...BASE, unread: [unread('pods', 'c')] };
    expect(verdictOf(cluster, 'a/web', '10.9.9.9').verdict).toBe('UNKNOWN');
    expect(verdictOf(cluster, 'a/web', 'c/other').verdict).toBe('ALLOWED');
  });
});

describe('unmodelled policy layers', () => {
  it('make the pods they may select UNKNOWN: a namespaced kind its namespace', () => {
    const cluster = { ...BASE, unmodelledPolicies: [cilium('b')] };
    const verdict = verdictOf(cluster, 'a/web', 'b/api', 9090);
    expect(verdict.verdict).toBe('UNKNOWN');
    expect(verdict.ingress.undecided).toEqual([{ kind: 'unmodelled', policy: cilium('b') }]);
    expect(verdictOf(cluster, 'a/web', 'c/other').verdict).toBe('ALLOWED');
  });

  it('a cluster-wide kind every pod', () => {
    const cluster = { ...BASE, unmodelledPolicies: [cilium()] };
    expect(verdictOf(cluster, 'a/web', 'c/other').verdict).toBe('UNKNOWN');
  });

  it('are left out on request, giving the NetworkPolicy verdict', () => {
    const cluster = { ...BASE, unmodelledPolicies: [cilium()] };
    const verdict = verdictOf(cluster, 'a/web', 'b/api', 9090, { ignoreUnmodelled: true });
    expect(verdict.verdict).toBe('DENIED');
    expect(verdict.ingress.undecided).toBeUndefined();
  });

  it('do not include MultiNetworkPolicy, which governs only secondary networks', () => {
    const multi: UnmodelledPolicy = {
      apiVersion: 'k8s.cni.cncf.io/v1beta1',
      kind: 'MultiNetworkPolicy',
      namespace: 'b',
      name: 'm',
    };
    expect(verdictOf({ ...BASE, unmodelledPolicies: [multi] }, 'a/web', 'b/api').verdict).toBe(
      'ALLOWED',
    );
  });

  it('leave a pod reaching itself ALLOWED', () => {
    const cluster = { ...BASE, unmodelledPolicies: [cilium()] };
    expect(verdictOf(cluster, 'b/api', 'b/api').verdict).toBe('ALLOWED');
  });
});
