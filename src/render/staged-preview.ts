import type { StagedPreview } from '../engine/index.js';
import { terminalText } from './terminal-text.js';

/** The preview lines of a check's text: "if staged policy X were enforced: DENIED". */
export function stagedPreviewLines(previews: readonly StagedPreview[]): string[] {
  return previews.map(
    (preview) =>
      `if staged policy ${terminalText(preview.policy)} were enforced: ${preview.verdict}`,
  );
}
