// tsc emits only JavaScript: copy the YAML files under src/ (the demo cluster) to the same
// place under dist/, where the built modules read them.
import { cpSync, globSync } from 'node:fs';
import { join } from 'node:path';

for (const file of globSync('src/**/*.yaml')) cpSync(file, join('dist', file));
