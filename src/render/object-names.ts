import { terminalText } from './terminal-text.js';

/** An object as `-o name` names it. */
export interface NamedObject {
  readonly kind: string;
  readonly name: string;
}

/** The API group of each kind the input can hold; the core group ("") has none. */
const GROUPS: Readonly<Record<string, string>> = {
  NetworkPolicy: 'networking.k8s.io',
  Deployment: 'apps',
  StatefulSet: 'apps',
  DaemonSet: 'apps',
  ReplicaSet: 'apps',
  Job: 'batch',
  CronJob: 'batch',
  ClusterNetworkPolicy: 'policy.networking.k8s.io',
  AdminNetworkPolicy: 'policy.networking.k8s.io',
  BaselineAdminNetworkPolicy: 'policy.networking.k8s.io',
};

/** kubectl's `-o name` line of an object: `pod/web`, `networkpolicy.networking.k8s.io/deny`. */
export function objectName(object: NamedObject): string {
  const group = GROUPS[object.kind];
  const resource = object.kind.toLowerCase() + (group ? `.${group}` : '');
  return `${resource}/${terminalText(object.name)}`;
}

/** The `-o name` lines of objects, each once, in the order first met. */
export function objectNameLines(objects: Iterable<NamedObject>): string[] {
  return [...new Set([...objects].map(objectName))];
}
