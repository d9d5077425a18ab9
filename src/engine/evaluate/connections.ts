import type { Analysis, CompiledPolicy, Direction } from '../compile/compile.js';
import { type Endpoint, endpointChain, isTrafficToItself } from '../compile/endpoint.js';
import type { AddressFamily } from '../compile/pod-addresses.js';
import type { PortSet } from '../primitives/port-set.js';
import {
  type FamilyName,
  familyView,
  flowFamilies,
  mayHaveDualStackPods,
} from './address-families.js';
import { ChainAnswers } from './chain-answers.js';
import type { PeerTest } from './kernel.js';
import { podOf } from './node-local.js';
import { peerMatchesPod, peerMiss } from './peer-match.js';
import { PortSetTable } from './port-set-table.js';
import type { IpAssumption } from './unknown-ip.js';

/** The NetworkPolicies isolating an endpoint in a direction; empty when none governs it. */
export function restrictingPolicies(
  analysis: Analysis,
  endpoint: Endpoint,
  direction: Direction,
): readonly CompiledPolicy[] {
  return endpointChain(analysis, endpoint, direction).isolatedBy;
}

/**
 * The test "this peer matches that endpoint", evaluated directly; an ipBlock admitting part of
 * where the endpoint's unknown IP may lie matches as the assumption says. `subject`, the
 * endpoint whose chain the peers are of, anchors node-host peers (absent: its node is unknown).
 */
export function endpointPeerTest(
  analysis: Analysis,
  endpoint: Endpoint,
  assumption: IpAssumption = 'outside',
  subject?: Endpoint,
): PeerTest {
  const anchor = subject && podOf(subject);
  return endpoint.kind === 'pod'
    ? (peer, namespace) =>
        peerMatchesPod(analysis, peer, namespace, endpoint.podIdx, assumption, anchor)
    : (peer, namespace) =>
        !peerMiss(analysis, peer, namespace, endpoint, assumption, undefined, anchor);
}

/** The index of a destination pod for the kernel's answers; -1 outside the cluster. */
function destinationIndex(endpoint: Endpoint): number {
  return endpoint.kind === 'pod' ? endpoint.podIdx : -1;
}

/** Computes allowed connections between endpoints as interned port sets, through the kernel. */
export class ConnectionEvaluator {
  /** The kernel's memoised answers by hit set, for callers that find the hit sets themselves. */
  readonly answers: ChainAnswers;
  /** Whether a connection may take one of two families: asked once, not for every pair. */
  private readonly dualStack: boolean;

  constructor(
    readonly analysis: Analysis,
    table?: PortSetTable,
  ) {
    this.answers = new ChainAnswers(analysis.namedPorts, table);
    this.dualStack = mayHaveDualStackPods(analysis);
  }

  /** Interned port sets of every answer. */
  get table(): PortSetTable {
    return this.answers.table;
  }

  /**
   * The interned ports that what governs `subject` in `direction` admits, where `peerTest`
   * says which peers match the other side and `destination` is where named ports resolve.
   * `other`, the other side when the test is about it, spares rules that cannot match it.
   */
  side(
    direction: Direction,
    subject: Endpoint,
    peerTest: PeerTest,
    destination: Endpoint,
    other?: Endpoint,
  ): number {
    const chain = endpointChain(this.analysis, subject, direction);
    if (chain.rules.length === 0) return PortSetTable.FULL;
    const node = this.answers.hitsOf(chain, peerTest, other);
    return this.answers.answer(chain, node, destinationIndex(destination));
  }

  /** The interned ports every reading of what governs `subject` admits: `side` for sure. */
  sideAgreed(
    direction: Direction,
    subject: Endpoint,
    peerTest: PeerTest,
    destination: Endpoint,
  ): number {
    const chain = endpointChain(this.analysis, subject, direction);
    if (chain.rules.length === 0) return PortSetTable.FULL;
    const node = this.answers.hitsOf(chain, peerTest);
    return this.answers.agreed(chain, node, destinationIndex(destination));
  }

  /**
   * The interned connections from source to destination: egress AND ingress; self is open.
   * With `inside`, those some IP of a side whose IP is unknown gets; else those all IPs get.
   */
  connectionId(
    source: Endpoint,
    destination: Endpoint,
    assumption: IpAssumption = 'outside',
  ): number {
    if (isTrafficToItself(source, destination)) return PortSetTable.FULL;
    // Where a dual-stack pod takes part, those every family the connection can use admits.
    const families = this.familiesOf(source, destination);
    if (!families) return this.connectionOver(this.analysis, source, destination, assumption);
    return families
      .map((family) => this.connectionOverFamily(family, source, destination, assumption))
      .reduce((common, id) => this.table.intersect(common, id));
  }

  /**
   * The interned connections over each address family, for a flow that may take either (a
   * dual-stack pod takes part and a rule governing it matches addresses); undefined for any
   * other flow, whose connectionId holds for each family it can use.
   */
  familyConnectionIds(
    source: Endpoint,
    destination: Endpoint,
    assumption: IpAssumption = 'outside',
  ): Readonly<Record<FamilyName, number>> | undefined {
    if (isTrafficToItself(source, destination)) return undefined;
    if (this.familiesOf(source, destination)?.length !== 2) return undefined;
    return {
      IPv4: this.connectionOverFamily(4, source, destination, assumption),
      IPv6: this.connectionOverFamily(6, source, destination, assumption),
    };
  }

  /** The families a flow can use, when a dual-stack pod takes part: see flowFamilies. */
  private familiesOf(source: Endpoint, destination: Endpoint) {
    return this.dualStack ? flowFamilies(this.analysis, source, destination) : undefined;
  }

  /** connectionId with the endpoints' addresses of one family. */
  private connectionOverFamily(
    family: AddressFamily,
    source: Endpoint,
    destination: Endpoint,
    assumption: IpAssumption,
  ): number {
    return this.connectionOver(familyView(this.analysis, family), source, destination, assumption);
  }

  /** connectionId with the endpoints' addresses as `view` (this analysis, or a family's) has them. */
  private connectionOver(
    view: Analysis,
    source: Endpoint,
    destination: Endpoint,
    assumption: IpAssumption,
  ): number {
    const egress = this.side(
      'egress',
      source,
      endpointPeerTest(view, destination, assumption, source),
      destination,
      destination,
    );
    if (egress === PortSetTable.EMPTY) return egress;
    const ingress = this.side(
      'ingress',
      destination,
      endpointPeerTest(view, source, assumption, destination),
      destination,
      source,
    );
    return this.table.intersect(egress, ingress);
  }
}

/**
 * Every protocol and port on which source may connect to destination; with `inside`, for some
 * IP of a side whose IP is unknown rather than for all.
 */
export function allowedConnections(
  analysis: Analysis,
  source: Endpoint,
  destination: Endpoint,
  assumption: IpAssumption = 'outside',
): PortSet {
  const evaluator = new ConnectionEvaluator(analysis);
  return evaluator.table.get(evaluator.connectionId(source, destination, assumption));
}
