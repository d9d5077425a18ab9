import type { Argv } from 'yargs';
import type { Protocol } from '../engine/model/basics.js';
import { kubectlExamples } from './examples.js';
import type { OutputFormat } from './output-format.js';
import type { InputOptions } from './session.js';

/** Arguments of `kubectl netpol matrix`. */
export interface MatrixArgs extends InputOptions {
  readonly port?: string | number;
  readonly protocol?: Protocol;
  readonly output: OutputFormat;
  readonly allNamespaces?: boolean;
  readonly group?: boolean;
}

/** Declares matrix's options. */
export function matrixBuilder<T>(yargs: Argv<T>) {
  return yargs
    .option('port', {
      alias: 'p',
      type: 'string',
      describe: 'only pairs allowing this port number',
    })
    .option('protocol', {
      type: 'string',
      choices: ['TCP', 'UDP', 'SCTP'] as const,
      coerce: (v: string) => v.toUpperCase() as Protocol,
      describe: 'only pairs allowing this protocol (TCP when only --port is given)',
    })
    .option('group', {
      type: 'boolean',
      describe:
        'with -o json: pods with the same connections in groups, listed once, and pairs of groups (for large clusters)',
    })
    .epilogue(
      kubectlExamples([
        ['Who may talk to whom in a namespace', '$0 matrix -n production'],
        ['The pairs of pods allowing TCP 5432, as JSON', '$0 matrix --port 5432 -o json'],
        ['The whole matrix of a large cluster, compact', '$0 matrix -o json --group'],
        [
          'Connectivity between the pods of the demo cluster on UDP',
          '$0 matrix --protocol UDP --demo',
        ],
      ]),
    );
}
