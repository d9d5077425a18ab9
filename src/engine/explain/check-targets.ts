import type { Enforcement } from '../cni/detect.js';
import type { Analysis } from '../compile/compile.js';
import {
  type PortSpec,
  type PortSpecProblem,
  parsePortSpec,
  type ResolvedTarget,
  resolvedId,
  resolveTarget,
  type ServiceAddress,
  type TargetProblem,
} from '../compile/targets.js';
import { type DirectionDiagnosis, diagnoseFlow } from '../diagnose/flow-diagnosis.js';
import { evaluateFlow, type FlowVerdict, type Outcome } from '../evaluate/evaluate.js';
import { ok, type Result } from '../model/result.js';
import type { Protocol } from '../model/types.js';
import { type ServiceIpCaveat, serviceIpCaveats } from './service-ip-caveats.js';

/** One concrete flow of a check between targets, with its verdict or why none was possible. */
export interface CheckedFlow {
  readonly from: string;
  readonly to: string;
  /** How the destination port was found, e.g. through a service. */
  readonly via?: string;
  readonly verdict?: FlowVerdict;
  /** For a denied verdict: each denied direction's closest rules and fix. */
  readonly diagnosis?: readonly DirectionDiagnosis[];
  /** Set when no verdict was possible (a named port that does not resolve). */
  readonly problem?: string;
  /** ipBlocks deciding the verdict that contain Service ClusterIPs; absent when none. */
  readonly caveats?: readonly ServiceIpCaveat[];
}

/** What a user asks: "can SOURCE reach DESTINATION on PORT?", as typed. */
export interface CheckQuestion {
  readonly source: string;
  readonly destination: string;
  readonly port: string | number;
  /** undefined: a service port's own protocol, else TCP. */
  readonly protocol?: Protocol | undefined;
  /** The namespace for names given without one. */
  readonly namespace: string;
}

/** Why a check has no answer: its port is no port, or a target names nothing. */
export type CheckProblem = PortSpecProblem | TargetProblem;

/**
 * Something the verdicts depend on beyond the policies: the destination was a Service
 * ClusterIP, answered for the Service's backends on their ports, because whether a policy
 * sees the ClusterIP or the backend is up to the network plugin and most see the backend.
 */
export interface CheckNote extends ServiceAddress {
  readonly kind: 'service-address';
  /** The ports the backends receive on (the targetPort or the EndpointSlice port). */
  readonly backendPorts: readonly number[];
}

/** The answer to a check: the port as understood, every flow the targets stand for, notes. */
export interface CheckAnswer {
  readonly port: PortSpec;
  readonly flows: readonly CheckedFlow[];
  readonly notes: readonly CheckNote[];
}

function serviceAddressNotes(destinations: ResolvedTarget): CheckNote[] {
  const address = destinations.serviceAddress;
  if (!address) return [];
  const ports = destinations.endpoints.flatMap((e) => (e.port === undefined ? [] : [e.port]));
  const backendPorts = [...new Set(ports)].sort((a, b) => a - b);
  return [{ kind: 'service-address', ...address, backendPorts }];
}

/**
 * Answers a check for every pair of endpoints the targets stand for (a Service stands for
 * its backing pods), or says why the port or a target names nothing.
 */
export function checkTargets(
  analysis: Analysis,
  question: CheckQuestion,
): Result<CheckAnswer, CheckProblem> {
  const port = parsePortSpec(question.port);
  if (!port.ok) return port;
  const { namespace, protocol } = question;
  const sources = resolveTarget(analysis, question.source, namespace, port.value, protocol);
  if (!sources.ok) return sources;
  const destinations = resolveTarget(
    analysis,
    question.destination,
    namespace,
    port.value,
    protocol,
  );
  if (!destinations.ok) return destinations;
  return ok({
    port: port.value,
    flows: pairFlows(analysis, sources.value, destinations.value, port.value),
    notes: serviceAddressNotes(destinations.value),
  });
}

/** The verdict (or why there is none) of every source endpoint to every destination endpoint. */
function pairFlows(
  analysis: Analysis,
  sources: ResolvedTarget,
  destinations: ResolvedTarget,
  port: PortSpec,
): CheckedFlow[] {
  return sources.endpoints.flatMap((source) =>
    destinations.endpoints.map((destination): CheckedFlow => {
      const from = resolvedId(source);
      const to = resolvedId(destination);
      const via = destination.via ? { via: destination.via } : {};
      if (destination.port === undefined) {
        return {
          from,
          to,
          ...via,
          problem: `${to} has no ${destination.protocol} port named ${port}`,
        };
      }
      const verdict = evaluateFlow(
        analysis,
        source.endpoint,
        destination.endpoint,
        destination.protocol,
        destination.port,
      );
      const caveats = serviceIpCaveats(analysis, verdict, source.endpoint, destination.endpoint);
      const caveated = { from, to, ...via, verdict, ...(caveats.length > 0 ? { caveats } : {}) };
      if (verdict.allowed) return caveated;
      const diagnosis = diagnoseFlow(analysis, source.endpoint, destination.endpoint, verdict);
      return { ...caveated, diagnosis };
    }),
  );
}

/**
 * The answer of a check over all its flows: DENIED when a flow surely is (or has no verdict),
 * else UNKNOWN when a flow is, else ALLOWED.
 */
export function checkOutcome(flows: readonly CheckedFlow[]): Outcome {
  const outcomes = flows.map((flow) => flow.verdict?.verdict ?? 'DENIED');
  if (outcomes.includes('DENIED')) return 'DENIED';
  return outcomes.includes('UNKNOWN') ? 'UNKNOWN' : 'ALLOWED';
}

/**
 * What traffic does given what the policies decide: a network plugin that does not enforce
 * NetworkPolicies lets everything through, unless the user asks for the policies' verdict.
 */
export function effectiveOutcome(
  policies: Outcome,
  enforcement: Enforcement,
  assumeEnforced: boolean,
): Outcome {
  return enforcement === false && !assumeEnforced ? 'ALLOWED' : policies;
}
