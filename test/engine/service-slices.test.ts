/** The EndpointSlice index compile builds once: every backend look-up of a Service reads it. */
import { describe, expect, it } from 'vitest';
import { slicesOf } from '../../src/engine/compile/service-slices.js';
import { analyseYaml } from '../helpers/load.js';

/** An EndpointSlice, labelled with its Service's name unless `service` is undefined. */
function slice(namespace: string, name: string, service: string | undefined): string {
  const labels = service ? `{kubernetes.io/service-name: ${service}}` : '{}';
  return `---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ${name}, namespace: ${namespace}, labels: ${labels}}
addressType: IPv4
endpoints: [{addresses: [10.0.0.1]}]
ports: [{name: '', port: 80, protocol: TCP}]
`;
}

describe('EndpointSlices by Service', () => {
  it("holds a Service's slices, in input order, by namespace and service-name label", () => {
    const analysis = analyseYaml(
      slice('shop', 'db-2', 'db'),
      slice('other', 'db-x', 'db'),
      slice('shop', 'db-1', 'db'),
      slice('shop', 'loose', undefined),
      slice('shop', 'web-1', 'web'),
    );
    const names = (namespace: string, name: string) =>
      slicesOf(analysis.slicesByService, { namespace, name }).map((s) => s.name);
    expect(names('shop', 'db')).toEqual(['db-2', 'db-1']);
    expect(names('other', 'db')).toEqual(['db-x']);
    expect(names('shop', 'web')).toEqual(['web-1']);
    expect(names('shop', 'loose')).toEqual([]);
  });
});
