// The last step of `npm run build`: the bundle the npm package's bin runs (dist/kubectl-netpol.mjs
// and its source map), built as the standalone executable's is, for the oldest Node the package
// supports, with the version and commit copy-assets.ts wrote for --version.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildInfo } from '../src/build-info.ts';
import { bundleApp } from './release/bundle.ts';

const minimumNode = /^>=(\d+\.\d+)$/.exec(
  JSON.parse(readFileSync('package.json', 'utf8')).engines.node,
);
if (!minimumNode?.[1]) throw new Error('package.json: engines.node is not of the form >=X.Y');
const info: BuildInfo = JSON.parse(readFileSync(join('dist', 'src', 'build-info.json'), 'utf8'));
await bundleApp(join('dist', 'kubectl-netpol.mjs'), info, minimumNode[1], {
  sourcemap: true,
  splitting: true,
});
