/**
 * explain's pod table and explain of a pod say a side is restricted, not open, when no
 * NetworkPolicy isolates it but a tier of the kernel denies some of it: a Calico tier's Deny
 * before its final Pass, a ClusterNetworkPolicy's Deny, a Cilium deny rule. A Deny that no
 * connection reaches (after a rule taking them all) leaves the side open.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

const CALICO_MODEL = 'test/fixtures/conformance/calico/model.yaml';

/** The security tier: egress to the metadata address denied, everything else passed on. */
const METADATA_DENY = `apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.block-metadata}
spec:
  tier: security
  selector: all()
  types: [Egress]
  egress:
  - action: Deny
    destination: {nets: [169.254.169.254/32]}
  - action: Pass
`;

/** `explain ARGS` of the Calico model with more policies from stdin, policies enforced. */
const explainCalico = (policies: string, ...args: string[]) =>
  runCli(['explain', ...args, '-f', CALICO_MODEL, '-f', '-', '--assume-enforced'], policies);

/** The INGRESS and EGRESS columns of one pod's row of the text table. */
function columns(stdout: string, pod: string): string[] {
  const row = stdout.split('\n').find((line) => line.split(/ {2,}/)[1] === pod) ?? '';
  return row.split(/ {2,}/).slice(4, 6);
}

describe('a side governed by a Calico tier that denies some of it and passes the rest', () => {
  it('is restricted by that tier in the pod table, and open where no connection reaches a Deny', async () => {
    const run = await explainCalico(METADATA_DENY, '-n', 'prod');
    expect(run.exitCode).toBe(0);
    expect(columns(run.stdout, 'client')).toEqual(['open', 'restricted (calico tier security)']);
    const wide = await explainCalico(METADATA_DENY, '-n', 'prod', '-o', 'wide');
    expect(wide.stdout).toMatch(
      /client .* restricted \(calico tier security\) +globalnetworkpolicy\/security\.block-metadata\n/,
    );
    // A Deny after a rule passing every connection is reached by none: the side stays open.
    const passFirst = METADATA_DENY.replace(
      '  - action: Deny\n    destination: {nets: [169.254.169.254/32]}\n  - action: Pass\n',
      '  - action: Pass\n  - action: Deny\n    destination: {nets: [169.254.169.254/32]}\n',
    );
    const unreached = await explainCalico(passFirst, '-n', 'prod');
    expect(columns(unreached.stdout, 'client')).toEqual(['open', 'open']);
  });

  it('is restricted in -o json, with the tier and its policies', async () => {
    const run = await explainCalico(METADATA_DENY, '-n', 'prod', '-o', 'json');
    const client = JSON.parse(run.stdout).pods.find(
      (pod: { id: string }) => pod.id === 'prod/client',
    );
    expect([client.ingress, client.egress]).toEqual([
      { kind: 'open' },
      {
        kind: 'restricted',
        tiers: [
          { tier: 'calico:security', policies: ['globalnetworkpolicy/security.block-metadata'] },
        ],
      },
    ]);
  });

  it('is restricted in explain of the pod, in its text and its JSON', async () => {
    const run = await explainCalico(METADATA_DENY, 'prod/client');
    expect(run.stdout).toContain(
      '\nEgress: restricted by calico tier security (globalnetworkpolicy/security.block-metadata), not isolated: no NetworkPolicy selects this pod for egress; what no rule denies is allowed\n',
    );
    const json = await explainCalico(METADATA_DENY, 'prod/client', '-o', 'json');
    expect(JSON.parse(json.stdout).egress.restriction).toEqual({
      kind: 'restricted',
      tiers: [
        { tier: 'calico:security', policies: ['globalnetworkpolicy/security.block-metadata'] },
      ],
    });
  });

  it('is restricted on ingress by a Calico NetworkPolicy of the default tier that allows the rest', async () => {
    const denyDev = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: default.no-dev, namespace: prod}
spec:
  selector: role == 'database'
  ingress:
  - action: Deny
    source: {namespaceSelector: team == 'b'}
  - action: Allow
`;
    const run = await explainCalico(denyDev, '-n', 'prod');
    expect(columns(run.stdout, 'database')).toEqual(['restricted (calico tier default)', 'open']);
    expect(columns(run.stdout, 'client')).toEqual(['open', 'open']);
  });
});

describe('a side governed by cluster network policies or Cilium deny rules', () => {
  const PODS = stream(
    namespaceYaml('shop'),
    podYaml('shop/api', { labels: { app: 'api' }, ips: ['10.0.0.2'] }),
    podYaml('shop/admin', { labels: { app: 'admin' }, ips: ['10.0.0.3'] }),
  );
  const explainShop = (policies: string, ...args: string[]) =>
    runCli(
      ['explain', '-n', 'shop', ...args, '-f', '-', '--assume-enforced'],
      stream(PODS, policies),
    );
  const clusterPolicy = (
    tier: string,
    action: string,
  ) => `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: guard}
spec:
  tier: ${tier}
  priority: 10
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: api}}}}
  ingress:
  - action: ${action}
    from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: admin}}}}]
`;

  const ISOLATING = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-admin, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: admin}}}]}]
`;

  it('is restricted by an Admin or a Baseline Deny; open under an Accept; isolated by a NetworkPolicy', async () => {
    const admin = await explainShop(clusterPolicy('Admin', 'Deny'));
    expect(columns(admin.stdout, 'api')).toEqual(['restricted (Admin tier)', 'open']);
    const baseline = await explainShop(clusterPolicy('Baseline', 'Deny'));
    expect(columns(baseline.stdout, 'api')).toEqual(['restricted (Baseline tier)', 'open']);
    const accept = await explainShop(clusterPolicy('Admin', 'Accept'));
    expect(columns(accept.stdout, 'api')).toEqual(['open', 'open']);
    // A NetworkPolicy isolating the pod decides everything before the Baseline tier.
    const isolated = await explainShop(stream(clusterPolicy('Baseline', 'Deny'), ISOLATING));
    expect(columns(isolated.stdout, 'api')).toEqual(['isolated (1)', 'open']);
    const pod = await explainShop(clusterPolicy('Admin', 'Deny'), 'shop/api');
    expect(pod.stdout).toContain(
      '\nIngress: restricted by Admin tier (cnp/guard), not isolated: no NetworkPolicy selects this pod for ingress; what no rule denies is allowed\n',
    );
  });

  it('is open where an earlier Accept takes every pod a Deny names; says when only unlisted pods may be denied', async () => {
    const acceptThenDeny = clusterPolicy('Admin', 'Deny').replace(
      '  ingress:\n',
      '  ingress:\n  - action: Accept\n    from: [{namespaces: {}}]\n',
    );
    const covered = await explainShop(acceptThenDeny);
    expect(columns(covered.stdout, 'api')).toEqual(['open', 'open']);
    const unlisted = clusterPolicy('Admin', 'Deny').replace('app: admin', 'app: auditor');
    const pod = await explainShop(unlisted, 'shop/api');
    expect(pod.stdout).toContain(
      '\nIngress: restricted by Admin tier (cnp/guard; maybe, for only pods the input does not list), not isolated:',
    );
  });

  it('marks with ? in the table, -o wide and a legend line a restriction that may deny only unlisted pods', async () => {
    const unlisted = clusterPolicy('Admin', 'Deny').replace('app: admin', 'app: auditor');
    const maybe = await explainShop(unlisted);
    expect(columns(maybe.stdout, 'api')).toEqual(['restricted? (Admin tier)', 'open']);
    expect(maybe.stdout).toContain(
      '\n\n?: may deny only peers the input does not list or cannot tell apart (explain NAMESPACE/POD says which)\n',
    );
    const wide = await explainShop(unlisted, '-o', 'wide');
    expect(wide.stdout).toMatch(/api .* restricted\? \(Admin tier\) +open +cnp\/guard\?\n/);
    // A sure Deny of another tier beside it: the side is surely restricted, the maybe tier marked.
    const baseline = clusterPolicy('Baseline', 'Deny').replace('name: guard', 'name: floor');
    const mixed = await explainShop(stream(unlisted, baseline), '-o', 'wide');
    expect(columns(mixed.stdout, 'api')).toEqual([
      'restricted (Admin tier?, Baseline tier)',
      'open',
    ]);
    expect(mixed.stdout).toMatch(/ cnp\/guard\?,cnp\/floor\n/);
    // A sure restriction alone needs no legend; --no-headers never prints one.
    const sure = await explainShop(clusterPolicy('Admin', 'Deny'));
    expect(sure.stdout).not.toContain('?');
    const bare = await explainShop(unlisted, '--no-headers');
    expect(bare.stdout).not.toContain('?:');
  });

  it('is restricted by a Cilium deny rule of a policy that leaves default-deny off', async () => {
    const denyOnly = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: no-admin, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: api}}
  enableDefaultDeny: {ingress: false}
  ingressDeny:
  - fromEndpoints: [{matchLabels: {app: admin}}]
`;
    const run = await explainShop(denyOnly, '-o', 'wide');
    expect(columns(run.stdout, 'api')).toEqual(['restricted (Cilium deny rules)', 'open']);
    expect(run.stdout).toMatch(/api .* ciliumnetworkpolicy\/shop\/no-admin\n/);
  });
});
