/**
 * The hidden command that answers completion requests, named and shaped as cobra's: kubectl
 * (1.26+) runs `kubectl_complete-netpol WORDS...`, which runs `kubectl-netpol __complete WORDS...`.
 */
export const COMPLETE_COMMAND = '__complete';

/** The same without descriptions, as cobra names it (its shells ask for it when told to). */
export const COMPLETE_NO_DESC_COMMAND = '__completeNoDesc';

/** Whether the command line asks for completions (`__complete` or `__completeNoDesc`). */
export function isCompletionRequest(argv: readonly string[]): boolean {
  return argv[0] === COMPLETE_COMMAND || argv[0] === COMPLETE_NO_DESC_COMMAND;
}
