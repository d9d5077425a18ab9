import {
  type Cluster,
  type CniDetection,
  type PluginLayerModes,
  pluginLayerModes,
  withPodCidrs,
} from '../engine/index.js';
import { answerScope } from '../render/answer-scope.js';
import { completenessLines } from '../render/completeness.js';
import { type EnforcementBadge, enforcementBadge } from '../render/enforcement.js';
import type { LayerCount } from './header-line.js';
import type { AnswerOptions } from './snapshot-analysis.js';

/** What the UI shows of the snapshot's network plugin, which the analyst detects. */
export interface PluginView {
  /** The header's badge: `plugin pending` until the detection comes (unless assumed enforced). */
  readonly badge: EnforcementBadge | undefined;
  /** How Cilium's and Calico's layers take part, or 'pending' until the detection comes. */
  readonly layerModes: PluginLayerModes | 'pending';
  /** Lines the pod and policy details start with (the not-enforced banner). */
  readonly before: readonly string[];
  /** Lines those details end with: what was not read or evaluated, and enforcement notes. */
  readonly after: readonly string[];
}

const PENDING_BADGE: EnforcementBadge = { text: 'plugin pending', tone: 'quiet' };

/** What the UI shows of the network plugin: `cni` as detected, or undefined while it is detected. */
export function pluginView(
  cluster: Cluster,
  cni: CniDetection | undefined,
  options: AnswerOptions,
): PluginView {
  const assumed = options.assumeEnforced === true;
  const withCidrs = withPodCidrs(cluster, options.podCidr ?? []);
  if (!cni) {
    return {
      badge: assumed ? undefined : PENDING_BADGE,
      layerModes: 'pending',
      before: [],
      after: completenessLines(withCidrs),
    };
  }
  const { before, after } = answerScope(withCidrs, cni, assumed);
  return {
    badge: enforcementBadge(cni, assumed),
    layerModes: pluginLayerModes(cluster, cni),
    before,
    after,
  };
}

/** How one plugin's policy layer takes part, as the header counts it. */
export function layerMode(
  modes: PluginView['layerModes'],
  plugin: keyof PluginLayerModes,
): LayerCount['mode'] {
  return modes === 'pending' ? 'pending' : modes[plugin];
}
