import { type Document, isAlias, isMap, isNode, isScalar, type Node, visit } from 'yaml';

/** Aliases a document may hold or expand to: real manifests use a handful, attacks millions. */
export const MAX_ALIASES = 1000;

/** Why a parsed document is refused before it is converted to plain data (one line), and where. */
export interface StructureProblem {
  readonly message: string;
  /** Offset of the offending node in the parsed text. */
  readonly offset: number;
}

/**
 * Finds what would make converting a document unsafe or lossy, in one pass linear in its size:
 * a repeated key in a mapping (the parser's own check is quadratic, so it is turned off), an
 * alias inside the node it refers to (a cycle: the data would be infinite), or more than
 * MAX_ALIASES aliases.
 */
export function structureProblem(document: Document.Parsed): StructureProblem | undefined {
  const anchors = new Map<string, Node>();
  let aliases = 0;
  let problem: StructureProblem | undefined;
  visit(document, (_key, node, ancestors) => {
    if (isNode(node) && node.anchor) anchors.set(node.anchor, node);
    if (isMap(node)) problem = repeatedKey(node.items);
    else if (isAlias(node)) {
      aliases += 1;
      const offset = node.range?.[0] ?? 0;
      const target = anchors.get(node.source);
      if (target && ancestors.includes(target)) {
        problem = {
          message: `refused: the alias *${node.source} lies inside the node anchored &${node.source} (a cycle)`,
          offset,
        };
      } else if (aliases > MAX_ALIASES) {
        problem = { message: `refused: more than ${MAX_ALIASES} aliases`, offset };
      }
    }
    return problem ? visit.BREAK : undefined;
  });
  return problem;
}

function repeatedKey(pairs: readonly { key: unknown }[]): StructureProblem | undefined {
  const seen = new Set<unknown>();
  for (const { key } of pairs) {
    if (!isScalar(key)) continue;
    if (seen.has(key.value)) {
      return {
        message: `malformed YAML: duplicate key ${JSON.stringify(key.value)}`,
        offset: key.range?.[0] ?? 0,
      };
    }
    seen.add(key.value);
  }
  return undefined;
}
