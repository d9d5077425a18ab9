/** The words of DNS scaffolds and findings: what was assumed, and each DNS Service's own ports. */
import { describe, expect, it } from 'vitest';
import {
  dnsAssumption,
  type ScaffoldRequest,
  scaffoldTemplate,
  withClusterDns,
} from '../../src/engine/index.js';
import { findingMessage } from '../../src/render/audit.js';
import { findingFixes } from '../../src/render/audit-fixes.js';
import { policiesYaml } from '../../src/render/policy-yaml.js';
import { audit } from '../engine/audit/yaml.js';
import { clusterOfYaml, fixture } from '../helpers/load.js';

const TWO = fixture('dns/two-services/cluster.yaml');
const ALLOW_DNS: ScaffoldRequest = { kind: 'allow-dns', namespace: 'shop' };

/** The YAML `scaffold allow-dns -n shop` prints for a snapshot (none: nothing read). */
function allowDnsYaml(yaml?: string): string {
  const asked = yaml ? withClusterDns(ALLOW_DNS, clusterOfYaml(yaml)) : ALLOW_DNS;
  const assumption = dnsAssumption(asked);
  return policiesYaml(scaffoldTemplate(asked), assumption ? [assumption] : []);
}

describe('a scaffold’s DNS assumption in its YAML', () => {
  it('comes first, as a comment, where the input shows no cluster DNS', () => {
    expect(allowDnsYaml(fixture('dns/none/cluster.yaml')).split('\n')[0]).toBe(
      '# cluster DNS not found in the input: assumed the pods k8s-app=kube-dns in kube-system on UDP and TCP 53; check it',
    );
  });

  it('says nothing was read when nothing was', () => {
    expect(allowDnsYaml().split('\n')[0]).toBe(
      '# cluster DNS not read (no cluster or manifests given): assumed the pods k8s-app=kube-dns in kube-system on UDP and TCP 53; check it',
    );
  });

  it('names each of several DNS Services with its own ports', () => {
    expect(allowDnsYaml(TWO).split('\n')[0]).toBe(
      "# several Services look like the cluster DNS and select different pods, so DNS is allowed to each: (k8s-app=kube-dns in kube-system, behind the Service kube-system/kube-dns, on UDP and TCP 53), (dns.operator.openshift.io/daemonset-dns=default in openshift-dns, behind the Service openshift-dns/dns-default, on UDP and TCP 5353 (the DNS pods' port behind Service port 53)); keep only the one the kubelet's clusterDNS address names (it is not in the API)",
    );
  });

  it('names the DNS Service’s named targetPorts it could not resolve, and assumes 53', () => {
    expect(allowDnsYaml(fixture('dns/named-port-unresolved/cluster.yaml')).split('\n')[0]).toBe(
      '# cluster DNS port not resolved (its Service maps port 53 to the named targetPort dns for UDP, dns-tcp for TCP, which no DNS pod or EndpointSlice in the input resolves to a number): assumed the pods dns.operator.openshift.io/daemonset-dns=default in openshift-dns, behind the Service openshift-dns/dns-default, on UDP and TCP 53; check it',
    );
  });

  it('is absent where the input tells the cluster DNS', () => {
    expect(allowDnsYaml(fixture('dns/openshift/cluster.yaml'))).toMatch(/^apiVersion:/);
  });
});

describe('DNS findings with two DNS Services serving different ports', () => {
  it('never merge their ports as if each served both', () => {
    const [blocked] = audit(TWO, 'dns-blocked');
    const [unknown] = audit(TWO, 'dns-server-unknown');
    for (const finding of [blocked, unknown]) {
      const text = finding ? findingMessage(finding) : '';
      expect(text).not.toContain('53,5353');
      expect(text).toContain('kube-system/kube-dns, on UDP and TCP 53)');
      expect(text).toContain('openshift-dns/dns-default, on UDP and TCP 5353');
    }
  });

  it('say in the fix what it assumes', () => {
    const [blocked] = audit(TWO, 'dns-blocked');
    const [fix] = blocked ? findingFixes(blocked) : [];
    expect(fix?.text).toContain('so DNS is allowed to each');
  });
});

describe('a staged policy that would cut DNS', () => {
  it('is fixed by allowing the DNS pods found, on their own port', () => {
    const openshift = fixture('dns/openshift/cluster.yaml');
    const shop = openshift.slice(0, openshift.indexOf('apiVersion: networking.k8s.io/v1'));
    const staged = `---\napiVersion: projectcalico.org/v3\nkind: StagedNetworkPolicy\nmetadata: {name: default.lockdown, namespace: shop}\nspec: {stagedAction: Set, selector: all(), types: [Egress], egress: [{action: Allow, protocol: TCP, destination: {ports: [443]}}]}\n`;
    const [cut] = audit(`${shop}${staged}`, 'staged-policy-cuts-dns');
    expect(cut ? findingFixes(cut).map((f) => f.text) : []).toEqual([
      "add an egress Allow to dns.operator.openshift.io/daemonset-dns=default in openshift-dns, behind the Service openshift-dns/dns-default, on UDP and TCP 5353 (the DNS pods' port behind Service port 53) to the staged policy before enforcing it",
    ]);
  });
});
