import { describe, expect, it } from 'vitest';
import {
  outputSecrets,
  printableServer,
  redact,
  userSecrets,
} from '../../src/io/cluster/redact.js';

describe('redaction', () => {
  it('replaces every occurrence, the longest secret first', () => {
    expect(redact('abcd-1234 and abcd', ['abcd', 'abcd-1234'])).toBe('[REDACTED] and [REDACTED]');
  });

  it('leaves values too short to protect anything', () => {
    expect(redact('a bc', ['a', 'bc'])).toBe('a bc');
  });

  it('takes every secret of a user entry, not its name or username', () => {
    const secrets = userSecrets({
      name: 'alice',
      username: 'alice-login',
      token: 'tok-value',
      password: 'pass-value',
      keyData: 'key-data-value',
      authProvider: { name: 'oidc', config: { 'refresh-token': 'refresh-value' } },
      exec: { command: 'x', env: [{ name: 'API_KEY', value: 'env-value' }] },
    });
    expect(secrets.sort()).toEqual(
      ['env-value', 'key-data-value', 'pass-value', 'refresh-value', 'tok-value'].sort(),
    );
  });

  it('takes JSON strings, or token-like words, from plugin output', () => {
    expect(outputSecrets('{"status":{"token":"t0k3n-value"}}')).toContain('t0k3n-value');
    expect(outputSecrets('Bearer: raw-token-value\n')).toContain('raw-token-value');
  });
});

describe('printable server URLs', () => {
  it.each([
    ['https://alice:pw@host:6443/path', 'https://host:6443/path'],
    ['https://token@host', 'https://host'],
    ['https://a:p@ss@host:6443', 'https://host:6443'],
    ['https://alice:pw@exa mple:6443', 'https://exa mple:6443'],
    ['https://host:6443', 'https://host:6443'],
    ['https://host/p@th', 'https://host/p@th'],
  ])('%s is printed as %s', (server, printed) => {
    expect(printableServer(server)).toBe(printed);
  });
});
