import type { Argv } from 'yargs';
import { kubectlExamples } from './examples.js';
import type { OutputFormat } from './output-format.js';
import type { InputOptions } from './session.js';

/** Arguments of `kubectl netpol explain`. */
export interface ExplainArgs extends InputOptions {
  readonly pod?: string;
  readonly output: OutputFormat;
  readonly allNamespaces?: boolean;
}

/** Declares explain's arguments. */
export function explainBuilder<T>(yargs: Argv<T>) {
  return yargs
    .positional('pod', {
      type: 'string',
      describe:
        'NAME (in the -n namespace) or NAMESPACE/NAME: a pod, or the one pod of a workload or pod-name prefix; or pod/NAME; netpol/NAME (or NAMESPACE/netpol/NAME, netpol/NAME.NAMESPACE) for a NetworkPolicy; cnp/NAME for a ClusterNetworkPolicy; omit for an overview of every pod',
    })
    .epilogue(
      kubectlExamples([
        [
          'What may reach a pod and what it may reach, and why',
          '$0 explain production/api-7d9f8b6c5-x2k4p',
        ],
        [
          'What a NetworkPolicy selects, what its peers match, the flows it alone allows or blocks',
          '$0 explain production/netpol/default-deny',
        ],
        ['Which pods of a namespace are isolated, per direction', '$0 explain -n production'],
        ['Every pod of every namespace, as YAML', '$0 explain -A -o yaml'],
      ]),
    );
}
