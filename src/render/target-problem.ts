import type { CheckProblem, PortSpecProblem, TargetProblem } from '../engine/index.js';

/** One line saying why a port is no port; `portLabel` says where it was typed, e.g. `--port`. */
export function portSpecProblemText(problem: PortSpecProblem, portLabel: string): string {
  switch (problem.kind) {
    case 'port-out-of-range':
      return `${portLabel} ${problem.port}: must be between 1 and 65535`;
    case 'port-empty':
      return `${portLabel} is empty`;
  }
}

/** One line saying why what the user named stands for no endpoint. */
export function targetProblemText(problem: TargetProblem): string {
  switch (problem.kind) {
    case 'unrecognised-target':
      return `${problem.text}: expected NAMESPACE/POD, pod/NAME, svc/NAME or an IP address`;
    case 'no-such-pod':
      return `${problem.text}: no pod ${problem.pod} in the input`;
    case 'no-such-service':
      return `${problem.text}: no service ${problem.service} in the input`;
    case 'service-without-selector':
      return `${problem.text}: service ${problem.service} has no selector, so its backing pods are unknown`;
    case 'no-such-service-port': {
      const known = problem.known
        .map((p) => (p.name ? `${p.port} (${p.name})` : `${p.port}`))
        .join(', ');
      const wanted = problem.protocol
        ? `${problem.protocol} port ${problem.port}`
        : `port ${problem.port}`;
      return `${problem.text}: service has no ${wanted}; it has ${known || 'no ports'}`;
    }
    case 'service-selects-no-pod':
      return `${problem.text}: the service selects no pod in the input`;
    case 'named-port-needs-workload':
      return `${problem.text}: a named port needs a pod or a service`;
  }
}

/** One line saying why a check has no answer; `portLabel` as for portSpecProblemText. */
export function checkProblemText(problem: CheckProblem, portLabel: string): string {
  return problem.kind === 'port-out-of-range' || problem.kind === 'port-empty'
    ? portSpecProblemText(problem, portLabel)
    : targetProblemText(problem);
}
