import type { Argv } from 'yargs';
import type { Protocol } from '../engine/vocabulary.js';
import { PROTOCOLS } from '../engine/vocabulary.js';
import { kubectlExamples } from './examples.js';
import { COMMAND_FORMATS, type OutputFormat, outputOption } from './output-format.js';
import type { InputOptions } from './session.js';

/** The target forms, as help shows them. */
const TARGET_FORMS =
  'NAME or NAMESPACE/NAME (pod, workload or pod-name prefix), pod/NAME, deploy|sts|ds/NAME, svc/NAME[.NAMESPACE], NAME.NAMESPACE (a Service or pod, else a host), NAME.NAMESPACE.svc[.cluster.local], an IP or a host name';

/** Arguments of `kubectl netpol check`. */
export interface CheckArgs extends InputOptions {
  readonly source: string;
  readonly destination: string;
  readonly port?: string | number;
  readonly protocol?: Protocol;
  readonly output: OutputFormat;
}

/** Declares the question "can SOURCE reach DESTINATION on PORT?": check's and scaffold fix's. */
export function flowQuestionOptions<T>(yargs: Argv<T>) {
  return yargs
    .positional('source', {
      type: 'string',
      demandOption: true,
      describe: TARGET_FORMS,
    })
    .positional('destination', {
      type: 'string',
      demandOption: true,
      describe: TARGET_FORMS,
    })
    .option('port', {
      alias: 'p',
      type: 'string',
      describe:
        'destination port: number or name (for a service: its port; may be left out when it has one)',
    })
    .option('protocol', {
      type: 'string',
      choices: PROTOCOLS,
      coerce: (v: string) => v.toUpperCase() as Protocol,
      describe: "protocol (default: the service port's for svc/NAME, else TCP)",
    });
}

/** Declares --full-read: check's and explain's way to read the whole cluster regardless. */
export function fullReadOption<T>(yargs: Argv<T>) {
  return yargs.option('full-read', {
    type: 'boolean',
    describe:
      'on a live cluster, list every pod, service and policy instead of only what the answer depends on (the namespaces of the targets and of the peers their policies select)',
  });
}

/** Declares check's positional arguments and options. */
export function checkBuilder<T>(yargs: Argv<T>) {
  return fullReadOption(outputOption(flowQuestionOptions(yargs), COMMAND_FORMATS.check)).epilogue(
    kubectlExamples([
      [
        'Can a frontend pod reach the pods of the api service on its port 8080?',
        '$0 check production/frontend-84c5d9b7f6-hx2lq svc/api -n production --port 8080',
      ],
      [
        'The same question about the built-in demo cluster',
        '$0 check production/frontend-84c5d9b7f6-hx2lq svc/api -n production --port 8080 --demo',
      ],
      [
        'May a pod connect to an address outside the cluster? The verdict as JSON',
        '$0 check pod/busybox 203.0.113.7 -n legacy --port 5432 -o json',
      ],
      [
        'Only the verdict',
        "$0 check production/frontend-84c5d9b7f6-hx2lq svc/api -n production --port 8080 -o jsonpath='{.verdict}'",
      ],
      [
        'May a pod (named as kubectl exec names it) reach a host outside the cluster by its name?',
        '$0 check toolbox www.example.com -n sandbox --port 443',
      ],
      [
        'In the manifests of a directory: may a pod query the cluster DNS (UDP 53)?',
        '$0 check shop/web svc/kube-dns -n kube-system --port 53 --protocol UDP -f manifests/',
      ],
    ]),
  );
}
