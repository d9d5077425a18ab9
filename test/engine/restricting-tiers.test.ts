/**
 * A side no policy isolates reads `restricted (TIER)` exactly when the tier denies some
 * connection the side would otherwise admit, in the kernel's own order of tiers, priorities and
 * rules: a Deny that every peer it matches meets an earlier Accept or Pass for leaves it `open`.
 * Where only peers the input cannot list may reach a Deny, the side stays `restricted` and
 * says why (`doubts`).
 */
import { describe, expect, it } from 'vitest';
import { type IsolationState, overview } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

const PODS = stream(
  namespaceYaml('shop', { team: 'shop' }),
  namespaceYaml('dev', { team: 'dev' }),
  podYaml('shop/api', { labels: { app: 'api' }, ips: ['10.0.0.2'] }),
  podYaml('dev/probe', { labels: { app: 'probe' }, ips: ['10.0.1.3'] }),
);

/** The ingress and egress states of shop/api with these policies. */
function apiSides(...policies: string[]): [IsolationState, IsolationState] {
  const pod = overview(analyseYaml(stream(PODS, ...policies)), 'shop').pods.find(
    (p) => p.id === 'shop/api',
  );
  if (!pod) throw new Error('shop/api not in the overview');
  return [pod.ingress, pod.egress];
}

const OPEN: IsolationState = { kind: 'open' };

/** A ClusterNetworkPolicy for shop/api's ingress with these rules. */
const clusterPolicy = (name: string, tier: string, priority: number, rules: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: ${name}}
spec:
  tier: ${tier}
  priority: ${priority}
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: api}}}}
  ingress:
${rules}`;

const ACCEPT_ALL = '  - {action: Accept, from: [{namespaces: {}}]}\n';
const DENY_DEV = '  - {action: Deny, from: [{namespaces: {matchLabels: {team: dev}}}]}\n';
const PASS_ALL = '  - {action: Pass, from: [{namespaces: {}}]}\n';

describe('cluster network policies: the first matching rule by priority, then rule order', () => {
  it('an Admin Deny after an Accept of every namespace leaves the side open; before it, restricts', () => {
    expect(apiSides(clusterPolicy('guard', 'Admin', 10, ACCEPT_ALL + DENY_DEV))).toEqual([
      OPEN,
      OPEN,
    ]);
    expect(apiSides(clusterPolicy('guard', 'Admin', 10, DENY_DEV + ACCEPT_ALL))[0]).toEqual({
      kind: 'restricted',
      tiers: [{ tier: 'admin', policies: ['cnp/guard'] }],
    });
  });

  it('an Admin Deny of a lower priority than an Accept of everyone is reached by no one', () => {
    const accept = clusterPolicy('allow-all', 'Admin', 5, ACCEPT_ALL);
    const deny = clusterPolicy('deny-dev', 'Admin', 10, DENY_DEV);
    expect(apiSides(accept, deny)[0]).toEqual(OPEN);
    const first = clusterPolicy('allow-all', 'Admin', 20, ACCEPT_ALL);
    expect(apiSides(first, deny)[0]).toEqual({
      kind: 'restricted',
      tiers: [{ tier: 'admin', policies: ['cnp/deny-dev'] }],
    });
  });

  it('a Baseline Deny after an Admin Accept is reached by no one, after an Admin Pass it is', () => {
    const baseline = clusterPolicy('default-deny', 'Baseline', 10, DENY_DEV);
    expect(apiSides(clusterPolicy('allow-all', 'Admin', 5, ACCEPT_ALL), baseline)[0]).toEqual(OPEN);
    expect(apiSides(clusterPolicy('pass-all', 'Admin', 5, PASS_ALL), baseline)[0]).toEqual({
      kind: 'restricted',
      tiers: [{ tier: 'baseline', policies: ['cnp/default-deny'] }],
    });
  });

  it('a Deny only pods the input does not list could reach stays restricted, saying so', () => {
    // Namespaces labelled team=qa: no pod of the input is in one, and no earlier rule takes them.
    const denyQa = DENY_DEV.replace('team: dev', 'team: qa');
    expect(apiSides(clusterPolicy('guard', 'Admin', 10, denyQa))[0]).toEqual({
      kind: 'restricted',
      tiers: [{ tier: 'admin', policies: ['cnp/guard'], doubts: ['pods-not-in-input'] }],
    });
    // An Accept of every namespace takes whatever pod comes, listed or not.
    expect(apiSides(clusterPolicy('guard', 'Admin', 10, ACCEPT_ALL + denyQa))[0]).toEqual(OPEN);
  });

  it("counts no pod's traffic with itself: a Deny of its own kind is sure only with another", () => {
    const denyApi =
      '  - {action: Deny, from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: api}}}}]}\n';
    const policy = clusterPolicy('guard', 'Admin', 10, denyApi);
    expect(apiSides(policy)[0]).toEqual({
      kind: 'restricted',
      tiers: [{ tier: 'admin', policies: ['cnp/guard'], doubts: ['pods-not-in-input'] }],
    });
    const twin = podYaml('shop/api-2', { labels: { app: 'api' }, ips: ['10.0.0.4'] });
    expect(apiSides(twin, policy)[0]).toEqual({
      kind: 'restricted',
      tiers: [{ tier: 'admin', policies: ['cnp/guard'] }],
    });
  });
});

/** A Calico tier with one GlobalNetworkPolicy per egress rule list, in the given orders. */
function calicoTier(...policies: { name: string; order: number; egress: string }[]): string {
  const tier = `apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100, defaultAction: Pass}`;
  return stream(
    tier,
    ...policies.map(
      ({ name, order, egress }) => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.${name}}
spec:
  tier: security
  order: ${order}
  selector: app == 'api'
  types: [Egress]
  egress:
${egress}`,
    ),
  );
}

const DENY_METADATA = '  - {action: Deny, destination: {nets: [169.254.169.254/32]}}\n';
const ALLOW_LINK_LOCAL = '  - {action: Allow, destination: {nets: [169.254.0.0/16]}}\n';
const PASS_LINK_LOCAL = '  - {action: Pass, destination: {nets: [169.254.0.0/16]}}\n';

describe('Calico tiers: policies by order, rules in order, Pass to the next tier', () => {
  it('a Deny of an address an earlier rule allows leaves the side open; before it, restricts', () => {
    const allowFirst = calicoTier({
      name: 'a',
      order: 1,
      egress: ALLOW_LINK_LOCAL + DENY_METADATA,
    });
    expect(apiSides(allowFirst)[1]).toEqual(OPEN);
    const denyFirst = calicoTier({ name: 'a', order: 1, egress: DENY_METADATA + ALLOW_LINK_LOCAL });
    expect(apiSides(denyFirst)[1]).toEqual({
      kind: 'restricted',
      tiers: [{ tier: 'calico:security', policies: ['globalnetworkpolicy/security.a'] }],
    });
  });

  it('a policy of a lower order that allows the address decides before the one denying it', () => {
    const allow = { name: 'allow', order: 1, egress: ALLOW_LINK_LOCAL };
    const deny = { name: 'deny', order: 2, egress: DENY_METADATA };
    expect(apiSides(calicoTier(allow, deny))[1]).toEqual(OPEN);
    expect(apiSides(calicoTier({ ...allow, order: 3 }, deny))[1]).toEqual({
      kind: 'restricted',
      tiers: [{ tier: 'calico:security', policies: ['globalnetworkpolicy/security.deny'] }],
    });
  });

  it('a Pass of the address before the Deny leaves it to the next tier, which admits it', () => {
    expect(
      apiSides(calicoTier({ name: 'a', order: 1, egress: PASS_LINK_LOCAL + DENY_METADATA }))[1],
    ).toEqual(OPEN);
  });
});

describe('Cilium: deny rules take precedence over allow rules, whatever their order', () => {
  // The allow comes first and takes every endpoint; enableDefaultDeny off leaves the pod open.
  const ciliumPolicy = (extra: string) => `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: no-dev, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: api}}
  ingress: [{fromEndpoints: [{}]}]
${extra}  enableDefaultDeny: {ingress: false}
`;
  const DENY_PROBE =
    '  ingressDeny:\n  - fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: dev}}]\n';

  it('restricts the side where an allow of every endpoint sits beside the deny', () => {
    expect(apiSides(ciliumPolicy(DENY_PROBE))[0]).toEqual({
      kind: 'restricted',
      tiers: [{ tier: 'cilium-deny', policies: ['ciliumnetworkpolicy/shop/no-dev'] }],
    });
  });

  it('leaves it open where an Admin Accept, evaluated before Cilium, takes every pod first', () => {
    const admin = clusterPolicy('allow-all', 'Admin', 5, ACCEPT_ALL);
    expect(apiSides(admin, ciliumPolicy(DENY_PROBE))[0]).toEqual(OPEN);
  });
});

describe('Calico per-pod chains over dual-stack pods: a Deny no pod reaches', () => {
  /**
   * `count` dual-stack pods in shop, each governed by its own Calico chain: Allow every
   * endpoint, Deny the app=nothing endpoints (no pod), Deny the metadata address, Pass.
   */
  const dualStackShop = (count: number) =>
    stream(
      namespaceYaml('shop'),
      ...Array.from({ length: count }, (_, n) =>
        podYaml(`shop/web-${n}`, {
          labels: { app: 'web' },
          ips: [`10.0.0.${n + 1}`, `fd00::${n + 1}`],
        }),
      ),
      `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: default.guard}
spec:
  selector: all()
  types: [Egress]
  egress:
  - {action: Allow, destination: {selector: all()}}
  - {action: Deny, destination: {selector: "app == 'nothing'"}}
  - {action: Deny, destination: {nets: [169.254.169.254/32]}}
  - {action: Pass}
`,
    );

  /** The overview of `count` such pods, and how many times it read a pod of the analysis. */
  function overviewReadingPods(count: number) {
    const analysis = analyseYaml(dualStackShop(count));
    let reads = 0;
    const pods = new Proxy(analysis.pods, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const view = overview({ ...analysis, pods }, 'shop');
    return { view, reads };
  }

  it('restricts each pod by the metadata Deny, trying each pod once per peers, not per pod it governs', () => {
    const small = overviewReadingPods(40);
    const large = overviewReadingPods(80);
    for (const pod of large.view.pods) {
      expect(pod.egress).toEqual({
        kind: 'restricted',
        tiers: [{ tier: 'calico:default', policies: ['globalnetworkpolicy/default.guard'] }],
      });
    }
    // Twice the pods, each with its own chain: about twice the reads, not four times.
    expect(large.reads).toBeLessThan(small.reads * 3);
  });
});
