/**
 * Reads Calico's selector language (projectcalico.org/v3 `selector`, `namespaceSelector`,
 * `serviceAccountSelector`, `notSelector`) into a CalicoSelector, with the grammar of Calico's
 * own tokenizer and parser (libcalico-go/lib/selector): label names of letters, digits and
 * `_ . / -`; strings in single or double quotes without escapes; `!` binding tighter than `&&`,
 * and `&&` tighter than `||`; an empty text is `all()`.
 */
import type { CalicoComparison, CalicoSelector, CalicoSetTest } from '../engine/index.js';

/** Longest label name Calico accepts in a selector. */
const MAX_LABEL_LENGTH = 512;
/** Parentheses nested deeper than this are refused rather than risking the stack. */
const MAX_NESTING = 200;

type Operator = CalicoComparison | CalicoSetTest;

type Token =
  | { readonly kind: 'label' | 'string'; readonly value: string }
  | { readonly kind: 'operator'; readonly operator: Operator }
  | { readonly kind: 'has'; readonly key: string }
  | {
      readonly kind: 'all' | 'global' | '(' | ')' | '{' | '}' | ',' | '!' | '&&' | '||' | 'end';
    };

/** A token, where it starts in the text (1-based) and how it was written. */
type Located = Token & { readonly column: number; readonly text: string };

type Failure = { readonly error: string };

/** Calico counts only spaces and tabs as white space in a selector, not line breaks. */
const isBlank = (char: string | undefined) => char === ' ' || char === '\t';
/** Label names are letters, digits and `_ . / -`. */
const isLabelChar = (char: string | undefined) =>
  char !== undefined && /[A-Za-z0-9_./-]/.test(char);

/** The operators written as words after a label, in the order Calico tries them; the blanks between two words are optional (`notin`). */
const WORD_OPERATORS: readonly {
  readonly words: readonly string[];
  readonly operator: Operator;
}[] = [
  { words: ['contains'], operator: 'contains' },
  { words: ['starts', 'with'], operator: 'starts with' },
  { words: ['ends', 'with'], operator: 'ends with' },
  { words: ['not', 'in'], operator: 'not in' },
  { words: ['in'], operator: 'in' },
];

/** The one-character tokens. */
const SYMBOLS: ReadonlyMap<string, Token> = new Map(
  (['(', ')', '{', '}', ','] as const).map((kind) => [kind, { kind }]),
);

/** The function-like match operators. */
const CALLS = ['has', 'all', 'global'] as const;

/** A failure at a column of the text (1-based). */
function failAt(column: number, message: string): Failure {
  return { error: `${message} at column ${column}` };
}

/** Reads a selector's text into tokens, the last of kind `end`. */
class Tokenizer {
  private at = 0;
  readonly tokens: Located[] = [];

  constructor(private readonly text: string) {}

  private push(token: Token, from: number): void {
    const text = this.text.slice(from, this.at);
    this.tokens.push({ ...token, column: from + 1, text });
  }

  private skipBlanks(): void {
    while (isBlank(this.text[this.at])) this.at++;
  }

  /** A label name starting here, or a failure; advances past it. */
  private label(): string | Failure {
    const from = this.at;
    while (isLabelChar(this.text[this.at])) this.at++;
    const name = this.text.slice(from, this.at);
    if (name === '') {
      const found = this.text[from];
      return failAt(
        from + 1,
        found === undefined
          ? 'expected a label name, found the end'
          : `expected a label name, found ${JSON.stringify(found)}`,
      );
    }
    if (name.length > MAX_LABEL_LENGTH) {
      return failAt(from + 1, `label name longer than ${MAX_LABEL_LENGTH} characters`);
    }
    return name;
  }

  /** The operator words starting here (blanks between them optional), advancing past them. */
  private wordOperator(): Operator | undefined {
    for (const { words, operator } of WORD_OPERATORS) {
      let at: number | undefined = this.at;
      for (const [index, word] of words.entries()) {
        if (index > 0) while (isBlank(this.text[at])) at++;
        if (!this.text.startsWith(word, at)) {
          at = undefined;
          break;
        }
        at += word.length;
      }
      if (at !== undefined && !isLabelChar(this.text[at])) {
        this.at = at;
        return operator;
      }
    }
    return undefined;
  }

  /** `all()`, `global()` or `has(label)` starting here, a failure, or undefined when none is. */
  private call(): Token | Failure | undefined {
    const name = CALLS.find((call) => this.text.startsWith(`${call}(`, this.at));
    if (name === undefined) return undefined;
    this.at += name.length + 1;
    this.skipBlanks();
    let token: Token = { kind: name === 'global' ? 'global' : 'all' };
    if (name === 'has') {
      const key = this.label();
      if (typeof key !== 'string') return key;
      token = { kind: 'has', key };
      this.skipBlanks();
    }
    if (this.text[this.at] !== ')') return failAt(this.at + 1, `expected ')' to close ${name}(`);
    this.at++;
    return token;
  }

  /** The token starting here (after blanks), or a failure. */
  private token(from: number): Token | Failure {
    const char = this.text[from] as string;
    const symbol = SYMBOLS.get(char);
    if (symbol !== undefined) {
      this.at++;
      return symbol;
    }
    if (char === '"' || char === "'") {
      const close = this.text.indexOf(char, from + 1);
      if (close === -1) return failAt(from + 1, 'unterminated string');
      this.at = close + 1;
      return { kind: 'string', value: this.text.slice(from + 1, close) };
    }
    const pair = this.text.slice(from, from + 2);
    if (pair === '==' || pair === '!=') {
      this.at += 2;
      return { kind: 'operator', operator: pair };
    }
    if (pair === '&&' || pair === '||') {
      this.at += 2;
      return { kind: pair };
    }
    if (char === '!') {
      this.at++;
      return { kind: '!' };
    }
    if (char === '=' || char === '&' || char === '|') {
      return failAt(from + 1, `expected '${char}${char}'`);
    }
    const previous = this.tokens.at(-1);
    if (previous?.kind === 'label') {
      // After a label only an operator may follow (Calico's tokenizer reads it so too).
      const operator = this.wordOperator();
      if (operator !== undefined) return { kind: 'operator', operator };
      return failAt(from + 1, `expected an operator after label ${JSON.stringify(previous.text)}`);
    }
    const call = this.call();
    if (call !== undefined) return call;
    const name = this.label();
    return typeof name === 'string' ? { kind: 'label', value: name } : name;
  }

  /** Reads every token; a failure names the first thing that is not one. */
  run(): Failure | undefined {
    for (;;) {
      this.skipBlanks();
      const from = this.at;
      if (from >= this.text.length) {
        this.push({ kind: 'end' }, from);
        return undefined;
      }
      const token = this.token(from);
      if ('error' in token) return token;
      this.push(token, from);
    }
  }
}

/** What a parse step gives: a tree and the index of the next token, or a failure. */
type Step = { readonly node: CalicoSelector; readonly next: number } | Failure;

/** How a token is named in an error: its text, or "the end". */
function described(token: Located): string {
  return token.kind === 'end' ? 'the end' : JSON.stringify(token.text);
}

/** Recursive descent over the tokens: `||` of `&&` of possibly negated operations. */
class Parser {
  constructor(private readonly tokens: readonly Located[]) {}

  private at(index: number): Located {
    return this.tokens[Math.min(index, this.tokens.length - 1)] as Located;
  }

  private expected(index: number, what: string): Failure {
    const token = this.at(index);
    return failAt(token.column, `expected ${what}, found ${described(token)}`);
  }

  /** Operands separated by `separator`, each read by `operand`; one operand stands alone. */
  private chain(
    index: number,
    depth: number,
    separator: '&&' | '||',
    operand: (index: number, depth: number) => Step,
  ): Step {
    const operands: CalicoSelector[] = [];
    let next = index;
    for (;;) {
      const step = operand(next, depth);
      if ('error' in step) return step;
      operands.push(step.node);
      next = step.next;
      if (this.at(next).kind !== separator) break;
      next++;
    }
    const node: CalicoSelector =
      operands.length === 1
        ? (operands[0] as CalicoSelector)
        : { kind: separator === '&&' ? 'and' : 'or', operands };
    return { node, next };
  }

  /** `a || b || ...`, the loosest binding. */
  or(index: number, depth: number): Step {
    return this.chain(index, depth, '||', (i, d) => this.and(i, d));
  }

  private and(index: number, depth: number): Step {
    return this.chain(index, depth, '&&', (i, d) => this.operation(i, d));
  }

  /** `{'a', 'b'}` starting at `index`: quoted strings, commas between, a trailing comma allowed. */
  private set(index: number): { readonly values: string[]; readonly next: number } | Failure {
    if (this.at(index).kind !== '{') return this.expected(index, "'{'");
    const values: string[] = [];
    let next = index + 1;
    for (;;) {
      const token = this.at(next);
      if (token.kind !== 'string') break;
      values.push(token.value);
      next++;
      if (this.at(next).kind !== ',') break;
      next++;
    }
    if (this.at(next).kind !== '}') return this.expected(next, "a quoted string or '}'");
    return { values, next: next + 1 };
  }

  /** A label test after the label at `index`. */
  private labelTest(index: number, key: string): Step {
    const operator = this.at(index + 1);
    if (operator.kind !== 'operator') {
      return this.expected(index + 1, `an operator after label ${JSON.stringify(key)}`);
    }
    if (operator.operator === 'in' || operator.operator === 'not in') {
      const set = this.set(index + 2);
      if ('error' in set) return set;
      return {
        node: { kind: 'set', key, operator: operator.operator, values: set.values },
        next: set.next,
      };
    }
    const value = this.at(index + 2);
    if (value.kind !== 'string') {
      return this.expected(index + 2, `a quoted string after ${operator.operator}`);
    }
    return {
      node: { kind: 'compare', key, operator: operator.operator, value: value.value },
      next: index + 3,
    };
  }

  /** One operation: a match operator, a label test or a parenthesised expression, after any `!`s. */
  private operation(index: number, depth: number): Step {
    let next = index;
    let negated = false;
    while (this.at(next).kind === '!') {
      negated = !negated;
      next++;
    }
    const step = this.positive(next, depth);
    if ('error' in step || !negated) return step;
    return { node: { kind: 'not', operand: step.node }, next: step.next };
  }

  private positive(index: number, depth: number): Step {
    const token = this.at(index);
    switch (token.kind) {
      case 'all':
      case 'global':
        return { node: { kind: token.kind }, next: index + 1 };
      case 'has':
        return { node: { kind: 'has', key: token.key }, next: index + 1 };
      case 'label':
        return this.labelTest(index, token.value);
      case '(': {
        if (depth >= MAX_NESTING) {
          return failAt(token.column, `parentheses nested more than ${MAX_NESTING} deep`);
        }
        const inner = this.or(index + 1, depth + 1);
        if ('error' in inner) return inner;
        if (this.at(inner.next).kind !== ')') return this.expected(inner.next, "')'");
        return { node: inner.node, next: inner.next + 1 };
      }
      default:
        return this.expected(index, 'a label, has(), all(), global(), ! or (');
    }
  }

  /** The whole selector: one expression, then the end. */
  selector(): Step {
    if (this.at(0).kind === 'end') return { node: { kind: 'all' }, next: 1 };
    const step = this.or(0, 0);
    if ('error' in step) return step;
    const rest = this.at(step.next);
    if (rest.kind !== 'end') {
      return failAt(rest.column, `unexpected ${described(rest)} after a complete expression`);
    }
    return step;
  }
}

/**
 * Reads a Calico selector. An empty text (or only spaces and tabs) is `all()`, as Calico reads
 * it; what an absent field means is for its caller. A line break is not white space to Calico
 * and is refused here too. Bad input gives a one-line error naming the column (1-based); this
 * never throws.
 */
export function parseCalicoSelector(
  text: string,
): { readonly selector: CalicoSelector } | { readonly error: string } {
  const tokenizer = new Tokenizer(text);
  const failure = tokenizer.run();
  if (failure) return failure;
  const step = new Parser(tokenizer.tokens).selector();
  return 'error' in step ? step : { selector: step.node };
}
