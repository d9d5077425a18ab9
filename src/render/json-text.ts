import { escapeQuotedUnsafe } from './terminal-text.js';

// Apart from YAML (structured.ts): the yaml package it needs is not loaded for JSON output.

/**
 * Data as JSON text that is exact and safe on a terminal: JSON.stringify escapes the C0
 * controls itself; C1 controls and bidi characters, which it leaves raw, become `\uXXXX`.
 */
export function jsonText(data: unknown, indent?: number): string {
  return escapeQuotedUnsafe(JSON.stringify(data, null, indent));
}
