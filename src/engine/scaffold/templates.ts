import { DEFAULT_CLUSTER_PRIORITY } from './cluster-scaffold.js';

/** The templates `kubectl netpol scaffold` and the wizard offer. */
export type TemplateName =
  | 'default-deny'
  | 'allow'
  | 'allow-dns'
  | 'allow-same-namespace'
  | 'allow-ingress-controller'
  | 'allow-monitoring'
  | 'baseline-deny'
  | 'admin-deny';

/**
 * What a template argument holds, which decides how the command line declares it and how the
 * wizard edits it: a selector of pods or namespaces, address blocks, ports, one of `choices`, an
 * on/off switch, a whole number, or a name.
 */
export type ArgKind =
  | 'pods'
  | 'namespaces'
  | 'cidr'
  | 'cidrs'
  | 'ports'
  | 'choice'
  | 'switch'
  | 'number'
  | 'name';

/**
 * Every template argument by name (the command line's flag is its kebab-case form) and what it
 * holds, the same in every template that takes it.
 */
export const ARG_KINDS = {
  name: 'name',
  direction: 'choice',
  allowDns: 'switch',
  to: 'pods',
  from: 'pods',
  fromNamespace: 'namespaces',
  toNamespace: 'namespaces',
  fromCidr: 'cidr',
  toCidr: 'cidr',
  except: 'cidrs',
  port: 'ports',
  pods: 'pods',
  controllerNamespace: 'namespaces',
  controllerPods: 'pods',
  monitoringNamespace: 'namespaces',
  scraper: 'pods',
  priority: 'number',
} as const satisfies Readonly<Record<string, ArgKind>>;

/** A template argument, by name. */
export type TemplateArgName = keyof typeof ARG_KINDS;

/** What the argument `A` holds. */
export type ArgKindOf<A extends TemplateArgName> = (typeof ARG_KINDS)[A];

/** The arguments that hold a `K`. */
export type ArgsHolding<K extends ArgKind> = {
  [A in TemplateArgName]: ArgKindOf<A> extends K ? A : never;
}[TemplateArgName];

/** Whether an argument holds one of `kinds`. */
export function argHolds<K extends ArgKind>(
  arg: TemplateArgName,
  kinds: readonly K[],
): arg is ArgsHolding<K> {
  return kinds.some((kind) => kind === ARG_KINDS[arg]);
}

/** One argument of a template. */
export interface TemplateArg {
  readonly arg: TemplateArgName;
  /** As ARG_KINDS gives it. */
  readonly kind: ArgKind;
  /** The command line's help for it. */
  readonly describe?: string;
  /** The values of a choice argument. */
  readonly choices?: readonly string[];
  /** The value taken when none is given. */
  readonly default?: string;
}

/** A template as the command line offers it: `kubectl netpol scaffold NAME`. */
export interface ScaffoldTemplate {
  readonly name: TemplateName;
  readonly describe: string;
  readonly args: readonly TemplateArg[];
}

/** One field of a wizard form: a template argument with the form's words for it. */
export interface FormField {
  readonly arg: TemplateArgName;
  readonly label: string;
  /** What an empty value means. */
  readonly emptyMeans?: string;
  /** For a pods field: the argument that says where those pods are (else the policy's namespace). */
  readonly podsIn?: TemplateArgName;
  /** For a switch: it starts off (else on), when on would not suit the default direction. */
  readonly startsOff?: boolean;
}

/** A template as the wizard offers it: one form per template, two for allow (one per direction). */
export interface TemplateForm {
  readonly id: string;
  readonly label: string;
  /** The scaffold template it runs. */
  readonly template: TemplateName;
  readonly direction?: 'ingress' | 'egress';
  /** After the namespace, which every form asks first. */
  readonly fields: readonly FormField[];
}

/** An argument of the table, of the kind ARG_KINDS says it holds. */
function arg(name: TemplateArgName, more: Omit<TemplateArg, 'arg' | 'kind'> = {}): TemplateArg {
  return { arg: name, kind: ARG_KINDS[name], ...more };
}

/** What a pods argument takes for every pod (of its namespaces): `*`, as kubectl's `-A` is all. */
export const EVERY_POD = '*';

/** The arguments every template takes on the command line. */
export const COMMON_ARGS: readonly TemplateArg[] = [
  arg('name', { describe: 'policy name (default: from the template)' }),
  arg('port', {
    describe:
      'PORT[/PROTOCOL], RANGE/PROTOCOL (8000-8100/TCP), NAME/PROTOCOL or PROTOCOL; comma-separated, repeatable',
  }),
];

const selector = (name: TemplateArgName, describe: string): TemplateArg => arg(name, { describe });

/** The templates, in the order the command line lists them. */
export const SCAFFOLD_TEMPLATES: readonly ScaffoldTemplate[] = [
  {
    name: 'default-deny',
    describe: 'deny all ingress, egress or both in a namespace',
    args: [
      arg('direction', { choices: ['ingress', 'egress', 'both'], default: 'both' }),
      arg('allowDns', { describe: 'also allow DNS egress to the cluster DNS' }),
    ],
  },
  {
    name: 'allow',
    describe: 'allow traffic to (ingress) or from (egress) selected pods',
    args: [
      arg('direction', { choices: ['ingress', 'egress'], default: 'ingress' }),
      selector(
        'to',
        `ingress: the pods to protect (selector); egress: peer pods (${EVERY_POD}: all)`,
      ),
      selector(
        'from',
        `egress: the sending pods (selector); ingress: peer pods (${EVERY_POD}: all)`,
      ),
      arg('fromNamespace', { describe: 'ingress peers: namespace name or selector' }),
      arg('toNamespace', { describe: 'egress peers: namespace name or selector' }),
      arg('fromCidr', { describe: 'ingress peers: an address block' }),
      arg('toCidr', { describe: 'egress peers: an address block' }),
      arg('except', { describe: 'blocks left out of the CIDR (comma-separated); repeatable' }),
    ],
  },
  {
    name: 'allow-dns',
    describe:
      "allow DNS egress to the cluster DNS (UDP and TCP 53, or its pods' port behind the Service)",
    args: [selector('pods', 'the pods allowed (selector; default all)')],
  },
  {
    name: 'allow-same-namespace',
    describe: 'allow ingress from every pod of the same namespace',
    args: [selector('pods', 'the pods protected (selector; default all)')],
  },
  {
    name: 'allow-ingress-controller',
    describe: 'allow ingress from the ingress controller namespace',
    args: [
      selector('to', 'the pods to expose (selector)'),
      arg('controllerNamespace', { default: 'ingress-nginx' }),
      selector('controllerPods', 'the controller pods (selector; default all)'),
    ],
  },
  {
    name: 'allow-monitoring',
    describe: 'allow a monitoring namespace to scrape metrics ports',
    args: [
      selector('to', 'the pods to scrape (selector)'),
      arg('monitoringNamespace', { default: 'monitoring' }),
      selector('scraper', 'the scraping pods (selector), e.g. app=prometheus'),
    ],
  },
  {
    name: 'baseline-deny',
    describe:
      'a Baseline ClusterNetworkPolicy denying what no NetworkPolicy of a namespace allows (ingress, egress or both)',
    args: [
      arg('direction', { choices: ['ingress', 'egress', 'both'], default: 'both' }),
      arg('allowDns', { describe: 'accept DNS egress to the cluster DNS before the deny' }),
      arg('priority', {
        describe: `0-1000, lower first within the tier (default ${DEFAULT_CLUSTER_PRIORITY['baseline-deny']})`,
      }),
    ],
  },
  {
    name: 'admin-deny',
    describe:
      'an Admin ClusterNetworkPolicy denying traffic between a namespace and other namespaces, over any NetworkPolicy',
    args: [
      arg('direction', { choices: ['ingress', 'egress', 'both'], default: 'ingress' }),
      arg('fromNamespace', {
        describe: 'ingress: the namespaces denied, name or selector (default every other)',
      }),
      arg('toNamespace', {
        describe: 'egress: the namespaces denied, name or selector (default every other)',
      }),
      arg('allowDns', {
        describe: 'pass DNS egress to the cluster DNS on to NetworkPolicies before the deny',
      }),
      arg('priority', {
        describe: `0-1000, lower first within the tier (default ${DEFAULT_CLUSTER_PRIORITY['admin-deny']})`,
      }),
    ],
  },
];

/** Whether a template writes a ClusterNetworkPolicy rather than NetworkPolicies. */
export function writesClusterPolicy(template: TemplateName): boolean {
  return template === 'baseline-deny' || template === 'admin-deny';
}

/** A template argument by name: the template's own, else a common one. */
export function templateArg(template: TemplateName, arg: TemplateArgName): TemplateArg | undefined {
  const own = SCAFFOLD_TEMPLATES.find((t) => t.name === template)?.args ?? [];
  return [...own, ...COMMON_ARGS].find((a) => a.arg === arg);
}

const NAME: FormField = { arg: 'name', label: 'policy name', emptyMeans: 'from the template' };
const PORTS: FormField = { arg: 'port', label: 'ports', emptyMeans: 'all ports' };

function peerFields(side: 'from' | 'to'): FormField[] {
  const namespaces = side === 'from' ? 'fromNamespace' : 'toNamespace';
  return [
    {
      arg: side,
      label: `${side} pods`,
      emptyMeans: `no pod peer (${EVERY_POD}: every pod)`,
      podsIn: namespaces,
    },
    {
      arg: namespaces,
      label: `${side} namespaces`,
      emptyMeans: 'this namespace, for the pods above',
    },
    {
      arg: side === 'from' ? 'fromCidr' : 'toCidr',
      label: `${side} CIDR`,
      emptyMeans: 'no address block',
    },
    { arg: 'except', label: 'except blocks', emptyMeans: 'none' },
  ];
}

/**
 * The form of a template that admits another namespace (and some of its pods) to pods here:
 * `admitted` names that namespace's argument, its pods' argument and their label.
 */
function admittedForm(
  template: 'allow-ingress-controller' | 'allow-monitoring',
  purpose: string,
  podsLabel: string,
  admitted: readonly [TemplateArgName, TemplateArgName, string],
): TemplateForm {
  const [namespaces, pods, label] = admitted;
  return {
    id: template,
    label: `${template.replaceAll('-', ' ')}: ${purpose}`,
    template,
    fields: [
      { arg: 'to', label: podsLabel, emptyMeans: 'every pod' },
      { arg: namespaces, label: 'from namespaces' },
      { arg: pods, label, emptyMeans: 'every pod there', podsIn: namespaces },
      PORTS,
      NAME,
    ],
  };
}

/** The allow template's form for one direction: its own pods, then the peers on the other side. */
function allowForm(direction: 'ingress' | 'egress'): TemplateForm {
  const ingress = direction === 'ingress';
  return {
    id: `allow-${direction}`,
    label: ingress
      ? 'allow ingress: let peers reach selected pods'
      : 'allow egress: let selected pods reach peers',
    template: 'allow',
    direction,
    fields: [
      {
        arg: ingress ? 'to' : 'from',
        label: ingress ? 'protect pods' : 'sending pods',
        emptyMeans: 'every pod',
      },
      ...peerFields(ingress ? 'from' : 'to'),
      PORTS,
      NAME,
    ],
  };
}

/** The wizard's forms, in the order it lists them. */
export const TEMPLATE_FORMS: readonly TemplateForm[] = [
  {
    id: 'default-deny',
    label: 'default-deny: deny all ingress, egress or both in a namespace',
    template: 'default-deny',
    fields: [
      { arg: 'direction', label: 'direction' },
      { arg: 'allowDns', label: 'keep DNS working' },
      NAME,
    ],
  },
  allowForm('ingress'),
  allowForm('egress'),
  {
    id: 'allow-dns',
    // The wizard adds the ports it admits, which depend on the cluster (wizardTitle).
    label: 'allow DNS: egress to the cluster DNS',
    template: 'allow-dns',
    fields: [{ arg: 'pods', label: 'pods', emptyMeans: 'every pod' }, NAME],
  },
  {
    id: 'allow-same-namespace',
    label: 'allow same namespace: ingress from every pod of the namespace',
    template: 'allow-same-namespace',
    fields: [{ arg: 'pods', label: 'pods', emptyMeans: 'every pod' }, NAME],
  },
  admittedForm('allow-ingress-controller', 'ingress from its namespace', 'expose pods', [
    'controllerNamespace',
    'controllerPods',
    'controller pods',
  ]),
  admittedForm(
    'allow-monitoring',
    'a monitoring namespace may scrape metrics ports',
    'scraped pods',
    ['monitoringNamespace', 'scraper', 'scraper pods'],
  ),
  {
    id: 'baseline-deny',
    label:
      'Baseline default-deny (cluster policy): deny what no NetworkPolicy of a namespace allows',
    template: 'baseline-deny',
    fields: [
      { arg: 'direction', label: 'direction' },
      { arg: 'allowDns', label: 'keep DNS working' },
      {
        arg: 'priority',
        label: 'priority',
        emptyMeans: `${DEFAULT_CLUSTER_PRIORITY['baseline-deny']}, after other Baseline policies`,
      },
      NAME,
    ],
  },
  {
    id: 'admin-deny',
    label:
      'Admin deny (cluster policy): deny traffic with other namespaces, over any NetworkPolicy',
    template: 'admin-deny',
    fields: [
      { arg: 'direction', label: 'direction' },
      { arg: 'fromNamespace', label: 'from namespaces', emptyMeans: 'every other namespace' },
      { arg: 'toNamespace', label: 'to namespaces', emptyMeans: 'every other namespace' },
      { arg: 'allowDns', label: 'keep DNS to NetworkPolicies', startsOff: true },
      {
        arg: 'priority',
        label: 'priority',
        emptyMeans: String(DEFAULT_CLUSTER_PRIORITY['admin-deny']),
      },
      NAME,
    ],
  },
];
