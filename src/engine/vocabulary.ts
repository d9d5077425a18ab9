/**
 * The engine's second, light surface: the words and tables that option declarations and input
 * syntax need (protocols, CIDR parsing, scaffold templates), loadable without the rest of the
 * engine so that `--help`, `--version` and shell completion start fast. Everything else goes
 * through index.ts.
 */
export type { GraphGrouping } from './explain/connectivity-graph.js';
export { PROTOCOLS, type Protocol } from './model/basics.js';
export type { Parsed } from './model/result.js';
export { parseCidr } from './primitives/ip-block.js';
export {
  COMMON_ARGS,
  SCAFFOLD_TEMPLATES,
  type ScaffoldTemplate,
  type TemplateArg,
  type TemplateName,
} from './scaffold/templates.js';
