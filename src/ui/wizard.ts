import type {
  ArgKind,
  DnsAssumption,
  DnsRuleTarget,
  FormField,
  ScaffoldedPolicy,
  ScaffoldRequest,
  TemplateArgName,
  TemplateForm,
  TemplateName,
} from '../engine/index.js';
import {
  argHolds,
  dnsAssumption,
  scaffoldTemplate,
  TEMPLATE_FORMS,
  templateArg,
  withDnsTarget,
} from '../engine/index.js';
import { validateScaffolded } from '../io/normalize/validate-scaffolded.js';
import { dnsTargetPortsText } from '../render/dns.js';
import { type ArgNamer, argFlag, templateArgErrorText } from '../render/template-args.js';
import { listEntries, scaffoldRequest, type TemplateArgs } from '../syntax/scaffold-args.js';

/** What a form field holds, which decides its suggestions, its match count and how it is typed. */
export type FieldKind = Exclude<ArgKind, 'switch'> | 'namespace';

/** The template arguments a field can set (all strings in the form). */
export type FieldId = TemplateArgName | 'namespace';

/** One field of the wizard's form. */
export interface WizardField {
  readonly id: FieldId;
  readonly label: string;
  readonly kind: FieldKind;
  /** The equivalent command-line flag, shown beside the label. */
  readonly flag: string;
  /** What an empty value means. */
  readonly emptyMeans?: string;
  /** The value the form starts with. */
  readonly initial?: string;
  /** The values of a choice field; the first is the default. */
  readonly choices?: readonly string[];
  /** For a pods field: the namespaces field that says where those pods are (else the policy's). */
  readonly podsIn?: FieldId;
}

/** A template as the wizard offers it: a form of the template table, with its fields complete. */
export interface WizardTemplate extends Omit<TemplateForm, 'fields'> {
  readonly fields: readonly WizardField[];
}

/** The values of a field for an on/off switch. */
export const SWITCH = { on: 'yes', off: 'no' } as const;

const NAMESPACE: WizardField = {
  id: 'namespace',
  label: 'namespace',
  kind: 'namespace',
  flag: '-n',
};

/** A form field with what the template table says of its argument: kind, flag, choices, default. */
function wizardField(template: TemplateName, field: FormField): WizardField {
  const { arg: id, startsOff, ...words } = field;
  const arg = templateArg(template, id);
  const base = { id, ...words, flag: argFlag(id) };
  if (arg?.kind === 'switch') {
    const initial = startsOff ? { initial: SWITCH.off } : {};
    return { ...base, kind: 'choice', choices: [SWITCH.on, SWITCH.off], ...initial };
  }
  if (arg?.kind === 'choice') {
    // The default comes first: a choice field starts on its first value.
    const others = (arg.choices ?? []).filter((choice) => choice !== arg.default);
    return { ...base, kind: 'choice', choices: arg.default ? [arg.default, ...others] : others };
  }
  return {
    ...base,
    kind: arg?.kind ?? 'name',
    ...(arg?.default !== undefined ? { initial: arg.default } : {}),
  };
}

/** The templates, in the order the wizard lists them, from the template table. */
export const WIZARD_TEMPLATES: readonly WizardTemplate[] = TEMPLATE_FORMS.map((form) => ({
  ...form,
  fields: [NAMESPACE, ...form.fields.map((field) => wizardField(form.template, field))],
}));

/**
 * A template's title in the picker and atop its form: allow-dns's names the ports its rule
 * admits to `dns` (dnsRuleTarget: the DNS pods' own ports where the snapshot shows them).
 */
export function wizardTitle(template: WizardTemplate, dns: DnsRuleTarget): string {
  return template.template === 'allow-dns'
    ? `${template.label} on ${dnsTargetPortsText(dns)}`
    : template.label;
}

/** The question of a traffic check the wizard was opened from, to re-ask in the preview. */
export interface CheckedQuestion {
  readonly source: string;
  readonly destination: string;
  readonly port: string;
  readonly protocol: string;
}

/** The wizard's own state: which template, what is typed, which field has the focus. */
export interface WizardState {
  readonly templateId: string;
  readonly values: Readonly<Partial<Record<FieldId, string>>>;
  readonly focus: number;
  /** Set when opened from a denied traffic check: the preview says whether it is now allowed. */
  readonly question?: CheckedQuestion;
  /**
   * The fixes of the check's other denied sides, written with the form's policy (both sides
   * of a flow in one go); the form edits only its own.
   */
  readonly companions?: readonly ScaffoldRequest[];
}

/** The template a wizard state uses. */
export function wizardTemplate(wizard: WizardState): WizardTemplate {
  return (WIZARD_TEMPLATES.find((t) => t.id === wizard.templateId) ??
    WIZARD_TEMPLATES[0]) as WizardTemplate;
}

/** Whether the wizard's template has a switch that keeps DNS working (the flag --allow-dns). */
export function keepsDnsWorking(wizard: WizardState): boolean {
  return wizardTemplate(wizard).fields.some((field) => field.id === 'allowDns');
}

/** The field with the focus. */
export function focusedField(wizard: WizardState): WizardField | undefined {
  return wizardTemplate(wizard).fields[wizard.focus];
}

/** A field's value: what was typed, else a choice field's default. */
export function fieldValue(wizard: WizardState, field: WizardField): string {
  return wizard.values[field.id] ?? field.initial ?? field.choices?.[0] ?? '';
}

/** The value of the template's field with that id ('' when the template has no such field). */
export function valueOfField(wizard: WizardState, id: FieldId): string {
  const field = wizardTemplate(wizard).fields.find((f) => f.id === id);
  return field ? fieldValue(wizard, field) : '';
}

/** Scaffold arguments being filled in, field by field. */
type ArgsDraft = { -readonly [K in keyof TemplateArgs]: TemplateArgs[K] } & { namespace: string };

/**
 * The scaffold arguments the form stands for, as the command line would give them: each field's
 * text as what its argument holds (the template table's kind), a switch on or off, a list split.
 */
export function wizardArgs(wizard: WizardState): TemplateArgs & { namespace: string } {
  const template = wizardTemplate(wizard);
  const args: ArgsDraft = {
    template: template.template,
    namespace: '',
    ...(template.direction ? { direction: template.direction } : {}),
  };
  for (const field of template.fields) {
    const value = fieldValue(wizard, field).trim();
    const id = field.id;
    if (id === 'namespace') args.namespace = value;
    else if (argHolds(id, ['switch'])) args[id] = value === SWITCH.on;
    else if (argHolds(id, ['ports', 'cidrs'])) {
      if (listEntries(value).length > 0) args[id] = listEntries(value);
    } else if (value !== '') args[id] = value;
  }
  return args;
}

/** The policies the form builds, or the first reason it cannot build them (naming the field). */
export type WizardResult =
  | {
      readonly policies: readonly ScaffoldedPolicy[];
      /** What their DNS rules assume of the cluster DNS (dnsAssumption), for the preview. */
      readonly dnsAssumptions: readonly DnsAssumption[];
      readonly error?: undefined;
    }
  | { readonly policies?: undefined; readonly dnsAssumptions?: undefined; readonly error: string };

/** Names an argument as the form does: by its field's flag, the name shown beside the label. */
function fieldName(wizard: WizardState): ArgNamer {
  const fields = wizardTemplate(wizard).fields;
  return (arg) => fields.find((field) => field.id === arg)?.flag ?? argFlag(arg);
}

/**
 * Builds and validates (as strictly as the API server) the policies the form describes, then
 * its companions'; an allow-dns rule admits the snapshot's cluster DNS, `dns` (dnsRuleTarget;
 * absent: nothing read, kubeadm's assumed).
 */
export function wizardPolicies(wizard: WizardState, dns?: DnsRuleTarget): WizardResult {
  const built = buildWizard(wizard, dns);
  if (built.messages[0] !== undefined) return { error: built.messages[0] };
  return { policies: built.policies, dnsAssumptions: built.dnsAssumptions };
}

/** Why the form's values make no policy. */
export interface WizardErrors {
  /** Every reason, as wizardPolicies words the first: values that do not parse, or else each
   * policy's invalid fields. */
  readonly messages: readonly string[];
  /** The fields whose values do not parse. */
  readonly unparsed: readonly FieldId[];
}

/** Every reason the form's values make no policy, and the fields whose values do not parse. */
export function wizardErrors(wizard: WizardState): WizardErrors {
  return buildWizard(wizard);
}

function buildWizard(wizard: WizardState, dns?: DnsRuleTarget) {
  const args = wizardArgs(wizard);
  const failed = (messages: string[], unparsed: FieldId[] = []) => ({
    messages,
    unparsed,
    policies: [],
    dnsAssumptions: [],
  });
  if (!args.namespace) return failed(['namespace: required']);
  const request = scaffoldRequest(args, args.namespace);
  if (!request.ok)
    return failed(
      request.error.map((e) => templateArgErrorText(e, fieldName(wizard))),
      request.error.flatMap((e) => (e.kind === 'syntax' ? [e.arg] : [])),
    );
  const requests = [request.value, ...(wizard.companions ?? [])].map((r) =>
    dns ? withDnsTarget(r, dns) : r,
  );
  const policies = requests.flatMap(scaffoldTemplate);
  return {
    messages: policies.flatMap(validateScaffolded).map((e) => `${e.field}: ${e.message}`),
    unparsed: [],
    policies,
    dnsAssumptions: requests.flatMap((r) => dnsAssumption(r) ?? []),
  };
}

/** Each side's arguments of an allow and the other direction's for the same role. */
const MIRRORED: Readonly<Partial<Record<FieldId, FieldId>>> = {
  to: 'from',
  from: 'to',
  toNamespace: 'fromNamespace',
  fromNamespace: 'toNamespace',
  toCidr: 'fromCidr',
  fromCidr: 'toCidr',
};

/**
 * The wizard on another template, keeping what was typed for the same role: the pods an allow
 * ingress protects are the pods an allow egress sends from, its peers the other's peers.
 */
export function withTemplate(wizard: WizardState, templateId: string): WizardState {
  const before = wizardTemplate(wizard);
  const after = WIZARD_TEMPLATES.find((t) => t.id === templateId) ?? before;
  const mirrored =
    before.template === 'allow' && after.template === 'allow' && before.id !== after.id;
  const values = Object.fromEntries(
    Object.entries(wizard.values).map(([id, value]) => [
      mirrored ? (MIRRORED[id as FieldId] ?? id) : id,
      value,
    ]),
  );
  return { ...wizard, templateId: after.id, values, focus: 0 };
}

/**
 * The wizard with a field set; a direction without egress turns off keeping DNS working (DNS
 * is egress), and one with egress turns it back to the template's default.
 */
export function withValue(wizard: WizardState, id: FieldId, value: string): WizardState {
  const values = { ...wizard.values, [id]: value };
  if (id === 'direction' && keepsDnsWorking(wizard)) {
    const dns = wizardTemplate(wizard).fields.find((field) => field.id === 'allowDns');
    if (value === 'ingress') values.allowDns = SWITCH.off;
    else if (dns) values.allowDns = dns.initial ?? SWITCH.on;
  }
  return { ...wizard, values };
}

/** The value a choice field takes after `delta` steps through its choices. */
export function nextChoice(field: WizardField, current: string, delta: number): string {
  const choices = field.choices ?? [];
  const index = Math.max(0, choices.indexOf(current));
  return choices[(index + delta + choices.length) % choices.length] ?? current;
}

/** The text being completed in a field: everything after the last separator. */
export function currentTerm(value: string): string {
  return value.split(/[\s,]+/).pop() ?? '';
}

/** The field's value with its current term replaced by a suggestion. */
export function completeTerm(value: string, suggestion: string): string {
  return value.slice(0, value.length - currentTerm(value).length) + suggestion;
}
