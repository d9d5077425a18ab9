import type { Analysis } from '../compile/compile.js';
import type { Finding } from '../model/findings.js';

/**
 * Notes on how Cilium's policy layer was treated: assumed from its objects, ignored because the
 * plugin is another, undecidable beside Calico's, or changed by the enforcement mode; and the
 * Services `toServices` names that are not found.
 */
export function ciliumLayerNotes(analysis: Analysis, plugin: string): Finding[] {
  const count = analysis.cluster.ciliumPolicies?.length ?? 0;
  const policies = `${count} Cilium polic${count === 1 ? 'y' : 'ies'}`;
  const mode = analysis.cilium?.enforcement;
  const note = (severity: Finding['severity'], message: string): Finding => ({
    severity,
    code: 'cilium-layer',
    message,
  });
  switch (analysis.ciliumLayer) {
    case 'absent':
      return [];
    case 'ignored':
      return count > 0
        ? [note('info', `${policies} present, but the network plugin is ${plugin}: ignored`)]
        : [];
    case 'undecided':
      return [
        note(
          'warning',
          `${policies} and Calico policies present, and the network plugin is not known: the pods they select are UNKNOWN`,
        ),
      ];
    case 'assumed':
    case 'enforced': {
      const assumed =
        analysis.ciliumLayer === 'assumed' && count > 0
          ? [
              note(
                'info',
                `${policies} evaluated: the network plugin is assumed to be Cilium from its objects`,
              ),
            ]
          : [];
      const modes =
        mode === 'never'
          ? [
              note(
                'warning',
                'cilium-config enable-policy=never: Cilium enforces no policy, NetworkPolicies included',
              ),
            ]
          : mode === 'always'
            ? [
                note(
                  'info',
                  'cilium-config enable-policy=always: every pod is isolated in both directions',
                ),
              ]
            : [];
      return [...assumed, ...modes, ...missingServiceNotes(analysis)];
    }
  }
}

/** A note per `toServices` entry naming a Service the input does not hold: it matches nothing. */
function missingServiceNotes(analysis: Analysis): Finding[] {
  const texts = (analysis.cilium?.specs ?? []).flatMap((spec) =>
    spec.rules.egress.flatMap((rule) =>
      rule.missingServices.map(
        (service) =>
          `${rule.name} ${rule.deny ? 'egressDeny' : 'egress'} rule ${rule.index + 1}: toServices names Service ${service}, which was not found: it matches nothing`,
      ),
    ),
  );
  return [...new Set(texts)].map((message) => ({
    severity: 'info',
    code: 'cilium-service-missing',
    message,
  }));
}
