import type { CheckNote } from '../engine/index.js';
import { terminalText } from './terminal-text.js';

/** A check's note in words. */
export function checkNoteText(note: CheckNote): string {
  const ports = note.backendPorts.join(', ');
  const backendPort = note.backendPorts.length === 1 ? `port ${ports}` : `ports ${ports}`;
  return `${terminalText(note.address)} is the ClusterIP of service ${terminalText(note.service)} (port ${note.port}/${note.protocol}): answered for its backends on ${backendPort}, because NetworkPolicy implementations usually see the backend address and port after Service translation, not the ClusterIP`;
}

/** The lines a check prints before its verdicts: `note: ...`. */
export function checkNoteLines(notes: readonly CheckNote[]): string[] {
  return notes.map((note) => `note: ${checkNoteText(note)}`);
}

/** The JSON/YAML form of a check's notes (the structure with its text), absent when none. */
export function checkNotesData(notes: readonly CheckNote[]) {
  return notes.length > 0
    ? { notes: notes.map((note) => ({ ...note, message: checkNoteText(note) })) }
    : {};
}
