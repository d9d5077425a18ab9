import type { ApplyConflictError } from '../io/cluster/apply-terms.js';
import { APPLY_FIELD_MANAGER } from '../io/cluster/field-manager.js';
import { table } from './table.js';
import { terminalText } from './terminal-text.js';

/** The question asked when an apply conflicts: y forces it, as --force-conflicts does. */
export const FORCE_APPLY_QUESTION = 'force the apply, taking ownership?';

/**
 * What a conflicting apply would take over: the policy, then each field with the manager
 * owning it (and the API version it wrote it with); the server's message when it named none.
 */
export function applyConflictLines(conflict: ApplyConflictError): string[] {
  const object = terminalText(conflict.object);
  if (conflict.conflicts.length === 0) return [terminalText(conflict.message)];
  const rows = conflict.conflicts.map(({ field, manager, apiVersion }) => [
    terminalText(field),
    terminalText(manager),
    apiVersion ? terminalText(apiVersion) : '-',
  ]);
  return [
    `${object}: fields owned by other field managers`,
    `(forcing the apply makes ${APPLY_FIELD_MANAGER} their manager)`,
    '',
    ...table(['FIELD', 'MANAGER', 'API VERSION'], rows),
  ];
}
