import {
  type EndpointSlice,
  type EndpointSlicePort,
  type FieldError,
  type Protocol,
  SERVICE_NAME_LABEL,
} from '../../engine/index.js';
import { ShapeReader } from './shape.js';

function readPorts(reader: ShapeReader, value: unknown): EndpointSlicePort[] {
  return (reader.array(value, 'ports') ?? []).flatMap((entry, i) => {
    const at = `ports[${i}]`;
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
