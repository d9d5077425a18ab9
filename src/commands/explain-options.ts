import type { Argv } from 'yargs';
import { fullReadOption } from './check-options.js';
import { kubectlExamples } from './examples.js';
import {
  type NoHeadersArgs,
  noHeadersOption,
  type SelectorArgs,
  selectorOption,
} from './listing-options.js';
import { COMMAND_FORMATS, type OutputFormat, outputOption } from './output-format.js';
import type { InputOptions } from './session.js';

/** Arguments of `kubectl netpol explain`. */
export interface ExplainArgs extends InputOptions, SelectorArgs, NoHeadersArgs {
  readonly pod?: string;
  readonly output: OutputFormat;
  readonly allNamespaces?: boolean;
}

/** Declares explain's arguments. */
export function explainBuilder<T>(yargs: Argv<T>) {
  const output = outputOption(
    yargs,
    COMMAND_FORMATS.explain,
    'wide adds the policies isolating each pod to the overview; name lists the NetworkPolicies selecting the pod, the pods of the overview, or the policy explained',
  );
  return fullReadOption(
    noHeadersOption(
      selectorOption(
        output,
        'only the pods it selects in the overview and in the lists of pods reached',
      ),
    ),
  )
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
        [
          'The NetworkPolicies that select a pod',
          '$0 explain production/api-7d9f8b6c5-x2k4p -o name',
        ],
        [
          'Which pods labelled app=api may reach a pod',
          '$0 explain production/postgres-0 -l app=api',
        ],
      ]),
    );
}
