import type { SourcedObject } from '../manifests/parse-text.js';
import { expandLists, normalizeObjects } from './normalize.js';
import { clusterPolicyKind } from './normalize-cluster-policy.js';
import { unmodelledPolicyScope } from './policy-layers.js';

/** What a change does to one object of the base, named `Kind namespace/name`. */
export interface ObjectChange {
  readonly object: string;
  readonly change: 'added' | 'changed' | 'removed';
  /** The object's namespace; undefined for a cluster-scoped object. */
  readonly namespace: string | undefined;
}

/** The objects after a change, what it did to each, and the deletions naming nothing. */
export interface AppliedObjects {
  readonly objects: readonly SourcedObject[];
  readonly changes: readonly ObjectChange[];
  /** Objects to delete that the base does not hold, named `Kind namespace/name`. */
  readonly absent: readonly string[];
}

function field(object: unknown, key: string): unknown {
  return typeof object === 'object' && object !== null
    ? (object as Record<string, unknown>)[key]
    : undefined;
}

/** Whether objects of a kind live outside namespaces. */
function isClusterScoped(apiVersion: string, kind: string): boolean {
  return (
    kind === 'Namespace' ||
    kind === 'Node' ||
    clusterPolicyKind(apiVersion, kind) !== undefined ||
    unmodelledPolicyScope(apiVersion, kind) === 'cluster'
  );
}

/**
 * An object's identity and its display name: API group, kind, namespace (for a namespaced kind:
 * "default" when unset, as the normaliser reads it) and name. Undefined without kind or name.
 */
function identity(
  object: unknown,
): { key: string; name: string; namespace: string | undefined } | undefined {
  const kind = field(object, 'kind');
  const metadata = field(object, 'metadata');
  const name = field(metadata, 'name');
  if (typeof kind !== 'string' || typeof name !== 'string') return undefined;
  const apiVersion = field(object, 'apiVersion');
  const version = typeof apiVersion === 'string' ? apiVersion : '';
  const group = version.includes('/') ? version.split('/')[0] : '';
  const declared = field(metadata, 'namespace');
  const namespace = typeof declared === 'string' && declared ? declared : 'default';
  if (isClusterScoped(version, kind)) {
    return { key: `${group} ${kind} ${name}`, name: `${kind} ${name}`, namespace: undefined };
  }
  const scoped = `${namespace}/${name}`;
  return { key: `${group} ${kind} ${scoped}`, name: `${kind} ${scoped}`, namespace };
}

/** The name a change gives an object, `Kind namespace/name`; undefined without kind or name. */
export function changedObjectName(object: unknown): string | undefined {
  return identity(object)?.name;
}

/** What the analysis reads of an object alone: two objects reading alike change nothing. */
function analysedForm(sourced: SourcedObject): string {
  const { cluster } = normalizeObjects([{ ...sourced, location: { file: '' } }]);
  return JSON.stringify(cluster);
}

/** The replacing object, keeping the replaced one's status: applying a manifest never sets it. */
function replacement(previous: SourcedObject, next: SourcedObject): SourcedObject {
  const status = field(previous.object, 'status');
  if (status === undefined || field(next.object, 'status') !== undefined) return next;
  return { ...next, object: { ...(next.object as Record<string, unknown>), status } };
}

/**
 * Applies a change to base objects as `kubectl apply -f` then `kubectl delete -f` would: each
 * applied object replaces the one of the same group, kind, namespace and name, or is added;
 * each deleted one is removed. Objects without kind or name are kept for the normaliser to report.
 */
export function applyObjects(
  base: readonly SourcedObject[],
  applied: readonly SourcedObject[],
  deleted: readonly SourcedObject[],
): AppliedObjects {
  const current = new Map<string, SourcedObject>();
  const unnamed: SourcedObject[] = [];
  for (const sourced of expandLists(base)) {
    const id = identity(sourced.object);
    if (id) current.set(id.key, sourced);
    else unnamed.push(sourced);
  }
  const changes: ObjectChange[] = [];
  for (const sourced of expandLists(applied)) {
    const id = identity(sourced.object);
    if (!id) {
      unnamed.push(sourced);
      continue;
    }
    const previous = current.get(id.key);
    const next = previous ? replacement(previous, sourced) : sourced;
    const { name: object, namespace } = id;
    if (!previous) changes.push({ object, change: 'added', namespace });
    else if (analysedForm(previous) !== analysedForm(next)) {
      changes.push({ object, change: 'changed', namespace });
    }
    current.set(id.key, next);
  }
  const absent: string[] = [];
  for (const sourced of expandLists(deleted)) {
    const id = identity(sourced.object);
    if (!id) continue;
    if (current.delete(id.key)) {
      changes.push({ object: id.name, change: 'removed', namespace: id.namespace });
    } else absent.push(id.name);
  }
  return { objects: [...current.values(), ...unnamed], changes, absent };
}
