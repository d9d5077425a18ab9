import type { DnsAssumption, ScaffoldedPolicy } from '../engine/index.js';
import { scaffoldedManifest } from '../engine/index.js';
import { dnsAssumptionText } from './dns.js';
import { yamlText } from './structured.js';

/** What the policies' DNS rules assume of the cluster DNS, as comment lines to check first. */
function dnsAssumptionComments(assumptions: readonly DnsAssumption[]): string {
  return assumptions.map((a) => `# ${dnsAssumptionText(a)}\n`).join('');
}

/**
 * The manifests of policies as YAML documents separated by ---, as they are saved or applied;
 * what their DNS rules assume of the cluster DNS first, as comments (kubectl skips them).
 */
export function policiesYaml(
  policies: readonly ScaffoldedPolicy[],
  assumptions: readonly DnsAssumption[] = [],
): string {
  const documents = policies.map((policy) => yamlText(scaffoldedManifest(policy)));
  return `${dnsAssumptionComments(assumptions)}${documents.join('---\n')}`;
}
