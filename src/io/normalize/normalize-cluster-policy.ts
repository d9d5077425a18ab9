import {
  type ClusterNetworkPolicy,
  type ClusterNode,
  type ClusterPolicyKind,
  type ClusterPolicyPeer,
  type ClusterPolicyPort,
  type ClusterPolicyRule,
  type ClusterPolicyTier,
  type ClusterRuleAction,
  type FieldError,
  type NamespacedPods,
  type Protocol,
  parseCidr,
  validateLabelSelector,
} from '../../engine/index.js';
import { readLabelSelector } from './normalize-policy.js';
import { ShapeReader } from './shape.js';

/** The API group of ClusterNetworkPolicy and the v1alpha1 kinds it replaced. */
export const CLUSTER_POLICY_GROUP = 'policy.networking.k8s.io';

/** The kinds read as cluster policies, by apiVersion. */
export const CLUSTER_POLICY_VERSIONS: Readonly<Record<string, readonly ClusterPolicyKind[]>> = {
  [`${CLUSTER_POLICY_GROUP}/v1alpha2`]: ['ClusterNetworkPolicy'],
  // network-policy-api v0.3.0 stores v1beta1 and serves both; the schemas are identical.
  [`${CLUSTER_POLICY_GROUP}/v1beta1`]: ['ClusterNetworkPolicy'],
  [`${CLUSTER_POLICY_GROUP}/v1alpha1`]: ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
};

/** The cluster policy kind an object is, or undefined when it is none the engine reads. */
export function clusterPolicyKind(apiVersion: string, kind: string): ClusterPolicyKind | undefined {
  return CLUSTER_POLICY_VERSIONS[apiVersion]?.find((known) => known === kind);
}

/** What differs between the versions: rule limits, action names, how ports are written. */
interface Dialect {
  readonly maxItems: number;
  readonly actions: Readonly<Record<string, ClusterRuleAction>>;
  readonly portsKey: 'protocols' | 'ports';
  readonly egressPeers: readonly string[];
}

const V1ALPHA2: Dialect = {
  maxItems: 25,
  actions: { Accept: 'Accept', Deny: 'Deny', Pass: 'Pass' },
  portsKey: 'protocols',
  egressPeers: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'],
};

const DIALECTS: Readonly<Record<ClusterPolicyKind, Dialect>> = {
  ClusterNetworkPolicy: V1ALPHA2,
  AdminNetworkPolicy: {
    maxItems: 100,
    actions: { Allow: 'Accept', Deny: 'Deny', Pass: 'Pass' },
    portsKey: 'ports',
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'],
  },
  BaselineAdminNetworkPolicy: {
    maxItems: 100,
    actions: { Allow: 'Accept', Deny: 'Deny' },
    portsKey: 'ports',
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks'],
  },
};

const INGRESS_PEERS = ['namespaces', 'pods'];
const PROTOCOL_KEYS: Readonly<Record<string, Protocol>> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };
const DOMAIN_NAME =
  /^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

/** Checks, as the API server's schema does, that exactly one of `keys` is set. */
function onlyKey(
  raw: Record<string, unknown>,
  keys: readonly string[],
  path: string,
  errors: FieldError[],
): string | undefined {
  const set = Object.keys(raw).filter((key) => raw[key] !== undefined && raw[key] !== null);
  const unknown = set.filter((key) => !keys.includes(key));
  if (set.length !== 1 || unknown.length > 0) {
    errors.push({
      field: path,
      message: `Invalid value: must set exactly one of ${keys.join(', ')}${unknown.length > 0 ? ` (not ${unknown.join(', ')})` : ''}`,
    });
    return undefined;
  }
  return set[0];
}

function count(
  list: readonly unknown[],
  min: number,
  max: number,
  path: string,
  errors: FieldError[],
) {
  if (list.length < min)
    errors.push({ field: path, message: `Required value: at least ${min} item` });
  if (list.length > max)
    errors.push({
      field: path,
      message: `Too many: ${list.length}: must have at most ${max} items`,
    });
}

class ClusterPolicyReader extends ShapeReader {
  readonly problems: FieldError[] = [];

  constructor(private readonly dialect: Dialect) {
    super();
  }

  selector(value: unknown, path: string) {
    const selector = readLabelSelector(this, value, path);
    this.problems.push(...validateLabelSelector(selector, path));
    return selector;
  }

  pods(raw: Record<string, unknown>, key: string, path: string): NamespacedPods {
    if (key === 'namespaces') {
      return { namespaceSelector: this.selector(raw.namespaces, `${path}.namespaces`) };
    }
    const pods = this.record(raw.pods, `${path}.pods`) ?? {};
    if (pods.podSelector === undefined) {
      this.problems.push({ field: `${path}.pods.podSelector`, message: 'Required value' });
    }
    return {
      namespaceSelector: this.selector(pods.namespaceSelector, `${path}.pods.namespaceSelector`),
      podSelector: this.selector(pods.podSelector, `${path}.pods.podSelector`),
    };
  }

  peer(value: unknown, path: string, allowed: readonly string[]): ClusterPolicyPeer | undefined {
    const raw = this.record(value, path) ?? {};
    const key = onlyKey(raw, allowed, path, this.problems);
    if (key === undefined) return undefined;
    if (key === 'namespaces' || key === 'pods')
      return { kind: 'pods', ...this.pods(raw, key, path) };
    if (key === 'nodes')
      return { kind: 'nodes', nodeSelector: this.selector(raw.nodes, `${path}.nodes`) };
    const at = `${path}.${key}`;
    const list = this.stringList(raw[key], at);
    count(list, 1, 25, at, this.problems);
    if (key === 'networks') {
      list.forEach((cidr, i) => {
        if (!parseCidr(cidr)) {
          this.problems.push({
            field: `${at}[${i}]`,
            message: `Invalid value: ${JSON.stringify(cidr)}: Invalid CIDR format provided`,
          });
        }
      });
      return { kind: 'networks', cidrs: list };
    }
    list.forEach((name, i) => {
      if (!DOMAIN_NAME.test(name)) {
        this.problems.push({
          field: `${at}[${i}]`,
          message: `Invalid value: ${JSON.stringify(name)}: must be a domain name, optionally starting with "*."`,
        });
      }
    });
    return { kind: 'domain-names', domainNames: list };
  }

  portNumber(value: unknown, path: string): number {
    const port = this.integer(value, path) ?? 0;
    if (port < 1 || port > 65535) {
      this.problems.push({
        field: path,
        message: `Invalid value: ${port}: must be between 1 and 65535, inclusive`,
      });
    }
    return port;
  }

  range(raw: Record<string, unknown>, protocol: Protocol, path: string): ClusterPolicyPort {
    const start = this.portNumber(raw.start, `${path}.start`);
    const end = this.portNumber(raw.end, `${path}.end`);
    if (start >= end)
      this.problems.push({
        field: path,
        message: 'Invalid value: Start port must be less than End port',
      });
    return { kind: 'range', protocol, start, end };
  }

  /** A v1alpha2 `protocols` entry. */
  protocol(value: unknown, path: string): ClusterPolicyPort | undefined {
    const raw = this.record(value, path) ?? {};
    const key = onlyKey(raw, ['tcp', 'udp', 'sctp', 'destinationNamedPort'], path, this.problems);
    if (key === undefined) return undefined;
    if (key === 'destinationNamedPort') {
      return { kind: 'named', name: this.string(raw[key], `${path}.${key}`) ?? '' };
    }
    const protocol = PROTOCOL_KEYS[key] as Protocol;
    const at = `${path}.${key}.destinationPort`;
    const port = this.record(this.record(raw[key], `${path}.${key}`)?.destinationPort, at) ?? {};
    const form = onlyKey(port, ['number', 'range'], at, this.problems);
    if (form === 'number')
      return { kind: 'number', protocol, port: this.portNumber(port.number, `${at}.number`) };
    if (form === 'range')
      return this.range(this.record(port.range, `${at}.range`) ?? {}, protocol, `${at}.range`);
    return undefined;
  }

  /** A v1alpha1 `ports` entry; the protocol defaults to TCP. */
  legacyPort(value: unknown, path: string): ClusterPolicyPort | undefined {
    const raw = this.record(value, path) ?? {};
    const key = onlyKey(raw, ['portNumber', 'namedPort', 'portRange'], path, this.problems);
    if (key === undefined) return undefined;
    if (key === 'namedPort')
      return { kind: 'named', name: this.string(raw[key], `${path}.${key}`) ?? '' };
    const entry = this.record(raw[key], `${path}.${key}`) ?? {};
    const protocol = (this.string(entry.protocol, `${path}.${key}.protocol`) ?? 'TCP') as Protocol;
    if (!Object.values(PROTOCOL_KEYS).includes(protocol)) {
      this.problems.push({
        field: `${path}.${key}.protocol`,
        message: `Unsupported value: ${JSON.stringify(protocol)}`,
      });
    }
    if (key === 'portRange') return this.range(entry, protocol, `${path}.${key}`);
    return { kind: 'number', protocol, port: this.portNumber(entry.port, `${path}.${key}.port`) };
  }

  rules(value: unknown, path: string, direction: 'ingress' | 'egress'): ClusterPolicyRule[] {
    const { dialect } = this;
    const list = this.array(value, path) ?? [];
    count(list, 0, dialect.maxItems, path, this.problems);
    const peersKey = direction === 'ingress' ? 'from' : 'to';
    const peerKinds = direction === 'ingress' ? INGRESS_PEERS : dialect.egressPeers;
    return list.map((entry, i) => {
      const at = `${path}[${i}]`;
      const raw = this.record(entry, at) ?? {};
      const name = this.string(raw.name, `${at}.name`);
      if (name && name.length > 100)
        this.problems.push({
          field: `${at}.name`,
          message: 'Too long: must have at most 100 bytes',
        });
      const actionText = this.string(raw.action, `${at}.action`) ?? '';
      const action = dialect.actions[actionText];
      if (!action) {
        this.problems.push({
          field: `${at}.action`,
          message: `Unsupported value: ${JSON.stringify(actionText)}: supported values: ${Object.keys(
            dialect.actions,
          )
            .map((a) => `"${a}"`)
            .join(', ')}`,
        });
      }
      const rawPeers = this.array(raw[peersKey], `${at}.${peersKey}`) ?? [];
      count(rawPeers, 1, dialect.maxItems, `${at}.${peersKey}`, this.problems);
      const peers = rawPeers.flatMap(
        (peer, j) => this.peer(peer, `${at}.${peersKey}[${j}]`, peerKinds) ?? [],
      );
      const portsAt = `${at}.${dialect.portsKey}`;
      const rawPorts = this.array(raw[dialect.portsKey], portsAt);
      if (rawPorts) count(rawPorts, 1, dialect.maxItems, portsAt, this.problems);
      const ports = (rawPorts ?? []).flatMap(
        (port, j) =>
          (dialect.portsKey === 'protocols'
            ? this.protocol(port, `${portsAt}[${j}]`)
            : this.legacyPort(port, `${portsAt}[${j}]`)) ?? [],
      );
      if (ports.some((p) => p.kind === 'named') && peers.some((p) => p.kind !== 'pods')) {
        this.problems.push({
          field: at,
          message:
            'Invalid value: networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
        });
      }
      return { ...(name ? { name } : {}), action: action ?? 'Deny', peers, ports };
    });
  }
}

/** The tier and priority of a policy: v1alpha1 kinds have theirs by kind. */
function tierAndPriority(
  reader: ClusterPolicyReader,
  kind: ClusterPolicyKind,
  spec: Record<string, unknown>,
): { tier: ClusterPolicyTier; priority: number } {
  // BaselineAdminNetworkPolicy is a singleton without priority: it takes the lowest precedence.
  if (kind === 'BaselineAdminNetworkPolicy') return { tier: 'Baseline', priority: 1000 };
  const priority = reader.integer(spec.priority, 'spec.priority');
  if (priority === undefined)
    reader.problems.push({ field: 'spec.priority', message: 'Required value' });
  else if (priority < 0 || priority > 1000) {
    reader.problems.push({
      field: 'spec.priority',
      message: `Invalid value: ${priority}: spec.priority in body should be less than or equal to 1000 and greater than or equal to 0`,
    });
  }
  if (kind === 'AdminNetworkPolicy') return { tier: 'Admin', priority: priority ?? 0 };
  const tier = reader.string(spec.tier, 'spec.tier');
  if (tier !== 'Admin' && tier !== 'Baseline') {
    reader.problems.push({
      field: 'spec.tier',
      message: `Unsupported value: ${JSON.stringify(tier ?? '')}: supported values: "Admin", "Baseline"`,
    });
  }
  return { tier: tier === 'Baseline' ? 'Baseline' : 'Admin', priority: priority ?? 0 };
}

/**
 * Reads a ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy into the
 * model (Allow becomes Accept) and validates it as the API server's schema would; a policy
 * with errors is returned only with its errors.
 */
export function readClusterPolicy(
  object: Record<string, unknown>,
  name: string,
  kind: ClusterPolicyKind,
): { policy?: ClusterNetworkPolicy; errors: FieldError[] } {
  const reader = new ClusterPolicyReader(DIALECTS[kind]);
  const spec = reader.record(object.spec, 'spec') ?? {};
  const { tier, priority } = tierAndPriority(reader, kind, spec);
  if (kind === 'BaselineAdminNetworkPolicy' && name !== 'default') {
    reader.problems.push({
      field: 'metadata.name',
      message:
        'Invalid value: Only one baseline admin network policy with metadata.name="default" can be created in the cluster',
    });
  }
  const subject = reader.record(spec.subject, 'spec.subject') ?? {};
  const subjectKey = onlyKey(subject, ['namespaces', 'pods'], 'spec.subject', reader.problems);
  const policy: ClusterNetworkPolicy = {
    name,
    kind,
    tier,
    priority,
    subject: subjectKey
      ? reader.pods(subject, subjectKey, 'spec.subject')
      : { namespaceSelector: { matchLabels: {}, matchExpressions: [] } },
    ingress: reader.rules(spec.ingress, 'spec.ingress', 'ingress'),
    egress: reader.rules(spec.egress, 'spec.egress', 'egress'),
  };
  const errors = [...reader.errors, ...reader.problems];
  return errors.length > 0 ? { errors } : { policy, errors };
}

/** Reads a Node: its labels and its InternalIP and ExternalIP addresses. */
export function readNode(
  object: Record<string, unknown>,
  name: string,
): { node?: ClusterNode; errors: FieldError[] } {
  const reader = new ShapeReader();
  const metadata = reader.record(object.metadata, 'metadata') ?? {};
  const status = reader.record(object.status, 'status') ?? {};
  const addresses = (reader.array(status.addresses, 'status.addresses') ?? []).flatMap(
    (entry, i) => {
      const address = reader.record(entry, `status.addresses[${i}]`) ?? {};
      const type = reader.string(address.type, `status.addresses[${i}].type`);
      const value = reader.string(address.address, `status.addresses[${i}].address`);
      return value && (type === 'InternalIP' || type === 'ExternalIP') ? [value] : [];
    },
  );
  const node = { name, labels: reader.stringMap(metadata.labels, 'metadata.labels'), addresses };
  return reader.errors.length > 0 ? { errors: reader.errors } : { node, errors: [] };
}
