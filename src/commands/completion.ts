import type { Argv, FallbackCompletionFunction } from 'yargs';
import type { Terminal } from '../io/terminal.js';
import { kubectlExamples } from './examples.js';

/**
 * The hidden command that answers completion requests, named and shaped as cobra's: kubectl
 * (1.26+) runs `kubectl_complete-netpol WORDS...`, which runs `kubectl-netpol __complete WORDS...`.
 */
export const COMPLETE_COMMAND = '__complete';

/** The shells `kubectl netpol completion` writes a script for. */
export const SHELLS = ['bash', 'zsh'] as const;

/** Arguments of `kubectl netpol completion`. */
export interface CompletionArgs {
  readonly shell: (typeof SHELLS)[number];
}

/** cobra's ShellCompDirective values we answer with: files allowed, or not. */
const DIRECTIVE = { default: 0, noFileCompletion: 4 } as const;

/** Options whose value is a file name: the shell completes those. */
const FILE_OPTIONS = new Set(['-f', '--filename', '--kubeconfig', '--save', '--base', '--delete']);

/** Declares completion's argument. */
export function completionBuilder<T>(yargs: Argv<T>) {
  return yargs
    .positional('shell', { choices: SHELLS, demandOption: true, describe: 'the shell' })
    .epilogue(
      kubectlExamples([
        [
          'Complete `kubectl netpol` in bash: add to ~/.bashrc, after kubectl completion bash',
          'source <($0 completion bash)',
        ],
        [
          'Complete `kubectl netpol` in zsh: add to ~/.zshrc, after kubectl completion zsh',
          'source <($0 completion zsh)',
        ],
      ]),
    );
}

/** Runs completion: prints the script for the shell. */
export async function runCompletion(args: CompletionArgs, terminal: Terminal): Promise<number> {
  await terminal.out(args.shell === 'bash' ? BASH_SCRIPT : ZSH_SCRIPT);
  return 0;
}

/**
 * The arguments that put yargs in completion mode for `words`. A parser that completes must be
 * made with them too: yargs re-reads them when it descends into a command. The word being
 * completed is left out (only whether it is a flag counts): yargs drops a command or flag that
 * the words already name, and `check` or `--to` must still complete to themselves.
 */
export function yargsCompletionArgs(words: readonly string[]): string[] {
  const current = words.at(-1) ?? '';
  return ['--get-yargs-completions', ...words.slice(0, -1), current.startsWith('-') ? '-' : ''];
}

/** What yargs offers for the last of `words`, from a parser made with yargsCompletionArgs. */
export async function yargsCandidates<T>(
  parser: Argv<T>,
  words: readonly string[],
): Promise<string[]> {
  let candidates: string[] = [];
  // yargs prints what it finds in commands' own contexts; a completion function is handed it.
  await parser
    .completion(COMPLETE_COMMAND, false, ((_current, _argv, complete, done) => {
      complete((_error, found) => {
        candidates = found ?? [];
        done([]);
      });
    }) satisfies FallbackCompletionFunction)
    .parseAsync(yargsCompletionArgs(words), {}, () => {});
  return candidates;
}

/**
 * The answer to `__complete WORDS...` in cobra's protocol: one candidate a line, then
 * `:DIRECTIVE`. Like cobra, flags are offered once a `-` is typed, and the value of a file
 * option is left to the shell.
 */
export function completionReply(words: readonly string[], candidates: readonly string[]): string {
  if (FILE_OPTIONS.has(words.at(-2) ?? '')) return `:${DIRECTIVE.default}\n`;
  const current = words.at(-1) ?? '';
  const matching = candidates.filter(
    (candidate) =>
      candidate !== '$0' &&
      candidate.startsWith(current) &&
      (current.startsWith('-') || !candidate.startsWith('-')),
  );
  return [...matching, `:${DIRECTIVE.noFileCompletion}`, ''].join('\n');
}

// The scripts are template literals: `\${` is a literal `${` for the shell.

const BASH_SCRIPT = `# bash completion for kubectl netpol: completes \`kubectl netpol ...\` and
# \`kubectl-netpol ...\`, and hands every other kubectl command to kubectl's own completion.
# Load it after kubectl's, e.g. in ~/.bashrc:
#   source <(kubectl completion bash)
#   source <(kubectl netpol completion bash)

# COMPREPLY from kubectl-netpol's answer for the words after the plugin name.
__kubectl_netpol_reply() {
  local line directive=0
  COMPREPLY=()
  while IFS= read -r line; do
    case $line in
      :*) directive=\${line#:} ;;
      ?*) COMPREPLY+=("$line") ;;
    esac
  done < <(kubectl-netpol ${COMPLETE_COMMAND} "$@" 2>/dev/null)
  # Directive 4: no file names, even when nothing matched.
  if (( directive & 4 )); then compopt +o default 2>/dev/null; fi
  return 0
}

__kubectl_netpol_direct() {
  __kubectl_netpol_reply "\${COMP_WORDS[@]:1:COMP_CWORD}"
}

__kubectl_netpol_kubectl() {
  if (( COMP_CWORD >= 2 )) && [[ \${COMP_WORDS[1]} == netpol ]]; then
    __kubectl_netpol_reply "\${COMP_WORDS[@]:2:COMP_CWORD-1}"
  elif [[ -n $__kubectl_netpol_next ]]; then
    "$__kubectl_netpol_next" "$@"
  fi
}

# kubectl's completion function, found once (sourcing this again must not find our own).
if [[ -z \${__kubectl_netpol_next+set} ]]; then
  __kubectl_netpol_next=
  if [[ $(complete -p kubectl 2>/dev/null) =~ -F[[:space:]]([^[:space:]]+) ]]; then
    __kubectl_netpol_next=\${BASH_REMATCH[1]}
  fi
fi
complete -o default -F __kubectl_netpol_direct kubectl-netpol
complete -o default -F __kubectl_netpol_kubectl kubectl
`;

const ZSH_SCRIPT = `# zsh completion for kubectl netpol: completes \`kubectl netpol ...\` and
# \`kubectl-netpol ...\`, and hands every other kubectl command to kubectl's own completion.
# Load it after kubectl's (and compinit), e.g. in ~/.zshrc:
#   source <(kubectl completion zsh)
#   source <(kubectl netpol completion zsh)

# Offers kubectl-netpol's answer for the words after the plugin name.
__kubectl_netpol_reply() {
  local line directive=0
  local -a candidates
  for line in "\${(@f)$(kubectl-netpol ${COMPLETE_COMMAND} "$@" 2>/dev/null)}"; do
    case $line in
      :*) directive=\${line#:} ;;
      ?*) candidates+=("$line") ;;
    esac
  done
  if (( \${#candidates} )); then
    compadd -a candidates
  elif (( ! (directive & 4) )); then
    _files
  fi
}

__kubectl_netpol_direct() {
  __kubectl_netpol_reply "\${(@)words[2,CURRENT]}"
}

__kubectl_netpol_kubectl() {
  if (( CURRENT > 2 )) && [[ \${words[2]} == netpol ]]; then
    __kubectl_netpol_reply "\${(@)words[3,CURRENT]}"
  elif [[ -n $__kubectl_netpol_next ]]; then
    "$__kubectl_netpol_next" "$@"
  else
    _files
  fi
}

# kubectl's completion function, found once (sourcing this again must not find our own).
if (( ! \${+__kubectl_netpol_next} )); then
  typeset -g __kubectl_netpol_next=\${_comps[kubectl]-}
fi
compdef __kubectl_netpol_direct kubectl-netpol
compdef __kubectl_netpol_kubectl kubectl
`;
