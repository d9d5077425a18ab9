/**
 * kubectl's JSONPath template dialect (`-o jsonpath=TEMPLATE`), parsed into a tree: text outside
 * braces, `{PATH}` actions, `{"literal"}` text, `{range PATH}…{end}`. No npm library implements
 * this dialect (they implement plain JSONPath expressions, without templates, range/end or
 * kubectl's quoting), so it is parsed here.
 */

/** A comparison inside a filter `[?(@.a == "b")]`. */
export type FilterOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** One side of a filter: a path from the element (`@`) or the root (`$`), or a literal. */
export type FilterOperand =
  | { readonly kind: 'path'; readonly from: 'element' | 'root'; readonly path: JsonPath }
  | { readonly kind: 'literal'; readonly value: string | number | boolean };

/** One step of a path. */
export type PathStep =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'descendants'; readonly name: string }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'union'; readonly keys: readonly (string | number)[] }
  | {
      readonly kind: 'slice';
      readonly start?: number;
      readonly end?: number;
      readonly step?: number;
    }
  | {
      readonly kind: 'filter';
      readonly left: FilterOperand;
      readonly comparison?: { readonly operator: FilterOperator; readonly right: FilterOperand };
    };

/** A path from the root of the document: `.items[*].metadata.name`. */
export type JsonPath = readonly PathStep[];

/** A piece of a template. */
export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'path'; readonly path: JsonPath }
  | { readonly kind: 'range'; readonly path: JsonPath; readonly body: readonly TemplateNode[] };

/** A template that does not parse; the message is kubectl's reason ("unclosed action"). */
export class JsonPathSyntaxError extends Error {
  override readonly name = 'JsonPathSyntaxError';
}

/** Characters that end a field name. */
const FIELD_END = /[.[\]\s(),=!<>}'"]/;

/** Reads a path at `text[start]`; stops at the first character that cannot continue it. */
class PathReader {
  position: number;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.position = start;
  }

  private fail(reason: string): never {
    throw new JsonPathSyntaxError(reason);
  }

  private peek(offset = 0): string | undefined {
    return this.text[this.position + offset];
  }

  private skipBlanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.position++;
  }

  /** A field name, with `\.` standing for a dot inside it. */
  private fieldName(): string {
    let name = '';
    for (let char = this.peek(); char !== undefined; char = this.peek()) {
      if (char === '\\' && this.peek(1) === '.') {
        name += '.';
        this.position += 2;
        continue;
      }
      if (FIELD_END.test(char)) break;
      name += char;
      this.position++;
    }
    return name;
  }

  /** A quoted string: 'single' as written, "double" with JSON's escapes. */
  quoted(): string {
    const quote = this.peek() as string;
    const close = this.text.indexOf(quote, this.position + 1);
    let end = close;
    while (end !== -1 && this.text[end - 1] === '\\') end = this.text.indexOf(quote, end + 1);
    if (end === -1) this.fail('unclosed quotation');
    const body = this.text.slice(this.position + 1, end);
    this.position = end + 1;
    if (quote === "'") return body;
    try {
      return JSON.parse(`"${body}"`) as string;
    } catch {
      return this.fail(`invalid string "${body}"`);
    }
  }

  private integer(): number | undefined {
    const match = /^-?\d+/.exec(this.text.slice(this.position));
    if (!match) return undefined;
    this.position += match[0].length;
    return Number(match[0]);
  }

  /** The steps of a path, after an optional leading `$` or `@`. */
  path(): JsonPath {
    if (this.peek() === '$' || this.peek() === '@') this.position++;
    const steps: PathStep[] = [];
    for (;;) {
      const char = this.peek();
      if (char === '.' && this.peek(1) === '.') {
        this.position += 2;
        const name = this.fieldName();
        if (name === '') this.fail('a name must follow ..');
        steps.push({ kind: 'descendants', name });
      } else if (char === '.') {
        this.position++;
        if (this.peek() === '*') {
          this.position++;
          steps.push({ kind: 'wildcard' });
        } else {
          const name = this.fieldName();
          // A lone dot (`{.}`) is the current value itself.
          if (name !== '') steps.push({ kind: 'field', name });
        }
      } else if (char === '[') {
        this.position++;
        steps.push(this.bracket());
      } else return steps;
    }
  }

  /** What follows `[`: `*`, `?(filter)`, a slice, or a union of indices or quoted keys. */
  private bracket(): PathStep {
    this.skipBlanks();
    let step: PathStep;
    if (this.peek() === '*') {
      this.position++;
      step = { kind: 'wildcard' };
    } else if (this.peek() === '?') {
      this.position++;
      step = this.filter();
    } else step = this.sliceOrUnion();
    this.skipBlanks();
    if (this.peek() !== ']') this.fail('unclosed array expect ]');
    this.position++;
    return step;
  }

  private sliceOrUnion(): PathStep {
    const keys: (string | number)[] = [];
    for (;;) {
      this.skipBlanks();
      const char = this.peek();
      if (char === "'" || char === '"') keys.push(this.quoted());
      else {
        const start = this.integer();
        if (this.peek() === ':') return this.slice(start);
        if (start === undefined) this.fail(`invalid array index ${this.rest()}`);
        keys.push(start);
      }
      this.skipBlanks();
      if (this.peek() !== ',') return { kind: 'union', keys };
      this.position++;
    }
  }

  private slice(start: number | undefined): PathStep {
    this.position++;
    const end = this.integer();
    let step: number | undefined;
    if (this.peek() === ':') {
      this.position++;
      step = this.integer();
      if (step === 0) this.fail('step of a slice cannot be 0');
    }
    return {
      kind: 'slice',
      ...(start === undefined ? {} : { start }),
      ...(end === undefined ? {} : { end }),
      ...(step === undefined ? {} : { step }),
    };
  }

  private filter(): PathStep {
    if (this.peek() !== '(') this.fail('unrecognized filter: a filter is [?(…)]');
    this.position++;
    this.skipBlanks();
    const left = this.operand();
    this.skipBlanks();
    const operator = /^(==|!=|<=|>=|<|>)/.exec(this.text.slice(this.position))?.[1] as
      | FilterOperator
      | undefined;
    let comparison: { operator: FilterOperator; right: FilterOperand } | undefined;
    if (operator) {
      this.position += operator.length;
      this.skipBlanks();
      comparison = { operator, right: this.operand() };
      this.skipBlanks();
    }
    if (this.peek() !== ')') this.fail('unclosed filter, expect )');
    this.position++;
    return { kind: 'filter', left, ...(comparison ? { comparison } : {}) };
  }

  private operand(): FilterOperand {
    const char = this.peek();
    if (char === '@' || char === '$')
      return { kind: 'path', from: char === '@' ? 'element' : 'root', path: this.path() };
    if (char === "'" || char === '"') return { kind: 'literal', value: this.quoted() };
    const word = /^(-?\d+(\.\d+)?|true|false)/.exec(this.text.slice(this.position))?.[0];
    if (word === undefined) this.fail(`unrecognized filter operand ${this.rest()}`);
    this.position += word.length;
    return {
      kind: 'literal',
      value: word === 'true' || word === 'false' ? word === 'true' : Number(word),
    };
  }

  private rest(): string {
    return this.text.slice(this.position);
  }
}

/** The text of an action from its `{` to its matching `}`, quotes and brackets respected. */
function actionEnd(template: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < template.length; i++) {
    const char = template[i];
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '}') return i;
  }
  throw new JsonPathSyntaxError('unclosed action');
}

/** Parses one action's text (between braces) onto the open ranges. */
function parseAction(action: string, open: TemplateNode[][], ranges: JsonPath[]): void {
  const body = open.at(-1) as TemplateNode[];
  const text = action.trim();
  if (text === 'end') {
    const path = ranges.pop();
    const finished = open.pop();
    if (path === undefined || finished === undefined)
      throw new JsonPathSyntaxError('not in range, nothing to end');
    (open.at(-1) as TemplateNode[]).push({ kind: 'range', path, body: finished });
    return;
  }
  const range = /^range\s+/.exec(text);
  const source = range ? text.slice(range[0].length) : text;
  if (!range && source.startsWith('"')) {
    const reader = new PathReader(source, 0);
    const literal = reader.quoted();
    if (reader.position !== source.length)
      throw new JsonPathSyntaxError(`unrecognized text after a string: ${source}`);
    body.push({ kind: 'text', text: literal });
    return;
  }
  const reader = new PathReader(source, 0);
  const path = reader.path();
  if (reader.position !== source.length) {
    const char = source[reader.position] as string;
    const code = (char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
    throw new JsonPathSyntaxError(`unrecognized character in action: U+${code} '${char}'`);
  }
  if (range) {
    ranges.push(path);
    open.push([]);
  } else body.push({ kind: 'path', path });
}

/** Parses a kubectl JSONPath template; throws JsonPathSyntaxError with kubectl's reason. */
export function parseJsonPathTemplate(template: string): readonly TemplateNode[] {
  const open: TemplateNode[][] = [[]];
  const ranges: JsonPath[] = [];
  let position = 0;
  while (position < template.length) {
    const brace = template.indexOf('{', position);
    const textEnd = brace === -1 ? template.length : brace;
    if (textEnd > position)
      (open.at(-1) as TemplateNode[]).push({
        kind: 'text',
        text: template.slice(position, textEnd),
      });
    if (brace === -1) break;
    const close = actionEnd(template, brace);
    parseAction(template.slice(brace + 1, close), open, ranges);
    position = close + 1;
  }
  if (ranges.length > 0) throw new JsonPathSyntaxError('unclosed range, expect {end}');
  return open[0] as TemplateNode[];
}
