import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_LIMIT } from '../../src/render/terminal-text.js';
import { runCli } from '../helpers/cli.js';
import { type FakeApiServer, fakeApiServer, jsonAnswer } from '../helpers/fake-api.js';
import { HOSTILE, unsafeChars } from '../helpers/terminal-safety.js';

/**
 * An API server that fails every request with a Status whose message is hostile; https, since
 * over plain http kubectl (and so this tool) sends no credentials and runs no plugin.
 */
let server: FakeApiServer;
let kubeconfig: string;

/** A kubeconfig user whose credential plugin is a shell script. */
function execUser(name: string, script: string) {
  return {
    name,
    user: {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: 'sh',
        args: ['-c', script],
        interactiveMode: 'Never',
      },
    },
  };
}

beforeAll(async () => {
  server = await fakeApiServer((_request, response) =>
    jsonAnswer(response, 500, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: 500,
      message: `boom ${HOSTILE}`,
    }),
  );
  // The plugin writes OSC 52, CSI 2J and an 8-bit CSI (UTF-8 C2 9B) to stderr and fails.
  const plugin = String.raw`printf 'refresh failed \033]52;c;cHduZWQ=\007\033[2J\302\233 x\n' >&2; exit 1`;
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'netpol-hostile-')), 'config');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'c',
          cluster: { server: server.url, 'insecure-skip-tls-verify': true },
        },
      ],
      users: [
        { name: 'token', user: { token: 'abc' } },
        execUser('plugin', plugin),
        // 100,000 characters of stderr, as a plugin stuck in a loop might write.
        execUser('chatty', "yes abcdefgh | head -c 100000 | tr -d '\\n' >&2; exit 1"),
      ],
      contexts: [
        { name: 'token', context: { cluster: 'c', user: 'token' } },
        { name: 'plugin', context: { cluster: 'c', user: 'plugin' } },
        { name: 'chatty', context: { cluster: 'c', user: 'chatty' } },
      ],
      'current-context': 'token',
    }),
  );
});

afterAll(() => server.close());

describe('messages from a cluster reach the terminal escaped', () => {
  it("an API server's Status message", async () => {
    const output = await runCli(['explain', '--kubeconfig', kubeconfig, '--context', 'token']);
    expect(output.exitCode).toBe(2);
    expect(unsafeChars(output.stderr)).toEqual([]);
    expect(output.stderr).toContain('boom x\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J');
  });

  it("a failing credential plugin's stderr", async () => {
    const output = await runCli(['explain', '--kubeconfig', kubeconfig, '--context', 'plugin']);
    expect(output.exitCode).toBe(2);
    expect(unsafeChars(output.stderr)).toEqual([]);
    expect(output.stderr).toContain('refresh failed \\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x9b x');
  });

  it("a credential plugin's long stderr, cut and saying by how much", async () => {
    const output = await runCli(['explain', '--kubeconfig', kubeconfig, '--context', 'chatty']);
    expect(output.exitCode).toBe(2);
    expect(output.stderr.length).toBeLessThan(MESSAGE_LIMIT + 200);
    expect(output.stderr).toMatch(/…\(\+\d+ chars\)\n$/);
  });
});
