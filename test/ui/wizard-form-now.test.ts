/** The form drawn at each key, before the analyst's form for it comes. */
import { describe, expect, it } from 'vitest';
import { compileCluster, dnsRuleTarget } from '../../src/engine/index.js';
import type { WizardState } from '../../src/ui/wizard.js';
import { wizardPolicies } from '../../src/ui/wizard.js';
import { wizardFormNow, wizardFormView } from '../../src/ui/wizard-view.js';
import { APP, COREDNS, COREDNS_5353 } from '../engine/audit/dns-scenario.js';
import { clusterOfYaml } from '../helpers/load.js';

describe('wizardFormNow', () => {
  it('keeps the notes of the same form when the DNS port in its title changed', () => {
    const on53 = compileCluster(clusterOfYaml(`${COREDNS}${APP}`));
    const on5353 = clusterOfYaml(`${COREDNS_5353}${APP}`);
    const wizard: WizardState = {
      templateId: 'allow-dns',
      values: { namespace: 'shop', pods: 'app=app' },
      focus: 1,
    };
    // The analyst's form is of the snapshot before a watch update moved CoreDNS to 5353.
    const analysed = wizardFormView(on53, wizard);
    const dns = dnsRuleTarget(on5353);
    const now = wizardFormNow(wizard, wizardPolicies(wizard, dns), analysed, dns);
    expect(now.title).toBe(
      "allow DNS: egress to the cluster DNS on UDP and TCP 5353 (the DNS pods' port behind Service port 53)",
    );
    expect(now.rows.map((row) => row.note)).toEqual([
      '1 pod',
      'selects 1 pod',
      'from the template',
    ]);
    expect(now.rows.map((row) => row.note)).toEqual(analysed.rows.map((row) => row.note));
  });

  it("keeps the suggestions of an analyst's form that crossed from its thread (a copy)", () => {
    const cluster = clusterOfYaml(`${COREDNS}${APP}`);
    const wizard: WizardState = {
      templateId: 'default-deny',
      values: { namespace: 'sh' },
      focus: 0,
    };
    // The analyst runs on a worker thread: its form arrives as a structured clone.
    const analysed = structuredClone(wizardFormView(compileCluster(cluster), wizard));
    expect(analysed.suggestions).toEqual(['shop']);
    const dns = dnsRuleTarget(cluster);
    const now = wizardFormNow(wizard, wizardPolicies(wizard, dns), analysed, dns);
    expect(now.suggestions).toEqual(['shop']);
  });
});
