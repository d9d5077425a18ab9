import type { Pod, PolicyPort, Protocol } from '../model/types.js';

/** Gives the container port a policy's named port resolves to on one destination, if any. */
export type PortResolver = (name: string, protocol: Protocol) => number | undefined;

/** The named ports that policies use, resolved once on every pod. */
export interface NamedPortResolution {
  /** Per pod index, a number equal for pods on which every used name resolves alike. */
  readonly signatures: Int32Array;
  /** Per pod index, the resolver of its named ports. */
  readonly resolvers: readonly PortResolver[];
}

/** Resolves nothing: a destination outside the cluster has no named ports. */
export const NO_NAMED_PORTS: PortResolver = () => undefined;

const nameKey = (name: string, protocol: Protocol) => `${name}/${protocol}`;

/** Resolves every named port used by the rules (of any tier) on every pod, once. */
export function resolveNamedPorts(
  pods: readonly Pod[],
  rules: readonly { readonly ports: readonly PolicyPort[] }[],
): NamedPortResolution {
  const used = new Set<string>();
  for (const rule of rules) {
    for (const port of rule.ports) {
      if (typeof port.port === 'string') used.add(nameKey(port.port, port.protocol));
    }
  }
  // One resolver per distinct resolution (pods of a workload share theirs), by its key.
  const resolverOf = new Map<string, { signature: number; resolver: PortResolver }>();
  const signatures = new Int32Array(pods.length);
  const byName = new Map<string, number>();
  const resolvers = pods.map((pod, podIdx) => {
    // The numbers this pod gives to the policies' named ports (the first declaration of a name
    // wins, as the API server resolves it): pods without any (most) share "nothing resolves".
    byName.clear();
    let key = '';
    for (const port of pod.ports) {
      if (port.name === undefined) continue;
      const name = nameKey(port.name, port.protocol);
      if (!used.has(name) || byName.has(name)) continue;
      byName.set(name, port.port);
      key += `${name}=${port.port};`;
    }
    let known = resolverOf.get(key);
    if (known === undefined) {
      known = { signature: resolverOf.size, resolver: resolverFor(new Map(byName)) };
      resolverOf.set(key, known);
    }
    signatures[podIdx] = known.signature;
    return known.resolver;
  });
  return { signatures, resolvers };
}

/** Gives the numbers of `byName` (by `name/protocol`); nothing when it is empty. */
function resolverFor(byName: ReadonlyMap<string, number>): PortResolver {
  return byName.size === 0
    ? NO_NAMED_PORTS
    : (name: string, protocol: Protocol) => byName.get(nameKey(name, protocol));
}
