/** Which Service is the cluster DNS, and by which rule: a distribution's name, else DNS labels. */
import { describe, expect, it } from 'vitest';
import { findClusterDns } from '../../src/engine/scaffold/cluster-dns.js';
import { analyseYaml, fixture } from '../helpers/load.js';

const RKE2 = fixture('dns/rke2/cluster.yaml');
const OPENSHIFT = fixture('dns/openshift/cluster.yaml');

describe('finding the cluster DNS Service', () => {
  it("finds RKE2's and OpenShift's by the names their distributions give them", () => {
    const rke2 = findClusterDns(analyseYaml(RKE2).cluster);
    expect(rke2.foundBy).toBe('service-name');
    expect(rke2.candidates.map((c) => [c.service?.name, c.distributions])).toEqual([
      ['rke2-coredns-rke2-coredns', 'RKE2'],
    ]);
    const openshift = findClusterDns(analyseYaml(OPENSHIFT).cluster);
    expect(openshift.candidates).toMatchObject([
      {
        namespace: 'openshift-dns',
        podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' },
        distributions: 'OpenShift',
      },
    ]);
  });

  it('finds one by its DNS labels when no known name is there', () => {
    const renamed = RKE2.replace('name: rke2-coredns-rke2-coredns\n', 'name: coredns\n');
    const dns = findClusterDns(analyseYaml(renamed).cluster);
    expect(dns.foundBy).toBe('service-labels');
    expect(dns.candidates.map((c) => c.service?.name)).toEqual(['coredns']);
  });
});
