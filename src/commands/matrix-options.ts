import type { Argv } from 'yargs';
import type { GraphGrouping, Protocol } from '../engine/vocabulary.js';
import { kubectlExamples } from './examples.js';
import {
  type NoHeadersArgs,
  noHeadersOption,
  type SelectorArgs,
  selectorOption,
} from './listing-options.js';
import {
  COMMAND_FORMATS,
  GRAPH_OUTPUTS,
  type OutputFormat,
  outputOption,
} from './output-format.js';
import type { InputOptions } from './session.js';

/** A graph output of matrix. */
export type GraphOutput = (typeof GRAPH_OUTPUTS)[number];

/** What `--group` folds: pods with the same connections (JSON), or graph nodes. */
export type MatrixGrouping = 'connections' | GraphGrouping;

/** Arguments of `kubectl netpol matrix`. */
export interface MatrixArgs extends InputOptions, SelectorArgs, NoHeadersArgs {
  readonly port?: string | number;
  readonly protocol?: Protocol;
  readonly output: OutputFormat | GraphOutput;
  readonly allNamespaces?: boolean;
  readonly group?: MatrixGrouping;
}

/** Whether matrix draws a graph rather than a table or a document. */
export function isGraphOutput(output: MatrixArgs['output']): output is GraphOutput {
  return (GRAPH_OUTPUTS as readonly string[]).includes(output);
}

/**
 * The graph nodes `--group` asks for (a node per workload unless told otherwise), or an error
 * text when `--group` does not fit the output: `connections` is for `-o json` only, and
 * `workload`/`namespace` for graphs only.
 */
export function groupingProblem(args: MatrixArgs): string | undefined {
  if (args.group === undefined) return undefined;
  if (args.group === 'connections')
    return args.output === 'json'
      ? undefined
      : '--group: only with -o json (graphs take --group workload|namespace)';
  return isGraphOutput(args.output)
    ? undefined
    : `--group ${args.group}: only with -o dot, mermaid or svg`;
}

/** Declares matrix's options. */
export function matrixBuilder<T>(yargs: Argv<T>) {
  return noHeadersOption(
    selectorOption(
      outputOption(
        yargs,
        COMMAND_FORMATS.matrix,
        "wide adds each pod's kind and IP; name lists the pods (pod/NAME); dot, mermaid and svg (Graphviz dot on PATH) draw a graph",
      ),
      'rows and columns only for the pods it selects',
    ),
  )
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
      type: 'string',
      choices: ['connections', 'workload', 'namespace'] as const,
      // A bare --group: the compact JSON form.
      coerce: (value: string) => (value === '' ? 'connections' : value) as MatrixGrouping,
      describe:
        'with -o json, --group (connections): pods with the same connections in groups, listed once, and pairs of groups (for large clusters); with a graph: one node per workload (default) or per namespace',
    })
    .epilogue(
      kubectlExamples([
        ['Who may talk to whom in a namespace', '$0 matrix -n production'],
        ['The pairs of pods allowing TCP 5432, as JSON', '$0 matrix --port 5432 -o json'],
        ['The whole matrix of a large cluster, compact', '$0 matrix -o json --group'],
        [
          'Only the pods labelled app=api or app=web, with their IPs',
          '$0 matrix -l "app in (api,web)" -o wide',
        ],
        [
          'Every allowed pair of pods, one line each',
          `$0 matrix -o jsonpath='{range .pairs[*]}{.from}{" -> "}{.to}{"\\n"}{end}'`,
        ],
        [
          'Connectivity between the pods of the demo cluster on UDP',
          '$0 matrix --protocol UDP --demo',
        ],
        [
          'A namespace as a Mermaid graph, one node per workload',
          '$0 matrix -n production -o mermaid',
        ],
        [
          'Which namespaces talk to which, as an SVG (needs Graphviz)',
          '$0 matrix --group namespace -o svg > namespaces.svg',
        ],
      ]),
    );
}
