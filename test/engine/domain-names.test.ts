import { describe, expect, it } from 'vitest';
import {
  canonicalDomainName,
  domainNameMatches,
  isHostname,
} from '../../src/engine/primitives/domain-names.js';

describe('domainNameMatches (ClusterNetworkPolicy v1alpha2 DomainName)', () => {
  it.each([
    // The API's own examples.
    ['kubernetes.io', 'kubernetes.io', true],
    ['kubernetes.io', 'www.kubernetes.io', false],
    ['kubernetes.io', 'my-kubernetes.io', false],
    ['blog.kubernetes.io', 'kubernetes.io', false],
    ['*.kubernetes.io', 'www.kubernetes.io', true],
    ['*.kubernetes.io', 'latest.blog.kubernetes.io', true],
    ['*.kubernetes.io', 'kubernetes.io', false],
    ['*.kubernetes.io', 'wikipedia.org', false],
    // The wildcard takes whole labels only.
    ['*.kubernetes.io', 'my-kubernetes.io', false],
    ['*.kubernetes.io', '.kubernetes.io', false],
    // DNS names compare without regard to case, and a final dot names the same host.
    ['Kubernetes.IO', 'kubernetes.io', true],
    ['*.kubernetes.io', 'WWW.Kubernetes.io', true],
    ['kubernetes.io.', 'kubernetes.io', true],
    ['kubernetes.io', 'kubernetes.io.', true],
    ['*.kubernetes.io.', 'www.kubernetes.io.', true],
  ])('%s against %s: %s', (pattern, hostname, matches) => {
    expect(domainNameMatches(pattern, hostname)).toBe(matches);
  });
});

describe('host names', () => {
  it('are compared in lower case without the final dot', () => {
    expect(canonicalDomainName('WWW.Example.COM.')).toBe('www.example.com');
  });

  it.each([
    ['www.example.com', true],
    ['example.com.', true],
    ['a.b', true],
    ['web', false],
    ['10.0.0.1', false],
    ['10.0.0', false],
    ['-bad.example.com', false],
    ['www..example.com', false],
    ['www.example.com\u001b[31m', false],
  ])('%j is a host name: %s', (text, expected) => {
    expect(isHostname(text)).toBe(expected);
  });
});
