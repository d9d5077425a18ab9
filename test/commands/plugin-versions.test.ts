import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// calico/node v3.32.0-0.dev is a master build toward 3.32.0, the first release enforcing
// ClusterNetworkPolicy (release-notes/v3.32.0-release-notes.md): it may predate that support.
const FILE = 'test/fixtures/plugin-versions/calico-dev-build.yaml';
const DOUBT =
  'whether Calico enforces ClusterNetworkPolicy depends on whether it runs 3.32 or later, which its tag leaves open: Calico 3.32.0-0.dev (docker.io/calico/node:v3.32.0-0.dev)';

describe('a pre-release plugin tag that leaves a cluster policy in doubt', () => {
  it('is UNKNOWN alike in check, matrix, explain and audit', async () => {
    const check = await runCli(['check', 'a/client', 'b/server', '--port', '8080', '-f', FILE]);
    expect(check.stdout.split('\n')[0]).toBe('UNKNOWN  a/client -> b/server  TCP 8080');
    expect(check.stdout).toContain(DOUBT);

    const matrix = await runCli(['matrix', '--port', '8080', '-f', FILE]);
    expect(matrix.stdout).toMatch(/^1 +a\/client +X\?X$/m);
    expect(matrix.stdout).toContain('  a/client -> b/server: all ports');

    const explain = await runCli(['explain', 'b/server', '-f', FILE]);
    expect(explain.stdout).toContain(
      '    a/client  TCP 1-8079,8081-65535; UDP 1-65535; SCTP 1-65535; UNKNOWN: TCP 8080',
    );

    const audit = await runCli(['audit', '-f', FILE]);
    expect(audit.stderr).toContain(
      `warning: cnp/deny-a: ${DOUBT}; answers they decide are UNKNOWN`,
    );
  });
});
