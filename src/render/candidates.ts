import type { CandidateAbout, TargetCandidate } from '../engine/index.js';
import { labelText } from './selectors.js';
import { terminalText } from './terminal-text.js';

/** How many labels a pod's description shows before "…". */
const SHOWN_LABELS = 2;

/** How many Service ports a description shows before "…". */
const SHOWN_PORTS = 3;

/** Kinds as a description names them, and their plurals for a `KIND/` prefix. */
const KIND_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  pod: ['Pod', 'Pods'],
  service: ['Service', 'Services'],
  namespace: ['Namespace', 'Namespaces'],
  NetworkPolicy: ['NetworkPolicy', 'NetworkPolicies'],
  ClusterNetworkPolicy: ['ClusterNetworkPolicy', 'ClusterNetworkPolicies'],
};

const podCount = (count: number) => `${count} pod${count === 1 ? '' : 's'}`;

/** `(app=api)`, `(a=1, b=2, …)`, or nothing for a pod without identifying labels. */
function labelsText(about: CandidateAbout): string {
  const labels = Object.entries(about.labels ?? {});
  if (labels.length === 0) return '';
  const shown = labels.slice(0, SHOWN_LABELS).map(([key, value]) => labelText(key, value));
  return ` (${[...shown, ...(labels.length > SHOWN_LABELS ? ['…'] : [])].join(', ')})`;
}

/** `ports 80/TCP, 443/TCP`, or nothing. */
function portsText(about: CandidateAbout): string {
  const ports = about.ports ?? [];
  if (ports.length === 0) return '';
  const shown = ports.slice(0, SHOWN_PORTS).map((port) => `${port.port}/${port.protocol}`);
  return `, ports ${[...shown, ...(ports.length > SHOWN_PORTS ? ['…'] : [])].join(', ')}`;
}

/**
 * A candidate's short description as completion shows it beside the value (cobra's
 * `value<TAB>description`): `Pod production (app=api)`, `Deployment production, 2 pods`,
 * `Service production, ports 80/TCP`, `Namespace, 6 pods` (`Namespace` where its pods were not
 * counted), `Services in production`.
 * Shown safely: it holds no tab or newline.
 */
export function candidateDescription(candidate: TargetCandidate): string {
  const [singular, plural] = KIND_NAMES[candidate.kind] ?? [
    terminalText(candidate.kind),
    `${terminalText(candidate.kind)}s`,
  ];
  const about = candidate.about ?? {};
  const namespace = about.namespace === undefined ? '' : terminalText(about.namespace);
  if (candidate.kind === 'namespace') {
    return about.pods === undefined ? singular : `${singular}, ${podCount(about.pods)}`;
  }
  if (candidate.text.endsWith('/')) return namespace ? `${plural} in ${namespace}` : plural;
  if (about.tier !== undefined) {
    return `${singular}, ${terminalText(about.tier)} tier, priority ${about.priority ?? 0}`;
  }
  const pods =
    about.pods === undefined
      ? ''
      : `, ${candidate.kind === 'NetworkPolicy' ? 'selects ' : ''}${podCount(about.pods)}`;
  return `${singular} ${namespace}${labelsText(about)}${portsText(about)}${pods}`;
}
