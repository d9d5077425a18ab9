import type { Screen } from './state.js';

/** A screen ":" jumps to, by kubectl's resource names for it: short, plural, singular. */
interface Jump {
  readonly names: readonly string[];
  readonly screen: Screen;
  /** Whether `:NAME NAMESPACE` narrows the screen to a namespace. */
  readonly namespaced: boolean;
}

const JUMPS: readonly Jump[] = [
  { names: ['ns', 'namespaces', 'namespace'], screen: { id: 'namespaces' }, namespaced: false },
  { names: ['po', 'pods', 'pod'], screen: { id: 'pods' }, namespaced: true },
  {
    names: ['netpol', 'networkpolicies', 'networkpolicy', 'np'],
    screen: { id: 'policies' },
    namespaced: true,
  },
  { names: ['svc', 'services', 'service'], screen: { id: 'services' }, namespaced: true },
  {
    names: ['cnp', 'clusternetworkpolicies', 'clusternetworkpolicy'],
    screen: { id: 'cluster-policies' },
    namespaced: false,
  },
  { names: ['audit'], screen: { id: 'audit' }, namespaced: false },
  { names: ['matrix'], screen: { id: 'matrix' }, namespaced: true },
];

/** The ":" commands that are not jumps. */
const OTHER_COMMANDS = ['ctx', 'context', 'q', 'quit'];

/** Every ":" command name, jumps first, for completion. */
export const COMMAND_NAMES: readonly string[] = [
  ...JUMPS.flatMap((jump) => jump.names),
  ...OTHER_COMMANDS,
];

/** The jumps as the help and the footer list them: `:ns`, `:po [NS]`, ... */
export const JUMP_HELP = JUMPS.map(
  (jump) => `:${jump.names[0]}${jump.namespaced ? ' [NS]' : ''}`,
).join(' ');

/** The jump a ":" command names, or undefined. */
export function jumpNamed(name: string): Jump | undefined {
  return JUMPS.find((jump) => jump.names.includes(name.toLowerCase()));
}
