import type {
  DnsAssumption,
  FixAction,
  LabelSelector,
  PeerChoice,
  PolicyPort,
  ScaffoldRequest,
  TemplateArgName,
} from '../engine/index.js';
import { dnsAssumption, NAMESPACE_NAME_LABEL } from '../engine/index.js';
import type { TemplateArgs } from '../syntax/scaffold-args.js';
import { labelsText } from '../syntax/selector-syntax.js';
import { requirementText } from './selectors.js';
import { argFlag } from './template-args.js';

/** A request as `kubectl netpol scaffold` is told it: the namespace and the template's arguments. */
export interface ScaffoldCommandData {
  readonly namespace: string;
  readonly args: TemplateArgs;
  /** What its allow-dns rule assumes of the cluster DNS, when the input does not tell it. */
  readonly dnsAssumption?: DnsAssumption;
}

/** A request's DNS assumption (dnsAssumption) as a field of its data, when there is one. */
function assumptionData(request: ScaffoldRequest): Pick<ScaffoldCommandData, 'dnsAssumption'> {
  const assumption = dnsAssumption(request);
  return assumption ? { dnsAssumption: assumption } : {};
}

/** A fix action as data for JSON and YAML output, a scaffold fix as its command's arguments. */
export type FixActionData =
  | Exclude<FixAction, { readonly kind: 'scaffold' }>
  | (Omit<Extract<FixAction, { readonly kind: 'scaffold' }>, 'fix'> & {
      readonly fix: ScaffoldCommandData;
    });

/** A selector in kubectl's syntax as a flag value, as written: `app=api,tier in (a,b)`. */
function selectorArg(selector: LabelSelector): string {
  const asWritten = (text: string) => text;
  return [
    labelsText(selector.matchLabels),
    ...selector.matchExpressions.map((req) => requirementText(req, asWritten)),
  ]
    .filter((term) => term !== '')
    .join(',');
}

/** A namespace selector as a flag value: the bare name when it selects one namespace by name. */
function namespacesArg(selector: LabelSelector): string {
  const entries = Object.entries(selector.matchLabels);
  const [only] = entries;
  return entries.length === 1 &&
    selector.matchExpressions.length === 0 &&
    only?.[0] === NAMESPACE_NAME_LABEL
    ? only[1]
    : selectorArg(selector);
}

/** A port entry as a flag value: `8080/TCP`, `8000-8100/UDP`, `http/TCP`, `UDP`. */
function portArg(port: PolicyPort): string {
  if (port.port === undefined) return port.protocol;
  const range = port.endPort !== undefined ? `${port.port}-${port.endPort}` : `${port.port}`;
  return `${range}/${port.protocol}`;
}

function portsArgs(ports: readonly PolicyPort[]): Partial<TemplateArgs> {
  return ports.length > 0 ? { port: ports.map(portArg) } : {};
}

/** The arguments naming an allow rule's peers, on the side the direction reads them from. */
function peerArgs(peers: readonly PeerChoice[], ingress: boolean): Partial<TemplateArgs> {
  const args: { -readonly [K in keyof TemplateArgs]?: TemplateArgs[K] } = {};
  for (const peer of peers.filter((p) => !p.ipBlock)) {
    if (peer.pods) args[ingress ? 'from' : 'to'] = selectorArg(peer.pods);
    if (peer.namespaces)
      args[ingress ? 'fromNamespace' : 'toNamespace'] = namespacesArg(peer.namespaces);
  }
  for (const { ipBlock } of peers) {
    if (!ipBlock) continue;
    args[ingress ? 'fromCidr' : 'toCidr'] = ipBlock.cidr;
    if (ipBlock.except.length > 0) args.except = ipBlock.except;
  }
  return args;
}

/** The template's arguments that ask for a request: name, own pods, peers, then ports. */
export function requestArgs(request: ScaffoldRequest): TemplateArgs {
  const name = request.name !== undefined ? { name: request.name } : {};
  switch (request.kind) {
    case 'default-deny':
      return {
        template: 'default-deny',
        ...name,
        direction: request.direction,
        ...(request.allowDns ? { allowDns: true } : {}),
      };
    case 'allow-dns':
    case 'allow-same-namespace':
      return {
        template: request.kind,
        ...name,
        ...(request.pods ? { pods: selectorArg(request.pods) } : {}),
      };
    case 'allow-from-namespace': {
      const controller = request.purpose === 'ingress-controller';
      return {
        template: controller ? 'allow-ingress-controller' : 'allow-monitoring',
        ...name,
        to: selectorArg(request.pods),
        [controller ? 'controllerNamespace' : 'monitoringNamespace']: namespacesArg(request.from),
        ...(request.fromPods
          ? { [controller ? 'controllerPods' : 'scraper']: selectorArg(request.fromPods) }
          : {}),
        ...portsArgs(request.ports),
      };
    }
    case 'allow': {
      const ingress = request.direction === 'ingress';
      const pods = selectorArg(request.pods);
      return {
        template: 'allow',
        ...name,
        ...(ingress ? { to: pods } : { direction: 'egress', from: pods }),
        ...peerArgs(request.peers, ingress),
        ...portsArgs(request.ports),
      };
    }
  }
}

/** A request as the data of its command: namespace and arguments. */
export function scaffoldCommandData(request: ScaffoldRequest): ScaffoldCommandData {
  return { namespace: request.namespace, args: requestArgs(request), ...assumptionData(request) };
}

/**
 * A diagnosis' fix as data for check's JSON and YAML output: like scaffoldCommandData, but with
 * the fix's one port as a plain string, as check's output has always given it.
 */
export function diagnosisFixData(request: ScaffoldRequest): ScaffoldCommandData {
  const { port, ...args } = requestArgs(request);
  const [only, ...more] = typeof port === 'string' ? [port] : (port ?? []);
  const portArgs = only === undefined ? {} : { port: more.length > 0 ? port : only };
  return {
    namespace: request.namespace,
    args: { ...args, ...portArgs },
    ...assumptionData(request),
  };
}

/** A fix action as data for JSON and YAML output. */
export function fixActionData(action: FixAction): FixActionData {
  return action.kind === 'scaffold' ? { ...action, fix: scaffoldCommandData(action.fix) } : action;
}

/** A word for a POSIX shell: as is when plain, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The argv of a request's scaffold command, from `kubectl`; `snapshotFlags` (`--demo`, `-f PATH`)
 * make it preview the effect on the same snapshot as the check.
 */
function scaffoldArgv(request: ScaffoldRequest, snapshotFlags: readonly string[]): string[] {
  const { template, ...flags } = requestArgs(request);
  const words = Object.entries(flags).flatMap(([name, value]) => {
    const flag = argFlag(name as TemplateArgName);
    const values: unknown[] = Array.isArray(value) ? value : [value];
    return values.flatMap((v) =>
      v === undefined || v === false ? [] : v === true ? [flag] : [flag, String(v)],
    );
  });
  return [
    'kubectl',
    'netpol',
    'scaffold',
    template,
    '-n',
    request.namespace,
    ...words,
    ...snapshotFlags,
  ];
}

/** The request as one copy-pastable shell command line (for display: it is never read back). */
export function scaffoldCommand(
  request: ScaffoldRequest,
  snapshotFlags: readonly string[] = [],
): string {
  return scaffoldArgv(request, snapshotFlags).map(shellWord).join(' ');
}

/**
 * The command that writes the fixes of every denied side of one flow (`scaffold fix`), as one
 * copy-pastable shell command line; `snapshotFlags` as for scaffoldCommand.
 */
export function scaffoldFixCommand(
  flow: { readonly from: string; readonly to: string },
  verdict: { readonly protocol: string; readonly port: number },
  snapshotFlags: readonly string[] = [],
): string {
  const protocol = verdict.protocol === 'TCP' ? [] : ['--protocol', verdict.protocol];
  return [
    'kubectl',
    'netpol',
    'scaffold',
    'fix',
    flow.from,
    flow.to,
    '--port',
    String(verdict.port),
    ...protocol,
    ...snapshotFlags,
  ]
    .map(shellWord)
    .join(' ');
}
