// The program: what the npm package's bin/kubectl-netpol and the standalone executable run. Both
// run it bundled (scripts/release/bundle.ts); kubectl finds `kubectl-netpol` on PATH and runs it
// as `kubectl netpol`.
import { basename } from 'node:path';
import { versionText } from './build-info.js';
import { isCompletionRequest } from './commands/completion-request.js';
import { processTerminal } from './io/terminal.js';
import { guardProcess, setFailureVerbosity } from './process-guard.js';

guardProcess();

// Usage text names the command as it was run: `kubectl netpol` for kubectl-netpol(.exe), else
// the name of a copy or link.
const invokedAs = basename(process.argv[1] ?? '');
const scriptName = invokedAs.startsWith('kubectl-')
  ? 'kubectl netpol'
  : invokedAs || 'kubectl-netpol';
const argv = process.argv.slice(2);
// `--version` alone, what scripts and `kubectl plugin list` checks run, prints what the command
// line would without loading its parser (yargs, and string-width's Intl.Segmenter with it).
if (argv.length === 1 && argv[0] === '--version') {
  await processTerminal.out(versionText());
} else if (isCompletionRequest(argv)) {
  // What each Tab runs: answered from the completion table, without the parser (see complete.ts).
  // Its failures are reported without a stack, so the source maps go off: with them on, closing
  // the cluster's connections parsed the cluster client's map, some 120 ms of every live Tab.
  setFailureVerbosity(0);
  const { runComplete } = await import('./commands/complete.js');
  process.exitCode = await runComplete(argv, processTerminal);
} else {
  const { main } = await import('./cli.js');
  process.exitCode = await main(argv, processTerminal, scriptName);
}
