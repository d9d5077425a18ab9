/** The vocabulary every policy kind shares: protocols, labels and label selectors. */

/** Transport protocols a policy can name. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** Every protocol, in the order outputs list them. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** A label map as found in metadata.labels or matchLabels. */
export type Labels = Readonly<Record<string, string>>;

/** Operators of a label selector requirement. */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** One matchExpressions entry. */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A metav1.LabelSelector; an empty one selects everything. */
export interface LabelSelector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly SelectorRequirement[];
}
