/** allow-dns's ports in words: the DNS pods' own, and the Service port they stand behind. */
import { describe, expect, it } from 'vitest';
import { dnsRuleTarget } from '../../src/engine/index.js';
import { dnsRulePortsText, dnsTargetPortsText } from '../../src/render/dns.js';
import { APP, COREDNS, COREDNS_5353 } from '../engine/audit/dns-scenario.js';
import { clusterOfYaml } from '../helpers/load.js';

describe('dnsRulePortsText', () => {
  it('says 53 is assumed where the input shows no cluster DNS, as the preview note does', () => {
    expect(dnsTargetPortsText(dnsRuleTarget(clusterOfYaml(APP)))).toBe(
      'UDP and TCP 53 (assumed: cluster DNS not found in the input)',
    );
  });

  it('says 53 alone where the DNS pods are known to take lookups on it', () => {
    expect(dnsTargetPortsText(dnsRuleTarget(clusterOfYaml(`${COREDNS}${APP}`)))).toBe(
      'UDP and TCP 53',
    );
  });

  it('names the DNS pods’ port and the Service port 53 it stands behind', () => {
    expect(dnsTargetPortsText(dnsRuleTarget(clusterOfYaml(COREDNS_5353)))).toBe(
      "UDP and TCP 5353 (the DNS pods' port behind Service port 53)",
    );
  });

  it('tells the protocols apart where their ports differ', () => {
    const ports = [
      { protocol: 'UDP', port: 5353 },
      { protocol: 'TCP', port: 53 },
    ] as const;
    expect(dnsRulePortsText(ports)).toBe(
      "UDP 5353 and TCP 53 (the DNS pods' ports behind Service port 53)",
    );
  });
});
