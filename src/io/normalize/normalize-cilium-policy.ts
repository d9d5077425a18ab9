import {
  CILIUM_CONFIG,
  CILIUM_ENTITIES,
  CILIUM_NAMESPACE_LABEL,
  CILIUM_REQUIRES_FIELDS,
  type CiliumCidr,
  type CiliumConfig,
  type CiliumEndpointSelector,
  type CiliumEnforcement,
  type CiliumEntity,
  type CiliumL7Rules,
  type CiliumLoadBalancerMode,
  type CiliumPolicy,
  type CiliumPolicyKind,
  type CiliumPolicySpec,
  type CiliumPortRule,
  type CiliumRule,
  type CiliumRuleShape,
  type CiliumServiceRef,
  type FieldError,
  type LabelSelector,
  namesNamespace,
  type Protocol,
  parseCidr,
  withoutLabelSource,
} from '../../engine/index.js';
import { readLabelSelector } from './normalize-policy.js';
import { ShapeReader } from './shape.js';

/** The API group and version of Cilium's policies. */
export const CILIUM_POLICY_API = 'cilium.io/v2';

/** The Cilium policy kind of an object, or undefined for any other. */
export function ciliumPolicyKind(apiVersion: string, kind: string): CiliumPolicyKind | undefined {
  if (apiVersion !== CILIUM_POLICY_API) return undefined;
  return kind === 'CiliumNetworkPolicy' || kind === 'CiliumClusterwideNetworkPolicy'
    ? kind
    : undefined;
}

type Direction = 'ingress' | 'egress';

/** Peer fields of a rule the engine reads but does not evaluate. */
const UNSUPPORTED_PEERS: Readonly<Record<Direction, readonly string[]>> = {
  ingress: ['fromGroups', 'fromNodes', 'authentication'],
  egress: ['toGroups', 'toNodes', 'authentication'],
};

/**
 * Whether a rule's fromRequires/toRequires holds anything: an empty list constrains nothing on
 * any Cilium version; the engine does not evaluate a non-empty one.
 */
const requiresSomething = (value: unknown) =>
  value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);

/**
 * A label selector with the `k8s:`/`any:` source prefixes taken off its keys; `ignoredKey`, a
 * matchLabels key exactly as written, is left out.
 */
function endpointSelector(
  reader: ShapeReader,
  value: unknown,
  path: string,
  ignoredKey?: string,
): LabelSelector {
  const selector = readLabelSelector(reader, value, path);
  return {
    matchLabels: Object.fromEntries(
      Object.entries(selector.matchLabels)
        .filter(([key]) => key !== ignoredKey)
        .map(([key, v]) => [withoutLabelSource(key), v]),
    ),
    matchExpressions: selector.matchExpressions.map((requirement) => ({
      ...requirement,
      key: withoutLabelSource(requirement.key),
    })),
  };
}

const RESERVED = 'reserved:';

/** The entity a selector of `reserved:NAME` labels stands for (`reserved:host`), if any. */
function reservedEntity(selector: LabelSelector): CiliumEntity | undefined {
  const keys = Object.keys(selector.matchLabels).filter((key) => key.startsWith(RESERVED));
  const [first] = keys;
  const entity = first?.slice(RESERVED.length) as CiliumEntity | undefined;
  return keys.length === 1 && entity && CILIUM_ENTITIES.includes(entity) ? entity : undefined;
}

/** Whether any key of a selector names the namespace. */
const selectorNamesNamespace = (selector: LabelSelector) =>
  Object.keys(selector.matchLabels).some(namesNamespace) ||
  selector.matchExpressions.some((requirement) => namesNamespace(requirement.key));

/** Reads a CIDR as Cilium takes it: a prefix, or a bare address standing for itself. */
function readCidr(reader: ShapeReader, value: unknown, path: string): string | undefined {
  const text = reader.string(value, path);
  if (text === undefined) return undefined;
  const cidr = text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`;
  if (parseCidr(cidr)) return cidr;
  reader.errors.push({ field: path, message: `Invalid value: "${text}": must be a CIDR` });
  return undefined;
}

const PROTOCOLS_OF: Readonly<Record<string, readonly Protocol[]>> = {
  TCP: ['TCP'],
  UDP: ['UDP'],
  SCTP: ['SCTP'],
  ANY: ['TCP', 'UDP', 'SCTP'],
};

/** One `rules` section's listed requests, in short. */
function readL7(reader: ShapeReader, value: unknown, path: string): CiliumL7Rules | undefined {
  const rules = reader.record(value, path);
  if (!rules) return undefined;
  const texts = (key: string, describe: (entry: Record<string, unknown>) => string) =>
    (reader.array(rules[key], `${path}.${key}`) ?? []).map((entry, i) =>
      describe(reader.record(entry, `${path}.${key}[${i}]`) ?? {}),
    );
  const words = (entry: Record<string, unknown>, keys: readonly string[]) =>
    keys.flatMap((key) => (typeof entry[key] === 'string' ? [`${key}=${entry[key]}`] : []));
  if (rules.http !== undefined) {
    const requests = texts('http', (entry) =>
      [entry.method ?? '*', entry.path ?? '/*', ...words(entry, ['host'])].join(' '),
    );
    return { protocol: 'http', requests };
  }
  if (rules.dns !== undefined) {
    const requests = texts('dns', (entry) => String(entry.matchName ?? entry.matchPattern ?? '*'));
    return { protocol: 'dns', requests };
  }
  if (rules.kafka !== undefined) {
    const requests = texts('kafka', (entry) =>
      words(entry, ['role', 'apiKey', 'topic', 'clientID']).join(' '),
    );
    return { protocol: 'kafka', requests };
  }
  return { protocol: 'other', requests: Object.keys(rules) };
}

/** A `toPorts` entry as read, with whether one of its ports names SCTP itself. */
function readPortRule(
  reader: ShapeReader,
  value: unknown,
  path: string,
): { rule: CiliumPortRule; namesSctp: boolean } {
  const raw = reader.record(value, path) ?? {};
  let namesSctp = false;
  const ports = (reader.array(raw.ports, `${path}.ports`) ?? []).flatMap((entry, i) => {
    const at = `${path}.ports[${i}]`;
    const port = reader.record(entry, at) ?? {};
    const written = reader.intOrString(port.port, `${at}.port`);
    const endPort = reader.integer(port.endPort, `${at}.endPort`);
    const protocolText = reader.string(port.protocol, `${at}.protocol`) ?? 'ANY';
    const protocols = PROTOCOLS_OF[protocolText.toUpperCase()];
    if (protocolText.toUpperCase() === 'SCTP') namesSctp = true;
    if (!protocols) {
      reader.errors.push({
        field: `${at}.protocol`,
        message: `Unsupported value: "${protocolText}": must be TCP, UDP, SCTP or ANY`,
      });
      return [];
    }
    // Port "0" (or none) is every port; a numeric string is a number, any other a port name.
    const numeric =
      typeof written === 'string' && /^\d+$/.test(written) ? Number(written) : written;
    const any = numeric === undefined || numeric === 0;
    return protocols.map((protocol) => ({
      protocol,
      ...(any ? {} : { port: numeric }),
      ...(endPort !== undefined && !any ? { endPort } : {}),
    }));
  });
  const l7 = readL7(reader, raw.rules, `${path}.rules`);
  return { rule: { ports, ...(l7 ? { l7 } : {}) }, namesSctp };
}

/**
 * The peer kinds of which Cilium takes at most one non-empty list per rule (pkg/policy/api,
 * rule_validation.go: IngressCommonRule.Validate and EgressRule.l3Members).
 */
const EXCLUSIVE_PEERS: Readonly<Record<Direction, readonly string[]>> = {
  ingress: ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'fromNodes', 'fromGroups'],
  egress: [
    'toEndpoints',
    'toCIDR',
    'toCIDRSet',
    'toEntities',
    'toServices',
    'toGroups',
    'toNodes',
    'toFQDNs',
  ],
};

/**
 * The rule shapes Cilium's agent refuses, and the whole policy with them: two kinds of peer in one
 * rule ("combining toEndpoints and toCIDR is not supported yet"), ICMP beside ports, toServices
 * beside ports. Every release refuses the first two in an allow rule: they are recorded as errors.
 * Deny rules are checked only from 1.16.7, toServices beside ports only from 1.14 to 1.16: such
 * shapes are returned, for the release to decide.
 */
function ruleShapes(
  reader: ShapeReader,
  raw: Record<string, unknown>,
  path: string,
  direction: Direction,
  deny: boolean,
): CiliumRuleShape[] {
  const filled = (key: string) => Array.isArray(raw[key]) && raw[key].length > 0;
  const [first, second] = EXCLUSIVE_PEERS[direction].filter(filled);
  const shapes: CiliumRuleShape[] = [];
  const refused = (shape: CiliumRuleShape, field: string, message: string) => {
    if (deny) shapes.push(shape);
    else
      reader.errors.push({
        field: `${path}.${field}`,
        message: `Invalid value: ${message}: Cilium refuses the policy and enforces none of it; ${shape.kind === 'peer-kinds' ? 'write one rule per kind of peer' : 'write a separate rule for toPorts'}`,
      });
  };
  if (first && second)
    refused(
      { kind: 'peer-kinds', first, second },
      second,
      `combining ${first} and ${second} is not supported yet`,
    );
  if (filled('icmps') && filled('toPorts'))
    refused(
      { kind: 'icmps-with-ports' },
      'icmps',
      'the ICMPs block may only be present without toPorts',
    );
  if (filled('toServices') && filled('toPorts')) shapes.push({ kind: 'services-with-ports' });
  return shapes;
}

function readRule(
  reader: ShapeReader,
  value: unknown,
  path: string,
  index: number,
  direction: Direction,
  deny: boolean,
  namespace: string | undefined,
): CiliumRule {
  const raw = reader.record(value, path) ?? {};
  const side = direction === 'ingress' ? 'from' : 'to';
  const list = (key: string) => reader.array(raw[key], `${path}.${key}`);
  const endpoints: CiliumEndpointSelector[] = [];
  const entities: CiliumEntity[] = [];
  (list(`${side}Endpoints`) ?? []).forEach((entry, i) => {
    const selector = endpointSelector(reader, entry, `${path}.${side}Endpoints[${i}]`);
    const entity = reservedEntity(selector);
    if (entity) entities.push(entity);
    // A namespaced policy's peer selector is confined to its namespace unless it names one.
    else if (namespace !== undefined && !selectorNamesNamespace(selector))
      endpoints.push({ selector, namespace });
    else endpoints.push({ selector });
  });
  (list(`${side}Entities`) ?? []).forEach((entry, i) => {
    const at = `${path}.${side}Entities[${i}]`;
    const text = reader.string(entry, at);
    if (text === undefined) return;
    if (CILIUM_ENTITIES.includes(text as CiliumEntity)) entities.push(text as CiliumEntity);
    else reader.errors.push({ field: at, message: `Unsupported value: "${text}": not an entity` });
  });
  const cidrs: CiliumCidr[] = [];
  (list(`${side}CIDR`) ?? []).forEach((entry, i) => {
    const cidr = readCidr(reader, entry, `${path}.${side}CIDR[${i}]`);
    if (cidr) cidrs.push({ cidr, except: [] });
  });
  const unsupported = UNSUPPORTED_PEERS[direction].filter((key) => raw[key] !== undefined);
  const requires = CILIUM_REQUIRES_FIELDS[direction];
  if (requiresSomething(raw[requires])) unsupported.push(requires);
  (list(`${side}CIDRSet`) ?? []).forEach((entry, i) => {
    const at = `${path}.${side}CIDRSet[${i}]`;
    const set = reader.record(entry, at) ?? {};
    if (set.cidr === undefined) {
      if (set.cidrGroupRef !== undefined || set.cidrGroupSelector !== undefined)
        unsupported.push(`${side}CIDRSet.cidrGroupRef`);
      return;
    }
    const cidr = readCidr(reader, set.cidr, `${at}.cidr`);
    const except = (reader.array(set.except, `${at}.except`) ?? []).flatMap(
      (e, j) => readCidr(reader, e, `${at}.except[${j}]`) ?? [],
    );
    if (cidr) cidrs.push({ cidr, except });
  });
  // Cilium resolves toServices in egress rules alone: `processRule` (pkg/policy/k8s/service.go,
  // v1.16.0 to v1.20.2) walks `rule.Egress`, so an egressDeny rule keeps them unresolved, and
  // what the policy repository then makes of it is not modelled.
  const denyServices = deny && Array.isArray(raw.toServices) && raw.toServices.length > 0;
  if (denyServices) unsupported.push('egressDeny toServices');
  const services: CiliumServiceRef[] =
    direction === 'ingress' || denyServices
      ? []
      : (list('toServices') ?? []).flatMap((entry, i): CiliumServiceRef[] => {
          const at = `${path}.toServices[${i}]`;
          const service = reader.record(entry, at) ?? {};
          const byName = reader.record(service.k8sService, `${at}.k8sService`);
          if (byName) {
            const name = reader.string(byName.serviceName, `${at}.k8sService.serviceName`) ?? '';
            const ns = reader.string(byName.namespace, `${at}.k8sService.namespace`);
            return [{ kind: 'name', name, namespace: ns ?? namespace ?? 'default' }];
          }
          const bySelector = reader.record(service.k8sServiceSelector, `${at}.k8sServiceSelector`);
          if (!bySelector) return [];
          const ns =
            reader.string(bySelector.namespace, `${at}.k8sServiceSelector.namespace`) ?? namespace;
          const selector = readLabelSelector(
            reader,
            bySelector.selector,
            `${at}.k8sServiceSelector.selector`,
          );
          return [{ kind: 'selector', selector, ...(ns ? { namespace: ns } : {}) }];
        });
  const fqdns =
    direction === 'ingress'
      ? []
      : (list('toFQDNs') ?? []).flatMap((entry, i) => {
          const fqdn = reader.record(entry, `${path}.toFQDNs[${i}]`) ?? {};
          const name = fqdn.matchName ?? fqdn.matchPattern;
          return typeof name === 'string' ? [name.replace(/\.$/, '')] : [];
        });
  const portRules = (list('toPorts') ?? []).map((entry, i) =>
    readPortRule(reader, entry, `${path}.toPorts[${i}]`),
  );
  const peerKeys = [`${side}Endpoints`, `${side}Entities`, `${side}CIDR`, `${side}CIDRSet`];
  if (direction === 'egress') peerKeys.push('toServices', 'toFQDNs');
  return {
    index,
    endpoints,
    entities,
    cidrs,
    services,
    fqdns,
    ports: portRules.map((entry) => entry.rule),
    hasPeers: [...peerKeys, ...UNSUPPORTED_PEERS[direction]].some((key) => raw[key] !== undefined),
    icmps: Array.isArray(raw.icmps) && raw.icmps.length > 0,
    namesSctp: portRules.some((entry) => entry.namesSctp),
    unsupported,
    shapes: ruleShapes(reader, raw, path, direction, deny),
  };
}

function readSpec(
  reader: ShapeReader,
  value: unknown,
  path: string,
  namespace: string | undefined,
): CiliumPolicySpec {
  const raw = reader.record(value, path) ?? {};
  const rules = (key: string, direction: Direction) => {
    const entries = reader.array(raw[key], `${path}.${key}`);
    if (entries === undefined) return {};
    const deny = key.endsWith('Deny');
    return {
      [key]: entries.map((entry, i) =>
        readRule(reader, entry, `${path}.${key}[${i}]`, i, direction, deny, namespace),
      ),
    };
  };
  const hasNodeSelector = raw.nodeSelector !== undefined && raw.nodeSelector !== null;
  if (raw.endpointSelector === undefined && !hasNodeSelector) {
    reader.errors.push({
      field: `${path}.endpointSelector`,
      message: 'Required value: an endpointSelector or a nodeSelector',
    });
  }
  const defaults = reader.record(raw.enableDefaultDeny, `${path}.enableDefaultDeny`) ?? {};
  const flag = (key: Direction) =>
    defaults[key] === undefined
      ? {}
      : { [key]: reader.boolean(defaults[key], `${path}.enableDefaultDeny.${key}`) };
  return {
    // Cilium sets `k8s:io.kubernetes.pod.namespace` of a CiliumNetworkPolicy's endpointSelector
    // to the policy's namespace, replacing a value written there (pkg/k8s/apis/cilium.io/utils,
    // ParseToCiliumRule: "EndpointSelector always applies in namespace of the policy resource,
    // removing illegal namespace match"); the namespace check of the subject does the same.
    endpointSelector: endpointSelector(
      reader,
      raw.endpointSelector,
      `${path}.endpointSelector`,
      namespace === undefined ? undefined : `k8s:${CILIUM_NAMESPACE_LABEL}`,
    ),
    ...(hasNodeSelector
      ? { nodeSelector: readLabelSelector(reader, raw.nodeSelector, `${path}.nodeSelector`) }
      : {}),
    ...rules('ingress', 'ingress'),
    ...rules('egress', 'egress'),
    ...rules('ingressDeny', 'ingress'),
    ...rules('egressDeny', 'egress'),
    enableDefaultDeny: { ...flag('ingress'), ...flag('egress') },
  };
}

/**
 * Reads a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy (its `spec`, its `specs`, or
 * both); a policy with errors is returned only with its errors.
 */
export function readCiliumPolicy(
  object: Record<string, unknown>,
  kind: CiliumPolicyKind,
  name: string,
  namespace: string,
): { policy?: CiliumPolicy; errors: FieldError[] } {
  const reader = new ShapeReader();
  const scope = kind === 'CiliumNetworkPolicy' ? namespace : undefined;
  const specs: CiliumPolicySpec[] = [];
  if (object.spec !== undefined && object.spec !== null)
    specs.push(readSpec(reader, object.spec, 'spec', scope));
  (reader.array(object.specs, 'specs') ?? []).forEach((entry, i) => {
    specs.push(readSpec(reader, entry, `specs[${i}]`, scope));
  });
  if (specs.length === 0)
    reader.errors.push({ field: 'spec', message: 'Required value: a spec or specs' });
  if (reader.errors.length > 0) return { errors: reader.errors };
  return {
    policy: { kind, ...(scope !== undefined ? { namespace: scope } : {}), name, specs },
    errors: [],
  };
}

/** The ConfigMap holding Cilium's agent configuration. */
export const CILIUM_CONFIG_NAME = CILIUM_CONFIG.name;

const ENFORCEMENT_MODES: readonly CiliumEnforcement[] = ['default', 'always', 'never'];

/**
 * The words Go's strconv.ParseBool takes, which is how the agent reads a boolean option such as
 * `enable-sctp` from its ConfigMap.
 */
const GO_BOOLEANS: Readonly<Record<string, boolean>> = Object.fromEntries([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((word) => [word, true]),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((word) => [word, false]),
]);

/**
 * Reads a boolean option of cilium-config as the agent does; undefined when absent (the agent's
 * default holds). A word Go refuses is an error.
 */
function readGoBoolean(
  reader: ShapeReader,
  data: Record<string, unknown>,
  key: string,
): boolean | undefined {
  const word = reader.string(data[key], `data.${key}`);
  if (word === undefined) return undefined;
  const value = GO_BOOLEANS[word];
  if (value === undefined) {
    reader.errors.push({
      field: `data.${key}`,
      message: `Unsupported value: "${word}": must be true or false`,
    });
  }
  return value === true;
}

const LOAD_BALANCER_MODES: readonly CiliumLoadBalancerMode[] = ['snat', 'dsr', 'hybrid'];

/**
 * Whether cilium-config turns the kube-proxy replacement fully on: a Go boolean from 1.20 (a
 * boolean flag, pkg/kpr/kpr.go, v1.20.2), "true" from 1.14 (daemon/cmd/kube_proxy_replacement.go,
 * v1.16.19), "strict" before (v1.13.0); undefined for any other word or none.
 */
function readKubeProxyReplacement(
  reader: ShapeReader,
  data: Record<string, unknown>,
): true | undefined {
  const word = reader.string(data['kube-proxy-replacement'], 'data.kube-proxy-replacement');
  return word === 'strict' || (word !== undefined && GO_BOOLEANS[word] === true) || undefined;
}

/**
 * The load balancer mode cilium-config sets: `node-port-mode` overrides `bpf-lb-mode` when
 * written (populateLoadBalancerSettings, pkg/option/config.go, v1.16.19); undefined when neither
 * is, or for a word the agent refuses (it does not start: "Invalid value for --bpf-lb-mode").
 */
function readLoadBalancerMode(
  reader: ShapeReader,
  data: Record<string, unknown>,
): CiliumLoadBalancerMode | undefined {
  const word =
    reader.string(data['node-port-mode'], 'data.node-port-mode') ??
    reader.string(data['bpf-lb-mode'], 'data.bpf-lb-mode');
  return LOAD_BALANCER_MODES.find((mode) => mode === word);
}

/**
 * Whether cilium-config's `policy-cidr-match-mode` names `nodes`: a list the agent reads as a
 * string slice (Helm's `policyCIDRMatchMode: [nodes]` writes "nodes"), its words split on
 * blanks or commas here; undefined when absent or empty (the agent's default).
 */
function readCidrMatchNodes(reader: ShapeReader, data: Record<string, unknown>): true | undefined {
  const words = reader.string(data['policy-cidr-match-mode'], 'data.policy-cidr-match-mode');
  return words?.split(/[\s,]+/).includes('nodes') || undefined;
}

/**
 * Reads from cilium-config the policy enforcement mode (`enable-policy`, "default" when absent),
 * whether SCTP passes (`enable-sctp`) and whether ClusterNetworkPolicy is on
 * (`enable-k8s-cluster-network-policy`), both off when absent, and, left undefined when absent
 * (the engine knows their defaults), whether ICMP rules are accepted (`enable-icmp-rules`),
 * terminating endpoints kept (`enable-k8s-terminating-endpoint`), the high-scale ipcache on
 * (`enable-high-scale-ipcache`) and NetworkPolicies enforced (`enable-k8s-networkpolicy`), and
 * how its load balancer treats outside clients (`kube-proxy-replacement`, `bpf-lb-mode`,
 * `bpf-lb-mode-annotation`) and whether CIDR selectors match nodes (`policy-cidr-match-mode`); no
 * other key is kept.
 */
export function readCiliumConfig(object: Record<string, unknown>): {
  config?: CiliumConfig;
  errors: FieldError[];
} {
  const reader = new ShapeReader();
  const data = reader.record(object.data, 'data') ?? {};
  const mode = reader.string(data['enable-policy'], 'data.enable-policy') ?? 'default';
  if (!ENFORCEMENT_MODES.includes(mode as CiliumEnforcement)) {
    reader.errors.push({
      field: 'data.enable-policy',
      message: `Unsupported value: "${mode}": must be default, always or never`,
    });
  }
  const sctp = readGoBoolean(reader, data, 'enable-sctp') ?? false;
  const clusterNetworkPolicy =
    readGoBoolean(reader, data, 'enable-k8s-cluster-network-policy') ?? false;
  const icmpRules = readGoBoolean(reader, data, 'enable-icmp-rules');
  const terminatingEndpoints = readGoBoolean(reader, data, 'enable-k8s-terminating-endpoint');
  const highScaleIpcache = readGoBoolean(reader, data, 'enable-high-scale-ipcache');
  const k8sNetworkPolicy = readGoBoolean(reader, data, 'enable-k8s-networkpolicy');
  const kubeProxyReplacement = readKubeProxyReplacement(reader, data);
  const loadBalancerMode = readLoadBalancerMode(reader, data);
  const loadBalancerModeAnnotation = readGoBoolean(reader, data, 'bpf-lb-mode-annotation');
  const cidrMatchNodes = readCidrMatchNodes(reader, data);
  if (reader.errors.length > 0) return { errors: reader.errors };
  return {
    config: {
      enforcement: mode as CiliumEnforcement,
      sctp,
      clusterNetworkPolicy,
      ...(icmpRules !== undefined ? { icmpRules } : {}),
      ...(terminatingEndpoints !== undefined ? { terminatingEndpoints } : {}),
      ...(highScaleIpcache !== undefined ? { highScaleIpcache } : {}),
      ...(k8sNetworkPolicy !== undefined ? { k8sNetworkPolicy } : {}),
      ...(kubeProxyReplacement ? { kubeProxyReplacement } : {}),
      ...(loadBalancerMode ? { loadBalancerMode } : {}),
      ...(loadBalancerModeAnnotation !== undefined ? { loadBalancerModeAnnotation } : {}),
      ...(cidrMatchNodes ? { cidrMatchNodes } : {}),
    },
    errors: [],
  };
}
