import {
  type Analysis,
  diffFlows,
  type FamilyChange,
  type FlowDecision,
  type FlowTransition,
  flowDecision,
  isEmptyPortSet,
  type PairAnswer,
  type PairDiff,
  type SideDecider,
  transitionOpens,
} from '../engine/index.js';
import type { ObjectChange } from '../io/normalize/apply-objects.js';
import { calicoDeciderText } from './calico-tiers.js';
import { ciliumSctpDropText, undecidedLayerText } from './completeness.js';
import { policyText, ruleName } from './peers.js';
import { portSetJson, portSetText } from './ports.js';
import { table } from './table.js';
import { terminalList, terminalText } from './terminal-text.js';

/** One changed flow of a diff: a pair's ports whose outcome changes, and what decides them after. */
export interface DiffFlow {
  readonly pair: PairDiff;
  readonly transition: FlowTransition;
  /** What decides the first of the ports after the change. */
  readonly decision?: FlowDecision;
}

/** A pair of pods that gained or lost an address family between the snapshots. */
export interface DiffFamilyChange {
  readonly pair: PairDiff;
  readonly change: FamilyChange;
}

/**
 * What a diff found: the objects the change touches, the flows it opens or closes, and the
 * pairs a pod's address change gives or takes a family (no flow a policy opened or closed).
 */
export interface DiffReport {
  readonly objects: readonly ObjectChange[];
  readonly flows: readonly DiffFlow[];
  /** Absent when none. */
  readonly familyChanges?: readonly DiffFamilyChange[];
}

const UNRESTRICTED_WORDS: Readonly<Record<UnrestrictedSide['reason'], string>> = {
  'no-policy': 'not isolated',
  'host-network': 'host network, not isolated',
  'outside-cluster': 'outside the cluster',
  self: 'a pod reaching itself',
};

/** A side no policy restricts. */
type UnrestrictedSide = Extract<SideDecider, { kind: 'unrestricted' }>;

/** What decides one side, in a few words. */
function sideText(side: SideDecider): string {
  switch (side.kind) {
    case 'unrestricted':
      return `${side.direction} ${UNRESTRICTED_WORDS[side.reason]}`;
    case 'rule':
      return ruleName(side.policy, side.direction, side.ruleIndex);
    case 'cluster-rule': {
      const name = side.ruleName ? ` (${terminalText(side.ruleName)})` : '';
      return `${terminalText(side.policy)} ${side.direction} rule ${side.ruleIndex + 1}${name}: ${side.action}`;
    }
    case 'cilium-rule':
      return `${terminalText(side.policy)} ${side.direction}${side.action === 'deny' ? 'Deny' : ''} rule ${side.ruleIndex + 1}: ${side.action}`;
    case 'calico':
      return `${calicoDeciderText(side.step)}: ${side.step.action}`;
    case 'cilium-datapath':
      return `${side.direction} DENIED: ${ciliumSctpDropText(side.sctp)}`;
    case 'node-local':
      return `${side.direction} node-local${side.node ? ` (node ${terminalText(side.node)})` : ''}: always allowed`;
    case 'isolation':
      return `${side.direction} isolated by ${side.policies.map(policyText).join(', ')}, no rule admits it`;
    case 'undecided': {
      const [first] = side.layers;
      const more = side.layers.length > 1 ? ` (and ${side.layers.length - 1} more)` : '';
      return `${side.direction} UNKNOWN: ${first ? undecidedLayerText(first) : 'undecided'}${more}`;
    }
  }
}

/** What decides a flow after the change, side by side. */
function decisionText(decision: FlowDecision | undefined): string {
  if (!decision || decision.sides.length === 0) return '-';
  return decision.sides.map(sideText).join('; ');
}

/** A transition's ports, marked with the one family they change over: `TCP 5432 (IPv4 only)`. */
function transitionPortsText({ ports, families }: FlowTransition): string {
  return portSetText(ports, families ? ` (${families.join(', ')} only)` : '');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * The flows that change from one analysis to the other, each with what decides it after, for
 * the pairs with a pod `shown`; with the objects the change touches.
 */
export function flowDiffReport(
  was: Analysis,
  is: Analysis,
  objects: readonly ObjectChange[],
  shown: (podId: string) => boolean = () => true,
): DiffReport {
  const pairs = diffFlows(was, is).filter((pair) => shown(pair.from) || shown(pair.to));
  const familyChanges = pairs.flatMap((pair) =>
    (pair.familyChanges ?? []).map((change) => ({ pair, change })),
  );
  return {
    objects,
    flows: pairs.flatMap((pair) =>
      pair.transitions.map((transition) => {
        const [family] = transition.families ?? [];
        const decision = flowDecision(is, pair.from, pair.to, transition.ports, family);
        return { pair, transition, ...(decision ? { decision } : {}) };
      }),
    ),
    ...(familyChanges.length > 0 ? { familyChanges } : {}),
  };
}

/**
 * The diff as text: a summary, the objects touched, then a table of the flows changed; with
 * `namespace`, the report is of that namespace alone, and an empty one says so.
 */
export function diffLines(report: DiffReport, namespace?: string, withHeaders = true): string[] {
  const opened = report.flows.filter((flow) => transitionOpens(flow.transition)).length;
  const closed = report.flows.length - opened;
  const shifts = report.familyChanges ?? [];
  if (report.objects.length === 0 && report.flows.length === 0 && shifts.length === 0) {
    return [
      namespace === undefined
        ? 'no change: the objects given are already in place'
        : `no change in namespace ${terminalText(namespace)}: the objects given change no object or flow there`,
    ];
  }
  const objects = report.objects.map(
    ({ object, change }) => `${change.padEnd(7)} ${terminalText(object)}`,
  );
  const rows = report.flows.map(({ pair, transition, decision }) => [
    transitionOpens(transition) ? 'opened' : 'closed',
    terminalText(pair.from),
    terminalText(pair.to),
    transitionPortsText(transition),
    transition.before,
    transition.after,
    decisionText(decision),
  ]);
  const shifted =
    shifts.length > 0
      ? `; ${plural(shifts.length, 'pod pair')} gained or lost an address family`
      : '';
  return [
    `${plural(report.objects.length, 'object')} changed; flows: ${opened} opened, ${closed} closed${shifted}`,
    ...(objects.length > 0 ? ['', ...objects] : []),
    ...(rows.length > 0
      ? [
          '',
          ...table(
            ['CHANGE', 'FROM', 'TO', 'PORTS', 'BEFORE', 'AFTER', 'DECIDED BY (AFTER)'],
            rows,
            withHeaders,
          ),
        ]
      : ['', 'no flow changes']),
    ...(shifts.length > 0
      ? [
          '',
          'address families a pod gained or lost (pod changes, not flows the policies opened or closed):',
          ...shifts.map(({ pair, change }) => `  ${familyChangeText(pair, change)}`),
        ]
      : []),
  ];
}

/** What a pair answers over a family: `TCP 5432 ALLOWED; UDP 53 UNKNOWN`, or `nothing allowed`. */
function answerText({ allowed, unknown }: PairAnswer): string {
  const parts = [
    ...(isEmptyPortSet(allowed) ? [] : [`${portSetText(allowed)} ALLOWED`]),
    ...(isEmptyPortSet(unknown) ? [] : [`${portSetText(unknown)} UNKNOWN`]),
  ];
  return parts.length > 0 ? parts.join('; ') : 'nothing allowed';
}

/** `shop/web -> shop/db: IPv6 gained (a pod got an IPv6 address); over it TCP 5432 ALLOWED`. */
function familyChangeText(pair: PairDiff, { family, change, answer }: FamilyChange): string {
  const why =
    change === 'gained' ? `a pod got an ${family} address` : `a pod lost its ${family} address`;
  const over = change === 'gained' ? 'over it' : 'over it before';
  return `${terminalText(pair.from)} -> ${terminalText(pair.to)}: ${family} ${change} (${why}); ${over} ${answerText(answer)}`;
}

/** The diff's JSON and YAML contract. */
export function diffData(report: DiffReport) {
  return {
    objects: report.objects.map(({ object, change }) => ({ object, change })),
    flows: report.flows.map(({ pair, transition, decision }) => ({
      change: transitionOpens(transition) ? 'opened' : 'closed',
      from: pair.from,
      to: pair.to,
      ports: portSetJson(transition.ports),
      before: transition.before,
      after: transition.after,
      ...(transition.families ? { families: transition.families } : {}),
      ...(decision ? { decidedBy: decision } : {}),
    })),
    ...(report.familyChanges
      ? {
          familyChanges: report.familyChanges.map(({ pair, change }) => ({
            from: pair.from,
            to: pair.to,
            family: change.family,
            change: change.change,
            allowed: portSetJson(change.answer.allowed),
            unknown: portSetJson(change.answer.unknown),
          })),
        }
      : {}),
  };
}

/** The names of the objects to delete that the base does not hold, for a warning. */
export function absentObjectsText(absent: readonly string[]): string {
  return `--delete: not in the current state, nothing to delete: ${terminalList(absent)}`;
}
