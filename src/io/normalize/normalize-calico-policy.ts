import type {
  CalicoAction,
  CalicoEntityRule,
  CalicoPolicy,
  CalicoPolicyKind,
  CalicoPort,
  CalicoProtocol,
  CalicoRule,
  CalicoSelector,
  CalicoTier,
  FieldError,
  StagedKubernetesPolicy,
} from '../../engine/index.js';
import { CALICO_DEFAULT_TIER, parseCidr } from '../../engine/index.js';
import { parseCalicoSelector } from '../../syntax/calico-selector-syntax.js';
import { readNetworkPolicy } from './normalize-policy.js';
import { apiGroup } from './policy-layers.js';
import { ShapeReader } from './shape.js';

/** The API groups serving Calico's objects: its API server (v3) and the CRDs it stores them in. */
const CALICO_GROUPS = new Set(['projectcalico.org', 'crd.projectcalico.org']);

const POLICY_KINDS: readonly CalicoPolicyKind[] = [
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
];

/** What a Calico object is to the engine: a policy kind, a Tier, a staged Kubernetes policy, or neither. */
export function calicoObjectKind(
  apiVersion: string,
  kind: string,
): CalicoPolicyKind | 'Tier' | 'StagedKubernetesNetworkPolicy' | undefined {
  if (!CALICO_GROUPS.has(apiGroup(apiVersion))) return undefined;
  if (kind === 'Tier' || kind === 'StagedKubernetesNetworkPolicy') return kind;
  return POLICY_KINDS.find((known) => known === kind);
}

/**
 * Reads a StagedKubernetesNetworkPolicy: its spec is a networking.k8s.io/v1 NetworkPolicy spec
 * (read and validated as one) with Calico's `stagedAction` (Set when omitted).
 */
export function readStagedKubernetesPolicy(
  object: Record<string, unknown>,
  name: string,
  namespace: string,
): { staged?: StagedKubernetesPolicy; errors: FieldError[] } {
  const reader = new ShapeReader();
  const spec = reader.record(object.spec, 'spec') ?? {};
  const action = reader.string(spec.stagedAction, 'spec.stagedAction') ?? 'Set';
  if (action !== 'Set' && action !== 'Delete') {
    reader.errors.push({
      field: 'spec.stagedAction',
      message: `Unsupported value: ${JSON.stringify(action)}: supported values: "Set", "Delete"`,
    });
  }
  const { stagedAction: _, ...networkPolicySpec } = spec;
  const read = readNetworkPolicy({ ...object, spec: networkPolicySpec }, name, namespace);
  const errors = [...reader.errors, ...read.errors];
  if (!read.policy || errors.length > 0) return { errors };
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  return {
    staged: {
      apiVersion,
      policy: read.policy,
      stagedAction: action === 'Delete' ? 'Delete' : 'Set',
    },
    errors,
  };
}

/** Whether a selector text may read a pod's ServiceAccount labels (`pcsa.*`). */
const readsAccountLabels = (selector: unknown) =>
  typeof selector === 'string' && selector.includes('pcsa.');

/**
 * Whether a Calico policy object (as read, not yet checked) may select on ServiceAccount labels:
 * a serviceAccountSelector, a rule's serviceAccounts.selector, or `pcsa.*` in a selector. Only
 * then are ServiceAccounts worth listing.
 */
export function calicoPolicyReadsAccountLabels(object: Record<string, unknown>): boolean {
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  if (spec.serviceAccountSelector || readsAccountLabels(spec.selector)) return true;
  const rules = [spec.ingress, spec.egress].flatMap((list) => (Array.isArray(list) ? list : []));
  return rules.some((rule) =>
    [rule?.source, rule?.destination].some(
      (side) =>
        side?.serviceAccounts?.selector ||
        readsAccountLabels(side?.selector) ||
        readsAccountLabels(side?.notSelector),
    ),
  );
}

/** Whether a Calico policy kind is cluster-scoped. */
export const isGlobalCalicoKind = (kind: CalicoPolicyKind) => kind.includes('Global');

const ACTIONS: readonly CalicoAction[] = ['Allow', 'Deny', 'Log', 'Pass'];
const PROTOCOL_NUMBERS: Readonly<Record<number, CalicoProtocol>> = {
  6: 'TCP',
  17: 'UDP',
  132: 'SCTP',
};
const PORT_RANGE = /^(\d+):(\d+)$/;
const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** Rule fields the engine reads; others it names as not evaluated. */
const RULE_FIELDS = new Set([
  'action',
  'protocol',
  'notProtocol',
  'source',
  'destination',
  'metadata',
  'ipVersion',
]);

class CalicoReader extends ShapeReader {
  selector(value: unknown, path: string): CalicoSelector | undefined {
    const text = this.string(value, path);
    if (text === undefined) return undefined;
    const parsed = parseCalicoSelector(text);
    if ('error' in parsed) {
      this.errors.push({ field: path, message: `Invalid value: ${parsed.error}` });
      return undefined;
    }
    return parsed.selector;
  }

  protocol(value: unknown, path: string): CalicoProtocol | undefined {
    if (value === undefined || value === null) return undefined;
    // A quoted number is that number (numorstring.Uint8OrString.UnmarshalJSON): "6" is TCP.
    const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= 255) {
      return PROTOCOL_NUMBERS[number] ?? { other: String(number) };
    }
    const text = this.string(value, path);
    if (text === undefined) return undefined;
    const upper = text.toUpperCase();
    if (upper === 'TCP' || upper === 'UDP' || upper === 'SCTP') return upper;
    return { other: text };
  }

  ipVersion(value: unknown, path: string): 4 | 6 | undefined {
    if (value === undefined || value === null || value === 4 || value === 6)
      return value ?? undefined;
    this.errors.push({
      field: path,
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: 4, 6`,
    });
    return undefined;
  }

  port(value: unknown, path: string): CalicoPort | undefined {
    const bad = () => {
      this.errors.push({
        field: path,
        message: `Invalid value: ${JSON.stringify(value)}: must be a port, a range "from:to" or a port name`,
      });
      return undefined;
    };
    const inRange = (n: number) => Number.isInteger(n) && n >= 0 && n <= 65535;
    if (typeof value === 'number') {
      return inRange(value) ? { kind: 'range', from: value, to: value } : bad();
    }
    if (typeof value !== 'string') return bad();
    const range = PORT_RANGE.exec(value);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      return inRange(from) && inRange(to) && from <= to ? { kind: 'range', from, to } : bad();
    }
    if (/^\d+$/.test(value)) {
      const n = Number(value);
      return inRange(n) ? { kind: 'range', from: n, to: n } : bad();
    }
    return PORT_NAME.test(value) ? { kind: 'named', name: value } : bad();
  }

  ports(value: unknown, path: string): CalicoPort[] {
    return (this.array(value, path) ?? []).flatMap(
      (entry, i) => this.port(entry, `${path}[${i}]`) ?? [],
    );
  }

  nets(raw: Record<string, unknown>, key: string, path: string): string[] {
    const list = this.stringList(raw[key], `${path}.${key}`);
    list.forEach((cidr, i) => {
      if (!parseCidr(cidr)) {
        this.errors.push({
          field: `${path}.${key}[${i}]`,
          message: `Invalid value: ${JSON.stringify(cidr)}: not a CIDR`,
        });
      }
    });
    return list;
  }

  entity(value: unknown, path: string): CalicoEntityRule {
    const raw = this.record(value, path) ?? {};
    // An empty selector text is an unset one (libcalico-go updateprocessors/rules.go,
    // getEndpointSelector tests each against ""): it neither selects all() nor, for
    // namespaceSelector, lifts a namespaced policy's rule out of its namespace.
    const optional = (key: 'selector' | 'notSelector' | 'namespaceSelector') => {
      if (raw[key] === '') return {};
      const selector = this.selector(raw[key], `${path}.${key}`);
      return selector === undefined ? {} : { [key]: selector };
    };
    const accounts = this.record(raw.serviceAccounts, `${path}.serviceAccounts`);
    const services = this.record(raw.services, `${path}.services`);
    const serviceAccountSelector = accounts
      ? this.selector(accounts.selector, `${path}.serviceAccounts.selector`)
      : undefined;
    const serviceName = services ? this.string(services.name, `${path}.services.name`) : undefined;
    const serviceNamespace = services
      ? this.string(services.namespace, `${path}.services.namespace`)
      : undefined;
    return {
      ...optional('selector'),
      ...optional('notSelector'),
      ...optional('namespaceSelector'),
      nets: this.nets(raw, 'nets', path),
      notNets: this.nets(raw, 'notNets', path),
      ports: this.ports(raw.ports, `${path}.ports`),
      notPorts: this.ports(raw.notPorts, `${path}.notPorts`),
      ...(accounts
        ? {
            serviceAccounts: {
              names: this.stringList(accounts.names, `${path}.serviceAccounts.names`),
              ...(serviceAccountSelector ? { selector: serviceAccountSelector } : {}),
            },
          }
        : {}),
      ...(serviceName !== undefined
        ? {
            services: {
              name: serviceName,
              ...(serviceNamespace ? { namespace: serviceNamespace } : {}),
            },
          }
        : {}),
    };
  }

  rule(value: unknown, path: string, index: number): CalicoRule | undefined {
    const raw = this.record(value, path) ?? {};
    const action = this.string(raw.action, `${path}.action`);
    if (!ACTIONS.includes(action as CalicoAction)) {
      this.errors.push({
        field: `${path}.action`,
        message: `Unsupported value: ${JSON.stringify(action ?? null)}: supported values: ${ACTIONS.join(', ')}`,
      });
      return undefined;
    }
    const ipVersion = this.ipVersion(raw.ipVersion, `${path}.ipVersion`);
    const protocol = this.protocol(raw.protocol, `${path}.protocol`);
    const notProtocol = this.protocol(raw.notProtocol, `${path}.notProtocol`);
    const source = this.entity(raw.source, `${path}.source`);
    const destination = this.entity(raw.destination, `${path}.destination`);
    // Calico accepts ports only with a protocol that has them.
    const hasPorts = [source, destination].some(
      (side) => side.ports.length + side.notPorts.length > 0,
    );
    if (hasPorts && (protocol === undefined || typeof protocol === 'object')) {
      this.errors.push({
        field: `${path}.protocol`,
        message: 'Invalid value: ports need protocol TCP, UDP or SCTP',
      });
    }
    return {
      index,
      action: action as CalicoAction,
      ...(protocol ? { protocol } : {}),
      ...(notProtocol ? { notProtocol } : {}),
      ...(ipVersion ? { ipVersion } : {}),
      source,
      destination,
      unevaluated: Object.keys(raw).filter((key) => !RULE_FIELDS.has(key) && raw[key] != null),
    };
  }

  rules(value: unknown, path: string): CalicoRule[] {
    return (this.array(value, path) ?? []).flatMap(
      (entry, i) => this.rule(entry, `${path}[${i}]`, i) ?? [],
    );
  }

  order(value: unknown, path: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.errors.push({
      field: path,
      message: `Invalid value: ${JSON.stringify(value)}: must be a number`,
    });
    return undefined;
  }
}

/**
 * Reads a Calico NetworkPolicy or GlobalNetworkPolicy (or a staged one) with Calico's defaults:
 * the `default` tier, selector all(), and `types` from which rule lists are present (Ingress
 * alone unless only egress rules are given, both when both are).
 */
export function readCalicoPolicy(
  object: Record<string, unknown>,
  name: string,
  namespace: string | undefined,
  kind: CalicoPolicyKind,
): { policy?: CalicoPolicy; errors: FieldError[] } {
  const reader = new CalicoReader();
  const spec = reader.record(object.spec, 'spec') ?? {};
  const ingress = reader.rules(spec.ingress, 'spec.ingress');
  const egress = reader.rules(spec.egress, 'spec.egress');
  const written = reader.stringList(spec.types, 'spec.types');
  written.forEach((type, i) => {
    if (type !== 'Ingress' && type !== 'Egress') {
      reader.errors.push({
        field: `spec.types[${i}]`,
        message: `Unsupported value: ${JSON.stringify(type)}: supported values: Ingress, Egress`,
      });
    }
  });
  const hasEgress = Array.isArray(spec.egress) && spec.egress.length > 0;
  const hasIngress = Array.isArray(spec.ingress) && spec.ingress.length > 0;
  const types: readonly ('Ingress' | 'Egress')[] =
    written.length > 0
      ? (written.filter((t) => t === 'Ingress' || t === 'Egress') as ('Ingress' | 'Egress')[])
      : hasEgress
        ? hasIngress
          ? ['Ingress', 'Egress']
          : ['Egress']
        : ['Ingress'];
  const selector = reader.selector(spec.selector, 'spec.selector') ?? { kind: 'all' };
  const namespaceSelector = isGlobalCalicoKind(kind)
    ? reader.selector(spec.namespaceSelector, 'spec.namespaceSelector')
    : undefined;
  const serviceAccountSelector = reader.selector(
    spec.serviceAccountSelector,
    'spec.serviceAccountSelector',
  );
  const staged = kind.startsWith('Staged');
  const stagedAction = staged ? reader.string(spec.stagedAction, 'spec.stagedAction') : undefined;
  if (stagedAction !== undefined && stagedAction !== 'Set' && stagedAction !== 'Delete') {
    reader.errors.push({
      field: 'spec.stagedAction',
      message: `Unsupported value: ${JSON.stringify(stagedAction)}: supported values: Set, Delete`,
    });
  }
  const outOfScope = ['doNotTrack', 'preDNAT'].filter((key) => spec[key] === true);
  const order = reader.order(spec.order, 'spec.order');
  const tier = reader.string(spec.tier, 'spec.tier') || CALICO_DEFAULT_TIER;
  if (reader.errors.length > 0) return { errors: reader.errors };
  return {
    policy: {
      kind,
      apiVersion: String(object.apiVersion),
      ...(isGlobalCalicoKind(kind) ? {} : { namespace }),
      name,
      tier,
      ...(order === undefined ? {} : { order }),
      selector,
      ...(namespaceSelector ? { namespaceSelector } : {}),
      ...(serviceAccountSelector ? { serviceAccountSelector } : {}),
      types,
      ingress: types.includes('Ingress') ? ingress : [],
      egress: types.includes('Egress') ? egress : [],
      staged,
      ...(stagedAction === 'Set' || stagedAction === 'Delete' ? { stagedAction } : {}),
      outOfScope,
    },
    errors: [],
  };
}

/** Reads a Calico Tier: its order (none: last) and default action (Deny unless Pass). */
export function readCalicoTier(
  object: Record<string, unknown>,
  name: string,
): { tier?: CalicoTier; errors: FieldError[] } {
  const reader = new CalicoReader();
  const spec = reader.record(object.spec, 'spec') ?? {};
  const order = reader.order(spec.order, 'spec.order');
  const action = reader.string(spec.defaultAction, 'spec.defaultAction') ?? 'Deny';
  if (action !== 'Deny' && action !== 'Pass') {
    reader.errors.push({
      field: 'spec.defaultAction',
      message: `Unsupported value: ${JSON.stringify(action)}: supported values: Deny, Pass`,
    });
  }
  if (reader.errors.length > 0) return { errors: reader.errors };
  return {
    tier: {
      name,
      ...(order === undefined ? {} : { order }),
      defaultAction: action as 'Deny' | 'Pass',
    },
    errors: [],
  };
}
