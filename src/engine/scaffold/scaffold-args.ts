import { NAMESPACE_NAME_LABEL } from '../model/types.js';
import { parsePolicyPort } from '../primitives/port-syntax.js';
import { parseSelector } from '../primitives/selector-syntax.js';
import type { PeerChoice, ScaffoldRequest } from './scaffold.js';

/** The template and its own arguments, as flags or a form give them. */
export interface TemplateArgs {
  readonly template: string;
  readonly name?: string;
  readonly direction?: string;
  readonly allowDns?: boolean;
  readonly to?: string;
  readonly from?: string;
  readonly fromNamespace?: string;
  readonly toNamespace?: string;
  readonly fromCidr?: string;
  readonly toCidr?: string;
  readonly except?: readonly string[] | string;
  readonly port?: readonly string[] | string;
  readonly pods?: string;
  readonly controllerNamespace?: string;
  readonly controllerPods?: string;
  readonly monitoringNamespace?: string;
  readonly scraper?: string;
}

/** A template argument that cannot be used: the message names the flag. */
export class TemplateArgsError extends Error {
  override readonly name = 'TemplateArgsError';
}

function list(value: readonly string[] | string | undefined): string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
}

/** Parses a flag's value, turning a syntax error into a one-line error naming the flag. */
function parsed<T>(flag: string, value: string, parse: (text: string) => T): T {
  try {
    return parse(value);
  } catch (error) {
    throw new TemplateArgsError(`--${flag} ${value}: ${(error as Error).message}`);
  }
}

function selector(flag: string, value: string | undefined) {
  return parsed(flag, value ?? '', parseSelector);
}

/** A namespace flag's value as a selector: a bare name means that namespace, by the label every namespace carries. */
export function namespaceSelectorText(text: string): string {
  return /[=!(),\s]/.test(text) ? text : `${NAMESPACE_NAME_LABEL}=${text}`;
}

function namespaceSelector(flag: string, text: string) {
  return selector(flag, namespaceSelectorText(text));
}

/** Flags that only make sense for the other direction are mistakes, not silent no-ops. */
function rejectMisplacedFlags(args: TemplateArgs, ingress: boolean): void {
  const misplaced = ingress
    ? { 'to-namespace': args.toNamespace, 'to-cidr': args.toCidr }
    : { 'from-namespace': args.fromNamespace, 'from-cidr': args.fromCidr };
  const peers = ingress
    ? '--from, --from-namespace, --from-cidr'
    : '--to, --to-namespace, --to-cidr';
  for (const [flag, value] of Object.entries(misplaced)) {
    if (value !== undefined)
      throw new TemplateArgsError(
        `--${flag} does not apply to ${ingress ? 'ingress' : 'egress'}: its peers are ${peers}`,
      );
  }
  if (list(args.except).length > 0 && !(ingress ? args.fromCidr : args.toCidr)) {
    throw new TemplateArgsError(
      `--except needs ${ingress ? '--from-cidr' : '--to-cidr'} to leave addresses out of`,
    );
  }
}

/** Turns the command line into template requests (one command may write two policies). */
export function scaffoldRequests(args: TemplateArgs, namespace: string): ScaffoldRequest[] {
  const ports = list(args.port).map((port) => parsed('port', port, parsePolicyPort));
  const name = args.name ? { name: args.name } : {};
  const pods = args.pods ? { pods: selector('pods', args.pods) } : {};
  switch (args.template) {
    case 'default-deny': {
      const direction = (args.direction ?? 'both') as 'ingress' | 'egress' | 'both';
      if (args.allowDns && direction === 'ingress') {
        throw new TemplateArgsError(
          '--allow-dns allows DNS egress, but --direction ingress denies no egress',
        );
      }
      const deny: ScaffoldRequest = { kind: 'default-deny', namespace, direction, ...name };
      return args.allowDns ? [deny, { kind: 'allow-dns', namespace }] : [deny];
    }
    case 'allow-dns':
      return [{ kind: 'allow-dns', namespace, ...pods, ...name }];
    case 'allow-same-namespace':
      return [{ kind: 'allow-same-namespace', namespace, ...pods, ...name }];
    case 'allow-ingress-controller':
    case 'allow-monitoring': {
      const controller = args.template === 'allow-ingress-controller';
      const fromFlag = controller ? 'controller-namespace' : 'monitoring-namespace';
      const from =
        (controller ? args.controllerNamespace : args.monitoringNamespace) ??
        (controller ? 'ingress-nginx' : 'monitoring');
      const fromPods = controller ? args.controllerPods : args.scraper;
      return [
        {
          kind: 'allow-from-namespace',
          purpose: controller ? 'ingress-controller' : 'monitoring',
          namespace,
          pods: selector('to', args.to),
          from: namespaceSelector(fromFlag, from),
          ...(fromPods
            ? { fromPods: selector(controller ? 'controller-pods' : 'scraper', fromPods) }
            : {}),
          ports,
          ...name,
        },
      ];
    }
    default: {
      const direction = (args.direction ?? 'ingress') as 'ingress' | 'egress';
      const ingress = direction === 'ingress';
      rejectMisplacedFlags(args, ingress);
      const [targetFlag, peerFlag] = ingress ? ['to', 'from'] : ['from', 'to'];
      const target = ingress ? args.to : args.from;
      const podPeer = ingress ? args.from : args.to;
      const nsPeer = ingress ? args.fromNamespace : args.toNamespace;
      const cidr = ingress ? args.fromCidr : args.toCidr;
      const peers: PeerChoice[] = [];
      if (podPeer !== undefined || nsPeer !== undefined) {
        peers.push({
          ...(podPeer !== undefined ? { pods: selector(peerFlag, podPeer) } : {}),
          ...(nsPeer !== undefined
            ? { namespaces: namespaceSelector(`${peerFlag}-namespace`, nsPeer) }
            : {}),
        });
      }
      if (cidr) peers.push({ ipBlock: { cidr, except: list(args.except) } });
      return [
        {
          kind: 'allow',
          namespace,
          direction,
          pods: selector(targetFlag, target),
          peers,
          ports,
          ...name,
        },
      ];
    }
  }
}
