import { type ChainRule, mainReading, type RuleChain } from '../compile/chains.js';
import { NO_NAMED_PORTS } from '../compile/named-ports.js';
import { admittedPorts } from '../evaluate/kernel.js';
import type { SidePorts } from '../evaluate/side-ports.js';
import {
  isEmptyPortSet,
  MAX_PORT,
  MIN_PORT,
  type PortSet,
  portSetAllows,
} from '../primitives/port-set.js';
import { DNS_SERVICE_PORT } from './cluster-dns.js';
import {
  agreedOutcome,
  type DnsOutcome,
  type DnsProtocol,
  type DnsServerDoubt,
} from './dns-outcome.js';
import { ruleReachesUnseenPods } from './dns-peers.js';
import type { UnseenDnsServer, UnseenPodReach } from './unseen-reach.js';

/** What an egress rule admits over one protocol before any DNS pod resolves its port names. */
interface RulePorts {
  /** The rule's index in its chain. */
  readonly index: number;
  /** The numbered ports. */
  readonly admitted: PortSet;
  /** The port names, which only the DNS pods resolve. */
  readonly names: readonly string[];
}

/**
 * The port the DNS pods take lookups on, as rules are judged against it: one of some numbers
 * (with `othersMay`, any other port too: no Service says which, 53 is only assumed), or the
 * number a named targetPort stands for on pods the input does not hold.
 */
type DnsPortQuestion =
  | { readonly kind: 'numbers'; readonly ports: readonly number[]; readonly othersMay: boolean }
  | { readonly kind: 'named'; readonly targetPort: string };

/** Whether a port set admits every port of a protocol. */
function admitsEveryPort(set: PortSet, protocol: DnsProtocol): boolean {
  const [only, ...others] = set[protocol];
  return others.length === 0 && only?.[0] === MIN_PORT && only[1] === MAX_PORT;
}

/**
 * Whether a rule's ports admit the DNS pods' port: surely by number (or, for a named targetPort,
 * by that name, or by admitting every port); maybe where a name of the protocol may resolve to
 * it on the DNS pods, or another number may be it; else not.
 */
function portReach(
  { admitted, names }: RulePorts,
  question: DnsPortQuestion,
  protocol: DnsProtocol,
): UnseenPodReach {
  const numbered = admitted[protocol].length > 0;
  if (question.kind === 'named') {
    if (names.includes(question.targetPort) || admitsEveryPort(admitted, protocol)) return 'yes';
    return names.length > 0 || numbered ? 'maybe' : 'no';
  }
  if (question.ports.some((port) => portSetAllows(admitted, protocol, port))) return 'yes';
  return names.length > 0 || (question.othersMay && numbered) ? 'maybe' : 'no';
}

/** How one rule of a chain meets lookups to the DNS pods: by its peers and by its ports. */
interface RuleMeeting {
  readonly index: number;
  readonly peers: UnseenPodReach;
  readonly port: UnseenPodReach;
}

/** Whether a chain rule is a policy's, not traffic with the pod's own node (always allowed). */
const policyRule = (rule: ChainRule) => rule.origin.kind !== 'node-local';

/** The rules that deny what no rule of their tier admits: isolation, not a deny of its own. */
const ISOLATION: ReadonlySet<ChainRule['origin']['kind']> = new Set([
  'networkpolicy-isolation',
  'calico-tier-end',
]);

/** Beyond this many undecided conditions of rules that deny or pass, the ways are not tried. */
const MAX_TRIED = 10;

/**
 * The ways undecided conditions (rule indexes) may fall, as the rules that hold them: every
 * combination; where all their rules accept, none and all (more matching accepts admit no less).
 * Undefined when too many to try.
 */
function ways(conditions: readonly number[], monotone: boolean): ReadonlySet<number>[] | undefined {
  if (monotone) return [new Set(), new Set(conditions)];
  if (conditions.length > MAX_TRIED) return undefined;
  return Array.from(
    { length: 1 << conditions.length },
    (_, bits) => new Set(conditions.filter((_, i) => bits & (1 << i))),
  );
}

/** Whether a condition holds in one way undecided ones fall (`on`: those that do). */
const holds = (reach: UnseenPodReach, index: number, on: ReadonlySet<number>) =>
  reach === 'yes' || (reach === 'maybe' && on.has(index));

/**
 * A chain as walked on the one port lookups take: each rule's ports are folded into whether it
 * meets them (RuleMeeting), so none is left to the walk.
 */
const onTheirPort = (chain: RuleChain): RuleChain => ({
  ...chain,
  rules: chain.rules.map((rule) => ({ ...rule, ports: [] })),
});

/**
 * Where lookups to the DNS pods are cut off by a chain of any tiers, each rule meeting them
 * surely, maybe or not (`meetings`): the kernel walks the chain (admittedPorts) on the one port
 * they take, each rule's ports folded into whether it meets them, for each way its undecided
 * conditions may fall. Passing or blocked in every way is sure (blocked by port, `no-port-53`,
 * when no policy rule accepts the port at all and no deny of its own meets them, else at
 * `egress`); else UNKNOWN: where the peers
 * decide, `peers-undecided` (only rules accepting them are undecided) or `deny-undecided` (some
 * that deny or pass are); `portDoubt` where only the ports do.
 */
function chainBlock(
  chain: RuleChain,
  meetings: readonly RuleMeeting[],
  portDoubt: DnsServerDoubt,
): DnsOutcome {
  const rule = (index: number) => chain.rules[index] as ChainRule;
  const peerConditions = meetings.filter((m) => m.peers === 'maybe' && m.port !== 'no');
  const portConditions = meetings.filter((m) => m.port === 'maybe' && m.peers !== 'no');
  const monotone = [...peerConditions, ...portConditions].every(
    (m) => rule(m.index).action === 'accept',
  );
  const indexes = (conditions: readonly RuleMeeting[]) => conditions.map((m) => m.index);
  const peerWays = ways(indexes(peerConditions), monotone);
  const portWays = ways(indexes(portConditions), monotone);
  // Too many ways to try (never where all accept): the rules that deny or pass may decide.
  if (!peerWays || !portWays) return { blockedBy: 'egress', serverUnknown: 'deny-undecided' };
  const walked = onTheirPort(chain);
  const passes = (peersOn: ReadonlySet<number>, portsOn: ReadonlySet<number>) => {
    const hits = meetings
      .filter((m) => holds(m.peers, m.index, peersOn) && holds(m.port, m.index, portsOn))
      .map((m) => m.index);
    return !isEmptyPortSet(admittedPorts(walked, hits, NO_NAMED_PORTS));
  };
  // Per way the peers fall: whether the lookups pass in some way the ports fall, in some not.
  const byPeers = peerWays.map((peersOn) => {
    const answers = portWays.map((portsOn) => passes(peersOn, portsOn));
    return { pass: answers.includes(true), block: answers.includes(false) };
  });
  if (!byPeers.some((answer) => answer.block)) return {};
  if (!byPeers.some((answer) => answer.pass)) {
    // By port where no rule accepts it and none but an isolation's denies the lookups.
    const byRule = meetings.some((m) => {
      const { action, origin } = rule(m.index);
      if (action === 'accept') return m.port !== 'no' && policyRule(rule(m.index));
      return (
        action === 'deny' && !ISOLATION.has(origin.kind) && m.port !== 'no' && m.peers !== 'no'
      );
    });
    return { blockedBy: byRule ? 'egress' : 'no-port-53' };
  }
  const [first] = byPeers;
  const peersDecide = byPeers.some((a) => a.pass !== first?.pass || a.block !== first?.block);
  if (!peersDecide) return { blockedBy: 'no-port-53', serverUnknown: portDoubt };
  return { blockedBy: 'egress', serverUnknown: monotone ? 'peers-undecided' : 'deny-undecided' };
}

/** How the rules of a chain meet lookups to one unseen DNS server, and what a doubt of ports is. */
interface ServerMeetings {
  readonly meetings: readonly RuleMeeting[];
  readonly portDoubt: DnsServerDoubt;
}

/**
 * How each rule of a pod's egress chain (main reading) meets lookups to each DNS Service found
 * (`unseen`), judged on the port it sends lookups to, each rule on whether its peers can hold
 * the pods the Service selects (ruleReachesUnseenPods); with no Service (no selector to go by),
 * one server judged on 53 and ports alone, every rule accepting taken to reach them and every
 * other rule with peers maybe.
 */
function serverMeetings(
  sides: SidePorts,
  chain: RuleChain,
  unseen: readonly UnseenDnsServer[],
  protocol: DnsProtocol,
): ServerMeetings[] {
  const { analysis } = sides;
  const ports = mainReading(chain.rules).map((index): RulePorts => {
    const rule = chain.rules[index] as ChainRule;
    return {
      index,
      admitted: sides.get(sides.ruleAdmits(rule.ports, undefined)),
      names: rule.ports.flatMap((p) =>
        p.protocol === protocol && typeof p.port === 'string' ? [p.port] : [],
      ),
    };
  });
  if (unseen.length === 0) {
    const assumed = { kind: 'numbers', ports: [DNS_SERVICE_PORT], othersMay: true } as const;
    const meetings = ports.map((p): RuleMeeting => {
      const rule = chain.rules[p.index] as ChainRule;
      const sure = rule.action === 'accept' || rule.peers.length === 0;
      const peers = !policyRule(rule) ? 'no' : sure ? 'yes' : 'maybe';
      return { index: p.index, peers, port: portReach(p, assumed, protocol) };
    });
    return [{ meetings, portDoubt: 'no-dns-pods' }];
  }
  return unseen.map((server) => {
    const unresolved = server.unresolvedPorts?.find((p) => p.protocol === protocol);
    const question: DnsPortQuestion = unresolved
      ? { kind: 'named', targetPort: unresolved.targetPort }
      : {
          kind: 'numbers',
          ports: server.ports.flatMap((p) => (p.protocol === protocol ? [p.port] : [])),
          othersMay: false,
        };
    const meetings = ports.map((p) => ({
      index: p.index,
      peers: ruleReachesUnseenPods(analysis, chain.rules[p.index] as ChainRule, server),
      port: portReach(p, question, protocol),
    }));
    return { meetings, portDoubt: unresolved ? 'target-port-unresolved' : 'no-dns-pods' };
  });
}

/**
 * Where a pod's lookups over one protocol are cut off when the input holds none of the DNS pods
 * taking them: the rules of every tier governing its egress (`chain`: its own, main reading) are
 * all there is to judge, as serverMeetings meets them with each DNS Service found.
 */
export function unseenServersBlock(
  sides: SidePorts,
  podIdx: number,
  unseen: readonly UnseenDnsServer[],
  protocol: DnsProtocol,
  chain: RuleChain = sides.analysis.chains.of('egress', podIdx),
): DnsOutcome {
  const servers = serverMeetings(sides, chain, unseen, protocol);
  return agreedOutcome(
    servers.map(({ meetings, portDoubt }) => chainBlock(chain, meetings, portDoubt)),
  );
}

/**
 * The rules that deny lookups to unseen DNS pods, from the kernel's walk of `chain` in the way
 * most open to them (rules that accept matching where they may, those that deny or pass only
 * where they surely do): the deny ending the walk, for each DNS Service found. Empty when the
 * lookups pass that way to some Service.
 */
export function unseenDnsDeniers(
  sides: SidePorts,
  chain: RuleChain,
  unseen: readonly UnseenDnsServer[],
  protocol: DnsProtocol,
): ChainRule[] {
  const deniers = serverMeetings(sides, chain, unseen, protocol).map(({ meetings }) => {
    const hits = meetings.flatMap((m) => {
      const { action } = chain.rules[m.index] as ChainRule;
      const open =
        action === 'accept'
          ? m.peers !== 'no' && m.port !== 'no'
          : m.peers === 'yes' && m.port === 'yes';
      return open ? [m.index] : [];
    });
    let last: number | undefined;
    admittedPorts(onTheirPort(chain), hits, NO_NAMED_PORTS, undefined, (index) => {
      last = index;
    });
    const rule = last === undefined ? undefined : chain.rules[last];
    return rule?.action === 'deny' ? rule : undefined;
  });
  return deniers.every((rule) => rule !== undefined) ? [...new Set(deniers)] : [];
}
