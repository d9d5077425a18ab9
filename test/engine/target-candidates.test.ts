import { describe, expect, it } from 'vitest';
import {
  candidateSource,
  commonPrefix,
  compileCluster,
  matchCandidates,
  policyCandidates,
  targetCandidates,
} from '../../src/engine/index.js';
import { DEMO_VARIANTS } from '../../src/io/demo/demo-variants.js';
import { loadDemo } from '../../src/io/load-input.js';

const demo = compileCluster(loadDemo().cluster);
const texts = (typed: string, namespace = 'default') =>
  targetCandidates(demo, typed, namespace).map((candidate) => candidate.text);

describe('targetCandidates', () => {
  it('offers a namespace’s workloads and pods after NAMESPACE/', () => {
    const found = texts('production/');
    expect(found).toContain('production/frontend');
    expect(found).toContain('production/frontend-84c5d9b7f6-hx2lq');
    expect(found.every((text) => text.startsWith('production/'))).toBe(true);
    expect(targetCandidates(demo, 'production/frontend', 'default')[0]).toEqual({
      text: 'production/frontend',
      kind: 'Deployment',
      about: { namespace: 'production', pods: 2 },
    });
  });

  it('offers the services of the namespace after svc/, and workloads after their kind', () => {
    expect(texts('svc/', 'production')).toEqual(['svc/frontend', 'svc/api', 'svc/postgres']);
    expect(texts('svc/a', 'production')).toEqual(['svc/api']);
    expect(texts('deploy/', 'production')).toEqual(['deploy/frontend', 'deploy/api']);
    expect(texts('svc/', 'nowhere')).toEqual([]);
  });

  it('offers namespaces, kinds and the namespace’s own names for a bare word', () => {
    const found = texts('', 'production');
    expect(found).toEqual(expect.arrayContaining(['production/', 'staging/', 'svc/', 'api']));
    expect(texts('sta', 'production')).toEqual(['staging/']);
  });

  it('falls back to names containing the typed text, or matching without the hash', () => {
    expect(texts('production/hx2')).toEqual(['production/frontend-84c5d9b7f6-hx2lq']);
    expect(texts('production/frontend-zq')).toEqual(['production/frontend-84c5d9b7f6-zq8nd']);
    expect(texts('production/nothing-like-it')).toEqual([]);
  });
});

describe('candidateSource', () => {
  it.each(DEMO_VARIANTS)(
    'holds the tables the compiled %s demo holds, for the same candidates',
    (variant) => {
      const { cluster } = loadDemo(variant);
      const compiled = compileCluster(cluster);
      const source = candidateSource(cluster);
      expect(source.namespaces).toEqual(compiled.namespaces);
      expect(source.pods).toEqual(compiled.pods);
      expect(source.podsByNamespace).toEqual(compiled.podsByNamespace);
      expect(source.services).toEqual(compiled.services);
      for (const typed of ['', 'production/', 'svc/', 'deploy/', 'netpol/', 'cnp/']) {
        expect(targetCandidates(source, typed, 'production')).toEqual(
          targetCandidates(compiled, typed, 'production'),
        );
        expect(policyCandidates(source, typed, 'production')).toEqual(
          policyCandidates(compiled, typed, 'production'),
        );
      }
    },
  );
});

describe('matchCandidates', () => {
  it('prefers candidates that start with the typed text', () => {
    const all = [{ text: 'api' }, { text: 'rapid' }];
    expect(matchCandidates(all, 'ap')).toEqual([{ text: 'api' }]);
    expect(matchCandidates(all, 'pi')).toEqual(all);
  });
});

describe('commonPrefix', () => {
  it('is what every text starts with', () => {
    expect(commonPrefix(['production/api', 'production/apx'])).toBe('production/ap');
    expect(commonPrefix([])).toBe('');
  });
});

describe('policyCandidates', () => {
  const policies = (typed: string, namespace = 'default') =>
    policyCandidates(demo, typed, namespace).map((candidate) => candidate.text);

  it('offers netpol/ where the namespace has policies, and cnp/ when the cluster has some', () => {
    expect(policies('', 'production')).toEqual(['netpol/', 'cnp/']);
    expect(policies('', 'legacy')).toEqual(['cnp/']);
    expect(policies('production/')).toEqual(['production/netpol/']);
    expect(policies('legacy/')).toEqual([]);
  });

  it('offers the namespace’s NetworkPolicies with how many pods each selects', () => {
    expect(policyCandidates(demo, 'netpol/default', 'production')).toEqual([
      {
        text: 'netpol/default-deny-all',
        kind: 'NetworkPolicy',
        about: { namespace: 'production', pods: 6 },
      },
    ]);
    expect(policies('networkpolicy/default', 'production')).toEqual([
      'networkpolicy/default-deny-all',
    ]);
    expect(policies('tenant-a/netpol/')).toEqual(
      demo.cluster.policies
        .filter((p) => p.namespace === 'tenant-a')
        .map((p) => `tenant-a/netpol/${p.name}`),
    );
  });

  it('offers the cluster policies with their tier and priority', () => {
    expect(policyCandidates(demo, 'cnp/legacy', 'default')).toEqual([
      {
        text: 'cnp/legacy-default-deny',
        kind: 'ClusterNetworkPolicy',
        about: { tier: 'Baseline', priority: 100 },
      },
    ]);
  });
});

describe('what candidates say about themselves', () => {
  it('gives pods their identifying labels, workloads their pods, services their ports', () => {
    const [pod] = targetCandidates(demo, 'production/api-7d9f8b6c5-x2k4p', 'default');
    expect(pod?.about).toEqual({
      namespace: 'production',
      labels: { 'app.kubernetes.io/name': 'api' },
    });
    const [workload] = targetCandidates(demo, 'deploy/frontend', 'production');
    expect(workload?.about).toEqual({ namespace: 'production', pods: 2 });
    const [service] = targetCandidates(demo, 'svc/postgres', 'production');
    expect(service?.about?.ports?.map((port) => port.port)).toEqual([5432]);
  });
});
