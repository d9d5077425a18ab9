// tsc emits only JavaScript: copy the YAML files under src/ (the demo cluster) to the same
// place under dist/, where the built modules read them, and bake in what --version prints.
import { cpSync, globSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitCommit } from './git-commit.ts';

for (const file of globSync('src/**/*.yaml')) cpSync(file, join('dist', file));

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const info = { version: `v${version}`, commit: gitCommit('.') ?? 'unknown' };
writeFileSync(join('dist', 'src', 'build-info.json'), `${JSON.stringify(info)}\n`);
