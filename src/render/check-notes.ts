import type { CheckNote, ServiceAddressNote, TargetReading } from '../engine/index.js';
import type { AnswerScope } from './answer-scope.js';
import { scaledToZeroText } from './replicas.js';
import { didYouMean, notReadyText, withoutFamilyText } from './target-problem.js';
import { terminalText } from './terminal-text.js';

/** How a target that could name an object or a host outside the cluster was read, in words. */
function readingText(reading: TargetReading): string {
  const text = terminalText(reading.text);
  if (reading.kind === 'named-object' && reading.object === 'pod-dns') {
    return `${text} is read as HOSTNAME.SERVICE.NAMESPACE: the pod cluster DNS names so (a pod's resolver tries NAME.svc.cluster.local first)`;
  }
  if (reading.kind === 'pod-address') {
    return `${text} is read as the address ${terminalText(reading.address)}: cluster DNS answers a pod's ADDRESS.NAMESPACE.pod name with the address it spells (CoreDNS's usual "pods insecure" even when no pod has it)`;
  }
  if (reading.kind === 'named-object') {
    const id = terminalText(`${reading.namespace}/${reading.name}`);
    const what =
      reading.object === 'service'
        ? `service ${id}, as cluster DNS resolves it`
        : `the pods of ${id} (no service has that name)`;
    return `${text} is read as NAME.NAMESPACE: ${what}`;
  }
  const host = `${text} is checked as a host outside the cluster`;
  const how = `only domainNames peers match it by name, and whether ipBlocks or networks hold it depends on the addresses it resolves to`;
  const { namespace } = reading;
  if (!namespace) return `${host}: ${how}`;
  const ns = terminalText(namespace.name);
  const why = namespace.known
    ? `namespace ${ns} has no service or pod of that name${didYouMean(reading.suggestions)}`
    : `the input has no namespace ${ns}`;
  return `${host} (${why}): ${how}`;
}

/** A check's note in words. */
export function checkNoteText(note: CheckNote): string {
  if (note.kind === 'service-address') return serviceAddressText(note);
  if (note.kind === 'endpoints-not-ready') {
    return `service ${terminalText(note.service)}: ${notReadyText(note.endpoints, note.headless)}`;
  }
  if (note.kind === 'endpoints-without-family') {
    return `service ${terminalText(note.service)}: ${withoutFamilyText(note)}`;
  }
  if (note.kind === 'topology-hints') {
    return `service ${terminalText(note.service)} routes by topology hints: kube-proxy may send a client's connections to its ClusterIP only to the endpoints hinted for the client's zone or node`;
  }
  if (note.kind === 'internal-traffic-local') {
    return `service ${terminalText(note.service)} has internalTrafficPolicy Local: kube-proxy sends a client's connections to its ClusterIP only to endpoints on the client's own node, and drops them when there is none`;
  }
  if (note.kind === 'scaled-to-zero') {
    return `${scaledToZeroText(note.workload)}; answered for its pod template: the answer holds once it runs`;
  }
  return readingText(note);
}

function serviceAddressText(note: ServiceAddressNote): string {
  const ports = note.backendPorts.join(', ');
  const backendPort = note.backendPorts.length === 1 ? `port ${ports}` : `ports ${ports}`;
  return `${terminalText(note.address)} is the ClusterIP of service ${terminalText(note.service)} (port ${note.port}/${note.protocol}): answered for its backends on ${backendPort}, because NetworkPolicy implementations usually see the backend address and port after Service translation, not the ClusterIP`;
}

/** The lines a check prints before its verdicts: `note: ...`. */
export function checkNoteLines(notes: readonly CheckNote[]): string[] {
  return notes.map((note) => `note: ${checkNoteText(note)}`);
}

/**
 * A check's text answer: how far it holds and its notes, then `verdicts`, then what the input
 * could not show. scaffold fix says it with no verdicts, about the flow it fixes.
 */
export function checkAnswerLines(
  scope: Pick<AnswerScope, 'before' | 'after'>,
  notes: readonly CheckNote[],
  verdicts: readonly string[] = [],
): string[] {
  return [...scope.before, ...checkNoteLines(notes), ...verdicts, ...scope.after];
}

/** The JSON/YAML form of a check's notes (the structure with its text), absent when none. */
export function checkNotesData(notes: readonly CheckNote[]) {
  return notes.length > 0
    ? { notes: notes.map((note) => ({ ...note, message: checkNoteText(note) })) }
    : {};
}
