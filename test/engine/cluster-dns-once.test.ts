/**
 * check's diagnosis and fix, and the effect preview, work the cluster DNS out once per analysis:
 * each working-out reads every Service and pod, and check diagnoses flow after flow.
 */
import { describe, expect, it, vi } from 'vitest';
import { checkTargets, policyEffect, scaffoldTemplate } from '../../src/engine/index.js';
import * as clusterDns from '../../src/engine/scaffold/cluster-dns.js';
import { analyseYaml, fixture } from '../helpers/load.js';

// Every working-out of the cluster DNS starts by looking for it among the Services: counted.
vi.mock('../../src/engine/scaffold/cluster-dns.js', async (importActual) => {
  const actual = await importActual<typeof clusterDns>();
  return { ...actual, findClusterDns: vi.fn(actual.findClusterDns) };
});

const passes = vi.mocked(clusterDns.findClusterDns);

/** OpenShift's DNS pods on 5353, shop's egress admitting them. */
const OPENSHIFT = fixture('dns/openshift/cluster.yaml');
/** The same with shop's egress admitting 53 only: lookups denied. */
const ON_53 = OPENSHIFT.replace(/port: 5353\}/g, 'port: 53}');
const WEB = 'shop/web-7d4b9c8f6-k2xvp';
const DNS_POD = 'openshift-dns/dns-default-4x7kq';

describe('the cluster DNS of an analysis, outside the audit', () => {
  it("is worked out once for a check's diagnosis of a DNS flow and the fix it offers", () => {
    const analysis = analyseYaml(ON_53);
    const question = { source: WEB, destination: DNS_POD, port: 5353, protocol: 'UDP' } as const;
    passes.mockClear();
    const checked = checkTargets(analysis, { ...question, namespace: 'shop' });
    const flows = checked.ok ? checked.value.flows : [];
    expect(flows.map((f) => f.diagnosis?.map((d) => [d.kind, d.fix?.kind]))).toEqual([
      [['dns-egress-blocked', 'allow-dns']],
    ]);
    expect(passes).toHaveBeenCalledTimes(1);
  });

  it('is worked out once per effect preview, before and after alike', () => {
    const { cluster } = analyseYaml(OPENSHIFT);
    const added = scaffoldTemplate({
      kind: 'default-deny',
      namespace: 'openshift-dns',
      direction: 'ingress',
    });
    passes.mockClear();
    const effect = policyEffect(cluster, added);
    expect(effect.dnsBlocked).toMatchObject([{ protocol: 'UDP', blockedBy: 'dns-ingress' }]);
    expect(passes).toHaveBeenCalledTimes(1);
  });
});
