// `npm run release`: standalone executables for every platform, their archives, SHA256SUMS and
// the krew manifest, in dist-release/; the manifest also goes to ./krew-manifest.yaml.
//   --check-manifest      leave ./krew-manifest.yaml alone and fail if it is not the one just
//                         built (what `npm test` passes: the committed manifest must be this
//                         commit's)
//   --target linux_amd64  build only this target (repeatable); no krew manifest then
// The archives are a function of the sources and the building machine's platform alone (no
// commit, no time, no path; the host's own executable holds a code cache, see sea.ts), so the
// manifest committed with a commit, built on linux x64 as CI runs it, names the very archives
// that commit builds there.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ARCHIVE_FILE_TIME, tarGz, zip } from './archive.ts';
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
const committedManifest = join(root, 'krew-manifest.yaml');
const started = performance.now();

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const log = (text: string) =>
  process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${text}\n`);

const { values: options } = parseArgs({
  options: {
    'check-manifest': { type: 'boolean', default: false },
    target: { type: 'string', multiple: true, default: [] },
  },
});
const unknownTarget = options.target.find((name) => !TARGETS.some((t) => targetName(t) === name));
if (unknownTarget !== undefined) {
  throw new Error(
    `unknown --target ${unknownTarget}: one of ${TARGETS.map(targetName).join(', ')}`,
  );
}
const targets =
  options.target.length === 0
    ? TARGETS
    : TARGETS.filter((target) => options.target.includes(targetName(target)));

const host = hostTarget();
if (!host) throw new Error(`no Node build for ${process.platform}/${process.arch} to build with`);
const version = `v${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}`;

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'build'), { recursive: true });
const bundle = join(out, 'build', 'kubectl-netpol.mjs');
await bundleApp(bundle, { version }, NODE_VERSION);
log(`bundle ${megabytes(statSync(bundle).size)} (${version})`);

const hostNode = officialNode(host);
const sources: Record<string, string> = {
  [LICENSE_FILE]: join(root, LICENSE_FILE),
  [COMPLETION_FILE]: join(root, 'bin', COMPLETION_FILE),
};
const archives = await Promise.all(
  targets.map(async (target) => {
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
      target.os === 'windows'
        ? await zip(entries, ARCHIVE_FILE_TIME)
        : await tarGz(entries, ARCHIVE_FILE_TIME);
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
if (targets === TARGETS) {
  const manifest = krewManifest(version, archives);
  writeFileSync(join(out, 'krew-manifest.yaml'), manifest);
  if (!options['check-manifest']) {
    writeFileSync(committedManifest, manifest);
    log('krew-manifest.yaml written: commit it with the sources it was built from');
  } else if (
    !existsSync(committedManifest) ||
    readFileSync(committedManifest, 'utf8') !== manifest
  ) {
    process.stderr.write(
      'error: krew-manifest.yaml is stale: run npm run release and commit it ' +
        '(dist-release/krew-manifest.yaml is the one these sources build)\n',
    );
    process.exitCode = 1;
  }
}
log(`done: ${out}`);
