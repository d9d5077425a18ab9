/** The effect preview judges DNS as audit does: UDP and TCP 53 apart, NodeLocal DNSCache included. */
import { describe, expect, it } from 'vitest';
import { policyEffect } from '../../src/engine/index.js';
import { effectLines } from '../../src/render/effect.js';
import { analyseYaml } from '../helpers/load.js';
import { APP, COREDNS, DENY_EGRESS, dnsTo, NODE_LOCAL, toAddress } from './audit/dns-scenario.js';

/** The effect of adding the policies of `added` to the snapshot of `base`. */
function effect(base: string, added: string) {
  return policyEffect(analyseYaml(base).cluster, analyseYaml(added).cluster.policies);
}

/** Policies from a template that takes --allow-dns (default-deny), and from one that does not. */
const DEFAULT_DENY = { clusterPolicy: false, allowDnsFlag: true };
const ALLOW = { clusterPolicy: false, allowDnsFlag: false };

describe('the effect preview on DNS', () => {
  it('suggests --allow-dns only to a template that takes it', () => {
    const denied = effect(`${COREDNS}${APP}`, DENY_EGRESS);
    expect(effectLines(denied, DEFAULT_DENY).at(-1)).toMatch(
      /\(add --allow-dns, or scaffold allow-dns\)$/,
    );
    expect(effectLines(denied, ALLOW).at(-1)).toMatch(/\(scaffold allow-dns for them too\)$/);
    expect(effectLines(denied, ALLOW).join('\n')).not.toContain('--allow-dns');
  });

  it('allowing UDP 53 only blocks the TCP fallback, in audit words', () => {
    const change = effect(
      `${COREDNS}${APP}`,
      `${DENY_EGRESS}${dnsTo('[{protocol: UDP, port: 53}]')}`,
    );
    expect(change.dnsBlocked).toEqual([
      { protocol: 'TCP', blockedBy: 'egress', ports: [53], pods: ['shop/app'] },
    ]);
    expect(effectLines(change, DEFAULT_DENY).at(-1)).toBe(
      'blocks DNS over TCP: 1 pod resolves names over UDP, but DNS over TCP, the fallback for answers too large for UDP, is blocked: egress to TCP 53 of the cluster DNS pods (k8s-app=kube-dns in kube-system) is not allowed: shop/app (add --allow-dns, or scaffold allow-dns)',
    );
  });

  it('allowing TCP 53 only leaves the pods unable to resolve names', () => {
    const change = effect(
      `${COREDNS}${APP}`,
      `${DENY_EGRESS}${dnsTo('[{protocol: TCP, port: 53}]')}`,
    );
    expect(change.dnsBlocked).toEqual([
      { protocol: 'UDP', blockedBy: 'egress', ports: [53], pods: ['shop/app'] },
    ]);
  });

  it('allowing both blocks nothing', () => {
    const ports = '[{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]';
    expect(effect(`${COREDNS}${APP}`, `${DENY_EGRESS}${dnsTo(ports)}`).dnsBlocked).toEqual([]);
  });

  it('egress to NodeLocal DNSCache is DNS egress', () => {
    const base = `${NODE_LOCAL}${COREDNS}${APP}`;
    const allowed = effect(base, `${DENY_EGRESS}${toAddress('169.254.25.10/32')}`);
    expect(allowed.dnsBlocked).toEqual([]);
    expect(allowed.nodeLocal).toBe('169.254.25.10');
    const denied = effect(base, DENY_EGRESS);
    expect(effectLines(denied, DEFAULT_DENY).at(-1)).toBe(
      'blocks DNS: 1 pod cannot resolve names: egress to UDP 53 is allowed neither to the cluster DNS pods (k8s-app=kube-dns in kube-system) nor to NodeLocal DNSCache (169.254.25.10): shop/app (add --allow-dns, or scaffold allow-dns)',
    );
  });

  it('without DNS pods in the snapshot, judges the rules on port 53 as audit does', () => {
    const change = effect(APP, DENY_EGRESS);
    expect(change.dnsBlocked).toEqual([
      { protocol: 'UDP', blockedBy: 'no-port-53', ports: [53], pods: ['shop/app'] },
    ]);
  });
});
