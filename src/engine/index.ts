/**
 * The engine's surface: io/, render/, ui/ and commands/ import the engine only from here.
 *
 * The engine is pure (no I/O, no clock) and laid out by stage. Each folder imports only its own
 * files and those of the folders before it in this order (test/engine/layout.test.ts checks it):
 *
 *   model       cluster types (types.ts) and findings about the input
 *   primitives  selectors, port sets, IP blocks, name validators
 *   cni         which CNI a cluster runs, from its workloads
 *   compile     validation, the compiled Analysis, endpoints, Services and user targets
 *   evaluate    verdicts, allowed connections, the class-based matrix, reachable lists
 *   scaffold    policy templates, the fix for a denied flow, the effect of adding policies
 *   diagnose    near misses of a denied flow and the selector edits that would allow it
 *   audit       the cluster audit and its findings
 *   explain     a pod's exposure, the overview, a policy's footprint, checks between targets
 *
 * Files inside the engine import each other directly, never through this file. What the user
 * types in kubectl's syntax (selectors, ports, template arguments) is read in src/syntax/.
 */
export { type AuditReport, auditCluster, auditScope, SEVERITY_ORDER } from './audit/audit.js';
export { unknownNamedPortFindings } from './audit/named-port-warnings.js';
export type {
  AuditFinding,
  CandidateMiss,
  ClusterRuleRef,
  EarlyDeny,
  ExampleFlow,
  FixAction,
  LayerRuleRef,
  ObjectRef,
  OpenForm,
  PeerRef,
  RuleRef,
} from './audit/types.js';
export {
  type CiliumRefusalDoubt,
  type CiliumRefusalReason,
  type CiliumRefusedPolicy,
  type CiliumReleaseWindow,
  type CiliumRuleList,
  refusedPolicyName,
  releaseWindowText,
  ruleShapeText,
} from './cni/cilium-refusals.js';
export { type CiliumVersion, ciliumReleaseText } from './cni/cilium-version.js';
export {
  type CniDetection,
  type CniEvidence,
  type CniReason,
  detectCni,
  type Enforcement,
} from './cni/detect.js';
export {
  type CalicoCatchAll,
  type CalicoTierIsolation,
  selectingPolicies,
} from './compile/chain-isolation.js';
export type { CiliumIsolation, CiliumSctpDrop, RuleAction } from './compile/chains.js';
export {
  type Analysis,
  compileCluster,
  type Direction,
  namespaceTable,
  type PolicyRef,
} from './compile/compile.js';
export { type AskedCompile, compileAsAsked } from './compile/compile-as-asked.js';
export type { CiliumLayerState } from './compile/compile-cilium-policy.js';
export { withoutEndPorts } from './compile/compile-policy.js';
export { type PluginLayerModes, pluginLayerModes } from './compile/plugin-layers.js';
export {
  type ScaledToZeroWorkload,
  withScaledToZeroRunning,
} from './compile/scaled-to-zero.js';
export {
  type ClientScope,
  clientScope,
  type NotReadyEndpoint,
  type PodsWithoutFamily,
  type ServiceAddresses,
  type ServiceBackendSet,
  serviceBackendSet,
} from './compile/services.js';
export { clusterPolicyKind, parseTargetName, policyKindOf } from './compile/target-names.js';
export {
  type PortSpec,
  type PortSpecProblem,
  parsePortSpec,
  resolvedId,
  resolveTarget,
  type ServiceAddress,
  type TargetProblem,
  type TargetReading,
} from './compile/targets.js';
export type { CompileOptions, UndecidedLayer } from './compile/undecided.js';
export { hidesOnlyStagedPolicies } from './compile/undecided.js';
export {
  type FieldError,
  validateLabelSelector,
  validateNetworkPolicy,
} from './compile/validate.js';
export { type DirectionDiagnosis, deniedByClusterTier } from './diagnose/flow-diagnosis.js';
export {
  type Difference,
  type RuleNearMiss,
  type SelectorDifference,
  selectsNothing,
} from './diagnose/rule-differences.js';
export type { Suggestion } from './diagnose/selector-suggestions.js';
export type { FamilyName } from './evaluate/address-families.js';
export type { CalicoRuleMiss, CalicoTierStep } from './evaluate/calico-verdict.js';
export { ciliumL7Restricts, sideL7Restriction } from './evaluate/cilium-l7.js';
export {
  type ClassPairList,
  ClassRepresentatives,
  NO_PAIR,
} from './evaluate/class-representatives.js';
export type { DenyDoubt } from './evaluate/deny-reach.js';
export type {
  CiliumRuleMatch,
  ClusterRuleMatch,
  ClusterTierStep,
  DirectionVerdict,
  FamilyVerdict,
  FlowVerdict,
  Outcome,
  RuleMatch,
} from './evaluate/evaluate.js';
export { OUTCOME_STRICTNESS } from './evaluate/evaluate.js';
export type { ExceptionPairs } from './evaluate/exception-pairs.js';
export { computeMatrix } from './evaluate/family-matrix.js';
export {
  type FlowDecision,
  flowDecision,
  type SideDecider,
} from './evaluate/flow-deciders.js';
export {
  diffFlows,
  type FamilyChange,
  type FlowTransition,
  type PairAnswer,
  type PairDiff,
  transitionOpens,
} from './evaluate/flow-diff.js';
export {
  type ConnectivityMatrix,
  DECIDED_PAIR,
  type FamilyIds,
  type PairIds,
} from './evaluate/matrix.js';
export { buildPeerIndex, type PeerIndex } from './evaluate/peer-index.js';
export type { PeerMiss } from './evaluate/peer-miss.js';
export type { PortMiss } from './evaluate/port-match.js';
export {
  type FamilyReach,
  type FamilyReaches,
  pairReach,
  type ReachablePod,
} from './evaluate/reachable.js';
export {
  type RestrictingTier,
  type RestrictingTiersMemo,
  restrictingTiersMemo,
} from './evaluate/restricting-tiers.js';
export type { RuleMiss } from './evaluate/rule-miss.js';
export {
  type CheckAnswer,
  type CheckedFlow,
  type CheckNote,
  type CheckProblem,
  checkOutcome,
  checkTargets,
  effectiveOutcome,
  type NodeLocalNote,
  type NotReadyNote,
  type PortNeeded,
  type RouteDoubt,
  type ScaledToZeroNote,
  type ServiceAddressNote,
  scaledToZeroNamed,
  scaledToZeroNotes,
  serviceTargetNotes,
  targetEndpoints,
  targetServicePorts,
} from './explain/check-targets.js';
export { ciliumLayerNotes } from './explain/cilium-layer-notes.js';
export { clusterPolicyNotes, doubtWords } from './explain/cluster-policy-notes.js';
export {
  type ClusterPolicyView,
  type ClusterRuleView,
  clusterPolicyView,
  findClusterPolicy,
  type RuleFlow,
} from './explain/cluster-policy-view.js';
export {
  type ConnectivityGraph,
  connectivityGraph,
  type EdgePorts,
  type GraphEdge,
  type GraphGrouping,
  type GraphNode,
} from './explain/connectivity-graph.js';
export {
  type ClusterRuleGrant,
  type DirectionExposure,
  explainPod,
  type PeerGrant,
  type PodExposure,
} from './explain/explain-pod.js';
export {
  type ExposureChanges,
  exposureChanges,
  type ReachChange,
} from './explain/exposure-changes.js';
export {
  bothSidesFix,
  type CheckFixes,
  checkFixes,
  clusterPolicyDenial,
  recheckWith,
} from './explain/flow-fixes.js';
export { type PolicyFootprint, policyFootprint } from './explain/footprint.js';
export type { MaskedClientDoubt } from './explain/masked-grants.js';
export {
  type IsolationState,
  type Overview,
  overview,
  type PodSummary,
} from './explain/overview.js';
export { type PluginPeer, type PluginRuleGrant, pluginRuleGrants } from './explain/plugin-rules.js';
export { policyCandidates } from './explain/policy-candidates.js';
export {
  findReferencedPolicy,
  type PolicyReference,
  parsePolicyReference,
} from './explain/policy-reference.js';
export {
  findPolicy,
  type MissingPolicy,
  type PeerView,
  type PodSample,
  type PolicyView,
  policyView,
  type RuleView,
} from './explain/policy-view.js';
export type { ServiceIpCaveat } from './explain/service-ip-caveats.js';
export {
  type CompileStaged,
  compilingStagedOnce,
  type StagedExposurePreview,
  type StagedPreview,
  stagedExposurePreviews,
  stagedPreviews,
} from './explain/staged-preview.js';
export {
  type CandidateAbout,
  type CandidateSource,
  candidateSource,
  commonPrefix,
  matchCandidates,
  namespaceCandidates,
  type TargetCandidate,
  targetCandidates,
} from './explain/target-candidates.js';
export {
  CALICO_DEFAULT_TIER,
  type CalicoAction,
  type CalicoEntityRule,
  type CalicoPolicy,
  type CalicoPolicyKind,
  type CalicoPort,
  type CalicoProtocol,
  type CalicoRule,
  type CalicoTier,
  calicoKubernetesPolicyName,
  calicoPolicyName,
  stagedKubernetesPolicyName,
} from './model/calico-policy.js';
export type {
  CalicoComparison,
  CalicoSelector,
  CalicoSetTest,
} from './model/calico-selector.js';
export {
  CILIUM_CONFIG,
  CILIUM_ENTITIES,
  CILIUM_REQUIRES_FIELDS,
  type CiliumCidr,
  type CiliumConfig,
  type CiliumEndpointSelector,
  type CiliumEnforcement,
  type CiliumEntity,
  type CiliumL7Rules,
  type CiliumLoadBalancerMode,
  type CiliumPolicy,
  type CiliumPolicyKind,
  type CiliumPolicySpec,
  type CiliumPortRule,
  type CiliumRule,
  type CiliumRuleShape,
  type CiliumServiceRef,
  ciliumPolicyName,
} from './model/cilium-policy.js';
export {
  type ClusterNetworkPolicy,
  type ClusterNode,
  type ClusterPolicyKind,
  type ClusterPolicyPeer,
  type ClusterPolicyPort,
  type ClusterPolicyRule,
  type ClusterPolicyTier,
  type ClusterRuleAction,
  clusterPolicyName,
  type NamespacedPods,
} from './model/cluster-policy.js';
export type { Finding, Severity, SourceLocation } from './model/findings.js';
export { fail, ok, type Parsed, type Result } from './model/result.js';
export {
  type Cluster,
  type ContainerInfo,
  type ContainerPort,
  type EndpointSlice,
  type EndpointSliceEndpoint,
  type EndpointSlicePort,
  type IpBlock,
  type LabelSelector,
  type Labels,
  NAMESPACE_NAME_LABEL,
  type Namespace,
  type NetworkPolicy,
  objectId,
  type Pod,
  type PolicyPeer,
  type PolicyPort,
  type PolicyRule,
  type PolicyType,
  PROTOCOLS,
  type Protocol,
  type RefusedPolicy,
  type ReplicaRange,
  SERVICE_NAME_LABEL,
  type SelectorOperator,
  type SelectorRequirement,
  type Service,
  type StagedKubernetesPolicy,
  type UnmodelledPolicy,
  type UnreadList,
  type Workload,
  withPodCidrs,
} from './model/types.js';
export {
  type CalicoLabelSeen,
  type CalicoSelectorFailure,
  calicoFailureText,
  calicoGlobalProblem,
  calicoSelectorFailure,
  calicoSelectorMatches,
  calicoSelectorMismatch,
  formatCalicoSelector,
} from './primitives/calico-selector.js';
export {
  CILIUM_NAMESPACE_LABEL,
  namesNamespace,
  withoutLabelSource,
} from './primitives/cilium-labels.js';
export { isHostname } from './primitives/domain-names.js';
export { identifyingLabels, isControllerLabel } from './primitives/identifying-labels.js';
export { parseCidr, parseIpAddress } from './primitives/ip-block.js';
export type { LabelDifference } from './primitives/label-difference.js';
export { dns1123SubdomainErrors } from './primitives/names.js';
export {
  EMPTY_PORT_SET,
  intersectPortSets,
  isEmptyPortSet,
  isFullPortSet,
  type PortRange,
  type PortSet,
  portSetAllows,
  subtractPortSets,
  unionPortSets,
} from './primitives/port-set.js';
export { labelsSelector, type SelectorMismatch, selectorMatches } from './primitives/selector.js';
export { podServiceAccount } from './primitives/service-account.js';
export { type AnalysisDns, analysisDns } from './scaffold/analysis-dns.js';
export type {
  DnsAssumed,
  DnsFound,
  DnsFoundBy,
  DnsRuleTarget,
  DnsServerRef,
  PortlessDnsPods,
  UnresolvedDnsPort,
} from './scaffold/cluster-dns.js';
export {
  type ClusterScaffoldRequest,
  clusterPolicyManifest,
  DEFAULT_CLUSTER_PRIORITY,
  isClusterPolicy,
  isClusterRequest,
  type ScaffoldedPolicy,
  scaffoldClusterPolicy,
  scaffoldedManifest,
  scaffoldTemplate,
  type TemplateRequest,
} from './scaffold/cluster-scaffold.js';
export {
  DNS_SERVICE_PORT,
  type DnsAssumption,
  type DnsPort,
  dnsAssumption,
  dnsRuleTarget,
  withClusterDns,
  withDnsTarget,
} from './scaffold/dns-ports.js';
export type { DnsBlock, DnsProtocol, DnsServerDoubt } from './scaffold/dns-reach.js';
export {
  type DnsLoss,
  type FlowChange,
  type PolicyEffect,
  policyEffect,
  withPolicies,
} from './scaffold/effect.js';
export {
  type DenyDirection,
  type PeerChoice,
  policyManifest,
  type ScaffoldRequest,
  scaffoldPolicies,
  scaffoldPolicy,
} from './scaffold/scaffold.js';
export {
  type ArgKind,
  type ArgKindOf,
  argHolds,
  COMMON_ARGS,
  EVERY_POD,
  type FormField,
  SCAFFOLD_TEMPLATES,
  type ScaffoldTemplate,
  TEMPLATE_FORMS,
  type TemplateArg,
  type TemplateArgName,
  type TemplateForm,
  type TemplateName,
  templateArg,
  writesClusterPolicy,
} from './scaffold/templates.js';
