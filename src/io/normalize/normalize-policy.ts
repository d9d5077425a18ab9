import type {
  LabelSelector,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  PolicyType,
  Protocol,
  SelectorOperator,
} from '../../engine/index.js';
import { type FieldError, validateNetworkPolicy } from '../../engine/index.js';
import { ShapeReader } from './shape.js';

/** Reads a metav1.LabelSelector. */
export function readLabelSelector(
  reader: ShapeReader,
  value: unknown,
  path: string,
): LabelSelector {
  const raw = reader.record(value, path) ?? {};
  const matchExpressions = (
    reader.array(raw.matchExpressions, `${path}.matchExpressions`) ?? []
  ).map((entry, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    const requirement = reader.record(entry, at) ?? {};
    return {
      key: reader.string(requirement.key, `${at}.key`) ?? '',
      operator: (reader.string(requirement.operator, `${at}.operator`) ?? '') as SelectorOperator,
      values: reader.stringList(requirement.values, `${at}.values`),
    };
  });
  return {
    matchLabels: reader.stringMap(raw.matchLabels, `${path}.matchLabels`),
    matchExpressions,
  };
}

function readPeer(reader: ShapeReader, value: unknown, path: string): PolicyPeer {
  const raw = reader.record(value, path) ?? {};
  const present = (key: string) => raw[key] !== undefined && raw[key] !== null;
  const ipBlock = reader.record(raw.ipBlock, `${path}.ipBlock`);
  return {
    ...(present('podSelector')
      ? { podSelector: readLabelSelector(reader, raw.podSelector, `${path}.podSelector`) }
      : {}),
    ...(present('namespaceSelector')
      ? {
          namespaceSelector: readLabelSelector(
            reader,
            raw.namespaceSelector,
            `${path}.namespaceSelector`,
          ),
        }
      : {}),
    ...(ipBlock
      ? {
          ipBlock: {
            cidr: reader.string(ipBlock.cidr, `${path}.ipBlock.cidr`) ?? '',
            except: reader.stringList(ipBlock.except, `${path}.ipBlock.except`),
          },
        }
      : {}),
  };
}

function readPort(reader: ShapeReader, value: unknown, path: string): PolicyPort {
  const raw = reader.record(value, path) ?? {};
  const port = reader.intOrString(raw.port, `${path}.port`);
  const endPort = reader.integer(raw.endPort, `${path}.endPort`);
  return {
    // The API server defaults the protocol to TCP.
    protocol: (reader.string(raw.protocol, `${path}.protocol`) ?? 'TCP') as Protocol,
    ...(port !== undefined ? { port } : {}),
    ...(endPort !== undefined ? { endPort } : {}),
  };
}

function readRules(
  reader: ShapeReader,
  value: unknown,
  path: string,
  peersKey: 'from' | 'to',
): PolicyRule[] {
  return (reader.array(value, path) ?? []).map((entry, i) => {
    const at = `${path}[${i}]`;
    const raw = reader.record(entry, at) ?? {};
    return {
      peers: (reader.array(raw[peersKey], `${at}.${peersKey}`) ?? []).map((peer, j) =>
        readPeer(reader, peer, `${at}.${peersKey}[${j}]`),
      ),
      ports: (reader.array(raw.ports, `${at}.ports`) ?? []).map((port, j) =>
        readPort(reader, port, `${at}.ports[${j}]`),
      ),
    };
  });
}

/**
 * Reads a networking.k8s.io/v1 NetworkPolicy, applies the API server's defaults and validates
 * it as the API server would; a policy with errors is returned only with its errors.
 */
export function readNetworkPolicy(
  object: Record<string, unknown>,
  name: string,
  namespace: string,
): { policy?: NetworkPolicy; errors: FieldError[] } {
  const reader = new ShapeReader();
  const spec = reader.record(object.spec, 'spec') ?? {};
  const ingress = readRules(reader, spec.ingress, 'spec.ingress', 'from');
  const egress = readRules(reader, spec.egress, 'spec.egress', 'to');
  const declaredTypes = reader.stringList(spec.policyTypes, 'spec.policyTypes') as PolicyType[];
  // Defaulting as the API server does: Ingress always, Egress when egress rules exist.
  const policyTypes: PolicyType[] =
    declaredTypes.length > 0
      ? declaredTypes
      : egress.length > 0
        ? ['Ingress', 'Egress']
        : ['Ingress'];
  const policy: NetworkPolicy = {
    namespace,
    name,
    podSelector: readLabelSelector(reader, spec.podSelector, 'spec.podSelector'),
    policyTypes,
    ingress,
    egress,
  };
  const errors = [...reader.errors, ...validateNetworkPolicy(policy)];
  return errors.length > 0 ? { errors } : { policy, errors };
}
