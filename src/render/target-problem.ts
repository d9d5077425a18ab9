import type {
  CheckProblem,
  NotReadyEndpoint,
  PodsWithoutFamily,
  PortNeeded,
  PortSpecProblem,
  TargetProblem,
} from '../engine/index.js';
import { scaledToZeroText } from './replicas.js';
import { terminalList, terminalText } from './terminal-text.js';

/** How many candidates an ambiguous target lists. */
const CANDIDATE_LIMIT = 5;

/** "; did you mean a or b?", or nothing when there is no suggestion. */
export function didYouMean(suggestions: readonly string[] | undefined): string {
  if (!suggestions || suggestions.length === 0) return '';
  const shown = suggestions.map((suggestion) => terminalText(suggestion));
  const last = shown.pop();
  return `; did you mean ${shown.length > 0 ? `${shown.join(', ')} or ${last}` : last}?`;
}

/** "endpoint 10.0.0.9 (EndpointSlice db-x) not ready: ...": endpoints that get no traffic. */
export function notReadyText(endpoints: readonly NotReadyEndpoint[], headless = false): string {
  const listed = endpoints.map((e) =>
    terminalText('pod' in e ? `pod ${e.pod}` : `${e.address} (EndpointSlice ${e.slice})`),
  );
  const [which, them] = listed.length === 1 ? ['endpoint', 'it'] : ['endpoints', 'them'];
  const why = headless
    ? `cluster DNS does not answer the headless Service's name with ${them}`
    : `kube-proxy sends no traffic to ${them}`;
  return `${which} ${listed.join(', ')} not ready: ${why}`;
}

/**
 * "pod shop/web-2 has no IPv6 address, the service's IP family: ...": selected pods that are
 * no endpoints of a Service.
 */
export function withoutFamilyText({ pods, families }: PodsWithoutFamily): string {
  const one = pods.length === 1;
  const [which, has] = one ? ['pod', 'has'] : ['pods', 'have'];
  const [them, they] = one ? ['it', 'it gets'] : ['them', 'they get'];
  const family = families.map((f) => `IPv${f}`).join(' or ');
  const its = families.length === 1 ? "the service's IP family" : "the service's IP families";
  return `${which} ${terminalList(pods)} ${has} no ${family} address, ${its}: no EndpointSlice lists ${them}, so ${they} no traffic through the service`;
}

/** One line saying why a port is no port; `portLabel` says where it was typed, e.g. `--port`. */
export function portSpecProblemText(problem: PortSpecProblem, portLabel: string): string {
  switch (problem.kind) {
    case 'port-out-of-range':
      return `${portLabel} ${problem.port}: must be between 1 and 65535`;
    case 'port-empty':
      return `${portLabel} is empty`;
  }
}

/** HOST:PORT, as in a URL (`api-service:8080`, `10.0.0.165:80`). */
const HOST_PORT = /^([^:/]+):(\d+)$/;

/** For a target written as in a URL (`wget NAME:PORT`), the form check takes; else nothing. */
function unrecognisedHint(text: string): string {
  const hostPort = HOST_PORT.exec(text);
  return hostPort ? `; give the port with --port: ${hostPort[1]} --port ${hostPort[2]}` : '';
}

/** One line saying why what the user named stands for no endpoint. */
export function targetProblemText(problem: TargetProblem): string {
  // What the user typed is theirs; names read from the cluster (suggestions) are escaped.
  const text = problem.text;
  switch (problem.kind) {
    case 'unrecognised-target':
      return `${text}: expected NAME or NAMESPACE/NAME (a pod or workload), pod/NAME, deploy|sts|ds/NAME, svc/NAME[.NAMESPACE], NAME.NAMESPACE[.svc], a host name or an IP address${unrecognisedHint(text)}`;
    case 'invalid-address-block':
      return `${text}: not an address block: the prefix length after "/" must be 0-32 for IPv4, 0-128 for IPv6`;
    case 'address-block-target':
      return `${text}: an address block is not one end of a connection; give one address of it (${problem.first} to ${problem.last})`;
    case 'policy-target':
      return `${text}: a ${problem.policyKind} is not an end of a connection; give a pod, workload, Service or address (kubectl netpol explain ${text} shows the policy)`;
    case 'no-such-pod':
      return `${text}: no pod ${problem.pod} in the input${didYouMean(problem.suggestions)}`;
    case 'no-such-service':
      return `${text}: no service ${problem.service} in the input${didYouMean(problem.suggestions)}`;
    case 'no-such-workload': {
      // Known only by its pods (a live read), a workload scaled to zero looks like none at all.
      const podsOnly = problem.podsOnly
        ? ' (the input lists pods, not workloads: one scaled to zero has no pod)'
        : '';
      return `${text}: no ${problem.workload} in the input${podsOnly}${didYouMean(problem.suggestions)}`;
    }
    case 'workload-has-no-pods':
      return `${text}: ${problem.workload} has no pods in the input`;
    case 'workload-scaled-to-zero':
      return `${text}: ${scaledToZeroText(problem.workload)}`;
    case 'ambiguous-target': {
      const shown = problem.candidates.slice(0, CANDIDATE_LIMIT);
      const more = problem.candidates.length - shown.length;
      return `${text} is ambiguous: it could be ${terminalList(shown)}${more > 0 ? ` and ${more} more` : ''}; name one of them`;
    }
    case 'external-name-service':
      return `${text}: service ${problem.service} is of type ExternalName: cluster DNS answers its name with an alias (CNAME) of an outside host and no pod receives its traffic; ask about that host name instead`;
    case 'service-without-selector':
      return `${text}: service ${problem.service} has no selector and no EndpointSlice in the input, so its backends are unknown`;
    case 'service-has-no-endpoints': {
      const where = problem.node
        ? ` on node ${terminalText(problem.node)}, the client's (internalTrafficPolicy Local: kube-proxy drops the connection)`
        : '';
      const notReady =
        problem.notReady.length > 0 ? `; ${notReadyText(problem.notReady, problem.headless)}` : '';
      const withoutFamily = problem.withoutFamily
        ? `; ${withoutFamilyText(problem.withoutFamily)}`
        : '';
      return `${text}: the EndpointSlices of service ${problem.service} list no address for this port${where}${notReady}${withoutFamily}`;
    }
    case 'service-forwarded-address': {
      const { port, nodePort, protocol, name } = problem.servicePort;
      const [namespace, service] = problem.service.split('/').map((part) => terminalText(part));
      const ref = `${namespace}/${service}`;
      const entry =
        problem.via === 'node-port'
          ? `a node's address, and ${protocol} ${nodePort} is the NodePort of service ${ref} (port ${port})`
          : `an external address of service ${ref} (port ${port}/${protocol})`;
      const source = problem.sourceKept
        ? 'externalTrafficPolicy Local keeps the client address'
        : "with externalTrafficPolicy Cluster they may see a node's address instead of the client's";
      return `${text}: ${entry}: the connection goes to the Service's backends, whose policies decide (${source}); ask about the Service: check SOURCE svc/${service}.${namespace} --port ${name ? terminalText(name) : port}`;
    }
    case 'cluster-ip-backends-unknown':
      return `${text}: the ClusterIP of service ${problem.service}, whose backends are unknown (no selector, no EndpointSlice in the input); policies usually see the backend address after Service translation, so the ClusterIP alone gives no verdict`;
    case 'no-such-service-port': {
      const known = problem.known
        .map((p) => (p.name ? `${p.port} (${p.name})` : `${p.port}`))
        .join(', ');
      const wanted = problem.protocol
        ? `${problem.protocol} port ${problem.port}`
        : `port ${problem.port}`;
      return `${text}: service has no ${wanted}; it has ${known || 'no ports'}`;
    }
    case 'pod-dns-not-ready':
      return `${text}: pod ${terminalText(problem.pod)} is not ready, and cluster DNS answers the names of headless service ${terminalText(problem.service)} only with its ready endpoints (unless it sets publishNotReadyAddresses), so no connection is made by this name`;
    case 'service-selects-no-pod': {
      const idle = (problem.scaledToZero ?? []).map(scaledToZeroText);
      const why = idle.length > 0 ? `: ${idle.join('; ')}, and the service has no backend` : '';
      return `${text}: the service selects no pod in the input${why}`;
    }
    case 'target-port-on-no-pod':
      return `${text}: no pod service ${problem.service} selects declares a ${problem.protocol} container port named ${terminalText(problem.targetPort)}, so this service port has no backends`;
    case 'named-port-needs-workload':
      return `${text}: a named port needs a pod or a service`;
  }
}

/** One line saying why a check has no answer; `portLabel` as for portSpecProblemText. */
export function checkProblemText(problem: CheckProblem, portLabel: string): string {
  if (problem.kind === 'port-needed') return portNeededText(problem, portLabel);
  return problem.kind === 'port-out-of-range' || problem.kind === 'port-empty'
    ? portSpecProblemText(problem, portLabel)
    : targetProblemText(problem);
}

/** One line asking for the port a check left out, with the destination Service's ports. */
function portNeededText(problem: PortNeeded, portLabel: string): string {
  const destination = problem.destination;
  if (problem.known.length === 0)
    return `${portLabel} is needed: ${destination} is not a Service with a port`;
  const known = problem.known.map((p) => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''}`);
  return `${portLabel} is needed: ${destination} has ports ${terminalList(known)}`;
}
