import { describe, expect, it } from 'vitest';
import { proxyFromEnvironment } from '../../src/io/cluster/proxy-env.js';

const proxyFor = (server: string, env: NodeJS.ProcessEnv) =>
  proxyFromEnvironment(new URL(server), env);

describe('the proxy from the environment, as Go (and so kubectl) reads it', () => {
  it('takes HTTPS_PROXY for an https server and HTTP_PROXY for an http one, either case', () => {
    const env = { HTTPS_PROXY: 'http://secure:3128', http_proxy: 'http://plain:3128' };
    expect(proxyFor('https://api.example.com:6443', env)).toBe('http://secure:3128');
    expect(proxyFor('http://api.example.com:8080', env)).toBe('http://plain:3128');
    expect(proxyFor('https://api.example.com', { https_proxy: 'http://lower:1' })).toBe(
      'http://lower:1',
    );
  });

  it('reads a proxy without a scheme as http://', () => {
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: 'proxy.corp:3128' })).toBe(
      'http://proxy.corp:3128',
    );
  });

  it('never proxies localhost or a loopback address', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128' };
    expect(proxyFor('https://localhost:6443', env)).toBeUndefined();
    expect(proxyFor('https://127.0.0.1:6443', env)).toBeUndefined();
    expect(proxyFor('https://127.8.9.10:6443', env)).toBeUndefined();
    expect(proxyFor('https://[::1]:6443', env)).toBeUndefined();
  });

  it.each([
    ['*', 'https://api.example.com'],
    ['example.com', 'https://api.example.com'],
    ['.example.com', 'https://api.example.com'],
    ['*.example.com', 'https://api.example.com'],
    ['api.example.com', 'https://api.example.com'],
    ['other.org, api.example.com:6443', 'https://api.example.com:6443'],
    ['10.0.0.0/8', 'https://10.1.2.3:6443'],
    ['10.1.2.3', 'https://10.1.2.3:6443'],
    ['API.EXAMPLE.COM', 'https://api.example.com'],
  ])('NO_PROXY=%s excludes %s', (noProxy, server) => {
    expect(proxyFor(server, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: noProxy })).toBe(
      undefined,
    );
  });

  it.each([
    ['ample.com', 'https://api.example.com'],
    ['api.example.com:443', 'https://api.example.com:6443'],
    ['10.0.0.0/16', 'https://10.1.2.3:6443'],
    ['api.example.com', 'https://example.com'],
  ])('NO_PROXY=%s does not exclude %s', (noProxy, server) => {
    expect(proxyFor(server, { HTTPS_PROXY: 'http://proxy:3128', no_proxy: noProxy })).toBe(
      'http://proxy:3128',
    );
  });

  it('is none without a proxy variable for the scheme', () => {
    expect(proxyFor('https://api.example.com', { HTTP_PROXY: 'http://plain:1' })).toBeUndefined();
  });
});
