import {
  type EndpointSlice,
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

function readAddresses(reader: ShapeReader, value: unknown): string[] {
  return (reader.array(value, 'endpoints') ?? []).flatMap((entry, i) => {
    const endpoint = reader.record(entry, `endpoints[${i}]`) ?? {};
    return reader.stringList(endpoint.addresses, `endpoints[${i}].addresses`);
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
    addresses: readAddresses(reader, object.endpoints),
    ports: readPorts(reader, object.ports),
  };
  return reader.errors.length > 0 ? { errors: reader.errors } : { slice, errors: [] };
}

/** The label that keeps the mirroring controller from mirroring an Endpoints object. */
const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';

/**
 * Reads a v1 Endpoints object as the EndpointSlices the control plane mirrors it to, one per
 * subset (its ready addresses and its ports); none when labelled skip-mirror. Whether its Service
 * lets it be mirrored (no selector) is the caller's to judge. Source: "EndpointSlice mirroring",
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
    const addresses = (reader.array(subset.addresses, `${at}.addresses`) ?? []).flatMap((a, j) => {
      const address = reader.record(a, `${at}.addresses[${j}]`) ?? {};
      return reader.string(address.ip, `${at}.addresses[${j}].ip`) ?? [];
    });
    const ports = readPorts(reader, subset.ports, `${at}.ports`);
    const slice: EndpointSlice = {
      namespace,
      name: `${name}-mirror-${i + 1}`,
      service: name,
      addresses,
      ports,
    };
    return slice;
  });
  if (reader.errors.length > 0) return { errors: reader.errors };
  return { slices: labels[SKIP_MIRROR_LABEL] === 'true' ? [] : slices, errors: [] };
}
