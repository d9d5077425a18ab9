import type { Direction, PolicyRef } from '../compile/compile.js';
import type { PeerMiss } from './peer-miss.js';
import type { PortMiss } from './port-match.js';

/** Why one rule of an isolating policy did not allow a connection. */
export interface RuleMiss {
  readonly policy: PolicyRef;
  readonly direction: Direction;
  readonly ruleIndex: number;
  /** Why each peer failed; empty when a peer (or the absence of peers) matched. */
  readonly peerMisses: readonly PeerMiss[];
  /** Why each port entry failed; empty when a port entry (or the absence of ports) matched. */
  readonly portMisses: readonly PortMiss[];
}
