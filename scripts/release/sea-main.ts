// The standalone binary's entry point. It is installed as kubectl-netpol(.exe), so kubectl runs
// it as `kubectl netpol`; React's production build is chosen when bundling.
import { main } from '../../src/cli.js';
import { processTerminal } from '../../src/io/terminal.js';
import { guardProcess } from '../../src/process-guard.js';

guardProcess();

process.exitCode = await main(process.argv.slice(2), processTerminal, 'kubectl netpol');
