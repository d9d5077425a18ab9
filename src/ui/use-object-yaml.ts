import { useMemo } from 'react';
import { weighsAtMost } from '../io/files/object-pieces.js';
import { PIECE_WEIGHT } from '../io/files/parse-messages.js';
import { yamlLines } from '../render/structured.js';
import type { Analyst } from './analyst/analyst.js';
import type { AnalystSnapshot, ObjectYaml } from './analyst/questions.js';
import { type Answered, useAnswer } from './use-answer.js';

/**
 * Objects weighing more (nodes, as objectPieces weighs them) have their YAML written by the
 * analyst: writing takes about 10 µs a node (a Pod with 9 MB of annotations, 970 ms), so one
 * this light costs the UI's thread a few milliseconds at most, and shows at once.
 */
const WRITTEN_HERE_WEIGHT = PIECE_WEIGHT / 4;

/**
 * The YAML view of `object` (none: nothing to show): a light object's written at once, a heavy
 * one's by the analyst (its object sent in parts, its lines taken back a run a turn), "computing…"
 * meanwhile; leaving the view cancels it.
 */
export function useObjectYaml(
  analyst: Analyst,
  snapshot: AnalystSnapshot,
  object: unknown,
): Answered<ObjectYaml> {
  const light = useMemo(
    () => object !== undefined && weighsAtMost(object, WRITTEN_HERE_WEIGHT),
    [object],
  );
  const here = useMemo(
    (): Answered<ObjectYaml> | undefined =>
      light ? { state: 'done', value: { lines: yamlLines(object) } } : undefined,
    [light, object],
  );
  const question = useMemo(
    () => (object === undefined || light ? undefined : ({ kind: 'object-yaml', object } as const)),
    [object, light],
  );
  const asked = useAnswer(analyst, snapshot, question);
  return here ?? asked;
}
