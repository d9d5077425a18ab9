import type { Enforcement } from '../cni/detect.js';
import type { Analysis } from '../compile/compile.js';
import { type ScaledToZeroWorkload, scaledToZeroWorkload } from '../compile/scaled-to-zero.js';
import { serviceForwarding } from '../compile/service-forwarding.js';
import { clientAt, type ServiceClient } from '../compile/services.js';
import {
  type NodeLocalTarget,
  type NotReadyEndpoints,
  type PortSpec,
  type PortSpecProblem,
  parsePortSpec,
  type ResolvedEndpoint,
  type ResolvedTarget,
  resolvedId,
  resolveTarget,
  type ServiceAddress,
  type ServicePodsWithoutFamily,
  type TargetProblem,
  type TargetReading,
} from '../compile/targets.js';
import { type DirectionDiagnosis, diagnoseFlow } from '../diagnose/flow-diagnosis.js';
import { disjointFamilies } from '../evaluate/address-families.js';
import {
  decidingAnalysis,
  evaluateFlow,
  type FlowVerdict,
  type Outcome,
} from '../evaluate/evaluate.js';
import { fail, ok, type Result } from '../model/result.js';
import type { Pod, Protocol, ServicePort } from '../model/types.js';
import { groupBy } from '../primitives/group-by.js';
import { analysisDns } from '../scaffold/analysis-dns.js';
import { masqueradedVerdictHolds } from './masquerade-sources.js';
import { type ServiceIpCaveat, serviceIpCaveats } from './service-ip-caveats.js';
import { verdictDependsOnSourceAddress } from './source-nat.js';

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
  /** Set when kube-proxy may send the source's connections elsewhere: the flow's answer is UNKNOWN. */
  readonly routeDoubt?: RouteDoubt;
}

/**
 * Why kube-proxy may not send a source's connections to every backend its flows go to, where
 * that changes the answer (the backends' verdicts differ, or all allow).
 */
export type RouteDoubt =
  /** internalTrafficPolicy Local: only backends on the source's node, which is unknown (or a backend's is). */
  | { readonly kind: 'node-unknown'; readonly service: string }
  /** Topology hints: kube-proxy may use only the backends hinted for the source's zone or node. */
  | { readonly kind: 'topology-hints'; readonly service: string }
  /**
   * A terminating endpoint used while none is ready, which Cilium's load balancer may leave out
   * (cni/cilium-terminating-fallback.ts): `setting-unknown` when whether it does is not known,
   * `host-client` when it does but the source is a hostNetwork pod, which kube-proxy may serve.
   */
  | {
      readonly kind: 'cilium-terminating';
      readonly service: string;
      readonly why: 'setting-unknown' | 'host-client';
    }
  /**
   * A source outside the pods, which the Service's backends may see by a node's address
   * instead (keepsOutsideClientAddress), where the answer depends on the source's address.
   */
  | { readonly kind: 'masked-client'; readonly service: string };

/** What a user asks: "can SOURCE reach DESTINATION on PORT?", as typed. */
export interface CheckQuestion {
  readonly source: string;
  readonly destination: string;
  /** undefined: the destination Service's port, when it has just one. */
  readonly port?: string | number | undefined;
  /** undefined: a service port's own protocol, else TCP. */
  readonly protocol?: Protocol | undefined;
  /** The namespace for names given without one. */
  readonly namespace: string;
}

/**
 * A check asked without a port whose destination does not imply one: not a Service, or a
 * Service with several ports (`known`, of the protocol asked for).
 */
export interface PortNeeded {
  readonly kind: 'port-needed';
  readonly destination: string;
  readonly known: readonly ServicePort[];
}

/** Why a check has no answer: its port is no port or none is implied, or a target names nothing. */
export type CheckProblem = PortSpecProblem | PortNeeded | TargetProblem;

/**
 * The destination was a Service ClusterIP, answered for the Service's backends on their ports,
 * because whether a policy sees the ClusterIP or the backend is up to the network plugin and
 * most see the backend.
 */
export interface ServiceAddressNote extends ServiceAddress {
  readonly kind: 'service-address';
  /** The ports the backends receive on (the targetPort or the EndpointSlice port). */
  readonly backendPorts: readonly number[];
}

/** The destination Service keeps ClusterIP traffic on the client's node (internalTrafficPolicy Local). */
export interface NodeLocalNote {
  readonly kind: 'internal-traffic-local';
  /** `namespace/name` of the Service. */
  readonly service: string;
}

/** Endpoints of the destination Service that no flow goes to: kube-proxy sends them nothing. */
export interface NotReadyNote extends NotReadyEndpoints {
  readonly kind: 'endpoints-not-ready';
}

/** Pods the destination Service selects that are no endpoints of it for their address family. */
export interface WithoutFamilyNote extends ServicePodsWithoutFamily {
  readonly kind: 'endpoints-without-family';
}

/** The destination Service's ClusterIP traffic may follow topology hints (see `ClientScope`). */
export interface TopologyHintsNote {
  readonly kind: 'topology-hints';
  /** `namespace/name` of the Service. */
  readonly service: string;
}

/**
 * A target named a workload scaled to zero: no pod of it runs now, and the answer is for its
 * pod template, as it holds once the workload runs.
 */
export interface ScaledToZeroNote {
  readonly kind: 'scaled-to-zero';
  readonly workload: ScaledToZeroWorkload;
}

/**
 * Something the verdicts depend on beyond the policies: a Service ClusterIP answered for its
 * backends, endpoints left out as not ready, node-local routing, how a target that could name an
 * object or a host outside the cluster was read, or a workload scaled to zero answered once it
 * runs.
 */
export type CheckNote =
  | ServiceAddressNote
  | NotReadyNote
  | WithoutFamilyNote
  | NodeLocalNote
  | TopologyHintsNote
  | TargetReading
  | ScaledToZeroNote;

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

function notReadyNotes(destinations: ResolvedTarget): CheckNote[] {
  const notReady = destinations.notReady;
  return notReady ? [{ kind: 'endpoints-not-ready', ...notReady }] : [];
}

function withoutFamilyNotes(destinations: ResolvedTarget): CheckNote[] {
  const left = destinations.withoutFamily;
  return left ? [{ kind: 'endpoints-without-family', ...left }] : [];
}

function nodeLocalNotes(destinations: ResolvedTarget): CheckNote[] {
  const local = destinations.nodeLocal;
  return local ? [{ kind: 'internal-traffic-local', service: local.service }] : [];
}

/**
 * Notes on the backends a Service target stands for, as check and explain give them: node-local
 * routing, and the pods or endpoints it sends nothing (not ready or terminating, or without an
 * address of its family).
 */
function backendNotes(target: ResolvedTarget): CheckNote[] {
  return [...nodeLocalNotes(target), ...notReadyNotes(target), ...withoutFamilyNotes(target)];
}

/**
 * Notes for a Service target answered without a client (explain svc/NAME): its backend notes,
 * and that kube-proxy may send a client's ClusterIP traffic to the backends hinted for it only.
 * (check names topology hints under each flow whose answer they may change instead.)
 */
export function serviceTargetNotes(target: ResolvedTarget): CheckNote[] {
  const hinted = target.topologyHints;
  const hints: CheckNote[] = hinted ? [{ kind: 'topology-hints', service: hinted.service }] : [];
  return [...backendNotes(target), ...hints];
}

/** How each target that could name an object or a host was read. */
function readingNotes(...targets: readonly ResolvedTarget[]): CheckNote[] {
  return targets.flatMap((target) => (target.reading ? [target.reading] : []));
}

/** A note for each workload scaled to zero among the pods answered for (each once). */
export function scaledToZeroNotes(pods: readonly Pod[]): ScaledToZeroNote[] {
  const byId = new Map<string, ScaledToZeroNote>();
  for (const pod of pods) {
    const workload = scaledToZeroWorkload(pod);
    if (workload) byId.set(`${pod.kind}/${pod.id}`, { kind: 'scaled-to-zero', workload });
  }
  return [...byId.values()];
}

/** The pods the endpoints of targets stand for. */
function targetPods(...targets: readonly ResolvedTarget[]): Pod[] {
  return targets.flatMap((target) =>
    target.endpoints.flatMap(({ endpoint }) => (endpoint.kind === 'pod' ? [endpoint.pod] : [])),
  );
}

/** A port no Service declares: resolving a target on it lists the Service's ports. */
const NO_SERVICE_PORT = 0;

/**
 * The ports of the Service a target names (by name, DNS name or ClusterIP); undefined when it
 * names no Service.
 */
export function targetServicePorts(
  analysis: Analysis,
  text: string,
  namespace: string,
): readonly ServicePort[] | undefined {
  const resolved = resolveTarget(analysis, text, namespace, NO_SERVICE_PORT, undefined);
  return !resolved.ok && resolved.error.kind === 'no-such-service-port'
    ? resolved.error.known
    : undefined;
}

/**
 * The endpoints a target stands for whatever the port, as the source of a check or the subject
 * of explain: a Service (by name, DNS name or ClusterIP) stands for its backends, found through
 * the first port it declares.
 */
export function targetEndpoints(
  analysis: Analysis,
  text: string,
  namespace: string,
): Result<ResolvedTarget, TargetProblem> {
  const [first] = targetServicePorts(analysis, text, namespace) ?? [];
  return resolveTarget(analysis, text, namespace, first?.port ?? 1, first?.protocol ?? 'TCP');
}

/**
 * The templates of the workloads scaled to zero that targets name (`deploy/NAME`, or NAME when
 * no running pod or workload has it): what to run, so that the question is answered for them.
 */
export function scaledToZeroNamed(
  analysis: Analysis,
  targets: readonly string[],
  namespace: string,
): Pod[] {
  return targets.flatMap((text) => {
    const resolved = targetEndpoints(analysis, text, namespace);
    return !resolved.ok && resolved.error.kind === 'workload-scaled-to-zero'
      ? [resolved.error.template]
      : [];
  });
}

/**
 * The port and protocol of a check asked without a port: those of the destination Service's
 * only port (of the protocol asked for), as `curl http://NAME.NAMESPACE.svc` uses it.
 */
function impliedPort(
  analysis: Analysis,
  question: CheckQuestion,
): Result<{ port: number; protocol: Protocol }, PortNeeded | TargetProblem> {
  const { destination, namespace } = question;
  const resolved = resolveTarget(analysis, destination, namespace, NO_SERVICE_PORT, undefined);
  // A destination that names nothing says so first; one that is no Service has no port to imply.
  if (!resolved.ok && resolved.error.kind !== 'no-such-service-port') return resolved;
  const ports =
    !resolved.ok && resolved.error.kind === 'no-such-service-port' ? resolved.error.known : [];
  const known = ports.filter(
    (p) => question.protocol === undefined || p.protocol === question.protocol,
  );
  const [only] = known;
  return only && known.length === 1
    ? ok({ port: only.port, protocol: only.protocol })
    : fail({ kind: 'port-needed', destination, known });
}

/**
 * Answers a check for every pair of endpoints the targets stand for (a Service stands for
 * its backing pods), or says why the port or a target names nothing.
 */
export function checkTargets(
  analysis: Analysis,
  question: CheckQuestion,
): Result<CheckAnswer, CheckProblem> {
  const implied =
    question.port === undefined
      ? impliedPort(analysis, question)
      : ok({ port: question.port, protocol: question.protocol });
  if (!implied.ok) return implied;
  const port = parsePortSpec(implied.value.port);
  if (!port.ok) return port;
  const { namespace } = question;
  const { protocol } = implied.value;
  // Where traffic comes from has no port: a source Service is its backends, whatever port.
  const sources = targetEndpoints(analysis, question.source, namespace);
  if (!sources.ok) return sources;
  const text = question.destination;
  const forwarded =
    typeof port.value === 'number'
      ? serviceForwarding(analysis, text, port.value, protocol ?? 'TCP')
      : undefined;
  if (forwarded) return fail({ kind: 'service-forwarded-address', text, ...forwarded });
  const destinationsFor = (client?: ServiceClient) =>
    resolveTarget(analysis, question.destination, namespace, port.value, protocol, client);
  const destinations = destinationsFor();
  if (!destinations.ok) return destinations;
  const flows = destinations.value.nodeLocal
    ? nodeLocalFlows(
        analysis,
        sources.value,
        destinations.value.nodeLocal,
        destinationsFor,
        port.value,
      )
    : ok(
        topologyDoubts(
          destinations.value,
          pairFlows(analysis, sources.value, destinations.value, port.value),
        ),
      );
  if (!flows.ok) return flows;
  return ok({
    port: port.value,
    flows: flows.value,
    notes: [
      ...readingNotes(sources.value, destinations.value),
      ...serviceAddressNotes(destinations.value),
      ...backendNotes(destinations.value),
      ...scaledToZeroNotes(targetPods(sources.value, destinations.value)),
    ],
  });
}

/** A flow's outcome as a check counts it: no verdict, or a doubted route, is no ALLOWED. */
function flowOutcome(flow: CheckedFlow): Outcome {
  if (flow.routeDoubt) return 'UNKNOWN';
  return flow.verdict?.verdict ?? 'DENIED';
}

/** Marks flows with a doubt about kube-proxy's route, unless their outcome is one whatever the route. */
function doubted(flows: CheckedFlow[], doubt: RouteDoubt, keeps: (outcomes: Outcome[]) => boolean) {
  return keeps(flows.map(flowOutcome))
    ? flows
    : flows.map((flow) => ({ ...flow, routeDoubt: doubt }));
}

/**
 * Flows through the ClusterIP of a Service with internalTrafficPolicy Local: each source's to
 * the endpoints on its own node. A source on a node with none has its connection dropped; one
 * whose node (or an endpoint's) is unknown reaches some or none of them, so only DENIED from all
 * holds.
 */
function nodeLocalFlows(
  analysis: Analysis,
  sources: ResolvedTarget,
  local: NodeLocalTarget,
  destinationsFor: (client: ServiceClient) => Result<ResolvedTarget, TargetProblem>,
  port: PortSpec,
): Result<CheckedFlow[], TargetProblem> {
  const byNode = groupBy(sources.endpoints, (source) => clientAt(source.endpoint).node);
  const flows: CheckedFlow[] = [];
  for (const [node, endpoints] of byNode) {
    const destinations = destinationsFor({ node });
    if (!destinations.ok) {
      if (byNode.size === 1 || destinations.error.kind !== 'service-has-no-endpoints')
        return destinations;
      const problem = `no endpoint of service ${local.service} on node ${node} (internalTrafficPolicy Local): kube-proxy drops the connection`;
      flows.push(
        ...endpoints.map((source) => ({ from: resolvedId(source), to: local.service, problem })),
      );
      continue;
    }
    const pairs = pairFlows(analysis, { ...sources, endpoints }, destinations.value, port);
    const narrowed = destinations.value.nodeLocal?.node !== undefined;
    const doubt: RouteDoubt = { kind: 'node-unknown', service: local.service };
    flows.push(
      ...(narrowed ? pairs : doubted(pairs, doubt, (o) => o.every((x) => x === 'DENIED'))),
    );
  }
  return ok(flows);
}

/**
 * With topology hints, kube-proxy may send each source only to the backends hinted for its zone
 * or node (pkg/proxy/topology.go@v1.37.1, topologyModeFromHints), which this input cannot tell:
 * a source's flows that answer differently make its answer UNKNOWN.
 */
function topologyDoubts(destinations: ResolvedTarget, flows: CheckedFlow[]): CheckedFlow[] {
  const hinted = destinations.topologyHints;
  if (!hinted) return flows;
  const doubt: RouteDoubt = { kind: 'topology-hints', service: hinted.service };
  const bySource = groupBy(flows, (flow) => flow.from);
  return [...bySource.values()].flatMap((ofSource) =>
    doubted(ofSource, doubt, (outcomes) => new Set(outcomes).size === 1),
  );
}

/** The verdict (or why there is none) of every source endpoint to every destination endpoint. */
function pairFlows(
  analysis: Analysis,
  sources: ResolvedTarget,
  destinations: ResolvedTarget,
  port: PortSpec,
): CheckedFlow[] {
  // Worked out when a denied flow is diagnosed first, then kept for the others.
  const dns = analysisDns(analysis);
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
      // Straight to a pod's address; through a Service, its proxy or load balancer picks it.
      const apart =
        !destination.throughServiceIp &&
        disjointFamilies(analysis, source.endpoint, destination.endpoint);
      if (apart) {
        const [ofSource, ofDestination] = apart.map((families) =>
          families.map((family) => `IPv${family}`).join(' and '),
        );
        const problem = `no connection between ${from} (${ofSource}) and ${to} (${ofDestination}): they share no address family`;
        return { from, to, ...via, problem };
      }
      const verdict = evaluateFlow(
        analysis,
        source.endpoint,
        destination.endpoint,
        destination.protocol,
        destination.port,
        destination.throughServiceIp ? 'service-ip' : 'direct',
      );
      const caveats = serviceIpCaveats(analysis, verdict, source.endpoint, destination.endpoint);
      const caveated = { from, to, ...via, verdict, ...(caveats.length > 0 ? { caveats } : {}) };
      // A verdict that differs by address family is diagnosed over the family that closes it.
      const diagnosed = verdict.allowed
        ? caveated
        : {
            ...caveated,
            diagnosis: diagnoseFlow(
              decidingAnalysis(analysis, verdict),
              source.endpoint,
              destination.endpoint,
              verdict,
              dns,
            ),
          };
      const flow = ciliumFallback(analysis, source, destination, diagnosed);
      return maskedClientDoubt(analysis, destinations, source, destination, flow);
    }),
  );
}

/**
 * A flow from a source outside the pods through a Service whose backends may see it by a
 * node's address (ResolvedTarget.outsideClientMasked): UNKNOWN where the address decides it,
 * unless every address a node may give it answers the same (masqueradedVerdictHolds).
 */
function maskedClientDoubt(
  analysis: Analysis,
  destinations: ResolvedTarget,
  source: ResolvedEndpoint,
  destination: ResolvedEndpoint,
  flow: CheckedFlow,
): CheckedFlow {
  const masked = destinations.outsideClientMasked;
  if (!masked || flow.routeDoubt || !flow.verdict) return flow;
  const { endpoint: client } = source;
  const { endpoint: backend } = destination;
  if (client.kind === 'pod' || !destination.throughServiceIp) return flow;
  const holds =
    client.kind === 'external' && backend.kind === 'pod'
      ? masqueradedVerdictHolds(analysis, client, backend, flow.verdict)
      : !verdictDependsOnSourceAddress(analysis, flow.verdict);
  return holds ? flow : { ...flow, routeDoubt: { kind: 'masked-client', service: masked.service } };
}

/**
 * A flow to a terminating endpoint used while none is ready, on Cilium that may leave such
 * endpoints out (see cni/cilium-terminating-fallback.ts): a pod's connection is dropped where
 * Cilium surely leaves them out; where it may, or the source is a hostNetwork pod that
 * kube-proxy may serve instead, the flow is UNKNOWN unless it is DENIED anyway.
 */
function ciliumFallback(
  analysis: Analysis,
  source: ResolvedEndpoint,
  destination: ResolvedEndpoint,
  flow: CheckedFlow,
): CheckedFlow {
  const fallback = analysis.ciliumTerminatingFallback;
  const service = destination.terminatingOf;
  if (!fallback || !service) return flow;
  const { endpoint } = source;
  const ciliumEndpoint = endpoint.kind === 'pod' && !endpoint.pod.hostNetwork;
  if (fallback === 'dropped' && ciliumEndpoint) {
    const { from, to, via } = flow;
    const problem = `no endpoint of service ${service} is ready, and Cilium before 1.18 with cilium-config enable-k8s-terminating-endpoint off leaves out its terminating ones: Cilium's load balancer drops the connection`;
    return { from, to, ...(via ? { via } : {}), problem };
  }
  if (flowOutcome(flow) === 'DENIED') return flow;
  const why = fallback === 'unknown' ? 'setting-unknown' : 'host-client';
  return { ...flow, routeDoubt: { kind: 'cilium-terminating', service, why } };
}

/**
 * The answer of a check over all its flows: DENIED when a flow surely is (or has no verdict),
 * else UNKNOWN when a flow is, else ALLOWED.
 */
export function checkOutcome(flows: readonly CheckedFlow[]): Outcome {
  const outcomes = flows.map(flowOutcome);
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
