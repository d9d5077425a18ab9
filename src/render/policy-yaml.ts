import type { ScaffoldedPolicy } from '../engine/index.js';
import { scaffoldedManifest } from '../engine/index.js';
import { yamlText } from './structured.js';

/** The manifests of policies as YAML documents separated by ---, as they are saved or applied. */
export function policiesYaml(policies: readonly ScaffoldedPolicy[]): string {
  return policies.map((policy) => yamlText(scaffoldedManifest(policy))).join('---\n');
}
