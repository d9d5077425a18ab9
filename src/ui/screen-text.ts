import type { AuditFinding } from '../engine/index.js';
import type { LoadedInput } from '../io/normalize/loaded-input.js';
import { wrapDetailLines } from '../render/wrap.js';
import type { ObjectYaml } from './analyst/questions.js';
import { type FindingBrief, findingLines, podFindingLines } from './audit-view.js';
import { JUMP_HELP } from './jump-commands.js';
import { KEYMAP, type KeyContext, PLACE_NAMES } from './keymap.js';
import type { Screen } from './state.js';
import { type Answered, answerLines } from './use-answer.js';
import type { WizardPreview } from './wizard-preview.js';

/** The width of a key's description on a help line; a wider one gets a line of its own. */
const HELP_DESCRIPTION_WIDTH = 34;

/** Where the screens a key works on start on a help line. */
const HELP_SCREENS_COLUMN = 2 + 8 + 1 + HELP_DESCRIPTION_WIDTH + 1;

/** Where a key works, in words: the groups it covers whole (PLACE_NAMES), then each other place. */
function placeNames(contexts: readonly KeyContext[]): string[] {
  const left = new Set(contexts);
  const names: string[] = [];
  for (const group of PLACE_NAMES.groups) {
    if (!group.contexts.every((context) => left.has(context))) continue;
    names.push(group.name);
    for (const context of group.contexts) left.delete(context);
  }
  return [...names, ...[...left].map((context) => PLACE_NAMES.contexts[context])];
}

/** Where a key works, after "on: ", wrapped at commas to lines of `width` columns. */
function helpScreens(contexts: readonly KeyContext[], width: number): string[] {
  const room = Math.max(20, width - HELP_SCREENS_COLUMN - 4);
  const screens = placeNames(contexts);
  const lines: string[] = [];
  let line = '';
  for (const [i, screen] of screens.entries()) {
    const item = i < screens.length - 1 ? `${screen},` : screen;
    if (line !== '' && line.length + 1 + item.length > room) {
      lines.push(line);
      line = item;
    } else line = line === '' ? item : `${line} ${item}`;
  }
  return [...lines, line];
}

/**
 * The help screen: the keymap, then how filters, jumps and pastes work. The screens each key
 * works on wrap under their column so that every line fits `width`.
 */
export function helpLines(width: number): string[] {
  const column = ' '.repeat(HELP_SCREENS_COLUMN);
  return [
    'Keys, and where each works:',
    '',
    ...KEYMAP.flatMap((b) => {
      const [first = '', ...rest] = helpScreens(b.screens, width);
      const key = `  ${b.label.padEnd(8)} ${b.description}`;
      const more = rest.map((line) => `${column}    ${line}`);
      // "on:" stays in its column: after a description that fits, else on a line of its own.
      if (b.description.length > HELP_DESCRIPTION_WIDTH)
        return [key, `${column}on: ${first}`, ...more];
      return [`${key.padEnd(HELP_SCREENS_COLUMN)}on: ${first}`, ...more];
    }),
    '',
    'Filter: "/" then text (matches names) or label=value (matches a label exactly;',
    '  on policies, a label of the pods they select).',
    `Jump: ${JUMP_HELP} :ctx; tab completes names and namespaces.`,
    '  :po NAMESPACE and :netpol NAMESPACE show that namespace.',
    'Paste: into the field being edited; on a list, the pasted text becomes the filter.',
  ];
}

/** What the text screens are drawn from; each is computed only by the screen that needs it. */
export interface TextSources {
  readonly input: LoadedInput;
  /** The pod detail's lines after its title, from the analyst (undefined: not in the snapshot). */
  readonly podExposure: Answered<readonly string[] | undefined>;
  /** The finding screen's finding, from the analyst (undefined: the audit has no such finding). */
  readonly finding: Answered<AuditFinding | undefined>;
  readonly findingsOfPod: (podId: string) => readonly FindingBrief[];
  /** The terminal's width in columns, for text laid out in columns. */
  readonly width: number;
  /** What applying the wizard's policies changes or conflicts on, while its question waits for y or n. */
  readonly applyPreview?: readonly string[];
  /** The YAML screen's object as YAML (use-object-yaml.ts). */
  readonly objectYaml: Answered<ObjectYaml>;
  /** The policy screen's lines, from the analyst. */
  readonly policyLines: Answered<readonly string[]>;
  /** The wizard preview's effect and YAML, from the analyst (unasked while the form is incomplete). */
  readonly scaffoldPreview: Answered<WizardPreview>;
  /** What every answer ends with about how far it holds: unread lists, unmodelled policies, an unknown plugin. */
  readonly answerNotes: readonly string[];
}

/** The pod detail: the audit's findings about the pod, then what reaches it and what it reaches. */
function podDetailLines(podId: string, sources: TextSources): string[] {
  return answerLines(sources.podExposure, (exposure) =>
    exposure
      ? [
          ...podFindingLines(sources.findingsOfPod(podId), sources.width),
          ...exposure,
          ...sources.answerNotes,
        ]
      : [`pod ${podId} is no longer in the snapshot`],
  );
}

/**
 * The lines of a text screen (detail, YAML, help, finding, preview); none for other screens.
 * Details, findings, help and the preview's explanation are wrapped to the width (commands
 * whole, to copy); YAML is not.
 */
export function screenLines(screen: Screen, sources: TextSources): string[] {
  if (screen.id === 'scaffold-preview') return scaffoldPreviewLines(sources);
  const lines = unwrappedLines(screen, sources);
  return WRAPPED_SCREENS.has(screen.id) ? wrapDetailLines(lines, sources.width) : lines;
}

/**
 * The wizard's preview: what applying would change (as it comes: it holds spec diffs), then
 * the check's verdict and the effect, wrapped, then the YAML.
 */
function scaffoldPreviewLines(sources: TextSources): string[] {
  const { scaffoldPreview, applyPreview, width } = sources;
  if (scaffoldPreview.state === 'unasked') return [];
  return [
    ...(applyPreview ? [...applyPreview, ''] : []),
    ...answerLines(scaffoldPreview, ({ notes, yaml }) => [
      ...wrapDetailLines(notes, width),
      '',
      ...yaml,
    ]),
  ];
}

/** The screens of explanations, findings and help, whose long lines wrap. */
const WRAPPED_SCREENS: ReadonlySet<Screen['id']> = new Set<Screen['id']>([
  'help',
  'pod-detail',
  'policy-detail',
  'cluster-policy-detail',
  'audit-finding',
]);

function unwrappedLines(screen: Screen, sources: TextSources): string[] {
  switch (screen.id) {
    case 'help':
      return helpLines(sources.width);
    case 'pod-detail':
      return podDetailLines(screen.podId, sources);
    case 'policy-detail':
    case 'cluster-policy-detail':
      return answerLines(sources.policyLines, (lines) => [...lines, ...sources.answerNotes]);
    case 'audit-finding':
      return answerLines(sources.finding, (finding) =>
        finding ? findingLines(finding) : ['the finding is gone from the latest snapshot'],
      );
    case 'yaml':
      return sources.input.objects.has(screen.objectKey)
        ? answerLines(sources.objectYaml, ({ lines }) => lines)
        : [`${screen.objectKey} is no longer in the snapshot`];
    default:
      return [];
  }
}
