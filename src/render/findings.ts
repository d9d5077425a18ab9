import type { Finding, SourceLocation } from '../engine/index.js';
import { MESSAGE_LIMIT, terminalText } from './terminal-text.js';

/** "file.yaml:12 (document 3, item 2)" or "file.yaml:14:7 (...)", the file name shown safely. */
export function locationText(location: SourceLocation): string {
  const parts = [
    location.document !== undefined ? `document ${location.document}` : undefined,
    location.item !== undefined ? `item ${location.item}` : undefined,
  ].filter(Boolean);
  const column = location.column !== undefined ? `:${location.column}` : '';
  const line = location.line !== undefined ? `:${location.line}${column}` : '';
  const file = `${terminalText(location.file)}${line}`;
  return parts.length > 0 ? `${file} (${parts.join(', ')})` : file;
}

const SEVERITY_WORD = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * A finding without its severity: `a.yaml (document 2): NetworkPolicy x/y: spec...: message`;
 * its values, which come from the input, are shown safely for a terminal.
 */
export function findingText(finding: Finding): string {
  const where = finding.location ? `${locationText(finding.location)}: ` : '';
  const object = finding.object ? `${terminalText(finding.object)}: ` : '';
  return `${where}${object}${terminalText(finding.message, MESSAGE_LIMIT)}`;
}

/** One line for a finding: `error: a.yaml (document 2): NetworkPolicy x/y: spec...: message`. */
export function findingLine(finding: Finding): string {
  return `${SEVERITY_WORD[finding.severity]}: ${findingText(finding)}`;
}
