// Preloaded into the real CLI by tests (`node --import`): writes to stderr, one a line, the URL
// of every module the run loads (Node's own excepted) and of each of Node's it imports or
// requires (this preload loads child_process itself), every child process it starts, when it
// first writes to stdout (a UI's first frame), when the terminal first goes raw, when it first
// writes the lists' frame ("Namespaces ("), whether it reads process.stdin (Node makes the
// stream then), and at exit whether source maps were still on and Node's modules it loaded.
import childProcess from 'node:child_process';
import { registerHooks, syncBuiltinESMExports } from 'node:module';
import { whenRaw } from '../../bench/raw-mode.ts';

registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    if (resolved.url.startsWith('node:')) process.stderr.write(`asked for ${resolved.url}\n`);
    return resolved;
  },
  load(url, context, next) {
    if (!url.startsWith('node:')) process.stderr.write(`loaded ${url}\n`);
    return next(url, context);
  },
});

for (const name of [
  'execFileSync',
  'execFile',
  'spawn',
  'spawnSync',
  'execSync',
  'exec',
] as const) {
  const original = childProcess[name] as (...args: unknown[]) => unknown;
  (childProcess as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
    process.stderr.write(`started ${String(args[0])}\n`);
    return original(...args);
  };
}
syncBuiltinESMExports();

whenRaw(() => process.stderr.write('terminal raw\n'));

const write = process.stdout.write;
let written = false;
process.stdout.write = function marked(this: typeof process.stdout, ...args: unknown[]) {
  if (!written) process.stderr.write('first stdout write\n');
  written = true;
  if (String(args[0]).includes('Namespaces (')) {
    process.stderr.write('lists frame\n');
    process.stdout.write = write;
  }
  return (write as (...args: unknown[]) => boolean).apply(this, args);
} as typeof process.stdout.write;

const stdin = Object.getOwnPropertyDescriptor(process, 'stdin');
Object.defineProperty(process, 'stdin', {
  configurable: true,
  enumerable: stdin?.enumerable ?? true,
  get() {
    process.stderr.write('stdin read\n');
    return stdin?.get?.call(process);
  },
});

process.on('exit', () => {
  process.stderr.write(`source-maps ${process.sourceMapsEnabled ? 'on' : 'off'}\n`);
  // Node's list of what it loaded ("NativeModule zlib"); undocumented, and not in @types/node.
  const loaded = (process as unknown as { moduleLoadList: string[] }).moduleLoadList;
  const builtins = loaded.filter((name) => name.startsWith('NativeModule '));
  process.stderr.write(`builtins ${builtins.map((name) => name.slice(13)).join(' ')}\n`);
});
