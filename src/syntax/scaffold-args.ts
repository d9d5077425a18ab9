import {
  type ArgKind,
  type ArgKindOf,
  type DenyDirection,
  EVERY_POD,
  fail,
  type LabelSelector,
  NAMESPACE_NAME_LABEL,
  ok,
  type PeerChoice,
  type PolicyPort,
  parseCidr,
  type Result,
  type ScaffoldRequest,
  type TemplateArgName,
  type TemplateName,
  type TemplateRequest,
} from '../engine/index.js';
import { parsePolicyPort } from './port-syntax.js';
import { parseSelector } from './selector-syntax.js';

/** An argument's value as flags or a form give it: on or off, a repeatable list, or one text. */
type ArgValue<K extends ArgKind> = K extends 'switch'
  ? boolean
  : K extends 'ports' | 'cidrs'
    ? readonly string[] | string
    : string;

/**
 * The template and its own arguments, as flags or a form give them: selectors, ports and
 * address blocks in kubectl's syntax.
 */
export type TemplateArgs = { readonly template: TemplateName } & {
  readonly [A in TemplateArgName]?: ArgValue<ArgKindOf<A>>;
};

/**
 * Why template arguments cannot be used, by the arguments concerned: the command line and the
 * wizard each put it in words with their own names for them.
 */
export type TemplateArgError =
  /** The value does not parse: `message` says why, without naming the argument. */
  | {
      readonly kind: 'syntax';
      readonly arg: TemplateArgName;
      readonly value: string;
      readonly message: string;
    }
  /** The argument names peers of the other direction than the policy's. */
  | {
      readonly kind: 'other-direction';
      readonly arg: TemplateArgName;
      readonly direction: 'ingress' | 'egress';
      readonly peers: readonly TemplateArgName[];
    }
  /** `except` without the address block it leaves addresses out of. */
  | { readonly kind: 'except-without-cidr'; readonly arg: 'except'; readonly cidr: TemplateArgName }
  /** `allowDns` on a default-deny that denies no egress. */
  | {
      readonly kind: 'dns-without-egress';
      readonly arg: 'allowDns';
      readonly direction: 'ingress';
    }
  /** An argument the template has no use for (ports of a cluster policy template). */
  | {
      readonly kind: 'not-for-template';
      readonly arg: TemplateArgName;
      readonly template: TemplateName;
    };

/** The request the arguments stand for, or every reason they cannot be used (at least one). */
export type TemplateArgsResult = Result<
  TemplateRequest,
  readonly [TemplateArgError, ...TemplateArgError[]]
>;

/**
 * The entries of a list argument, as the command line (repeated flags, each maybe
 * `a,b`) and the wizard (one field, `a, b`) give it: split at commas and spaces.
 */
export function listEntries(value: readonly string[] | string | undefined): string[] {
  const values = value === undefined ? [] : typeof value === 'string' ? [value] : value;
  return values.flatMap((text) => text.split(/[\s,]+/)).filter(Boolean);
}

/** A namespace argument's value as a selector: a bare name means that namespace, by the label every namespace carries. */
export function namespaceSelectorText(text: string): string {
  return /[=!(),\s]/.test(text) ? text : `${NAMESPACE_NAME_LABEL}=${text}`;
}

/** Reads argument values, collecting what does not parse instead of stopping at it. */
class ArgReader {
  readonly errors: TemplateArgError[] = [];

  selector(arg: TemplateArgName, value: string | undefined): LabelSelector {
    if (value?.trim() === EVERY_POD) return { matchLabels: {}, matchExpressions: [] };
    const parsed = parseSelector(value ?? '');
    if (parsed.ok) return parsed.value;
    this.errors.push({ kind: 'syntax', arg, value: value ?? '', message: parsed.error });
    return { matchLabels: {}, matchExpressions: [] };
  }

  namespaces(arg: TemplateArgName, text: string): LabelSelector {
    const parsed = parseSelector(namespaceSelectorText(text));
    if (parsed.ok) return parsed.value;
    this.errors.push({ kind: 'syntax', arg, value: text, message: parsed.error });
    return { matchLabels: {}, matchExpressions: [] };
  }

  /** A whole number; its range is the validator's to judge, as the API server's. */
  priority(value: string | undefined): number | undefined {
    if (value === undefined) return undefined;
    if (/^\d+$/.test(value.trim())) return Number(value.trim());
    this.errors.push({
      kind: 'syntax',
      arg: 'priority',
      value,
      message: 'not a whole number (0-1000, lower first)',
    });
    return undefined;
  }

  /** Address blocks, each a CIDR; whether they fit the block they are cut from is the validator's. */
  cidrs(arg: TemplateArgName, values: readonly string[]): string[] {
    for (const value of values.filter((cidr) => !parseCidr(cidr))) {
      this.errors.push({
        kind: 'syntax',
        arg,
        value,
        message: 'not a CIDR (expected e.g. 10.0.0.0/8)',
      });
    }
    return [...values];
  }

  ports(values: readonly string[]): PolicyPort[] {
    return values.flatMap((value) => {
      const parsed = parsePolicyPort(value);
      if (parsed.ok) return [parsed.value];
      this.errors.push({ kind: 'syntax', arg: 'port', value, message: parsed.error });
      return [];
    });
  }
}

/** Arguments that only make sense for the other direction are mistakes, not silent no-ops. */
function misplacedArgs(args: TemplateArgs, ingress: boolean): TemplateArgError[] {
  const direction = ingress ? 'ingress' : 'egress';
  const misplaced: [TemplateArgName, string | undefined][] = ingress
    ? [
        ['toNamespace', args.toNamespace],
        ['toCidr', args.toCidr],
      ]
    : [
        ['fromNamespace', args.fromNamespace],
        ['fromCidr', args.fromCidr],
      ];
  const peers: TemplateArgName[] = ingress
    ? ['from', 'fromNamespace', 'fromCidr']
    : ['to', 'toNamespace', 'toCidr'];
  const errors: TemplateArgError[] = misplaced
    .filter(([, value]) => value !== undefined)
    .map(([arg]) => ({ kind: 'other-direction', arg, direction, peers }));
  if (listEntries(args.except).length > 0 && !(ingress ? args.fromCidr : args.toCidr)) {
    errors.push({
      kind: 'except-without-cidr',
      arg: 'except',
      cidr: ingress ? 'fromCidr' : 'toCidr',
    });
  }
  return errors;
}

function allowRequest(
  args: TemplateArgs,
  namespace: string,
  read: ArgReader,
  ports: PolicyPort[],
): ScaffoldRequest {
  const direction = (args.direction ?? 'ingress') as 'ingress' | 'egress';
  const ingress = direction === 'ingress';
  read.errors.push(...misplacedArgs(args, ingress));
  const [targetArg, peerArg] = ingress ? (['to', 'from'] as const) : (['from', 'to'] as const);
  const pods = read.selector(targetArg, ingress ? args.to : args.from);
  const podPeer = ingress ? args.from : args.to;
  const nsPeer = ingress ? args.fromNamespace : args.toNamespace;
  const cidr = ingress ? args.fromCidr : args.toCidr;
  const peers: PeerChoice[] = [];
  if (podPeer !== undefined || nsPeer !== undefined) {
    peers.push({
      ...(podPeer !== undefined ? { pods: read.selector(peerArg, podPeer) } : {}),
      ...(nsPeer !== undefined
        ? { namespaces: read.namespaces(ingress ? 'fromNamespace' : 'toNamespace', nsPeer) }
        : {}),
    });
  }
  if (cidr)
    peers.push({ ipBlock: { cidr, except: read.cidrs('except', listEntries(args.except)) } });
  return {
    kind: 'allow',
    namespace,
    direction,
    pods,
    peers,
    ports,
    ...(args.name ? { name: args.name } : {}),
  };
}

/** A default-deny's direction, and the mistake of keeping DNS working where no egress is denied. */
function denyDirection(args: TemplateArgs, read: ArgReader, fallback: DenyDirection) {
  const direction = (args.direction ?? fallback) as DenyDirection;
  if (args.allowDns && direction === 'ingress') {
    read.errors.push({ kind: 'dns-without-egress', arg: 'allowDns', direction });
  }
  return { direction, ...(args.allowDns ? { allowDns: true } : {}) };
}

/** The request of a cluster policy template: no ports; namespaces only for a direction it denies. */
function clusterRequest(
  args: TemplateArgs & { template: 'baseline-deny' | 'admin-deny' },
  namespace: string,
  read: ArgReader,
): TemplateRequest {
  if (listEntries(args.port).length > 0) {
    read.errors.push({ kind: 'not-for-template', arg: 'port', template: args.template });
  }
  const priority = read.priority(args.priority);
  const common = {
    namespace,
    ...(priority !== undefined ? { priority } : {}),
    ...(args.name ? { name: args.name } : {}),
  };
  if (args.template === 'baseline-deny') {
    return { kind: 'baseline-deny', ...common, ...denyDirection(args, read, 'both') };
  }
  const { direction, ...allowDns } = denyDirection(args, read, 'ingress');
  /** The namespaces of a peer argument, when given and its direction is denied. */
  const namespacesOf = (arg: 'fromNamespace' | 'toNamespace', side: 'ingress' | 'egress') => {
    const text = args[arg];
    if (text === undefined) return {};
    if (direction !== 'both' && direction !== side) {
      const peers = [direction === 'ingress' ? 'fromNamespace' : 'toNamespace'] as const;
      read.errors.push({ kind: 'other-direction', arg, direction, peers });
      return {};
    }
    return { [side === 'ingress' ? 'from' : 'to']: read.namespaces(arg, text) };
  };
  return {
    kind: 'admin-deny',
    ...common,
    direction,
    ...allowDns,
    ...namespacesOf('fromNamespace', 'ingress'),
    ...namespacesOf('toNamespace', 'egress'),
  };
}

function templateRequest(args: TemplateArgs, namespace: string, read: ArgReader): TemplateRequest {
  const ports = read.ports(listEntries(args.port));
  const name = args.name ? { name: args.name } : {};
  const pods = args.pods ? { pods: read.selector('pods', args.pods) } : {};
  switch (args.template) {
    case 'default-deny':
      return { kind: 'default-deny', namespace, ...denyDirection(args, read, 'both'), ...name };
    case 'baseline-deny':
    case 'admin-deny':
      return clusterRequest({ ...args, template: args.template }, namespace, read);
    case 'allow-dns':
      return { kind: 'allow-dns', namespace, ...pods, ...name };
    case 'allow-same-namespace':
      return { kind: 'allow-same-namespace', namespace, ...pods, ...name };
    case 'allow-ingress-controller':
    case 'allow-monitoring': {
      const controller = args.template === 'allow-ingress-controller';
      const fromArg = controller ? 'controllerNamespace' : 'monitoringNamespace';
      const from = args[fromArg] ?? (controller ? 'ingress-nginx' : 'monitoring');
      const fromPodsArg = controller ? 'controllerPods' : 'scraper';
      const fromPods = args[fromPodsArg];
      const to = read.selector('to', args.to);
      return {
        kind: 'allow-from-namespace',
        purpose: controller ? 'ingress-controller' : 'monitoring',
        namespace,
        pods: to,
        from: read.namespaces(fromArg, from),
        ...(fromPods ? { fromPods: read.selector(fromPodsArg, fromPods) } : {}),
        ports,
        ...name,
      };
    }
    case 'allow':
      return allowRequest(args, namespace, read, ports);
  }
}

/** Turns template arguments into a request, or the reasons it cannot, in the order a reader meets them. */
export function scaffoldRequest(args: TemplateArgs, namespace: string): TemplateArgsResult {
  const read = new ArgReader();
  const request = templateRequest(args, namespace, read);
  const [first, ...more] = read.errors;
  return first ? fail([first, ...more]) : ok(request);
}
