import type { EndpointSlice, Service } from '../model/types.js';

/**
 * EndpointSlices by the Service they belong to, `namespace/name`: the namespace they are in and
 * their kubernetes.io/service-name label ("EndpointSlices", kubernetes.io/docs/concepts/
 * services-networking/endpoint-slices/#ownership). Slices without the label belong to none.
 */
export type SlicesByService = ReadonlyMap<string, readonly EndpointSlice[]>;

const NO_SLICES: readonly EndpointSlice[] = [];

/** Indexes EndpointSlices by their Service, in input order, so no look-up scans every slice. */
export function indexSlicesByService(slices: readonly EndpointSlice[]): SlicesByService {
  const byService = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    if (slice.service === undefined) continue;
    const key = `${slice.namespace}/${slice.service}`;
    const list = byService.get(key);
    if (list) list.push(slice);
    else byService.set(key, [slice]);
  }
  return byService;
}

/** The EndpointSlices of a Service in an index (none when it has none). */
export function slicesOf(
  index: SlicesByService,
  service: Pick<Service, 'namespace' | 'name'>,
): readonly EndpointSlice[] {
  return index.get(`${service.namespace}/${service.name}`) ?? NO_SLICES;
}
