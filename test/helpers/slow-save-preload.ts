// Preloaded into the real CLI by tests (`node --import`): the last step of a save (the link or
// rename of the temporary file into place) first says so on stderr and waits ten seconds, so a
// test can signal the process while the temporary file exists. Nothing in src/ knows of it.
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

const WAIT_MS = 10_000;

for (const name of ['link', 'rename'] as const) {
  const original = fsp[name];
  fsp[name] = async (from, to) => {
    process.stderr.write(`slow save: waiting before ${name}\n`);
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
    return original(from, to);
  };
}
// Our modules import these functions by name: make those bindings see the slow ones.
syncBuiltinESMExports();
