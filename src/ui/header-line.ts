/**
 * The header's first line as pieces, fitted to the terminal's width: on a narrow terminal whole
 * pieces are left out in a set order (the namespace when it is "all", the time, the quiet
 * badge), then the source and namespace names are shortened, so that the counts stay whole
 * down to the narrowest terminals, where the line is cut between two counts or two words.
 */
import stringWidth from 'string-width';
import type { PluginLayerModes } from '../engine/index.js';
import type { EnforcementBadge } from '../render/enforcement.js';
import { terminalLine } from '../render/terminal-text.js';

/** How a piece of the header is shown. */
export type HeaderTone = 'title' | 'alarm' | 'warning' | 'plain' | 'quiet';

/** One piece of the header's first line, already safe for a terminal. */
export interface HeaderPiece {
  readonly text: string;
  readonly tone: HeaderTone;
}

/**
 * A piece as fitting sees it: `drop` ranks which goes first; `shrink`: a name, cut anywhere
 * when short of room; `breakAt`: where a last-resort cut may fall (a space by default).
 */
interface FitPiece extends HeaderPiece {
  readonly drop?: number;
  readonly shrink?: boolean;
  readonly breakAt?: string;
}

/**
 * A plugin's policy count and how its layer takes part ('pending' until the network plugin is
 * detected); shown only when there are some.
 */
export interface LayerCount {
  readonly count: number;
  readonly mode: PluginLayerModes['cilium'] | 'pending';
}

/** What the header's first line says. */
export interface HeaderFacts {
  readonly source: string;
  readonly namespace: string | undefined;
  readonly counts: {
    readonly namespaces: number;
    readonly pods: number;
    readonly policies: number;
    /** Cilium's and Calico's policies (staged ones left out) and whether they are enforced. */
    readonly cilium?: LayerCount;
    readonly calico?: LayerCount;
  };
  readonly updated: string;
  /** Warnings about the snapshot itself (partial, unmodelled policies). */
  readonly badges: readonly string[];
  readonly enforcement: EnforcementBadge | undefined;
}

/** The words after a plugin's count: none when its layer answers, else why it does not. */
const LAYER_NOTE: Record<LayerCount['mode'], string> = {
  enforced: '',
  assumed: '',
  absent: '',
  ignored: ' (not enforced)',
  undecided: ' (plugin unknown)',
  pending: ' (plugin pending)',
};

/** `20 netpol`, then ` · 5 cilium` and ` · 2 calico (not enforced)` where such policies exist. */
export function policyCounts(counts: HeaderFacts['counts']): string {
  const plugins = [
    ['cilium', counts.cilium],
    ['calico', counts.calico],
  ] as const;
  return [
    `${counts.policies} netpol`,
    ...plugins.flatMap(([name, layer]) =>
      layer && layer.count > 0 ? [`${layer.count} ${name}${LAYER_NOTE[layer.mode]}`] : [],
    ),
  ].join(' · ');
}

/** Whether the counts show a plugin's layer as `(plugin pending)`. */
function countsSayPending(counts: HeaderFacts['counts']): boolean {
  return [counts.cilium, counts.calico].some(
    (layer) => layer !== undefined && layer.count > 0 && layer.mode === 'pending',
  );
}

/** The pieces in display order. Warning badges come right after the program name. */
function headerPieces(facts: HeaderFacts): FitPiece[] {
  const { enforcement, counts } = facts;
  return [
    { text: 'kubectl netpol', tone: 'title' },
    ...(enforcement?.tone === 'alarm'
      ? [{ text: `[${enforcement.text}]`, tone: 'alarm' as const }]
      : []),
    ...facts.badges.map((badge) => ({ text: `[${badge}]`, tone: 'warning' as const })),
    { text: terminalLine(facts.updated), tone: 'plain', drop: 2 },
    { text: terminalLine(facts.source), tone: 'plain', shrink: true },
    facts.namespace === undefined
      ? { text: 'ns: all', tone: 'plain', drop: 1 }
      : { text: terminalLine(`ns: ${facts.namespace}`), tone: 'plain', shrink: true },
    {
      text: `${counts.namespaces} ns, ${counts.pods} pods, ${policyCounts(counts)}`,
      tone: 'plain',
      breakAt: ' · ',
    },
    // While the plugin is detected, a counted Cilium or Calico layer already says so.
    ...(enforcement?.tone === 'quiet' && !countsSayPending(counts)
      ? [{ text: `[${enforcement.text}]`, tone: 'quiet' as const, drop: 3 }]
      : []),
  ];
}

/** Pieces are set two columns apart. */
const GAP = 2;

const lineWidth = (pieces: readonly HeaderPiece[]) =>
  pieces.reduce((sum, piece, i) => sum + stringWidth(piece.text) + (i > 0 ? GAP : 0), 0);

/**
 * `text` cut to `room` columns with `…`: before the last `breakAt` that fits, or anywhere when
 * `breakAt` is undefined; undefined when nothing is left.
 */
function cutText(text: string, room: number, breakAt: string | undefined): string | undefined {
  let kept = '';
  for (const char of text) {
    if (stringWidth(kept + char) > room - 1) break;
    kept += char;
  }
  const end = breakAt === undefined ? kept.length : kept.lastIndexOf(breakAt);
  return end > 0 ? `${kept.slice(0, end)}…` : undefined;
}

/** The pieces that fit `width` columns, left out and shortened as the module comment says. */
function fitPieces(pieces: readonly FitPiece[], width: number): HeaderPiece[] {
  let kept = [...pieces];
  const ranks = [...new Set(pieces.flatMap((p) => (p.drop === undefined ? [] : [p.drop])))];
  for (const rank of ranks.sort((a, b) => a - b)) {
    if (lineWidth(kept) <= width) return kept;
    kept = kept.filter((piece) => piece.drop !== rank);
  }
  for (const piece of kept.filter((p) => p.shrink)) {
    const over = lineWidth(kept) - width;
    if (over <= 0) return kept;
    const cut = cutText(piece.text, stringWidth(piece.text) - over, undefined);
    kept = kept.flatMap((p) =>
      p !== piece ? [p] : cut === undefined ? [] : [{ ...p, text: cut }],
    );
  }
  if (lineWidth(kept) <= width) return kept;
  // Still too wide (a very narrow terminal): the pieces that fit, then the next cut at a word.
  const shown: HeaderPiece[] = [];
  for (const piece of kept) {
    const room = width - lineWidth(shown) - (shown.length > 0 ? GAP : 0);
    if (stringWidth(piece.text) <= room) {
      shown.push(piece);
      continue;
    }
    const cut = cutText(piece.text, room, piece.breakAt ?? ' ') ?? (room >= 1 ? '…' : undefined);
    return cut === undefined ? shown : [...shown, { ...piece, text: cut }];
  }
  return shown;
}

/** The header's first line for a terminal `width` columns wide. */
export function headerLine(facts: HeaderFacts, width: number): HeaderPiece[] {
  return fitPieces(headerPieces(facts), width);
}
