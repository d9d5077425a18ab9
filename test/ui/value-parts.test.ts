import { describe, expect, it } from 'vitest';
import { CLUSTER_SIZES, generateCluster } from '../../bench/synthetic-cluster.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { answerQuestion, loadForQuestions } from '../../src/ui/analyst/questions.js';
import {
  valueFromParts,
  valueFromPartsInTurns,
  valueParts,
} from '../../src/ui/analyst/value-parts.js';
import type { ClusterView } from '../../src/ui/view-model.js';

/** The lists' rows of the bench's 1,000-pod cluster, as the analyst's worker answers them. */
function smallClusterView(): ClusterView {
  const objects = generateCluster(CLUSTER_SIZES.small);
  const { cluster } = normalizeObjects(
    objects.map((object, i) => ({ object, location: { file: 'small', item: i + 1 } })),
  );
  return answerQuestion(loadForQuestions({ cluster, options: {} }), {
    kind: 'cluster-view',
  }) as ClusterView;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A value rebuilt from its parts a few at a time, and how many turns it handed back. */
async function rebuiltInTurns(parts: readonly Uint8Array[]) {
  let turns = 0;
  const value = await valueFromPartsInTurns(parts, () => {
    turns++;
    return turn();
  });
  return { value, turns };
}

describe("an analyst's answer sent to the UI's thread in parts", () => {
  it('comes back identical, whether rebuilt at once or a few parts per turn', async () => {
    const view = smallClusterView();
    const parts = [...valueParts(view)];
    expect(parts.length).toBeGreaterThan(view.pods.length / 100);
    expect(valueFromParts(parts)).toEqual(view);
    expect(await valueFromPartsInTurns(parts, turn)).toEqual(view);
  });

  it('carries answers that are not objects of lists as they are', async () => {
    for (const answer of [undefined, ['line one', 'line two'], 'text', { lines: [] }]) {
      expect(await valueFromPartsInTurns(valueParts(answer), turn)).toEqual(answer);
    }
  });

  it("hands the UI's event loop back while rebuilding a long answer", async () => {
    // The rows twenty times over: far longer to deserialise than one turn's budget anywhere.
    const view = smallClusterView();
    const long = { ...view, pods: Array.from({ length: 20 }, () => view.pods).flat() };
    const { value, turns } = await rebuiltInTurns([...valueParts(long)]);
    expect(turns).toBeGreaterThan(0);
    expect(value).toEqual(long);
  });

  it("cuts maps as it cuts lists: the audit's findings by pod come back over several turns", async () => {
    // As the audit's digest carries them: a map from each pod to its findings' briefs.
    const brief = { severity: 'warning', code: 'unisolated-pod', message: 'accepts from anywhere' };
    const byPod = new Map(
      Array.from({ length: 50_000 }, (_, i) => [`team-${i % 9}/pod-${i}`, [brief]]),
    );
    const digest = { cni: { name: 'calico' }, rows: [brief], byNamespace: new Map(), byPod };
    const parts = [...valueParts(digest)];
    // The first part holds what is left once the lists and maps are cut out: a few bytes.
    expect(parts[0]?.byteLength).toBeLessThan(500);
    const { value, turns } = await rebuiltInTurns(parts);
    expect(turns).toBeGreaterThan(0);
    expect(value).toEqual(digest);
  });

  it('says so when there is nothing to rebuild a value from', () => {
    expect(() => valueFromParts([])).toThrow(/no parts/);
  });
});
