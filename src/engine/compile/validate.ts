import {
  type IpBlock,
  type LabelSelector,
  type NetworkPolicy,
  type PolicyPeer,
  type PolicyPort,
  type PolicyRule,
  PROTOCOLS,
} from '../model/types.js';
import { nonCanonicalCidrErrors, parseCidr } from '../primitives/ip-block.js';
import {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelKeyErrors,
  labelValueErrors,
  portNameErrors,
} from '../primitives/names.js';
import { MAX_PORT, MIN_PORT } from '../primitives/port-set.js';

/** A rejected field, worded like the API server's field errors. */
export interface FieldError {
  /** JSON path of the field, such as spec.ingress[0].from[1].ipBlock.cidr. */
  readonly field: string;
  readonly message: string;
}

const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function invalid(field: string, value: unknown, reason: string): FieldError {
  return { field, message: `Invalid value: ${JSON.stringify(value)}: ${reason}` };
}

/** Checks a label selector as the API server does. */
export function validateLabelSelector(selector: LabelSelector, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    for (const e of labelKeyErrors(key)) errors.push(invalid(`${path}.matchLabels`, key, e));
    for (const e of labelValueErrors(value)) errors.push(invalid(`${path}.matchLabels`, value, e));
  }
  selector.matchExpressions.forEach((req, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    for (const e of labelKeyErrors(req.key)) errors.push(invalid(`${at}.key`, req.key, e));
    if (!SELECTOR_OPERATORS.includes(req.operator)) {
      errors.push({
        field: `${at}.operator`,
        message: `Unsupported value: ${JSON.stringify(req.operator)}: supported values: "In", "NotIn", "Exists", "DoesNotExist"`,
      });
    } else if ((req.operator === 'In' || req.operator === 'NotIn') && req.values.length === 0) {
      errors.push({
        field: `${at}.values`,
        message: "Required value: must be specified when `operator` is 'In' or 'NotIn'",
      });
    } else if (
      (req.operator === 'Exists' || req.operator === 'DoesNotExist') &&
      req.values.length > 0
    ) {
      errors.push({
        field: `${at}.values`,
        message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      });
    }
    req.values.forEach((value, j) => {
      for (const e of labelValueErrors(value)) errors.push(invalid(`${at}.values[${j}]`, value, e));
    });
  });
  return errors;
}

/** How strict validation is. */
export interface ValidationOptions {
  /**
   * Require canonical CIDRs, as the API server does for new objects. Off when reading what a
   * cluster already stores: older API servers accepted host bits and leading zeros.
   */
  readonly strictCidrs?: boolean;
}

function validateCidr(cidr: string, field: string, options: ValidationOptions): FieldError[] {
  if (!parseCidr(cidr)) {
    return [
      invalid(field, cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'),
    ];
  }
  return options.strictCidrs
    ? nonCanonicalCidrErrors(cidr).map((e) => invalid(field, cidr, e))
    : [];
}

/** Checks an ipBlock: valid CIDRs, each except strictly inside the cidr. */
export function validateIpBlock(
  block: IpBlock,
  path: string,
  options: ValidationOptions = {},
): FieldError[] {
  if (block.cidr === '') return [{ field: `${path}.cidr`, message: 'Required value' }];
  const errors = validateCidr(block.cidr, `${path}.cidr`, options);
  const range = parseCidr(block.cidr);
  block.except.forEach((except, i) => {
    const field = `${path}.except[${i}]`;
    const exceptErrors = validateCidr(except, field, options);
    errors.push(...exceptErrors);
    const inner = parseCidr(except);
    if (!range || !inner) return;
    const inside =
      inner.family === range.family && inner.first >= range.first && inner.last <= range.last;
    if (!inside || inner.prefixLength <= range.prefixLength) {
      errors.push(invalid(field, except, 'must be a strict subset of `cidr`'));
    }
  });
  return errors;
}

function validatePeer(peer: PolicyPeer, path: string, options: ValidationOptions): FieldError[] {
  const errors: FieldError[] = [];
  if (peer.podSelector)
    errors.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  if (peer.namespaceSelector) {
    errors.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (peer.ipBlock) errors.push(...validateIpBlock(peer.ipBlock, `${path}.ipBlock`, options));
  const kinds = [peer.podSelector, peer.namespaceSelector, peer.ipBlock].filter(Boolean).length;
  if (kinds === 0) errors.push({ field: path, message: 'Required value: must specify a peer' });
  else if (kinds > 1 && peer.ipBlock) {
    errors.push({
      field: path,
      message: 'Forbidden: may not specify both ipBlock and another peer',
    });
  }
  return errors;
}

function validatePortNumber(value: number, field: string): FieldError[] {
  return Number.isInteger(value) && value >= MIN_PORT && value <= MAX_PORT
    ? []
    : [invalid(field, value, 'must be between 1 and 65535, inclusive')];
}

/** Checks a NetworkPolicyPort: protocol, port number or name, endPort. */
export function validatePolicyPort(port: PolicyPort, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!PROTOCOLS.includes(port.protocol)) {
    errors.push({
      field: `${path}.protocol`,
      message: `Unsupported value: ${JSON.stringify(port.protocol)}: supported values: "SCTP", "TCP", "UDP"`,
    });
  }
  if (typeof port.port === 'number') errors.push(...validatePortNumber(port.port, `${path}.port`));
  else if (typeof port.port === 'string') {
    for (const e of portNameErrors(port.port)) errors.push(invalid(`${path}.port`, port.port, e));
  }
  if (port.endPort !== undefined) {
    const field = `${path}.endPort`;
    if (port.port === undefined) {
      errors.push(
        invalid(field, port.endPort, 'may not be specified when `port` is not specified'),
      );
    } else if (typeof port.port === 'string') {
      errors.push(invalid(field, port.endPort, 'may not be specified when `port` is non-numeric'));
    } else if (port.endPort < port.port) {
      errors.push(invalid(field, port.endPort, 'must be greater than or equal to `port`'));
    } else errors.push(...validatePortNumber(port.endPort, field));
  }
  return errors;
}

function validateRules(
  rules: readonly PolicyRule[],
  path: string,
  peersField: string,
  options: ValidationOptions,
): FieldError[] {
  return rules.flatMap((rule, i) => [
    ...rule.ports.flatMap((port, j) => validatePolicyPort(port, `${path}[${i}].ports[${j}]`)),
    ...rule.peers.flatMap((peer, j) =>
      validatePeer(peer, `${path}[${i}].${peersField}[${j}]`, options),
    ),
  ]);
}

/** Checks a NetworkPolicy as strictly as the API server does; empty when valid. */
export function validateNetworkPolicy(
  policy: NetworkPolicy,
  options: ValidationOptions = {},
): FieldError[] {
  const errors: FieldError[] = [];
  for (const e of dns1123SubdomainErrors(policy.name))
    errors.push(invalid('metadata.name', policy.name, e));
  for (const e of dns1123LabelErrors(policy.namespace)) {
    errors.push(invalid('metadata.namespace', policy.namespace, e));
  }
  errors.push(...validateLabelSelector(policy.podSelector, 'spec.podSelector'));
  // One error per rule can be hundreds of thousands: a spread would overflow the stack.
  for (const error of validateRules(policy.ingress, 'spec.ingress', 'from', options))
    errors.push(error);
  for (const error of validateRules(policy.egress, 'spec.egress', 'to', options))
    errors.push(error);
  policy.policyTypes.forEach((type, i) => {
    if (type !== 'Ingress' && type !== 'Egress') {
      errors.push({
        field: `spec.policyTypes[${i}]`,
        message: `Unsupported value: ${JSON.stringify(type)}: supported values: "Egress", "Ingress"`,
      });
    }
  });
  if (policy.policyTypes.length > 2) {
    errors.push(
      invalid('spec.policyTypes', policy.policyTypes, 'may not specify more than two policyTypes'),
    );
  }
  return errors;
}
