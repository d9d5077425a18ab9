import type { Arguments, Argv, FallbackCompletionFunction } from 'yargs';
import type { TargetCandidate } from '../engine/index.js';
import type { Terminal } from '../io/terminal.js';
import { candidateDescription } from '../render/candidates.js';
import { COMPLETE_COMMAND } from './completion-request.js';
import { kubectlExamples } from './examples.js';

/** The shells `kubectl netpol completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;

/** Arguments of `kubectl netpol completion`. */
export interface CompletionArgs {
  readonly shell: (typeof SHELLS)[number];
}

/** cobra's ShellCompDirective values we answer with: files allowed, no space after, no files. */
const DIRECTIVE = { default: 0, noSpace: 2, noFileCompletion: 4 } as const;

/** Options whose value is a namespace. */
const NAMESPACE_OPTIONS = new Set(['-n', '--namespace']);

/** What a word completed from the snapshot names. */
export type SnapshotSlot = 'namespace' | 'target' | 'policy-or-target';

/** The commands (as words) whose leading positionals are targets, how many, and of what. */
const TARGET_POSITIONALS: ReadonlyArray<{
  readonly command: readonly string[];
  readonly count: number;
  readonly slot: SnapshotSlot;
}> = [
  { command: ['check'], count: 2, slot: 'target' },
  { command: ['explain'], count: 1, slot: 'policy-or-target' },
  { command: ['scaffold', 'fix'], count: 2, slot: 'target' },
];

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
        [
          'Complete `kubectl-netpol` in fish (kubectl completion fish completes `kubectl netpol`)',
          '$0 completion fish | source',
        ],
        [
          'Complete `kubectl-netpol` in PowerShell (kubectl completion powershell: `kubectl netpol`)',
          '$0 completion powershell | Out-String | Invoke-Expression',
        ],
      ]),
    );
}

/** Runs completion: prints the script for the shell. */
export async function runCompletion(args: CompletionArgs, terminal: Terminal): Promise<number> {
  await terminal.out(SCRIPTS[args.shell]);
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

/** What yargs offers for the last of `words`, the words as it parsed them, and `inspect`'s. */
export interface YargsCompletion<C> {
  readonly candidates: string[];
  readonly argv: Arguments;
  /** What `inspect` found in the context yargs completed in. */
  readonly context?: C;
}

/**
 * What yargs offers for the last of `words`, from a parser made with yargsCompletionArgs;
 * `inspect` looks at the parser in the (sub)command context it completes in.
 */
export async function yargsCandidates<T, C>(
  parser: Argv<T>,
  words: readonly string[],
  inspect: () => C,
): Promise<YargsCompletion<C>> {
  let found: YargsCompletion<C> = { candidates: [], argv: { _: [], $0: '' } };
  // yargs prints what it finds in commands' own contexts; a completion function is handed it.
  await parser
    .completion(COMPLETE_COMMAND, false, ((_current, argv, complete, done) => {
      complete((_error, candidates) => {
        found = { candidates: candidates ?? [], argv, context: inspect() };
        done([]);
      });
    }) satisfies FallbackCompletionFunction)
    .parseAsync(yargsCompletionArgs(words), {}, () => {});
  return found;
}

/**
 * What the word being completed is, when its candidates come from the snapshot: a namespace
 * (the value of -n), a target (a target positional of check, scaffold fix), a policy or a
 * target (explain's), or neither.
 */
function snapshotSlot(
  words: readonly string[],
  argv: Pick<Arguments, '_'>,
): SnapshotSlot | undefined {
  if (NAMESPACE_OPTIONS.has(words.at(-2) ?? '')) return 'namespace';
  const positionals = argv._.map(String);
  // yargs parses the word being completed as an empty positional unless it is an option's value.
  if (positionals.at(-1) !== '') return undefined;
  const slot = TARGET_POSITIONALS.find(({ command }) =>
    command.every((word, index) => positionals[index] === word),
  );
  if (!slot) return undefined;
  const position = positionals.length - 1 - slot.command.length;
  return position < slot.count ? slot.slot : undefined;
}

/**
 * The names from the snapshot that finish the word being completed (namespaces after -n,
 * targets where check, explain and scaffold fix take them), or undefined when yargs answers.
 */
export async function snapshotCandidates(
  words: readonly string[],
  argv: Arguments,
  env: NodeJS.ProcessEnv,
): Promise<TargetCandidate[] | undefined> {
  const slot = snapshotSlot(words, argv);
  if (!slot) return undefined;
  // Loaded only here: reading a snapshot needs the engine and the cluster client.
  const { snapshotNames } = await import('./completion-names.js');
  return snapshotNames(argv, env, slot, words.at(-1) ?? '');
}

/**
 * The answer to `__complete` with names from the snapshot, each with its description after a
 * tab as cobra's shells read it (none for `__completeNoDesc`): no space after a `PREFIX/`.
 */
export function snapshotReply(
  candidates: readonly TargetCandidate[],
  descriptions: boolean,
): string {
  const lines = candidates.map((candidate) =>
    descriptions ? `${candidate.text}\t${candidateDescription(candidate)}` : candidate.text,
  );
  const prefix = candidates.some((candidate) => candidate.text.endsWith('/'));
  const directive = DIRECTIVE.noFileCompletion | (prefix ? DIRECTIVE.noSpace : 0);
  return [...lines, `:${directive}`, ''].join('\n');
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
  // `-o jsonpath=` goes on with the template: no space after it.
  const template = matching.length > 0 && matching.every((candidate) => candidate.endsWith('='));
  const directive = DIRECTIVE.noFileCompletion | (template ? DIRECTIVE.noSpace : 0);
  return [...matching, `:${directive}`, ''].join('\n');
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
      # A description follows a tab: bash lists values only.
      ?*) COMPREPLY+=("\${line%%$'\\t'*}") ;;
    esac
  done < <(kubectl-netpol ${COMPLETE_COMMAND} "$@" 2>/dev/null)
  # Directive 2: no space after the word (a NAMESPACE/ to go on); 4: no file names.
  if (( directive & 2 )); then compopt -o nospace 2>/dev/null; fi
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
  local line value directive=0
  local -a candidates displays
  for line in "\${(@f)$(kubectl-netpol ${COMPLETE_COMMAND} "$@" 2>/dev/null)}"; do
    case $line in
      :*) directive=\${line#:} ;;
      ?*)
        # VALUE<TAB>DESCRIPTION: offer VALUE, listed as "VALUE  -- DESCRIPTION".
        value=\${line%%$'\\t'*}
        candidates+=("$value")
        if [[ $line == *$'\\t'* ]]; then
          displays+=("$value  -- \${line#*$'\\t'}")
        else
          displays+=("$value")
        fi
        ;;
    esac
  done
  if (( \${#candidates} && (directive & 2) )); then
    compadd -S '' -l -d displays -a candidates
  elif (( \${#candidates} )); then
    compadd -l -d displays -a candidates
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

const FISH_SCRIPT = `# fish completion for kubectl-netpol. \`kubectl netpol ...\` is completed by kubectl's own
# completion (kubectl completion fish), which runs kubectl_complete-netpol.
# Load it with: kubectl-netpol completion fish | source

# Prints kubectl-netpol's candidates for the command line; files when the answer allows them.
function __kubectl_netpol_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    set -l directive 0
    for line in (kubectl-netpol ${COMPLETE_COMMAND} $words "$current" 2>/dev/null)
        switch $line
            case ':*'
                set directive (string sub -s 2 -- $line)
            case '?*'
                # VALUE<TAB>DESCRIPTION is fish's own form: it lists the description beside.
                echo $line
        end
    end
    # Directive 4: no file names.
    if test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path "$current"
    end
end
complete -c kubectl-netpol -f -a '(__kubectl_netpol_complete)'
`;

const POWERSHELL_SCRIPT = `# PowerShell completion for kubectl-netpol. \`kubectl netpol ...\` is completed by kubectl's
# own completion (kubectl completion powershell), which runs kubectl_complete-netpol.
# Load it with: kubectl-netpol completion powershell | Out-String | Invoke-Expression

Register-ArgumentCompleter -CommandName 'kubectl-netpol' -Native -ScriptBlock {
    param($WordToComplete, $CommandAst, $CursorPosition)
    # The words after the plugin name, up to the cursor, the one being completed last.
    $words = @($CommandAst.CommandElements |
        Where-Object { $_.Extent.StartOffset -lt $CursorPosition } |
        Select-Object -Skip 1 |
        ForEach-Object { $_.ToString() })
    # Before PowerShell 7.3 an empty argument does not reach a native command unless quoted.
    $legacy = $PSVersionTable.PSVersion -lt [version]'7.3' -or $PSNativeCommandArgumentPassing -eq 'Legacy'
    if ($WordToComplete -eq '') { $words += $(if ($legacy) { '""' } else { '' }) }
    $directive = 0
    $candidates = foreach ($line in @(& kubectl-netpol ${COMPLETE_COMMAND} @words 2>$null)) {
        if ($line -match '^:(\\d+)$') { $directive = [int]$Matches[1] }
        elseif ($line -ne '') { $line }
    }
    foreach ($candidate in $candidates) {
        # VALUE<TAB>DESCRIPTION: the description is the tooltip.
        $value, $description = $candidate -split "\`t", 2
        if (-not $description) { $description = $value }
        [System.Management.Automation.CompletionResult]::new($value, $value, 'ParameterValue', $description)
    }
    # Directive 4: no file names; otherwise PowerShell offers paths when nothing is returned.
    if (-not $candidates -and ($directive -band 4)) { '' }
}
`;

/** The completion script of each shell. */
const SCRIPTS: Readonly<Record<(typeof SHELLS)[number], string>> = {
  bash: BASH_SCRIPT,
  zsh: ZSH_SCRIPT,
  fish: FISH_SCRIPT,
  powershell: POWERSHELL_SCRIPT,
};
