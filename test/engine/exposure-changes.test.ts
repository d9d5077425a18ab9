/** exposureChanges: the pods whose connections with an explained pod differ between two exposures. */
import { describe, expect, it } from 'vitest';
import type { PodExposure, ReachablePod } from '../../src/engine/index.js';
import { exposureChanges } from '../../src/engine/index.js';
import { EMPTY_PORT_SET, FULL_PORT_SET, portSetOf } from '../../src/engine/primitives/port-set.js';

const dns = portSetOf('UDP', 53, 53);

function exposure(ingress: ReachablePod[], egress: ReachablePod[]): PodExposure {
  const side = (direction: 'ingress' | 'egress', pods: ReachablePod[]) => ({
    direction,
    restriction: { kind: 'unrestricted', reason: 'no-policy' } as const,
    grants: [],
    pods,
  });
  return {
    pod: {
      id: 'x/a',
      namespace: 'x',
      name: 'a',
      kind: 'Pod',
      labels: {},
      ips: [],
      hostNetwork: false,
      ports: [],
    },
    ingress: side('ingress', ingress),
    egress: side('egress', egress),
  };
}

describe('exposureChanges', () => {
  it('lists pods lost, narrowed and gained, and leaves out those unchanged', () => {
    const before = exposure(
      [{ pod: 'x/b', connections: FULL_PORT_SET }],
      [
        { pod: 'x/c', connections: FULL_PORT_SET },
        { pod: 'x/d', connections: dns },
      ],
    );
    const after = exposure(
      [{ pod: 'x/b', connections: FULL_PORT_SET }],
      [
        { pod: 'x/c', connections: dns },
        { pod: 'x/d', connections: dns },
        { pod: 'x/e', connections: dns },
      ],
    );
    expect(exposureChanges(before, after)).toEqual({
      ingress: [],
      egress: [
        {
          pod: 'x/c',
          before: { pod: 'x/c', connections: FULL_PORT_SET },
          after: { pod: 'x/c', connections: dns },
        },
        { pod: 'x/e', after: { pod: 'x/e', connections: dns } },
      ],
    });
    expect(exposureChanges(after, before).egress.find((c) => c.pod === 'x/e')).toEqual({
      pod: 'x/e',
      before: { pod: 'x/e', connections: dns },
    });
  });

  it('counts a change in what is UNKNOWN as a change', () => {
    const sure = exposure([{ pod: 'x/b', connections: dns }], []);
    const unsure = exposure([{ pod: 'x/b', connections: dns, undecided: true, unknown: dns }], []);
    expect(exposureChanges(sure, unsure).ingress.map((c) => c.pod)).toEqual(['x/b']);
  });

  it('counts a change in what one IP family allows as a change', () => {
    const families = (ipv4: typeof dns) => ({
      IPv4: { connections: ipv4 },
      IPv6: { connections: EMPTY_PORT_SET },
    });
    const reached = (ipv4: typeof dns) => ({
      pod: 'x/b',
      connections: EMPTY_PORT_SET,
      families: families(ipv4),
    });
    const narrow = exposure([reached(dns)], []);
    const wide = exposure([reached(FULL_PORT_SET)], []);
    expect(exposureChanges(narrow, wide).ingress.map((c) => c.pod)).toEqual(['x/b']);
    expect(exposureChanges(narrow, exposure([reached(dns)], [])).ingress).toEqual([]);
  });
});
