/**
 * explainPod lists the Cilium and Calico rules of a pod's chain beside its NetworkPolicy rules:
 * each with its policy, tier, rule index, action and the pods its peers cover.
 */
import { describe, expect, it } from 'vitest';
import { type Analysis, explainPod } from '../../src/engine/index.js';
import { analyseYaml, fixture } from '../helpers/load.js';

const at = (analysis: Analysis, id: string) => {
  const idx = analysis.podIndex.get(id);
  if (idx === undefined) throw new Error(`no pod ${id}`);
  return explainPod(analysis, idx);
};

describe('Calico rules in explainPod', () => {
  const analysis = analyseYaml(
    fixture('conformance/calico/model.yaml'),
    fixture('conformance/calico/004-pass-to-next-tier/policies.yaml'),
  );

  it('lists every rule of the tiers in order: Pass and Deny of security, then Allow of default', () => {
    const rules = at(analysis, 'prod/database').ingress.pluginRules ?? [];
    expect(
      rules.map(({ policy, tier, ruleIndex, action }) => [policy, tier, ruleIndex, action]),
    ).toEqual([
      ['globalnetworkpolicy/security.team-a', 'security', 0, 'pass'],
      ['globalnetworkpolicy/security.team-a', 'security', 1, 'deny'],
      ['networkpolicy.projectcalico.org/prod/default.db', 'default', 0, 'accept'],
    ]);
  });

  it('gives each rule its peer as written and the pods it covers', () => {
    const [pass, deny, allow] = at(analysis, 'prod/database').ingress.pluginRules ?? [];
    expect(pass?.peers).toEqual([
      { kind: 'calico-endpoints', namespaceSelector: "team == 'a'", nets: [], notNets: [] },
    ]);
    expect(pass?.matchedPods).toEqual(['prod/frontend', 'prod/database', 'prod/client']);
    // A Deny with no source matches every endpoint.
    expect(deny?.peers).toEqual([]);
    expect(deny?.matchedPods).toHaveLength(analysis.pods.length);
    // A namespaced policy's selector looks only in its own namespace: dev/frontend is left out.
    expect(allow?.peers).toEqual([
      {
        kind: 'calico-endpoints',
        namespace: 'prod',
        selector: "role == 'frontend'",
        nets: [],
        notNets: [],
      },
    ]);
    expect(allow?.matchedPods).toEqual(['prod/frontend']);
  });

  it('lists nothing where no Calico policy applies', () => {
    expect(at(analysis, 'prod/database').egress.pluginRules).toBeUndefined();
  });
});

describe('Cilium rules in explainPod', () => {
  const analysis = analyseYaml(
    fixture('conformance/cilium/model.yaml'),
    fixture('conformance/cilium/004-deny-over-networkpolicy-allow/policies.yaml'),
  );

  it('lists an ingressDeny rule as a deny, beside the NetworkPolicy rule that allows', () => {
    const ingress = at(analysis, 'shop/api').ingress;
    expect(ingress.grants.map((grant) => grant.policy.name)).toEqual(['api-open']);
    expect(ingress.pluginRules).toEqual([
      {
        plugin: 'cilium',
        policy: 'ciliumclusterwidenetworkpolicy/no-admin-on-8080',
        specIndex: 0,
        direction: 'ingress',
        ruleIndex: 0,
        action: 'deny',
        peers: [
          {
            kind: 'cilium-endpoints',
            selector: { matchLabels: { app: 'admin' }, matchExpressions: [] },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
        matchedPods: ['shop/admin'],
      },
    ]);
  });

  it('gives an L7 rule its requests and a toFQDNs rule its names, covering no pod for sure', () => {
    const l7 = analyseYaml(
      fixture('conformance/cilium/model.yaml'),
      fixture('conformance/cilium/014-l7-http-allowed-at-l4/policies.yaml'),
    );
    const [rule] = at(l7, 'shop/api').ingress.pluginRules ?? [];
    expect(rule?.action).toBe('accept');
    expect(rule?.matchedPods).toEqual(['shop/web']);
    expect(rule?.l7?.protocol).toBe('http');
    const fqdns = analyseYaml(
      fixture('conformance/cilium/model.yaml'),
      fixture('conformance/cilium/015-fqdns-unknown-for-bare-ip/policies.yaml'),
    );
    const [named] = at(fqdns, 'shop/web').egress.pluginRules ?? [];
    expect(named?.fqdns).toEqual(['api.example.com']);
    expect(named?.matchedPods).toEqual([]);
  });
});
