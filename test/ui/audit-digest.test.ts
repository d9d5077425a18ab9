import { describe, expect, it } from 'vitest';
import { CLUSTER_SIZES, generateCluster } from '../../bench/synthetic-cluster.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { findingMessage } from '../../src/render/audit.js';
import { answerQuestion, loadForQuestions } from '../../src/ui/analyst/questions.js';
import { valueFromParts, valueParts } from '../../src/ui/analyst/value-parts.js';
import {
  type AuditDigest,
  briefsAt,
  findingsByNamespace,
  findingsByPod,
} from '../../src/ui/audit-view.js';

/** The bench's 1,000-pod cluster compiled as the analyst compiles it, with its audit. */
function smallAudit() {
  const objects = generateCluster(CLUSTER_SIZES.small);
  const { cluster } = normalizeObjects(
    objects.map((object, i) => ({ object, location: { file: 'small', item: i + 1 } })),
  );
  const loaded = loadForQuestions({ cluster, options: {} });
  const report = loaded.compiled().audit();
  const digest = answerQuestion(loaded, { kind: 'audit' }) as AuditDigest;
  return { report, digest };
}

describe("the audit's digest, as the lists and a pod's detail read it", () => {
  const { report, digest } = smallAudit();
  const briefOf = (finding: (typeof report.findings)[number]) => ({
    severity: finding.severity,
    code: finding.code,
    message: findingMessage(finding),
  });

  it("gives each pod and namespace the briefs of exactly the report's findings about it", () => {
    const byPod = findingsByPod(report);
    expect(byPod.size).toBeGreaterThan(100);
    for (const [podId, findings] of byPod)
      expect(briefsAt(digest, digest.byPod.get(podId))).toEqual(findings.map(briefOf));
    for (const [namespace, findings] of findingsByNamespace(report))
      expect(briefsAt(digest, digest.byNamespace.get(namespace))).toEqual(findings.map(briefOf));
    expect(briefsAt(digest, digest.byPod.get('nowhere/none'))).toEqual([]);
    expect(briefsAt(undefined, [0])).toEqual([]);
  });

  it("lists a pod's findings most severe first and, of one severity, those naming fewest pods first", () => {
    const podsNamed = (finding: (typeof report.findings)[number]) =>
      finding.objects.filter((o) => o.kind === 'Pod').length;
    let reordered = 0;
    for (const [podId, findings] of findingsByPod(report)) {
      const severities = findings.map((f) => ['error', 'warning', 'info'].indexOf(f.severity));
      expect(severities, podId).toEqual([...severities].sort((a, b) => a - b));
      for (const [i, finding] of findings.entries()) {
        const next = findings[i + 1];
        if (next?.severity === finding.severity)
          expect(podsNamed(finding), podId).toBeLessThanOrEqual(podsNamed(next));
      }
      const inReportOrder = report.findings.filter((f) => findings.includes(f));
      if (inReportOrder.some((f, i) => f !== findings[i])) reordered += 1;
    }
    // The bench's cluster has broad ipBlock warnings listed before pods' own findings.
    expect(reordered).toBeGreaterThan(0);
  });

  it('holds one brief per finding, however many pods it names, also once rebuilt from its parts', () => {
    const rebuilt = valueFromParts(valueParts(digest)) as AuditDigest;
    expect(rebuilt.briefs).toEqual(report.findings.map(briefOf));
    const named = [...rebuilt.byPod.values()].reduce((sum, indexes) => sum + indexes.length, 0);
    expect(named).toBeGreaterThan(rebuilt.briefs.length);
    for (const indexes of rebuilt.byPod.values())
      for (const index of indexes) expect(Number.isInteger(index)).toBe(true);
  });
});
