/**
 * The cluster DNS is worked out once per analysis: each working-out reads every Service and pod,
 * and the audit's checks and every keystroke of the wizard's form need it.
 */
import { describe, expect, it, vi } from 'vitest';
import { auditCluster, compileCluster } from '../../src/engine/index.js';
import * as clusterDns from '../../src/engine/scaffold/cluster-dns.js';
import { loadDemo } from '../../src/io/load-input.js';
import { answerQuestion, loadForQuestions } from '../../src/ui/analyst/questions.js';
import type { WizardState } from '../../src/ui/wizard.js';

// Every working-out of the cluster DNS starts by looking for it among the Services: counted.
vi.mock('../../src/engine/scaffold/cluster-dns.js', async (importActual) => {
  const actual = await importActual<typeof clusterDns>();
  return { ...actual, findClusterDns: vi.fn(actual.findClusterDns) };
});

const passes = vi.mocked(clusterDns.findClusterDns);

/** The demo: open namespaces (coverage's fixes), egress-isolated pods and staged Calico policies. */
const cluster = loadDemo().cluster;

/** The wizard's form for a default-deny of tenant-c as typed one key at a time. */
function typing(text: string): WizardState[] {
  return [...text].map((_, i) => ({
    templateId: 'default-deny',
    values: { namespace: text.slice(0, i + 1) },
    focus: 0,
  }));
}

describe('the cluster DNS of an analysis', () => {
  it('is worked out once for the whole audit: coverage, DNS and staged-policy checks', () => {
    const staged = (cluster.calicoPolicies ?? []).filter((policy) => policy.staged);
    expect(staged.length).toBeGreaterThan(0);
    const analysis = compileCluster(cluster);
    passes.mockClear();
    const report = auditCluster(analysis);
    const codes = new Set(report.findings.map((finding) => finding.code));
    expect(codes).toContain('unisolated-pods');
    expect(codes).toContain('staged-policy-cuts-dns');
    expect(passes).toHaveBeenCalledTimes(1);
  });

  it('is worked out once per snapshot by the analyst, for the audit and every wizard keystroke', () => {
    passes.mockClear();
    const loaded = loadForQuestions({ cluster, options: {} });
    answerQuestion(loaded, { kind: 'audit' });
    const forms = typing('tenant-c').map((wizard) =>
      answerQuestion(loaded, { kind: 'wizard-form', wizard }),
    );
    expect(forms).toHaveLength(8);
    expect(passes).toHaveBeenCalledTimes(1);
  });
});
