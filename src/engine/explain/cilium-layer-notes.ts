import {
  type CiliumRefusalReason,
  refusedPolicyName,
  releaseWindowText,
  ruleShapeText,
} from '../cni/cilium-refusals.js';
import { ciliumReleaseText, ciliumVersion } from '../cni/cilium-version.js';
import type { Analysis } from '../compile/compile.js';
import {
  CILIUM_REQUIRES_FIELDS,
  CILIUM_REQUIRES_REMOVED_IN as REMOVED,
} from '../model/cilium-policy.js';
import type { Finding } from '../model/findings.js';
import type { PolicyPort } from '../model/types.js';

/**
 * Notes on how Cilium's policy layer was treated: assumed from its objects, ignored because the
 * plugin is another, undecidable beside Calico's, or changed by the enforcement mode; the
 * Services `toServices` names that are not found; NetworkPolicy port ranges its version ignores,
 * SCTP ports where Cilium drops SCTP or may, and the policies its agent refuses whole.
 */
export function ciliumLayerNotes(analysis: Analysis, plugin: string): Finding[] {
  return [
    ...layerStateNotes(analysis, plugin),
    ...endPortNotes(analysis),
    ...sctpNotes(analysis),
    ...refusalNotes(analysis),
  ];
}

/** Why the Cilium agent refuses a policy, in short. */
function refusedBecause(reason: CiliumRefusalReason): string {
  if (reason.kind === 'rule-shape') {
    const { version } = reason;
    return `its ${reason.list} rule ${reason.ruleIndex + 1} ${ruleShapeText(reason.shape)}, which Cilium ${ciliumReleaseText(version)} (${version.image}) refuses (refused ${releaseWindowText(reason.refusedIn)})`;
  }
  const release = reason.version
    ? `Cilium ${reason.version.major}.${reason.version.minor} (${reason.version.image})`
    : 'Cilium';
  return reason.kind === 'sctp-port'
    ? `it names SCTP in a port, which ${release} refuses (SCTP came in 1.13)`
    : `it has icmps rules, which ${release} refuses without enable-icmp-rules: "true" in cilium-config${reason.version ? ' (off by default before 1.12)' : ''}`;
}

/** A warning per policy the Cilium agent refuses: it is left out, so none of its rules apply. */
function refusalNotes(analysis: Analysis): Finding[] {
  return (analysis.ciliumRefused ?? []).map((refused) => ({
    severity: 'warning',
    code: 'cilium-policy-refused',
    ...(refused.location ? { location: refused.location } : {}),
    message: `${refusedPolicyName(refused)}: ${refusedBecause(refused.reason)}; left out, as the agent enforces none of its rules and isolates no pod by it`,
  }));
}

/** The NetworkPolicies with a port entry `pick` keeps, by kubectl name. */
function policiesWithPorts(analysis: Analysis, pick: (port: PolicyPort) => boolean): string[] {
  return analysis.policies
    .filter(({ policy }) =>
      [...policy.ingress, ...policy.egress].some((rule) => rule.ports.some(pick)),
    )
    .map(({ ref }) => `networkpolicy/${ref.namespace}/${ref.name}`);
}

/**
 * A note per NetworkPolicy with a port range on Cilium before 1.16, which cuts each range to its
 * first port (see CILIUM_ENDPORT_SINCE), or on Cilium of a version no image tag tells.
 */
function endPortNotes(analysis: Analysis): Finding[] {
  const reading = analysis.ciliumEndPorts;
  if (!reading || reading.kind === 'as-written') return [];
  return policiesWithPorts(analysis, (port) => port.endPort !== undefined).map((name) => {
    if (reading.kind === 'unknown') {
      return {
        severity: 'info',
        code: 'cilium-endport',
        message: `${name} uses endPort, which Cilium before 1.16 ignores, and the Cilium version could not be read from its agent image's tag: flows to the rest of its ranges are UNKNOWN`,
      };
    }
    const { major, minor, image } = reading.version;
    return {
      severity: 'warning',
      code: 'cilium-endport',
      message: `${name} uses endPort; the cluster runs Cilium ${major}.${minor} (${image}), which ignores it before 1.16: each range admits only its first port`,
    };
  });
}

/**
 * A note per NetworkPolicy naming SCTP ports on Cilium that drops SCTP (a warning: its SCTP
 * rules admit nothing) or may (see CiliumSctp); none where Cilium passes SCTP.
 */
function sctpNotes(analysis: Analysis): Finding[] {
  const sctp = analysis.ciliumSctp;
  if (!sctp || sctp.kind === 'passed') return [];
  const why =
    sctp.kind === 'dropped'
      ? sctp.version
        ? `the cluster runs Cilium ${sctp.version.major}.${sctp.version.minor}, which drops every SCTP packet (SCTP support came in 1.13)`
        : 'Cilium drops every SCTP packet: cilium-config does not set enable-sctp: "true" (off by default)'
      : sctp.olderAgent
        ? `cilium-config sets enable-sctp, but some agents run Cilium ${sctp.olderAgent.major}.${sctp.olderAgent.minor}, which drops SCTP: SCTP answers are UNKNOWN`
        : `whether Cilium passes SCTP is unknown (cilium-config ${sctp.unread ? 'could not be read' : 'is not in the input'}; enable-sctp is off by default): SCTP answers are UNKNOWN`;
  return policiesWithPorts(analysis, (port) => port.protocol === 'SCTP').map((name) => ({
    severity: sctp.kind === 'dropped' ? 'warning' : 'info',
    code: 'cilium-sctp',
    message: `${name} names SCTP ports; ${why}`,
  }));
}

/** Notes on whether and how Cilium's policy layer is enforced. */
function layerStateNotes(analysis: Analysis, plugin: string): Finding[] {
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
      const networkPolicies =
        analysis.cluster.ciliumConfig?.k8sNetworkPolicy === false && mode !== 'never'
          ? [
              note(
                'warning',
                'cilium-config enable-k8s-networkpolicy=false: Cilium ignores NetworkPolicies, enforcing Cilium policies alone',
              ),
            ]
          : [];
      return [
        ...assumed,
        ...modes,
        ...networkPolicies,
        ...missingServiceNotes(analysis),
        ...requiresNotes(analysis),
      ];
    }
  }
}

/**
 * A note per `toServices` entry naming a Service the input does not hold, or one with a selector
 * on Cilium before 1.17, which takes Services without selector alone: it matches nothing.
 */
function missingServiceNotes(analysis: Analysis): Finding[] {
  const version = ciliumVersion(analysis.cni);
  const release = version
    ? `Cilium ${ciliumReleaseText(version)} (${version.image})`
    : 'this Cilium';
  const notes = (analysis.cilium?.specs ?? []).flatMap((spec) =>
    spec.rules.egress.flatMap((rule): Finding[] => {
      const names = `${rule.name} ${rule.deny ? 'egressDeny' : 'egress'} rule ${rule.index + 1}: toServices names Service`;
      return [
        ...rule.missingServices.map((service) => ({
          severity: 'info' as const,
          code: 'cilium-service-missing',
          message: `${names} ${service}, which was not found: it matches nothing`,
        })),
        // The policy does not do what it says on this cluster: a warning.
        ...rule.unselectedServices.map((service) => ({
          severity: 'warning' as const,
          code: 'cilium-service-ignored',
          message: `${names} ${service}, which has a selector, and ${release} takes only Services without one (those with a selector came in 1.17): it matches nothing`,
        })),
      ];
    }),
  );
  // A rule compiles once per toPorts entry: one note per message.
  return [...new Map(notes.map((note) => [note.message, note])).values()];
}

const REQUIRES: readonly string[] = Object.values(CILIUM_REQUIRES_FIELDS);

/**
 * A note per policy with a non-empty fromRequires/toRequires (the sides it governs are UNKNOWN):
 * what the cluster's Cilium version does with it. Cilium 1.18 enforces it; 1.19 removed it, and
 * its CRD types it as a list of strings with maxItems 0 (pkg/policy/api/ingress.go), so its API
 * server refuses any entry and its agent cannot decode selectors stored before the upgrade.
 */
function requiresNotes(analysis: Analysis): Finding[] {
  const names = [
    ...new Set(
      (analysis.cilium?.specs ?? [])
        .filter((spec) => spec.unsupported.some((field) => REQUIRES.includes(field)))
        .map((spec) => spec.name),
    ),
  ];
  if (names.length === 0) return [];
  const version = ciliumVersion(analysis.cni);
  const removed =
    version &&
    (version.major > REMOVED.major ||
      (version.major === REMOVED.major && version.minor >= REMOVED.minor));
  const fate = !version
    ? `Cilium ${REMOVED.major}.${REMOVED.minor - 1} and earlier enforce it, ${REMOVED.major}.${REMOVED.minor} removed it, and the Cilium version is not known: the engine does not evaluate it, so the sides it governs are UNKNOWN`
    : removed
      ? `the cluster runs Cilium ${version.major}.${version.minor} (${version.image}), which removed it: its API server refuses any entry (the CRD allows 0 items) and its agent cannot decode selectors stored before the upgrade, so the sides it governs are UNKNOWN`
      : `the cluster runs Cilium ${version.major}.${version.minor} (${version.image}), which enforces it, and the engine does not evaluate it: the sides it governs are UNKNOWN`;
  return names.map((name) => ({
    severity: removed ? 'warning' : 'info',
    code: 'cilium-requires',
    message: `${name} uses fromRequires/toRequires; ${fate}`,
  }));
}
