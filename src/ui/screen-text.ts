import type {
  Analysis,
  AuditFinding,
  AuditReport,
  PeerIndex,
  ScaffoldedPolicy,
} from '../engine/index.js';
import { explainPod, policyEffect } from '../engine/index.js';
import type { LoadedInput } from '../io/normalize/loaded-input.js';
import { exposureLines } from '../render/exposure.js';
import { yamlText } from '../render/structured.js';
import { findingLines, podFindingLines } from './audit-view.js';
import { KEYMAP } from './keymap.js';
import type { Screen } from './state.js';
import type { CheckedQuestion } from './wizard.js';
import { wizardPreviewLines } from './wizard-preview.js';

/** The help screen: the keymap, then how filters, jumps and pastes work. */
export function helpLines(): string[] {
  return [
    'Keys (the same table drives the footer and the input handling):',
    '',
    ...KEYMAP.map(
      (b) => `  ${b.label.padEnd(8)} ${b.description.padEnd(34)} on: ${b.screens.join(', ')}`,
    ),
    '',
    'Filter: "/" then text (matches names) or label=value (matches a label exactly;',
    '  on policies, a label of the pods they select).',
    'Jump: ":ns", ":po", ":netpol", ":cnp", ":audit", ":ctx".',
    'Paste: into the field being edited; on a list, the pasted text becomes the filter.',
  ];
}

/** What the text screens are drawn from; each is computed only by the screen that needs it. */
export interface TextSources {
  readonly input: LoadedInput;
  readonly analysis: Analysis;
  /** The namespace names without one are read in. */
  readonly namespace: string;
  /** The denied check the wizard was opened from, which its preview answers again. */
  readonly question: CheckedQuestion | undefined;
  readonly peerIndex: () => PeerIndex;
  readonly audit: () => AuditReport;
  readonly findingsOfPod: (podId: string) => readonly AuditFinding[];
  /** The policies the wizard builds, when its form is complete. */
  readonly built: readonly ScaffoldedPolicy[] | undefined;
  /** The policy screen's lines once computed in the background (undefined until then). */
  readonly policyLines: readonly string[] | undefined;
  /** What every answer ends with about how far it holds: unread lists, unmodelled policies, an unknown plugin. */
  readonly answerNotes: readonly string[];
}

/** The pod detail: the audit's findings about the pod, then what reaches it and what it reaches. */
function podDetailLines(podId: string, sources: TextSources): string[] {
  const podIdx = sources.analysis.podIndex.get(podId);
  if (podIdx === undefined) return [`pod ${podId} is no longer in the snapshot`];
  const explained = explainPod(sources.analysis, podIdx, { peerIndex: sources.peerIndex() });
  return [
    ...podFindingLines(sources.findingsOfPod(podId)),
    // the title names the pod
    ...exposureLines(explained).slice(1),
    ...sources.answerNotes,
  ];
}

/** The lines of a text screen (detail, YAML, help, finding, preview); none for other screens. */
export function screenLines(screen: Screen, sources: TextSources): string[] {
  const { built } = sources;
  switch (screen.id) {
    case 'help':
      return helpLines();
    case 'pod-detail':
      return podDetailLines(screen.podId, sources);
    case 'policy-detail':
    case 'cluster-policy-detail':
      return sources.policyLines
        ? [...sources.policyLines, ...sources.answerNotes]
        : ['computing…'];
    case 'audit-finding': {
      const finding = sources.audit().findings[screen.index];
      return finding ? findingLines(finding) : ['the finding is gone from the latest snapshot'];
    }
    case 'scaffold-preview':
      return built
        ? wizardPreviewLines(
            sources.analysis,
            built,
            policyEffect(sources.analysis.cluster, built),
            sources.question,
            sources.namespace,
          )
        : [];
    case 'yaml': {
      const object = sources.input.objects.get(screen.objectKey);
      return object
        ? yamlText(object, { aliasDuplicateObjects: false }).split('\n')
        : [`${screen.objectKey} is no longer in the snapshot`];
    }
    default:
      return [];
  }
}
