import { readsPastHeader } from './normalize.js';

type Data = Record<string, unknown>;

const isRecord = (value: unknown): value is Data =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string field as it is, another value present as null (which reads as no string alike). */
const stringOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * What the normaliser reads of an object of a kind it only counts (a Secret, a ConfigMap):
 * apiVersion, kind, metadata name and namespace, and the owners' kinds and names. Fields that
 * are present stay present (null when not strings), as a typed List's items read their presence.
 */
function countedForm(object: Data): Data {
  const form: Data = {};
  if ('apiVersion' in object) form.apiVersion = stringOrNull(object.apiVersion);
  if ('kind' in object) form.kind = stringOrNull(object.kind);
  const { metadata } = object;
  if (!isRecord(metadata)) return form;
  const kept: Data = {};
  if (typeof metadata.name === 'string') kept.name = metadata.name;
  if (typeof metadata.namespace === 'string') kept.namespace = metadata.namespace;
  if (Array.isArray(metadata.ownerReferences)) {
    kept.ownerReferences = metadata.ownerReferences.map((owner) =>
      typeof owner?.kind === 'string' && typeof owner?.name === 'string'
        ? { kind: owner.kind, name: owner.name }
        : null,
    );
  }
  form.metadata = kept;
  return form;
}

/** An object the normaliser reads past its header as `whole` gives it, any other its counted form. */
function objectForm(object: Data, whole: (object: Data) => Data): Data {
  return readsPastHeader(object) ? whole(object) : countedForm(object);
}

/**
 * What the normaliser reads of a decoded document: a List's apiVersion, kind and items (each
 * as the normaliser reads it, a typed List's items with the kind it gives them), or the
 * object; an object it reads past its header passed to `whole` (which may check it), one of
 * a kind it only counts cut to its counted form (a 10 MB ConfigMap, a CRD's schema: a few
 * fields). Normalising either gives the same cluster and findings; a value kept as it is
 * stays the same value.
 */
export function readForm(document: unknown, whole: (object: Data) => Data = (o) => o): unknown {
  if (!isRecord(document)) return document;
  const { kind, items, apiVersion } = document;
  if (typeof kind !== 'string' || !kind.endsWith('List') || !Array.isArray(items)) {
    return objectForm(document, whole);
  }
  const typed = kind !== 'List';
  const itemKind = kind.slice(0, -'List'.length);
  const formed = items.map((item: unknown) => {
    if (!isRecord(item)) return item;
    // A typed List's item without a kind takes the List's kind and apiVersion, as it is read.
    const read = typed && !('kind' in item) ? { apiVersion, ...item, kind: itemKind } : item;
    const form = objectForm(read, whole);
    return form === read ? item : form;
  });
  return { ...('apiVersion' in document ? { apiVersion } : {}), kind, items: formed };
}
