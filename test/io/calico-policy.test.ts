/**
 * Reading Calico policies (projectcalico.org/v3 and the crd.projectcalico.org/v1 form the
 * cluster stores) and Tiers onto the engine's model, with Calico's defaults; a malformed object
 * is refused with one line naming it while the rest of the input still works.
 */
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';

function normalize(text: string) {
  return normalizeObjects(parseManifestText(text, 'in.yaml').objects);
}

describe('Calico policies', () => {
  it('reads tier, order, selectors, actions, protocols, nets and port ranges', () => {
    const { cluster, findings } = normalize(`
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.guard}
spec:
  tier: security
  order: 10
  selector: app == 'web'
  namespaceSelector: has(team)
  ingress:
  - action: Pass
    protocol: TCP
    source: {nets: [10.0.0.0/8], notSelector: role == 'x'}
    destination: {ports: [80, "8000:8080", http], notPorts: [8081]}
  egress:
  - action: Deny
    notProtocol: UDP
`);
    expect(findings).toEqual([]);
    const [policy] = cluster.calicoPolicies ?? [];
    expect(policy).toMatchObject({
      kind: 'GlobalNetworkPolicy',
      name: 'security.guard',
      tier: 'security',
      order: 10,
      types: ['Ingress', 'Egress'],
      staged: false,
    });
    expect(policy?.namespace).toBeUndefined();
    expect(policy?.ingress[0]).toMatchObject({
      action: 'Pass',
      protocol: 'TCP',
      source: { nets: ['10.0.0.0/8'] },
      destination: {
        ports: [
          { kind: 'range', from: 80, to: 80 },
          { kind: 'range', from: 8000, to: 8080 },
          { kind: 'named', name: 'http' },
        ],
        notPorts: [{ kind: 'range', from: 8081, to: 8081 }],
      },
    });
    expect(policy?.egress[0]).toMatchObject({ action: 'Deny', notProtocol: 'UDP' });
  });

  it('defaults the tier, the order (none: last) and types from the rule lists present', () => {
    const { cluster } = normalize(`
apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata: {name: egress-only, namespace: shop}
spec:
  egress: [{action: Allow}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: bare, namespace: shop}
spec: {}
`);
    const [egressOnly, bare] = cluster.calicoPolicies ?? [];
    expect(egressOnly).toMatchObject({ tier: 'default', namespace: 'shop', types: ['Egress'] });
    expect(egressOnly?.order).toBeUndefined();
    expect(bare?.types).toEqual(['Ingress']);
  });

  it('reads Tiers and staged policies', () => {
    const { cluster } = normalize(`
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100, defaultAction: Pass}
---
apiVersion: projectcalico.org/v3
kind: StagedGlobalNetworkPolicy
metadata: {name: lockdown}
spec: {stagedAction: Set, selector: all()}
`);
    expect(cluster.calicoTiers).toEqual([{ name: 'security', order: 100, defaultAction: 'Pass' }]);
    expect(cluster.calicoPolicies?.[0]).toMatchObject({ staged: true, stagedAction: 'Set' });
    expect(cluster.unmodelledPolicies).toBeUndefined();
  });

  it('refuses a malformed policy with one line naming it and keeps the rest', () => {
    const { cluster, findings } = normalize(`
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: broken, namespace: shop}
spec:
  ingress: [{action: Maybe}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: ports-without-protocol, namespace: shop}
spec:
  ingress: [{action: Allow, destination: {ports: [80]}}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: fine, namespace: shop}
spec: {}
`);
    expect(findings.map((f) => [f.object, f.message])).toEqual([
      [
        'NetworkPolicy shop/broken',
        'spec.ingress[0].action: Unsupported value: "Maybe": supported values: Allow, Deny, Log, Pass',
      ],
      [
        'NetworkPolicy shop/ports-without-protocol',
        'spec.ingress[0].protocol: Invalid value: ports need protocol TCP, UDP or SCTP',
      ],
    ]);
    expect(cluster.calicoPolicies?.map((p) => p.name)).toEqual(['fine']);
  });

  it('names doNotTrack and preDNAT policies as not evaluated', () => {
    const { findings } = normalize(`
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: raw}
spec: {doNotTrack: true, applyOnForward: true, ingress: [{action: Allow}]}
`);
    expect(findings).toMatchObject([
      { code: 'calico-out-of-scope', object: 'GlobalNetworkPolicy raw' },
    ]);
  });
});

describe('StagedKubernetesNetworkPolicy', () => {
  it('reads its spec as a NetworkPolicy, Set by default, never among the enforced policies', () => {
    const { cluster, findings } = normalize(`
apiVersion: projectcalico.org/v3
kind: StagedKubernetesNetworkPolicy
metadata: {name: db, namespace: prod}
spec:
  podSelector: {matchLabels: {role: database}}
  ingress: [{from: [{podSelector: {matchLabels: {role: frontend}}}]}]
---
apiVersion: crd.projectcalico.org/v1
kind: StagedKubernetesNetworkPolicy
metadata: {name: old, namespace: prod}
spec: {stagedAction: Delete, podSelector: {}}
`);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(cluster.policies).toEqual([]);
    const staged = cluster.stagedKubernetesPolicies ?? [];
    expect(staged.map((s) => [s.apiVersion, s.policy.name, s.stagedAction])).toEqual([
      ['projectcalico.org/v3', 'db', 'Set'],
      ['crd.projectcalico.org/v1', 'old', 'Delete'],
    ]);
    // Defaulted as the API server defaults a NetworkPolicy: Ingress only.
    expect(staged[0]?.policy.policyTypes).toEqual(['Ingress']);
    expect(staged[0]?.policy.ingress[0]?.peers).toHaveLength(1);
  });

  it('is refused, named, when its NetworkPolicy spec is invalid', () => {
    const { cluster, findings } = normalize(`
apiVersion: projectcalico.org/v3
kind: StagedKubernetesNetworkPolicy
metadata: {name: bad, namespace: prod}
spec:
  podSelector: {}
  ingress: [{from: [{ipBlock: {cidr: not-a-cidr}}]}]
`);
    expect(cluster.stagedKubernetesPolicies).toBeUndefined();
    expect(findings.some((f) => f.object === 'StagedKubernetesNetworkPolicy prod/bad')).toBe(true);
  });
});
