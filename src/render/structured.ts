import {
  type CreateNodeOptions,
  Document,
  type DocumentOptions,
  type SchemaOptions,
  type ToStringOptions,
  visit,
} from 'yaml';
import { escapeQuotedUnsafe, hasQuotedUnsafe } from './terminal-text.js';

/**
 * Data as JSON text that is exact and safe on a terminal: JSON.stringify escapes the C0
 * controls itself; C1 controls and bidi characters, which it leaves raw, become `\uXXXX`.
 */
export function jsonText(data: unknown, indent?: number): string {
  return escapeQuotedUnsafe(JSON.stringify(data, null, indent));
}

/** Options of yaml's stringify that yamlText passes on. */
export type YamlOptions = DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions;

/**
 * Data as YAML text that is exact and safe on a terminal. The yaml package escapes C0 controls
 * but writes C1 controls and bidi characters raw, even unquoted; strings holding them are
 * double-quoted, where `\uXXXX` escapes them. Other strings are written as stringify writes them.
 */
export function yamlText(data: unknown, options: YamlOptions = {}): string {
  const doc = new Document(data, options);
  let quoted = false;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && hasQuotedUnsafe(node.value)) {
        node.type = 'QUOTE_DOUBLE';
        quoted = true;
      }
    },
  });
  const text = doc.toString(options);
  return quoted ? escapeQuotedUnsafe(text) : text;
}
