// tsc emits only JavaScript: copy the YAML files under src/ (the demo cluster) to the same
// place under dist/, where the built modules read them, and bake in what --version prints.
import { createHash } from 'node:crypto';
import { cpSync, globSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitCommit } from './git-commit.ts';

for (const file of globSync('src/**/*.yaml')) cpSync(file, join('dist', file));

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
// The sources' digest keys what the build caches (parsed manifests): two builds of one commit
// with different uncommitted changes must not read each other's entries.
const digest = createHash('sha256');
const sourceFiles = globSync('src/**/*', { withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => join(entry.parentPath, entry.name))
  .sort();
for (const file of [...sourceFiles, 'package-lock.json']) {
  digest.update(file).update(readFileSync(file));
}
const sources = digest.digest('hex').slice(0, 16);
const info = { version: `v${version}`, commit: gitCommit('.') ?? 'unknown', sources };
writeFileSync(join('dist', 'src', 'build-info.json'), `${JSON.stringify(info)}\n`);
