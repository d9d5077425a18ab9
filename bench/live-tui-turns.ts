/**
 * The live TUI's longest UI-thread turns, phase by phase, on the cluster KUBECONFIG names (such
 * as a bench API server with the large cluster loaded): `node dist/bench/live-tui-turns.js
 * [RUNS] [ROOT...]` launches each ROOT's bin/kubectl-netpol (this build's unless told) in an
 * 100x30 pseudo-terminal (util-linux `script`), RUNS times interleaved, waits for the lists,
 * presses r 5 s later, quits 3 s after "reloaded", and prints one JSON line per launch with
 * live-turns-preload.ts's figures, then the medians per ROOT.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PRELOAD = fileURLToPath(new URL('./live-turns-preload.js', import.meta.url));
const THIS_BUILD = fileURLToPath(new URL('../..', import.meta.url));
const QUOTE = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

interface Turns {
  readonly longest: Record<string, { wall: number; cpu: number }>;
  readonly starts: Record<string, { wall: number; cpu: number }>;
}

/** One launch of ROOT's UI: the preload's figures. */
function launch(root: string): Promise<Turns> {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-live-turns-'));
  const turns = join(dir, 'turns.json');
  const cli = join(root, 'bin/kubectl-netpol');
  const command = `stty cols 100 rows 30; exec ${QUOTE(process.execPath)} --import ${QUOTE(PRELOAD)} ${QUOTE(cli)}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, NODE_ENV: 'production', NETPOL_BENCH_TURNS_FILE: turns },
  });
  let output = '';
  let step: 'lists' | 'reload' | 'done' = 'lists';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (step === 'lists' && output.includes('Namespaces (')) {
      step = 'reload';
      setTimeout(() => {
        output = '';
        child.stdin.write('r');
      }, 5000);
    } else if (step === 'reload' && output.includes('reloaded')) {
      step = 'done';
      setTimeout(() => child.stdin.write('\u0003'), 3000);
    }
  });
  const timeout = setTimeout(() => child.kill(), 180_000);
  return new Promise((done, fail) =>
    child.on('close', () => {
      clearTimeout(timeout);
      try {
        done(JSON.parse(readFileSync(turns, 'utf8')) as Turns);
      } catch (error) {
        fail(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
  );
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? Number.NaN;

const [runsArg, ...rootArgs] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const roots = rootArgs.length > 0 ? rootArgs.map((root) => resolve(root)) : [THIS_BUILD];
const results = new Map<string, Turns[]>(roots.map((root) => [root, []]));
for (let run = 0; run < runs; run++) {
  for (const root of roots) {
    const turns = await launch(root);
    results.get(root)?.push(turns);
    console.log(JSON.stringify({ root, run, ...turns }));
  }
}
for (const [root, all] of results) {
  const phases = Object.keys(all[0]?.longest ?? {});
  const longest = Object.fromEntries(
    phases.map((phase) => [
      phase,
      {
        wall: median(all.map((t) => t.longest[phase]?.wall ?? Number.NaN)),
        cpu: median(all.map((t) => t.longest[phase]?.cpu ?? Number.NaN)),
        worstCpu: Math.max(...all.map((t) => t.longest[phase]?.cpu ?? 0)),
      },
    ]),
  );
  const firstFrame = {
    wall: median(all.map((t) => t.starts.load?.wall ?? Number.NaN)),
    cpu: median(all.map((t) => t.starts.load?.cpu ?? Number.NaN)),
  };
  console.log(JSON.stringify({ root, runs: all.length, firstFrame, longest }));
}
