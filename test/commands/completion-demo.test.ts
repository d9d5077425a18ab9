import { describe, expect, it } from 'vitest';
import {
  type CandidateSourceJson,
  candidateSourceFromJson,
  demoCandidateSources,
} from '../../src/commands/completion-demo.js';
import {
  compileCluster,
  namespaceCandidates,
  policyCandidates,
  targetCandidates,
} from '../../src/engine/index.js';
import { DEMO_VARIANTS } from '../../src/io/demo/demo-variants.js';
import { loadDemo } from '../../src/io/load-input.js';

/** What is typed, in each namespace: bare words, namespaces, kinds, policies, and misses. */
function typedWords(namespaces: readonly string[]): string[] {
  const kinds = ['svc/', 'svc/a', 'po/', 'pods/', 'deploy/', 'sts/', 'ds/', 'netpol/', 'cnp/'];
  const perNamespace = namespaces.flatMap((ns) => [`${ns}/`, `${ns}/a`, `${ns}/netpol/`]);
  return ['', 'p', 't', 'x', 'x/', ...kinds, ...perNamespace];
}

describe('the demo names the bundle carries', () => {
  it.each(DEMO_VARIANTS)(
    'complete exactly as the compiled %s demo does, after a trip through JSON text',
    async (variant) => {
      const analysis = compileCluster(loadDemo(variant).cluster);
      const all = await demoCandidateSources();
      // What the bundle holds is JSON: maps, undefined fields and classes do not survive.
      const baked = candidateSourceFromJson(
        JSON.parse(JSON.stringify(all[variant])) as CandidateSourceJson,
      );
      const namespaces = namespaceCandidates(analysis).map((candidate) => candidate.text);
      expect(namespaces.length).toBeGreaterThan(5);
      expect(namespaceCandidates(baked)).toEqual(namespaceCandidates(analysis));
      for (const namespace of [...namespaces, 'default', 'missing']) {
        for (const typed of typedWords(namespaces)) {
          const where = `${namespace}: ${typed}`;
          expect(targetCandidates(baked, typed, namespace), where).toEqual(
            targetCandidates(analysis, typed, namespace),
          );
          expect(policyCandidates(baked, typed, namespace), where).toEqual(
            policyCandidates(analysis, typed, namespace),
          );
        }
      }
      // The words reach every kind of candidate: pods, workloads, Services, both policy kinds.
      const offered = new Set(
        namespaces.flatMap((namespace) =>
          typedWords(namespaces).flatMap((typed) => [
            ...targetCandidates(baked, typed, namespace).map((candidate) => candidate.kind),
            ...policyCandidates(baked, typed, namespace).map((candidate) => candidate.kind),
          ]),
        ),
      );
      for (const kind of [
        'pod',
        'Deployment',
        'service',
        'NetworkPolicy',
        'ClusterNetworkPolicy',
      ]) {
        expect(offered).toContain(kind);
      }
    },
  );
});
