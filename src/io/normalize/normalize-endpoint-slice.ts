import {
  type EndpointSlice,
  type EndpointSliceEndpoint,
  type EndpointSlicePort,
  type FieldError,
  type Protocol,
  SERVICE_NAME_LABEL,
} from '../../engine/index.js';
import { ShapeReader } from './shape.js';

function readPorts(reader: ShapeReader, value: unknown, field = 'ports'): EndpointSlicePort[] {
  return (reader.array(value, field) ?? []).flatMap((entry, i) => {
    const at = `${field}[${i}]`;
    const raw = reader.record(entry, at) ?? {};
    const port = reader.integer(raw.port, `${at}.port`);
    const name = reader.string(raw.name, `${at}.name`) ?? '';
    const protocol = (reader.string(raw.protocol, `${at}.protocol`) ?? 'TCP') as Protocol;
    // A port left out means "not restricted" to its consumer: no port a check can use.
    return port === undefined ? [] : [{ name, port, protocol }];
  });
}

/** A condition as kube-proxy reads it: `absent` when not written. */
function readCondition(reader: ShapeReader, value: unknown, at: string, absent: boolean): boolean {
  return value === undefined || value === null ? absent : reader.boolean(value, at);
}

function readEndpointList(reader: ShapeReader, value: unknown): EndpointSliceEndpoint[] {
  return (reader.array(value, 'endpoints') ?? []).map((entry, i) => {
    const at = `endpoints[${i}]`;
    const endpoint = reader.record(entry, at) ?? {};
    const conditions = reader.record(endpoint.conditions, `${at}.conditions`) ?? {};
    const condition = (name: string, absent: boolean) =>
      readCondition(reader, conditions[name], `${at}.conditions.${name}`, absent);
    const nodeName = reader.string(endpoint.nodeName, `${at}.nodeName`);
    const hints = reader.record(endpoint.hints, `${at}.hints`) ?? {};
    const hinted = ['forZones', 'forNodes'].some(
      (field) => (reader.array(hints[field], `${at}.hints.${field}`) ?? []).length > 0,
    );
    return {
      addresses: reader.stringList(endpoint.addresses, `${at}.addresses`),
      ready: condition('ready', true),
      serving: condition('serving', true),
      terminating: condition('terminating', false),
      ...(nodeName ? { nodeName } : {}),
      ...(hinted ? { hinted: true as const } : {}),
    };
  });
}

/** Reads a discovery.k8s.io EndpointSlice: its Service, addresses and ports. */
export function readEndpointSlice(
  object: Record<string, unknown>,
  name: string,
  namespace: string,
): { slice?: EndpointSlice; errors: FieldError[] } {
  const reader = new ShapeReader();
  const metadata = reader.record(object.metadata, 'metadata') ?? {};
  const labels = reader.stringMap(metadata.labels, 'metadata.labels');
  const service = labels[SERVICE_NAME_LABEL];
  const slice: EndpointSlice = {
    namespace,
    name,
    ...(service ? { service } : {}),
    endpoints: readEndpointList(reader, object.endpoints),
    ports: readPorts(reader, object.ports),
  };
  return reader.errors.length > 0 ? { errors: reader.errors } : { slice, errors: [] };
}

/**
 * The endpoints an Endpoints subset's address list is mirrored to: one per address, with only
 * `ready` written (kubernetes/kubernetes pkg/controller/endpointslicemirroring/utils.go@v1.31.0,
 * addressToEndpoint), so serving and not terminating as kube-proxy reads them.
 */
function readSubsetAddresses(
  reader: ShapeReader,
  value: unknown,
  field: string,
  ready: boolean,
): EndpointSliceEndpoint[] {
  return (reader.array(value, field) ?? []).flatMap((a, j) => {
    const address = reader.record(a, `${field}[${j}]`) ?? {};
    const ip = reader.string(address.ip, `${field}[${j}].ip`);
    return ip === undefined ? [] : [{ addresses: [ip], ready, serving: true, terminating: false }];
  });
}

/** The label that keeps the mirroring controller from mirroring an Endpoints object. */
const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';

/**
 * Reads a v1 Endpoints object as the EndpointSlices the control plane mirrors it to, one per
 * subset (its addresses, ready or not, and its ports); none when labelled skip-mirror. Whether
 * its Service lets it be mirrored (no selector) is the caller's to judge. Source: "EndpointSlice mirroring",
 * kubernetes.io/docs/concepts/services-networking/endpoint-slices/.
 */
export function readEndpoints(
  object: Record<string, unknown>,
  name: string,
  namespace: string,
): { slices?: EndpointSlice[]; errors: FieldError[] } {
  const reader = new ShapeReader();
  const metadata = reader.record(object.metadata, 'metadata') ?? {};
  const labels = reader.stringMap(metadata.labels, 'metadata.labels');
  const slices = (reader.array(object.subsets, 'subsets') ?? []).map((entry, i) => {
    const at = `subsets[${i}]`;
    const subset = reader.record(entry, at) ?? {};
    const endpoints = [
      ...readSubsetAddresses(reader, subset.addresses, `${at}.addresses`, true),
      ...readSubsetAddresses(reader, subset.notReadyAddresses, `${at}.notReadyAddresses`, false),
    ];
    const ports = readPorts(reader, subset.ports, `${at}.ports`);
    const slice: EndpointSlice = {
      namespace,
      name: `${name}-mirror-${i + 1}`,
      service: name,
      endpoints,
      ports,
    };
    return slice;
  });
  if (reader.errors.length > 0) return { errors: reader.errors };
  return { slices: labels[SKIP_MIRROR_LABEL] === 'true' ? [] : slices, errors: [] };
}
