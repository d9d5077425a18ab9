import { describe, expect, it } from 'vitest';
import {
  commonPrefix,
  compileCluster,
  matchCandidates,
  targetCandidates,
} from '../../src/engine/index.js';
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
