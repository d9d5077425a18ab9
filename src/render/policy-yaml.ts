import type { NetworkPolicy } from '../engine/index.js';
import { policyManifest } from '../engine/index.js';
import { yamlText } from './structured.js';

/** The manifests of policies as YAML documents separated by ---, as they are saved or applied. */
export function policiesYaml(policies: readonly NetworkPolicy[]): string {
  return policies.map((policy) => yamlText(policyManifest(policy))).join('---\n');
}
