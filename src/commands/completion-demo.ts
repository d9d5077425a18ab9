// The demo's names for completion. Reading the demo (its YAML parsed, normalised and compiled)
// took most of a `__complete check --demo ''`, yet its names are the same at every run: the
// bundle carries what the candidate lists read of each variant, made when it is built.
import type { CandidateSource, Namespace, Pod, Service } from '../engine/index.js';
import { DEMO_VARIANTS, type DemoVariant } from '../io/demo/demo-variants.js';

/** A CandidateSource as JSON carries it: each map as its entries. */
export interface CandidateSourceJson {
  readonly namespaces: readonly (readonly [string, Namespace])[];
  readonly pods: readonly Pod[];
  readonly podsByNamespace: readonly (readonly [string, readonly number[]])[];
  readonly services: readonly (readonly [string, Service])[];
  readonly cluster: CandidateSource['cluster'];
}

// The bundle defines this as JSON text (esbuild `define`, scripts/release/bundle.ts); a build by
// tsc has none.
declare const KUBECTL_NETPOL_DEMO_NAMES: string | undefined;

/** What the candidate lists read of `source`, as JSON: of its policies only their names. */
export function candidateSourceJson(source: CandidateSource): CandidateSourceJson {
  const { policies, clusterPolicies, workloads } = source.cluster;
  return {
    namespaces: [...source.namespaces],
    pods: source.pods,
    podsByNamespace: [...source.podsByNamespace],
    services: [...source.services],
    cluster: {
      policies: policies.map(({ namespace, name, podSelector }) => ({
        namespace,
        name,
        podSelector,
      })),
      ...(clusterPolicies && {
        clusterPolicies: clusterPolicies.map(({ kind, name, tier, priority }) => ({
          kind,
          name,
          tier,
          priority,
        })),
      }),
      ...(workloads && { workloads }),
    },
  };
}

/** The CandidateSource that candidateSourceJson wrote. */
export function candidateSourceFromJson(json: CandidateSourceJson): CandidateSource {
  return {
    namespaces: new Map(json.namespaces),
    pods: json.pods,
    podsByNamespace: new Map(json.podsByNamespace),
    services: new Map(json.services),
    cluster: json.cluster,
  };
}

/** A demo variant's names, read and compiled now. */
async function readDemoNames(variant: DemoVariant): Promise<CandidateSourceJson> {
  const [{ loadDemo }, { compileCluster }] = await Promise.all([
    import('../io/load-input.js'),
    import('../engine/index.js'),
  ]);
  return candidateSourceJson(compileCluster(loadDemo(variant).cluster));
}

/** Every demo variant's names, read and compiled now: what the bundle carries. */
export async function demoCandidateSources(): Promise<Record<DemoVariant, CandidateSourceJson>> {
  const sources = DEMO_VARIANTS.map(async (variant) => [variant, await readDemoNames(variant)]);
  return Object.fromEntries(await Promise.all(sources));
}

/** A demo variant's names: the bundle's, else (a tsc build, tests) read and compiled now. */
export async function demoCandidateSource(variant: DemoVariant): Promise<CandidateSource> {
  return candidateSourceFromJson(
    typeof KUBECTL_NETPOL_DEMO_NAMES !== 'undefined'
      ? (JSON.parse(KUBECTL_NETPOL_DEMO_NAMES) as Record<DemoVariant, CandidateSourceJson>)[variant]
      : await readDemoNames(variant),
  );
}
