import type { Analysis, ConnectivityMatrix } from '../engine/index.js';
import type { Terminal } from '../io/terminal.js';
import type { AnswerScope } from '../render/answer-scope.js';
import { type YamlOptions, yamlText } from '../render/structured.js';
import { matrixPods, type PairFilter, pairsJson, podJson } from './matrix-json.js';
import { BatchedOutput } from './output.js';

/** How many list items one call of the YAML writer turns into text: its set-up is amortised. */
const ITEMS_PER_CHUNK = 512;

/** As printStructured writes YAML: the same objects are written out again, never aliased. */
const YAML_OPTIONS: YamlOptions = { aliasDuplicateObjects: false };

/**
 * Writes a top-level `key:` with a list as the yaml package writes it inside a whole document,
 * items a chunk at a time: each chunk is written as a document of the key alone, whose first
 * line, `key:`, is written once. The items' indentation, so their quoting and line folding,
 * is the same as in the whole document.
 */
async function writeYamlList(
  output: BatchedOutput,
  key: string,
  items: Iterable<unknown>,
): Promise<void> {
  let chunk: unknown[] = [];
  let started = false;
  const writeChunk = () => {
    const text = yamlText({ [key]: chunk }, YAML_OPTIONS);
    const behind = output.write(started ? text.slice(text.indexOf('\n') + 1) : text);
    started = true;
    chunk = [];
    return behind;
  };
  for (const item of items) {
    chunk.push(item);
    if (chunk.length < ITEMS_PER_CHUNK) continue;
    const behind = writeChunk();
    if (behind) await behind;
  }
  // An empty list is written `key: []`, as in the whole document.
  if (chunk.length > 0 || !started) await writeChunk();
}

/**
 * Writes the matrix contract as YAML piece by piece, batched and at the reader's pace: the
 * same text as the yaml package writes for the whole document, without building it.
 */
export async function writeMatrixYaml(
  terminal: Terminal,
  analysis: Analysis,
  matrix: ConnectivityMatrix,
  keep: PairFilter,
  scope: AnswerScope['data'],
): Promise<void> {
  const output = new BatchedOutput(terminal);
  const pods = matrixPods(analysis, matrix);
  await writeYamlList(output, 'pods', pods.map(podJson));
  await writeYamlList(output, 'pairs', pairsJson(pods, matrix, keep));
  await output.write(yamlText(scope, YAML_OPTIONS));
  await output.flush();
}
