/**
 * Numbers sets of rule indexes built by adding indexes in ascending order, so that classes
 * hitting the same rules share an integer id without building string keys. Node 0 is the
 * empty set.
 */
export class RuleSetTrie {
  private readonly children = new Map<number, number>();
  private readonly sets: (readonly number[])[] = [[]];

  /** The node for the set of `node` plus `rule`, which must exceed every rule already in it. */
  extend(node: number, rule: number): number {
    const key = node * 0x10000 + rule;
    let child = this.children.get(key);
    if (child === undefined) {
      child = this.sets.length;
      this.sets.push([...(this.sets[node] ?? []), rule]);
      this.children.set(key, child);
    }
    return child;
  }

  /** The rule indexes of a node, ascending. */
  rules(node: number): readonly number[] {
    return this.sets[node] ?? [];
  }
}
