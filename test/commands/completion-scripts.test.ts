import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** Each completion a shell asks for starts node: slow on a busy machine. */
const SHELL_TIMEOUT = 60_000;

// Stands for kubectl's own completion, loaded before ours as the script's comment says.
const BASH_HARNESS = `
__kubectl_own() { COMPREPLY=(from-kubectl-completion); }
complete -o default -F __kubectl_own kubectl
for _ in $(seq "$SOURCE_TIMES"); do source "$SCRIPT"; done
COMP_WORDS=("$@")
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
[[ $(complete -p "$1") =~ -F[[:space:]]([^[:space:]]+) ]]
"\${BASH_REMATCH[1]}" "$1" "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"
`;

describe('kubectl netpol completion bash, loaded in bash', { timeout: SHELL_TIMEOUT }, () => {
  let script = '';
  beforeAll(async () => {
    if (!existsSync('dist/src/cli.js')) throw new Error('bin/kubectl-netpol needs `npm run build`');
    script = join(mkdtempSync(join(tmpdir(), 'netpol-completion-')), 'kubectl-netpol.bash');
    writeFileSync(script, (await runCli(['completion', 'bash'])).stdout);
  });

  /** What bash offers for the words, the last being completed, as the user presses tab. */
  function complete(words: readonly string[], sourceTimes = 1): string[] {
    const run = spawnSync('bash', ['--norc', '--noprofile', '-c', BASH_HARNESS, 'bash', ...words], {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      env: {
        PATH: [dirname(process.execPath), resolve('bin'), process.env.PATH].join(delimiter),
        SCRIPT: script,
        SOURCE_TIMES: String(sourceTimes),
      },
    });
    expect(run.stderr).toBe('');
    return run.stdout.split('\n').filter((line) => line !== '');
  }

  it('completes kubectl netpol commands and flags', () => {
    expect(complete(['kubectl', 'netpol', 'ch'])).toEqual(['check']);
    expect(complete(['kubectl', 'netpol', 'scaffold', 'allow', '--from-n'])).toEqual([
      '--from-namespace',
    ]);
  });

  it('completes kubectl-netpol run directly', () => {
    expect(complete(['kubectl-netpol', 'completion', ''])).toEqual([
      'bash',
      'zsh',
      'fish',
      'powershell',
    ]);
  });

  it('completes targets from the snapshot the words name, with no space after NAMESPACE/', () => {
    expect(complete(['kubectl', 'netpol', 'check', '--demo', '-n', 'production', 'svc/a'])).toEqual(
      ['svc/api'],
    );
    // The answer describes each name after a tab: bash offers the names alone.
    expect(complete(['kubectl-netpol', 'explain', '--demo', 'stag'])).toEqual(['staging/']);
    expect(complete(['kubectl-netpol', '--demo', '-n', 'tenant-'])).toEqual([
      'tenant-a',
      'tenant-b',
      'tenant-c',
    ]);
  });

  it('hands other kubectl commands to kubectl’s completion, even when sourced twice', () => {
    expect(complete(['kubectl', 'get', ''])).toEqual(['from-kubectl-completion']);
    expect(complete(['kubectl', 'get', ''], 2)).toEqual(['from-kubectl-completion']);
  });
});

// zsh's completion builtins stubbed: compadd prints what it would list (its -d display strings
// when given, else the values), _files says FILES.
const ZSH_HARNESS = `
typeset -A _comps
__kubectl_own() { print from-kubectl-completion }
compdef() { _comps[$2]=$1 }
compdef __kubectl_own kubectl
compadd() {
  local -a shown
  while (( $# )); do
    case $1 in
      -S) shift 2 ;;
      -d) shown=("\${(@P)2}"); shift 2 ;;
      -a) (( \${#shown} )) || shown=("\${(@P)2}"); shift 2 ;;
      *) shift ;;
    esac
  done
  print -l -- "\${shown[@]}"
}
_files() { print FILES }
source "$SCRIPT"
source "$SCRIPT"
words=("$@")
CURRENT=$#words
"$_comps[$1]"
`;
const zshMissing =
  spawnSync('zsh', ['--version']).status === 0 ? undefined : 'zsh is not installed';

describe.skipIf(zshMissing !== undefined)(
  `kubectl netpol completion zsh, loaded in zsh${zshMissing ? ` (skipped: ${zshMissing})` : ''}`,
  { timeout: SHELL_TIMEOUT },
  () => {
    let script = '';
    beforeAll(async () => {
      script = join(mkdtempSync(join(tmpdir(), 'netpol-completion-')), 'kubectl-netpol.zsh');
      writeFileSync(script, (await runCli(['completion', 'zsh'])).stdout);
    });

    function complete(words: readonly string[]): string[] {
      const run = spawnSync('zsh', ['-f', '-c', ZSH_HARNESS, 'zsh', ...words], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: [dirname(process.execPath), resolve('bin'), process.env.PATH].join(delimiter),
          SCRIPT: script,
        },
      });
      expect(run.stderr).toBe('');
      return run.stdout.split('\n').filter((line) => line !== '');
    }

    it('completes kubectl netpol and kubectl-netpol, files for -f', () => {
      expect(complete(['kubectl', 'netpol', 'ch'])).toEqual(['check']);
      expect(complete(['kubectl-netpol', 'scaffold', 'allow', '--from-n'])).toEqual([
        '--from-namespace',
      ]);
      expect(complete(['kubectl', 'netpol', '-f', ''])).toEqual(['FILES']);
    });

    it('hands other kubectl commands to kubectl’s completion, though sourced twice', () => {
      expect(complete(['kubectl', 'get', ''])).toEqual(['from-kubectl-completion']);
    });

    it('lists snapshot names with their descriptions', () => {
      expect(complete(['kubectl-netpol', 'explain', '--demo', 'stag'])).toEqual([
        'staging/  -- Namespace, 4 pods',
      ]);
      expect(complete(['kubectl', 'netpol', 'explain', '--demo', 'cnp/p'])).toEqual([
        'cnp/protect-kube-system  -- ClusterNetworkPolicy, Admin tier, priority 10',
      ]);
    });
  },
);

const shellMissing = (shell: string) =>
  spawnSync(shell, ['--version']).status === 0 ? undefined : `${shell} is not installed`;

describe('kubectl netpol completion fish and powershell', () => {
  it('ask kubectl-netpol __complete and register for kubectl-netpol', async () => {
    const fish = (await runCli(['completion', 'fish'])).stdout;
    expect(fish).toContain('kubectl-netpol __complete $words "$current"');
    expect(fish).toContain("complete -c kubectl-netpol -f -a '(__kubectl_netpol_complete)'");
    const powershell = (await runCli(['completion', 'powershell'])).stdout;
    expect(powershell).toContain('& kubectl-netpol __complete @words');
    expect(powershell).toContain(
      "Register-ArgumentCompleter -CommandName 'kubectl-netpol' -Native",
    );
    expect(powershell).toContain("'^:(\\d+)$'");
    // A description after a tab becomes the tooltip, the value alone is inserted.
    expect(powershell).toContain('$value, $description = $candidate -split "`t", 2');
  });

  it.skipIf(shellMissing('fish') !== undefined)('the fish script parses', async () => {
    const script = (await runCli(['completion', 'fish'])).stdout;
    const run = spawnSync('fish', ['--no-execute', '-c', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
  });

  it.skipIf(shellMissing('fish') !== undefined)(
    'fish completes with the script loaded, descriptions beside the names',
    async () => {
      const script = join(mkdtempSync(join(tmpdir(), 'netpol-completion-')), 'kubectl-netpol.fish');
      writeFileSync(script, (await runCli(['completion', 'fish'])).stdout);
      const complete = (line: string) => {
        const run = spawnSync(
          'fish',
          ['--no-config', '-c', `source $SCRIPT; complete -C"${line}"`],
          {
            encoding: 'utf8',
            env: {
              PATH: [dirname(process.execPath), resolve('bin'), process.env.PATH].join(delimiter),
              SCRIPT: script,
            },
          },
        );
        expect(run.stderr).toBe('');
        return run.stdout.split('\n').filter((out) => out !== '');
      };
      expect(complete('kubectl-netpol ch')).toEqual(['check']);
      expect(complete('kubectl-netpol explain --demo stag')).toEqual([
        'staging/\tNamespace, 4 pods',
      ]);
    },
    SHELL_TIMEOUT,
  );

  it.skipIf(shellMissing('pwsh') !== undefined)('the PowerShell script parses', async () => {
    const script = (await runCli(['completion', 'powershell'])).stdout;
    const check = `$e = $null; [System.Management.Automation.Language.Parser]::ParseInput($env:SCRIPT, [ref]$null, [ref]$e) | Out-Null; $e.Count`;
    const run = spawnSync('pwsh', ['-NoProfile', '-Command', check], {
      encoding: 'utf8',
      env: { ...process.env, SCRIPT: script },
    });
    expect(run.stdout.trim()).toBe('0');
  });
});
