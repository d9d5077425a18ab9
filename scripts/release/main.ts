// `npm run release`: standalone executables for every platform, their archives, SHA256SUMS and
// the krew manifest, in dist-release/; the manifest also goes to ./krew-manifest.yaml unless
// --keep-manifest (what `npm test` passes, so testing a build never edits a committed file).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitCommit } from '../git-commit.ts';
import { tarGz, zip } from './archive.ts';
import { bundleApp } from './bundle.ts';
import { archiveFiles, COMPLETION_FILE, krewManifest, LICENSE_FILE } from './krew.ts';
import { adHocSign } from './macho-sign.ts';
import { officialNode } from './node-binary.ts';
import {
  archiveName,
  binaryName,
  hostTarget,
  NODE_VERSION,
  TARGETS,
  targetName,
} from './platforms.ts';
import { buildExecutable } from './sea.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = join(root, 'dist-release');
const started = performance.now();

/** The archives' file times: SOURCE_DATE_EPOCH if set, else the last commit's time. */
function sourceDate(): number {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  const time = execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8' });
  return Number(time.trim());
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const log = (text: string) =>
  process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${text}\n`);

const host = hostTarget();
if (!host) throw new Error(`no Node build for ${process.platform}/${process.arch} to build with`);
const version = `v${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}`;
const commit = gitCommit(root) ?? 'unknown';
const mtime = sourceDate();

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'build'), { recursive: true });
const bundle = join(out, 'build', 'kubectl-netpol.mjs');
await bundleApp(bundle, { version, commit }, NODE_VERSION);
log(`bundle ${megabytes(statSync(bundle).size)} (${version}, commit ${commit})`);

const hostNode = officialNode(host);
const sources: Record<string, string> = {
  [LICENSE_FILE]: join(root, LICENSE_FILE),
  [COMPLETION_FILE]: join(root, 'bin', COMPLETION_FILE),
};
const archives = await Promise.all(
  TARGETS.map(async (target) => {
    const executable = join(out, 'build', targetName(target), binaryName(target));
    mkdirSync(join(executable, '..'), { recursive: true });
    buildExecutable(hostNode, officialNode(target), bundle, executable, target === host);
    if (target.os === 'darwin') {
      writeFileSync(executable, adHocSign(readFileSync(executable), 'kubectl-netpol'));
    }
    const entries = archiveFiles(target).map((name) => ({
      name,
      data: readFileSync(sources[name] ?? executable),
      executable: name !== LICENSE_FILE,
    }));
    const packed =
      target.os === 'windows' ? await zip(entries, mtime) : await tarGz(entries, mtime);
    const name = archiveName(target, version);
    writeFileSync(join(out, name), packed);
    const sha256 = createHash('sha256').update(packed).digest('hex');
    log(
      `${name}: binary ${megabytes(statSync(executable).size)}, archive ${megabytes(packed.length)}`,
    );
    return { target, name, sha256 };
  }),
);

writeFileSync(join(out, 'SHA256SUMS'), archives.map((a) => `${a.sha256}  ${a.name}\n`).join(''));
const manifest = krewManifest(version, archives);
writeFileSync(join(out, 'krew-manifest.yaml'), manifest);
if (!process.argv.includes('--keep-manifest'))
  writeFileSync(join(root, 'krew-manifest.yaml'), manifest);
log(`done: ${out}`);
