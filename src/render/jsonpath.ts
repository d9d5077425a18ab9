import {
  type FilterOperand,
  type FilterOperator,
  type JsonPath,
  type PathStep,
  parseJsonPathTemplate,
  type TemplateNode,
} from '../syntax/jsonpath-syntax.js';
import { terminalBlock } from './terminal-text.js';

/** A JSON value: what a command's `-o json` document is made of. */
type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function children(value: Json): Json[] {
  if (Array.isArray(value)) return value;
  return isObject(value) ? Object.values(value) : [];
}

/** The value and every value below it, parents before children. */
function* descendants(value: Json): Generator<Json> {
  yield value;
  for (const child of children(value)) yield* descendants(child);
}

/** An index counted from the end when negative; undefined when outside the array. */
function arrayIndex(array: readonly Json[], index: number): number | undefined {
  const resolved = index < 0 ? array.length + index : index;
  return resolved >= 0 && resolved < array.length ? resolved : undefined;
}

function sliceOf(array: readonly Json[], step: Extract<PathStep, { kind: 'slice' }>): Json[] {
  const clamp = (index: number) =>
    Math.min(array.length, Math.max(0, index < 0 ? array.length + index : index));
  const by = step.step ?? 1;
  const start = clamp(step.start ?? (by > 0 ? 0 : array.length - 1));
  const end = step.end === undefined ? (by > 0 ? array.length : -1) : clamp(step.end);
  const out: Json[] = [];
  for (let i = start; by > 0 ? i < end : i > end; i += by) out.push(array[i]);
  return out;
}

function operandValues(operand: FilterOperand, element: Json, root: Json): Json[] {
  if (operand.kind === 'literal') return [operand.value];
  return evaluatePath(operand.path, operand.from === 'element' ? element : root, root);
}

function compares(left: Json, operator: FilterOperator, right: Json): boolean {
  if (operator === '==') return left === right;
  if (operator === '!=') return left !== right;
  const comparable =
    (typeof left === 'number' && typeof right === 'number') ||
    (typeof left === 'string' && typeof right === 'string');
  if (!comparable) return false;
  const [a, b] = [left as number | string, right as number | string];
  if (operator === '<') return a < b;
  if (operator === '<=') return a <= b;
  if (operator === '>') return a > b;
  return a >= b;
}

function passes(step: Extract<PathStep, { kind: 'filter' }>, element: Json, root: Json): boolean {
  const lefts = operandValues(step.left, element, root);
  const comparison = step.comparison;
  if (!comparison) return lefts.length > 0;
  const rights = operandValues(comparison.right, element, root);
  return lefts.some((l) => rights.some((r) => compares(l, comparison.operator, r)));
}

/**
 * What one key of a union reaches: an index, or a quoted key, read as a dotted path as kubectl
 * does (`['metadata.name']`; `\\.` is a dot inside a name).
 */
function keyValues(key: string | number, value: Json, root: Json): Json[] {
  if (typeof key === 'number') {
    const index = Array.isArray(value) ? arrayIndex(value, key) : undefined;
    return index === undefined ? [] : [(value as Json[])[index]];
  }
  const names = key.split(/(?<!\\)\./).map((name) => name.replace(/\\\./g, '.'));
  const path = names.map((name) => ({ kind: 'field', name }) as const);
  return evaluatePath(path, value, root);
}

function applyStep(step: PathStep, value: Json, root: Json): Json[] {
  switch (step.kind) {
    case 'field':
      return isObject(value) && Object.hasOwn(value, step.name) ? [value[step.name]] : [];
    case 'descendants':
      return [...descendants(value)].flatMap((v) =>
        isObject(v) && Object.hasOwn(v, step.name) ? [v[step.name]] : [],
      );
    case 'wildcard':
      return children(value);
    case 'union':
      return step.keys.flatMap((key) => keyValues(key, value, root));
    case 'slice':
      return Array.isArray(value) ? sliceOf(value, step) : [];
    case 'filter':
      return Array.isArray(value) ? value.filter((element) => passes(step, element, root)) : [];
  }
}

/**
 * The values a path reaches from `value`. A missing key or index reaches nothing, as kubectl
 * does with its default --allow-missing-template-keys.
 */
export function evaluatePath(path: JsonPath, value: Json, root: Json): Json[] {
  let values = [value];
  for (const step of path) {
    // A union is taken key by key over every value, as kubectl lists it.
    values =
      step.kind === 'union'
        ? step.keys.flatMap((key) => values.flatMap((v) => keyValues(key, v, root)))
        : values.flatMap((v) => applyStep(step, v, root));
  }
  return values;
}

/** A value as kubectl prints it: a string as it is, anything else as compact JSON. */
function valueText(value: Json): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

function render(nodes: readonly TemplateNode[], current: Json, root: Json): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'path') {
      // Values from the document are untrusted: shown with control characters escaped.
      out += evaluatePath(node.path, current, root)
        .map((value) => terminalBlock(valueText(value)))
        .join(' ');
    } else {
      for (const result of evaluatePath(node.path, current, root)) {
        for (const item of Array.isArray(result) ? result : [result])
          out += render(node.body, item, root);
      }
    }
  }
  return out;
}

/**
 * Fills a kubectl JSONPath template (`{.items[*].name}`, `{range …}…{end}`, `{"\n"}`) from a
 * document. Throws JsonPathSyntaxError when the template does not parse.
 */
export function jsonPathText(template: string, document: Json): string {
  return render(parseJsonPathTemplate(template), document, document);
}
