/**
 * Cluster DNS whose Service maps port 53 to another targetPort (CoreDNS listening on 5353):
 * policies see the pod's port after the Service translation, so allow-dns must admit 5353,
 * and an egress rule on 53 alone leaves lookups failing.
 */
import { describe, expect, it } from 'vitest';
import {
  type ClusterNetworkPolicy,
  type NetworkPolicy,
  policyEffect,
  scaffoldTemplate,
  withClusterDns,
} from '../../src/engine/index.js';
import { findingMessage } from '../../src/render/audit.js';
import { runCli } from '../helpers/cli.js';
import { clusterOfYaml } from '../helpers/load.js';
import { APP, COREDNS_5353, DENY_EGRESS, dnsTo } from './audit/dns-scenario.js';
import { audit } from './audit/yaml.js';

const DEFAULT_DENY = {
  kind: 'default-deny',
  namespace: 'shop',
  direction: 'egress',
  allowDns: true,
} as const;

describe('DNS pods behind a targetPort other than 53', () => {
  it('scaffold default-deny --allow-dns admits the DNS pods’ port, and lookups keep working', () => {
    const cluster = clusterOfYaml(`${COREDNS_5353}${APP}`);
    const policies = scaffoldTemplate(withClusterDns(DEFAULT_DENY, cluster)) as NetworkPolicy[];
    expect(policies.map((p) => p.egress.flatMap((rule) => rule.ports))).toEqual([
      [],
      [
        { protocol: 'UDP', port: 5353 },
        { protocol: 'TCP', port: 5353 },
      ],
    ]);
    expect(policyEffect(cluster, policies).dnsBlocked).toEqual([]);
    // Where the snapshot shows no DNS pods, DNS stays on port 53.
    const [, fallback] = scaffoldTemplate(
      withClusterDns(DEFAULT_DENY, clusterOfYaml(APP)),
    ) as NetworkPolicy[];
    expect(fallback?.egress[0]?.ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
  });

  it('a Baseline default-deny with --allow-dns accepts DNS on the DNS pods’ port', () => {
    const cluster = clusterOfYaml(`${COREDNS_5353}${APP}`);
    const request = {
      kind: 'baseline-deny',
      namespace: 'shop',
      direction: 'egress',
      allowDns: true,
    } as const;
    const [policy] = scaffoldTemplate(withClusterDns(request, cluster)) as ClusterNetworkPolicy[];
    expect(policy?.egress[0]).toMatchObject({
      action: 'Accept',
      ports: [
        { kind: 'number', protocol: 'UDP', port: 5353 },
        { kind: 'number', protocol: 'TCP', port: 5353 },
      ],
    });
  });

  it('audit: egress to port 53 alone cannot resolve names; egress to 5353 can', () => {
    const on53 = dnsTo('[{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]');
    const on5353 = dnsTo('[{protocol: UDP, port: 5353}, {protocol: TCP, port: 5353}]');
    const blocked = audit(`${COREDNS_5353}${APP}${DENY_EGRESS}${on53}`, 'dns-blocked');
    expect(blocked).toEqual([
      expect.objectContaining({ blockedBy: 'egress', pods: ['shop/app'], ports: [5353] }),
    ]);
    const [finding] = blocked;
    expect(findingMessage(finding as NonNullable<typeof finding>)).toContain(
      'egress to UDP 5353 of the cluster DNS pods',
    );
    expect(audit(`${COREDNS_5353}${APP}${DENY_EGRESS}${on5353}`, 'dns-blocked')).toEqual([]);
  });

  it('check names a lookup to the DNS pods’ port a DNS flow, fixed by allow-dns on 5353', async () => {
    const input = `${COREDNS_5353}${APP}${DENY_EGRESS}`;
    const target = ['shop/app', 'svc/kube-dns.kube-system', '--port', '53', '--protocol', 'UDP'];
    const check = await runCli(['check', ...target, '-f', '-', '-o', 'json'], input);
    const [flow] = JSON.parse(check.stdout).flows;
    expect(flow).toMatchObject({ to: 'kube-system/coredns-1', port: 5353, verdict: 'DENIED' });
    expect(flow.diagnosis[0]).toMatchObject({
      kind: 'dns-egress-blocked',
      fix: { command: 'kubectl netpol scaffold allow-dns -n shop' },
    });
    const text = await runCli(['check', ...target, '-f', '-'], input);
    expect(text.stdout).toContain('no rule allows UDP 5353 to the cluster DNS');
    expect(text.stdout).toContain('reach the cluster DNS on UDP and TCP 5353');
    expect(text.stdout).not.toContain(' 53 to the cluster DNS');
    const scaffold = await runCli(['scaffold', 'allow-dns', '-n', 'shop', '-f', '-'], input);
    expect(scaffold.stdout).toContain('- protocol: UDP\n          port: 5353\n');
  });
});
