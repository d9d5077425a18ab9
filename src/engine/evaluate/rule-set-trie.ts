/**
 * Numbers sets of rule indexes built by adding indexes in ascending order, so that classes
 * hitting the same rules share an integer id without building string keys. Node 0 is the
 * empty set.
 */
export class RuleSetTrie {
  /** Per node, its children by the rule index that leads to them. */
  private readonly children: Map<number, number>[] = [new Map()];
  private readonly sets: (readonly number[])[] = [[]];

  /** The node for the set of `node` plus `rule`, which must exceed every rule already in it. */
  extend(node: number, rule: number): number {
    const children = this.children[node] as Map<number, number>;
    let child = children.get(rule);
    if (child === undefined) {
      child = this.sets.length;
      this.sets.push([...(this.sets[node] ?? []), rule]);
      this.children.push(new Map());
      children.set(rule, child);
    }
    return child;
  }

  /** The rule indexes of a node, ascending. */
  rules(node: number): readonly number[] {
    return this.sets[node] ?? [];
  }
}
