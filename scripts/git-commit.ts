// The commit a build is made from, for the build and the release to bake in: kubectl-netpol
// itself never runs git.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The commit checked out at `root` (12 hex digits, `-dirty` with uncommitted changes), or
 * undefined when `root` is not the top of a git checkout or git is missing.
 */
export function gitCommit(root: string): string | undefined {
  if (!existsSync(join(root, '.git'))) return undefined;
  try {
    // Every tag excluded: the plain commit, whatever tags say.
    const args = ['describe', '--always', '--dirty', '--abbrev=12', '--exclude=*'];
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    return undefined;
  }
}
