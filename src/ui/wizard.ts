import type { NetworkPolicy } from '../engine/index.js';
import {
  scaffoldPolicies,
  scaffoldRequest,
  type TemplateArgs,
  validateNetworkPolicy,
} from '../engine/index.js';
import { type ArgNamer, argFlag, templateArgErrorText } from '../render/template-args.js';

/** What a form field holds, which decides its suggestions, its match count and how it is typed. */
export type FieldKind =
  | 'namespace'
  | 'pods'
  | 'namespaces'
  | 'cidr'
  | 'cidrs'
  | 'ports'
  | 'choice'
  | 'name';

/** The template arguments a field can set (all strings in the form). */
export type FieldId = Exclude<keyof TemplateArgs, 'template'> | 'namespace';

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

/** A template as the wizard offers it. */
export interface WizardTemplate {
  readonly id: string;
  readonly label: string;
  /** The scaffold template it runs. */
  readonly template: string;
  readonly direction?: 'ingress' | 'egress';
  readonly fields: readonly WizardField[];
}

const NAMESPACE: WizardField = {
  id: 'namespace',
  label: 'namespace',
  kind: 'namespace',
  flag: '-n',
};
const NAME: WizardField = {
  id: 'name',
  label: 'policy name',
  kind: 'name',
  flag: '--name',
  emptyMeans: 'from the template',
};
const PORTS: WizardField = {
  id: 'port',
  label: 'ports',
  kind: 'ports',
  flag: '--port',
  emptyMeans: 'all ports',
};
const EXCEPT: WizardField = {
  id: 'except',
  label: 'except blocks',
  kind: 'cidrs',
  flag: '--except',
  emptyMeans: 'none',
};

function peerFields(side: 'from' | 'to'): WizardField[] {
  const namespaces = side === 'from' ? 'fromNamespace' : 'toNamespace';
  return [
    {
      id: side,
      label: `${side} pods`,
      kind: 'pods',
      flag: `--${side}`,
      emptyMeans: 'no pod peer',
      podsIn: namespaces,
    },
    {
      id: namespaces,
      label: `${side} namespaces`,
      kind: 'namespaces',
      flag: `--${side}-namespace`,
      emptyMeans: 'this namespace, for the pods above',
    },
    {
      id: side === 'from' ? 'fromCidr' : 'toCidr',
      label: `${side} CIDR`,
      kind: 'cidr',
      flag: `--${side}-cidr`,
      emptyMeans: 'no address block',
    },
    EXCEPT,
  ];
}

function admittedNamespace(
  id: 'controllerNamespace' | 'monitoringNamespace',
  flag: string,
  initial: string,
): WizardField {
  return { id, label: 'from namespaces', kind: 'namespaces', flag, initial };
}

/** The templates, in the order the wizard lists them. */
export const WIZARD_TEMPLATES: readonly WizardTemplate[] = [
  {
    id: 'default-deny',
    label: 'default-deny: deny all ingress, egress or both in a namespace',
    template: 'default-deny',
    fields: [
      NAMESPACE,
      {
        id: 'direction',
        label: 'direction',
        kind: 'choice',
        flag: '--direction',
        choices: ['both', 'ingress', 'egress'],
      },
      {
        id: 'allowDns',
        label: 'keep DNS working',
        kind: 'choice',
        flag: '--allow-dns',
        choices: ['yes', 'no'],
      },
    ],
  },
  {
    id: 'allow-ingress',
    label: 'allow ingress: let peers reach selected pods',
    template: 'allow',
    direction: 'ingress',
    fields: [
      NAMESPACE,
      { id: 'to', label: 'protect pods', kind: 'pods', flag: '--to', emptyMeans: 'every pod' },
      ...peerFields('from'),
      PORTS,
      NAME,
    ],
  },
  {
    id: 'allow-egress',
    label: 'allow egress: let selected pods reach peers',
    template: 'allow',
    direction: 'egress',
    fields: [
      NAMESPACE,
      { id: 'from', label: 'sending pods', kind: 'pods', flag: '--from', emptyMeans: 'every pod' },
      ...peerFields('to'),
      PORTS,
      NAME,
    ],
  },
  {
    id: 'allow-dns',
    label: 'allow DNS: egress to the cluster DNS on UDP and TCP 53',
    template: 'allow-dns',
    fields: [
      NAMESPACE,
      { id: 'pods', label: 'pods', kind: 'pods', flag: '--pods', emptyMeans: 'every pod' },
      NAME,
    ],
  },
  {
    id: 'allow-same-namespace',
    label: 'allow same namespace: ingress from every pod of the namespace',
    template: 'allow-same-namespace',
    fields: [
      NAMESPACE,
      { id: 'pods', label: 'pods', kind: 'pods', flag: '--pods', emptyMeans: 'every pod' },
      NAME,
    ],
  },
  {
    id: 'allow-ingress-controller',
    label: 'allow ingress controller: ingress from its namespace',
    template: 'allow-ingress-controller',
    fields: [
      NAMESPACE,
      { id: 'to', label: 'expose pods', kind: 'pods', flag: '--to', emptyMeans: 'every pod' },
      admittedNamespace('controllerNamespace', '--controller-namespace', 'ingress-nginx'),
      {
        id: 'controllerPods',
        label: 'controller pods',
        kind: 'pods',
        flag: '--controller-pods',
        emptyMeans: 'every pod there',
        podsIn: 'controllerNamespace',
      },
      PORTS,
      NAME,
    ],
  },
  {
    id: 'allow-monitoring',
    label: 'allow monitoring: a monitoring namespace may scrape metrics ports',
    template: 'allow-monitoring',
    fields: [
      NAMESPACE,
      { id: 'to', label: 'scraped pods', kind: 'pods', flag: '--to', emptyMeans: 'every pod' },
      admittedNamespace('monitoringNamespace', '--monitoring-namespace', 'monitoring'),
      {
        id: 'scraper',
        label: 'scraper pods',
        kind: 'pods',
        flag: '--scraper',
        emptyMeans: 'every pod there',
        podsIn: 'monitoringNamespace',
      },
      PORTS,
      NAME,
    ],
  },
];

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
}

/** The template a wizard state uses. */
export function wizardTemplate(wizard: WizardState): WizardTemplate {
  return (WIZARD_TEMPLATES.find((t) => t.id === wizard.templateId) ??
    WIZARD_TEMPLATES[0]) as WizardTemplate;
}

/** The field with the focus. */
export function focusedField(wizard: WizardState): WizardField | undefined {
  return wizardTemplate(wizard).fields[wizard.focus];
}

/** A field's value: what was typed, else a choice field's default. */
export function fieldValue(wizard: WizardState, field: WizardField): string {
  return wizard.values[field.id] ?? field.initial ?? field.choices?.[0] ?? '';
}

function listValue(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** The value of the template's field with that id ('' when the template has no such field). */
export function valueOfField(wizard: WizardState, id: FieldId): string {
  const field = wizardTemplate(wizard).fields.find((f) => f.id === id);
  return field ? fieldValue(wizard, field) : '';
}

/** Scaffold arguments being filled in, field by field. */
type ArgsDraft = { -readonly [K in keyof TemplateArgs]: TemplateArgs[K] } & { namespace: string };

/** The scaffold arguments the form stands for, as the command line would give them. */
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
    if (id === 'allowDns') args.allowDns = value === 'yes';
    else if (id === 'port' || id === 'except') {
      if (listValue(value).length > 0) args[id] = listValue(value);
    } else if (value !== '' || id === 'namespace') args[id] = value;
  }
  return args;
}

/** The policies the form builds, or the first reason it cannot build them (naming the field). */
export type WizardResult =
  | { readonly policies: readonly NetworkPolicy[]; readonly error?: undefined }
  | { readonly policies?: undefined; readonly error: string };

/** Names an argument as the form does: by its field's flag, the name shown beside the label. */
function fieldName(wizard: WizardState): ArgNamer {
  const fields = wizardTemplate(wizard).fields;
  return (arg) => fields.find((field) => field.id === arg)?.flag ?? argFlag(arg);
}

/** Builds and validates (as strictly as the API server) the policies the form describes. */
export function wizardPolicies(wizard: WizardState): WizardResult {
  const args = wizardArgs(wizard);
  if (!args.namespace) return { error: 'namespace: required' };
  const request = scaffoldRequest(args, args.namespace);
  if (!request.ok) return { error: templateArgErrorText(request.errors[0], fieldName(wizard)) };
  const policies = scaffoldPolicies(request.value);
  for (const policy of policies) {
    const [first] = validateNetworkPolicy(policy, { strictCidrs: true });
    if (first) return { error: `${first.field}: ${first.message}` };
  }
  return { policies };
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
