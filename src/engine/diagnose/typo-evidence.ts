import type { Labels } from '../model/types.js';
import type { LabelDifference } from '../primitives/label-difference.js';

/** An object a selector was compared with, among others of its kind: a namespace or a pod. */
export interface Labelled {
  readonly name: string;
  readonly labels: Labels;
}

/** A name as label values spell it: lower case, letters and digits ("namespace-a": "namespacea"). */
function nameKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Whether a label value spells an object's name (`namespacea` for namespace-a). */
export function valueNames(value: string, name: string): boolean {
  const key = nameKey(value);
  return key !== '' && key === nameKey(name);
}

/**
 * Whether the objects contradict a typo claim on one term of `subject`: its label spells its own
 * name while a wanted value spells another object's. ns=namespaceb on namespace-b is no typo of
 * ns=namespacea while namespace-a exists: that is namespace-a's label, not yet applied.
 */
function contradicted(
  term: LabelDifference,
  subject: Labelled,
  population: readonly Labelled[],
): boolean {
  const actual = term.actual;
  return (
    actual !== undefined &&
    valueNames(actual.value, subject.name) &&
    population.some(
      (object) =>
        object.name !== subject.name &&
        term.requirement.values.some((value) => valueNames(value, object.name)),
    )
  );
}

/** The label differences of `subject` with the typo claims the other objects contradict withdrawn. */
export function withTypoEvidence(
  differences: readonly LabelDifference[],
  subject: Labelled,
  population: readonly Labelled[],
): LabelDifference[] {
  return differences.map((term) =>
    term.likelyTypo && contradicted(term, subject, population)
      ? { ...term, likelyTypo: false }
      : term,
  );
}

/** Whether a pod's name bears its label value out (`web-frontend-7c8d9` for app=web-frontend). */
export function nameBearsOut(podName: string, value: string): boolean {
  return podName === value || podName.startsWith(`${value}-`);
}
