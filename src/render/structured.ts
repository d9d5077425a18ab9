import {
  type CreateNodeOptions,
  Document,
  type DocumentOptions,
  Schema,
  type SchemaOptions,
  type ToStringOptions,
  visit,
} from 'yaml';
import { escapeQuotedUnsafe, hasQuotedUnsafe } from './terminal-text.js';

/** Options of yaml's stringify that yamlText passes on. */
export type YamlOptions = DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions;

/**
 * The plain scalars a YAML 1.1 reader, as kubectl is, takes for something other than a string:
 * `y`/`yes`/`on`/`n`/`no`/`off` (booleans), `~`, `0755` (octal), `1_000`, `12:30`, dates, `<<`.
 * The yaml package writes strings for YAML 1.2, which reads most of these as strings, unquoted.
 */
const YAML11_NOT_A_STRING = new RegExp(
  new Schema({ schema: 'yaml-1.1' }).tags
    .flatMap((tag) => (tag.default && 'test' in tag && tag.test ? [`(?:${tag.test.source})`] : []))
    .join('|'),
);

/**
 * Data as YAML text that is exact and safe on a terminal, and that YAML 1.1 readers (kubectl)
 * read as YAML 1.2 readers do: strings they would take for booleans, nulls or numbers are
 * double-quoted. The yaml package escapes C0 controls but writes C1 controls and bidi
 * characters raw, even unquoted; strings holding them are double-quoted, where `\uXXXX`
 * escapes them. Other strings are written as stringify writes them.
 */
export function yamlText(data: unknown, options: YamlOptions = {}): string {
  const doc = new Document(data, options);
  let quoted = false;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      if (hasQuotedUnsafe(node.value)) {
        node.type = 'QUOTE_DOUBLE';
        quoted = true;
      } else if (YAML11_NOT_A_STRING.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  const text = doc.toString(options);
  return quoted ? escapeQuotedUnsafe(text) : text;
}

/** The YAML view's lines: an object as YAML (yamlText), one string a line. */
export function yamlLines(object: unknown): string[] {
  return yamlText(object, { aliasDuplicateObjects: false }).split('\n');
}
