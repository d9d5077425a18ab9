import type {
  Analysis,
  DnsRuleTarget,
  NetworkPolicy,
  ScaffoldedPolicy,
  ScaledToZeroWorkload,
} from '../engine/index.js';
import {
  dnsRuleTarget,
  isClusterPolicy,
  isControllerLabel,
  type PolicyFootprint,
  policyFootprint,
  scaffoldPolicies,
  selectorMatches,
} from '../engine/index.js';
import { scaledToZeroSuffix } from '../render/replicas.js';
import { namespaceSelectorText } from '../syntax/scaffold-args.js';
import { parseSelector } from '../syntax/selector-syntax.js';
import {
  currentTerm,
  type FieldId,
  fieldValue,
  focusedField,
  valueOfField,
  type WizardField,
  type WizardResult,
  type WizardState,
  wizardErrors,
  wizardPolicies,
  wizardTemplate,
  wizardTitle,
} from './wizard.js';

/** How many suggestions the form offers under the focused field. */
const SUGGESTIONS = 6;

/** One row of the form. */
export interface FieldRow {
  readonly field: WizardField;
  readonly value: string;
  readonly focused: boolean;
  /** What the value matches in the snapshot ("selects 2 pods"), or what empty means. */
  readonly note: string;
  /** True when the note is a warning (matches nothing). */
  readonly warn: boolean;
}

/** What the form screen shows. */
export interface WizardFormView {
  /** The template's id (WizardTemplate.id): which form this is, whatever its title says. */
  readonly templateId: string;
  readonly title: string;
  readonly rows: readonly FieldRow[];
  /** Completions for the focused field (right arrow takes the first). */
  readonly suggestions: readonly string[];
  readonly result: WizardResult;
  /** The policies written with the form's, from the check's other denied side. */
  readonly companions: readonly string[];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Namespaces a namespaces field names: a bare name is that namespace, else a selector. */
function namespacesNamed(analysis: Analysis, text: string): string[] | undefined {
  const value = text.trim();
  if (!value) return undefined;
  const selector = parseSelector(namespaceSelectorText(value));
  if (!selector.ok) return [];
  return [...analysis.namespaces.values()]
    .filter((ns) => selectorMatches(selector.value, ns.labels))
    .map((ns) => ns.name);
}

/** The namespaces whose pods a pods field selects among. */
function podScope(analysis: Analysis, wizard: WizardState, field: WizardField): string[] {
  const scope = field.podsIn ? valueOfField(wizard, field.podsIn) : '';
  return namespacesNamed(analysis, scope) ?? [valueOfField(wizard, 'namespace').trim()];
}

function podsIn(analysis: Analysis, namespaces: readonly string[]) {
  return namespaces.flatMap((ns) =>
    (analysis.podsByNamespace.get(ns) ?? []).map((idx) => analysis.pods[idx]),
  );
}

/**
 * The values containing `term` and not yet `taken`: those starting with it first (→ takes the
 * first), then the most frequent (a label on more pods), then by name.
 */
function ranked(values: readonly string[], term: string, taken: string): string[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const used = new Set(taken.split(/[\s,]+/));
  const elsewhere = (value: string) => (value.startsWith(term) ? 0 : 1);
  return [...counts.entries()]
    .filter(([value]) => value.includes(term) && value !== term && !used.has(value))
    .sort((a, b) => elsewhere(a[0]) - elsewhere(b[0]) || b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, SUGGESTIONS)
    .map(([value]) => value);
}

/** The pods the policy's ports apply to: its own pods for ingress, the peers for egress. */
function portOwners(analysis: Analysis, wizard: WizardState, policy: NetworkPolicy | undefined) {
  if (!policy) return [];
  const footprint = policyFootprint(analysis, policy);
  const egress = wizardTemplate(wizard).direction === 'egress';
  const indices = egress ? footprint.peers.flatMap((p) => p.pods) : footprint.selected;
  return indices.map((idx) => analysis.pods[idx]);
}

function suggestions(
  analysis: Analysis,
  wizard: WizardState,
  field: WizardField,
  policy: NetworkPolicy | undefined,
): string[] {
  const value = fieldValue(wizard, field);
  const term = currentTerm(value);
  switch (field.kind) {
    case 'namespace':
    case 'namespaces':
      return ranked([...analysis.namespaces.keys()], term, value);
    case 'pods':
      return ranked(
        podsIn(analysis, podScope(analysis, wizard, field)).flatMap((pod) =>
          Object.entries(pod?.labels ?? {})
            .filter(([key]) => !isControllerLabel(key))
            .map(([key, label]) => `${key}=${label}`),
        ),
        term,
        value,
      );
    case 'ports':
      return ranked(
        portOwners(analysis, wizard, policy).flatMap((pod) =>
          (pod?.ports ?? []).flatMap((p) => [
            `${p.port}/${p.protocol}`,
            ...(p.name ? [`${p.name}/${p.protocol}`] : []),
          ]),
        ),
        term,
        value,
      );
    default:
      return [];
  }
}

/** What a field's value matches in the snapshot, for the note beside it. */
function fieldNote(
  analysis: Analysis,
  field: WizardField,
  value: string,
  built: { policy: NetworkPolicy; footprint: PolicyFootprint } | undefined,
): { note: string; warn: boolean } {
  if (field.kind === 'namespace') {
    if (!value) return { note: 'required', warn: true };
    const pods = analysis.podsByNamespace.get(value)?.length ?? 0;
    return analysis.namespaces.has(value)
      ? { note: plural(pods, 'pod'), warn: false }
      : { note: 'no such namespace in the snapshot', warn: true };
  }
  if (field.kind === 'namespaces' && value) {
    const names = namespacesNamed(analysis, value) ?? [];
    return { note: `matches ${plural(names.length, 'namespace')}`, warn: names.length === 0 };
  }
  if (field.kind === 'pods' && !field.podsIn && built) {
    const { selected, scaledToZero } = built.footprint;
    return selectionNote(`selects ${plural(selected.length, 'pod')}`, selected, scaledToZero);
  }
  const rule = [...(built?.policy.ingress ?? []), ...(built?.policy.egress ?? [])][0];
  if (field.kind === 'pods' && field.podsIn && rule?.peers.length === 0) {
    const side = built?.policy.ingress.length ? 'source' : 'destination';
    return { note: `no peer given: allows every ${side}, in or outside the cluster`, warn: true };
  }
  const peerIndex = rule?.peers.findIndex((peer) =>
    field.kind === 'cidr' ? peer.ipBlock : !peer.ipBlock,
  );
  const peer = built?.footprint.peers.find((p) => p.ruleIndex === 0 && p.peerIndex === peerIndex);
  if (!peer || !(field.kind === 'pods' || field.kind === 'cidr') || (!value && !field.podsIn)) {
    return { note: value ? '' : (field.emptyMeans ?? ''), warn: false };
  }
  const count = peer.pods.length;
  return field.kind === 'cidr'
    ? { note: `${plural(count, 'pod')} inside`, warn: false }
    : selectionNote(`peer matches ${plural(count, 'pod')}`, peer.pods, peer.scaledToZero);
}

/**
 * A selector field's note: a warning when it selects no pod, unless it selects workloads scaled
 * to zero (named after the count), whose pods it selects once they run.
 */
function selectionNote(
  count: string,
  pods: readonly number[],
  idle: readonly ScaledToZeroWorkload[],
): { note: string; warn: boolean } {
  return {
    note: `${count}${scaledToZeroSuffix(idle)}`,
    warn: pods.length === 0 && idle.length === 0,
  };
}

/** A companion policy as the form names it: its direction and namespace/name. */
function companionText(policy: NetworkPolicy): string {
  const types = policy.policyTypes.map((type) => type.toLowerCase()).join(' and ');
  return `also writes the ${types} policy ${policy.namespace}/${policy.name} for the other side (shown in the preview)`;
}

/**
 * The form's policies, or while some values are invalid (a half-typed CIDR), the policies of
 * the form without them, so that the other fields keep their notes; and the fields left out.
 * Values that do not parse are left out, then those whose emptying takes away some of the
 * policies' errors and adds none.
 */
function policiesOfValidFields(
  wizard: WizardState,
  result: WizardResult,
  dns: DnsRuleTarget,
): { policies?: readonly ScaffoldedPolicy[]; invalid: ReadonlySet<FieldId> } {
  const invalid = new Set<FieldId>();
  let current = result;
  let values = wizard.values;
  const emptied = (ids: readonly FieldId[]) => ({
    ...wizard,
    values: { ...values, ...Object.fromEntries(ids.map((id) => [id, ''])) },
  });
  while (current.error !== undefined) {
    const { messages, unparsed } = wizardErrors({ ...wizard, values });
    const errors = new Set(messages);
    const culprits = unparsed.length
      ? unparsed
      : wizardTemplate(wizard)
          .fields.filter(({ id, kind, choices }) => {
            if (kind === 'namespace' || choices || !values[id]?.trim()) return false;
            const left = wizardErrors(emptied([id])).messages;
            return left.length < errors.size && left.every((error) => errors.has(error));
          })
          .slice(0, 1)
          .map(({ id }) => id);
    if (culprits.length === 0 || culprits.every((id) => invalid.has(id))) break;
    for (const id of culprits) invalid.add(id);
    values = emptied(culprits).values;
    current = wizardPolicies({ ...wizard, values }, dns);
  }
  return { policies: current.policies, invalid };
}

/**
 * The form screen: each field with what it matches, suggestions, and the first error; `dns` is
 * the snapshot's cluster DNS (dnsRuleTarget), which an allow-dns rule admits.
 */
export function wizardFormView(
  analysis: Analysis,
  wizard: WizardState,
  dns: DnsRuleTarget = dnsRuleTarget(analysis.cluster),
): WizardFormView {
  const result = wizardPolicies(wizard, dns);
  const template = wizardTemplate(wizard);
  const { policies, invalid } = policiesOfValidFields(wizard, result, dns);
  const first = policies?.[0];
  // Footprints and peer suggestions are of NetworkPolicies; a cluster policy's form has none.
  const policy = first && !isClusterPolicy(first) ? first : undefined;
  const built = policy ? { policy, footprint: policyFootprint(analysis, policy) } : undefined;
  const focused = focusedField(wizard);
  return {
    templateId: template.id,
    title: wizardTitle(template, dns),
    rows: template.fields.map((field, i) => {
      const value = fieldValue(wizard, field);
      return {
        field,
        value,
        focused: i === wizard.focus,
        ...(invalid.has(field.id)
          ? { note: '', warn: false }
          : fieldNote(analysis, field, value.trim(), built)),
      };
    }),
    suggestions: focused ? suggestions(analysis, wizard, focused, policy) : [],
    result,
    companions: (wizard.companions ?? []).flatMap(scaffoldPolicies).map(companionText),
  };
}

/**
 * The form as the wizard's state has it now, before the analyst has answered for it: each field's
 * value and the focus from the state, and from `analysed` (the analyst's form of an earlier
 * state) the notes of fields whose value is unchanged and the suggestions if the focused field
 * is; the rest fill in when the analyst's form for this state comes. `dns` is the snapshot's
 * DNS (dnsRuleTarget), for the title.
 */
export function wizardFormNow(
  wizard: WizardState,
  result: WizardResult,
  analysed: WizardFormView | undefined,
  dns: DnsRuleTarget,
): WizardFormView {
  const template = wizardTemplate(wizard);
  const earlier = analysed?.templateId === template.id ? analysed : undefined;
  const rows = template.fields.map((field, i) => {
    const value = fieldValue(wizard, field);
    const before = earlier?.rows[i];
    const note = before?.value === value ? { note: before.note, warn: before.warn } : undefined;
    return { field, value, focused: i === wizard.focus, ...(note ?? { note: '', warn: false }) };
  });
  const focusedBefore = earlier?.rows.find((row) => row.focused);
  const focusedNow = rows.find((row) => row.focused);
  // By id: an analyst on a worker thread answers with copies of the fields.
  const sameFocus =
    focusedBefore?.field.id === focusedNow?.field.id && focusedBefore?.value === focusedNow?.value;
  return {
    templateId: template.id,
    title: wizardTitle(template, dns),
    rows,
    suggestions: sameFocus && earlier ? earlier.suggestions : [],
    result,
    companions: (wizard.companions ?? []).flatMap(scaffoldPolicies).map(companionText),
  };
}
