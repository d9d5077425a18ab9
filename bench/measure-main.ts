import { measure } from './measure.js';

// Entry point of the child process run.ts starts per size: `measure-main.js SIZE DIR`.
const [size, dir] = process.argv.slice(2);
if (!size || !dir) {
  process.stderr.write('usage: measure-main.js SIZE MANIFEST_DIR\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await measure(size, dir))}\n`);
