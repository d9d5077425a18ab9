import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest's global setup: every process the tests start (they inherit this environment) keeps
 * its parsed manifests in a temporary cache directory, never in the user's ~/.kube/cache.
 */
export default function isolateKubeCache(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-test-kubecache-'));
  process.env.KUBECACHEDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
