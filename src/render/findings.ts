import type { Finding, SourceLocation } from '../engine/findings.js';

/** "file.yaml (document 3, item 2)". */
export function locationText(location: SourceLocation): string {
  const parts = [
    location.document !== undefined ? `document ${location.document}` : undefined,
    location.item !== undefined ? `item ${location.item}` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? `${location.file} (${parts.join(', ')})` : location.file;
}

const SEVERITY_WORD = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A finding without its severity: `a.yaml (document 2): NetworkPolicy x/y: spec...: message`. */
export function findingText(finding: Finding): string {
  const where = finding.location ? `${locationText(finding.location)}: ` : '';
  const object = finding.object ? `${finding.object}: ` : '';
  return `${where}${object}${finding.message}`;
}

/** One line for a finding: `error: a.yaml (document 2): NetworkPolicy x/y: spec...: message`. */
export function findingLine(finding: Finding): string {
  return `${SEVERITY_WORD[finding.severity]}: ${findingText(finding)}`;
}
