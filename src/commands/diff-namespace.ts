import { type Analysis, compileAsAsked, diffFlows } from '../engine/index.js';
import { loadedFromSources } from '../io/load-input.js';
import type { SourcedObject } from '../io/manifests/parse-text.js';
import {
  applyObjects,
  changedObjectName,
  type ObjectChange,
} from '../io/normalize/apply-objects.js';
import type { SourceObjects } from '../io/normalize/loaded-input.js';
import { expandLists } from '../io/normalize/normalize.js';
import type { InputOptions } from './session.js';

/** What diff compares: the base, and the objects a change applies to it and deletes from it. */
export interface ObjectsChange {
  readonly base: SourceObjects;
  readonly applied: readonly SourcedObject[];
  readonly deleted: readonly SourcedObject[];
}

/** Whether a pod, by id `namespace/name`, is of the namespace. */
export function podInNamespace(namespace: string): (podId: string) => boolean {
  return (podId) => podId.startsWith(`${namespace}/`);
}

/** Whether a cluster-scoped object's change, made alone to the base, changes a flow in NS. */
function changesFlowsIn(
  namespace: string,
  changed: ObjectChange,
  change: ObjectsChange,
  was: Analysis,
  options: InputOptions,
): boolean {
  const only = (objects: readonly SourcedObject[]) =>
    expandLists(objects).filter(({ object }) => changedObjectName(object) === changed.object);
  const alone = applyObjects(change.base.objects, only(change.applied), only(change.deleted));
  const is = compileAsAsked(loadedFromSources(change.base, alone.objects).cluster, options);
  const shown = podInNamespace(namespace);
  return diffFlows(was, is).some((pair) => shown(pair.from) || shown(pair.to));
}

/**
 * The changed objects a diff narrowed to a namespace shows: those of the namespace, and the
 * cluster-scoped ones whose change alone, made to the base (analysed as `was`), opens or closes
 * a flow to or from one of its pods.
 */
export function changesInNamespace(
  namespace: string,
  changes: readonly ObjectChange[],
  change: ObjectsChange,
  was: Analysis,
  options: InputOptions,
): ObjectChange[] {
  return changes.filter((changed) =>
    changed.namespace === undefined
      ? changesFlowsIn(namespace, changed, change, was, options)
      : changed.namespace === namespace,
  );
}
