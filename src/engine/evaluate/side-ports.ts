import type { RuleChain } from '../compile/chains.js';
import type { Analysis, Direction } from '../compile/compile.js';
import { addressEndpoint, podEndpoint } from '../compile/endpoint.js';
import { NO_NAMED_PORTS, type PortResolver } from '../compile/named-ports.js';
import type { PolicyPort } from '../model/types.js';
import type { PortSet } from '../primitives/port-set.js';
import { familyView, flowFamilies, mayHaveDualStackPods } from './address-families.js';
import { ConnectionEvaluator, endpointPeerTest } from './connections.js';
import { rulePortSet } from './port-match.js';
import { PortSetTable } from './port-set-table.js';

/**
 * The audit's and the effect preview's door to the evaluator: what one side of a connection
 * between two pods admits,
 * as interned port sets (ids), so that checks over many pairs compare and intersect cheaply.
 */
export class SidePorts {
  /** The id of the empty port set. */
  static readonly NONE = PortSetTable.EMPTY;
  private readonly evaluator: ConnectionEvaluator;
  /** Whether some pod may be dual-stack: asked once, not for every pair. */
  private readonly dualStack: boolean;

  constructor(readonly analysis: Analysis) {
    this.evaluator = new ConnectionEvaluator(analysis);
    this.dualStack = mayHaveDualStackPods(analysis);
  }

  /**
   * What the policies of pod `subject` admit in `direction` with pod `other` (egress: subject
   * sends to other; ingress: other sends to subject); the full set when none restricts it.
   * `view` is the analysis whose addresses the other side is matched by (a family's).
   */
  side(direction: Direction, subject: number, other: number, view = this.analysis): number {
    const destination = direction === 'egress' ? other : subject;
    const subjectEndpoint = podEndpoint(this.analysis, subject);
    const otherEndpoint = podEndpoint(this.analysis, other);
    return this.evaluator.side(
      direction,
      subjectEndpoint,
      endpointPeerTest(view, otherEndpoint, 'outside', subjectEndpoint),
      podEndpoint(this.analysis, destination),
      otherEndpoint,
    );
  }

  /**
   * `side` for a connection whose answer depends on the address family it takes (a dual-stack
   * pod takes part and an ipBlock sees it, see flowFamilies): the ports every family the two
   * pods can use admits, as connectionId answers it. Undefined for any other connection, for
   * which `side` (or `sideOfHits`) holds over each family alike.
   */
  sideOverFamilies(direction: Direction, subject: number, other: number): number | undefined {
    if (!this.dualStack) return undefined;
    const [source, destination] = direction === 'egress' ? [subject, other] : [other, subject];
    const families = flowFamilies(
      this.analysis,
      podEndpoint(this.analysis, source),
      podEndpoint(this.analysis, destination),
    );
    return families
      ?.map((family) => this.side(direction, subject, other, familyView(this.analysis, family)))
      .reduce((common, id) => this.intersect(common, id));
  }

  /**
   * `side` for a hit set found by the caller: what `chain` admits when the rules of hit set
   * `hits` (see `withHit`; 0: none) match the other side, named ports resolved on pod
   * `destination`; the full set for a chain without rules.
   */
  sideOfHits(chain: RuleChain, hits: number, destination: number): number {
    return this.evaluator.answers.answer(chain, hits, destination);
  }

  /** The hit set `hits` plus the rule at `ruleIndex`, which must exceed every rule in it. */
  withHit(hits: number, ruleIndex: number): number {
    return this.evaluator.answers.extend(hits, ruleIndex);
  }

  /** What pod `source`'s egress admits to an address (a pod's, or one outside the pods). */
  egressTo(source: number, ip: string): number {
    const destination = addressEndpoint(this.analysis, ip);
    if (!destination) return SidePorts.NONE;
    const sourceEndpoint = podEndpoint(this.analysis, source);
    return this.evaluator.side(
      'egress',
      sourceEndpoint,
      endpointPeerTest(this.analysis, destination, 'outside', sourceEndpoint),
      destination,
      destination,
    );
  }

  /** What source may send to destination: both sides; everything for a pod to itself. */
  connection(source: number, destination: number): number {
    return this.evaluator.connectionId(
      podEndpoint(this.analysis, source),
      podEndpoint(this.analysis, destination),
    );
  }

  /**
   * What a rule's port list admits, named ports resolved on pod `destination` (undefined: on
   * no pod, so named ports admit nothing).
   */
  ruleAdmits(ports: readonly PolicyPort[], destination: number | undefined): number {
    const resolve: PortResolver =
      destination === undefined
        ? NO_NAMED_PORTS
        : (this.analysis.namedPorts.resolvers[destination] ?? NO_NAMED_PORTS);
    return this.evaluator.table.intern(rulePortSet(ports, resolve));
  }

  /** The id of the intersection of two ids. */
  intersect(a: number, b: number): number {
    return this.evaluator.table.intersect(a, b);
  }

  /** The port set of an id. */
  get(id: number): PortSet {
    return this.evaluator.table.get(id);
  }
}
