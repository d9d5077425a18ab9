import type { ChainRule } from '../compile/chains.js';
import { clusterObject, clusterRuleRef } from './cluster-policies.js';
import type { LayerRuleRef, ObjectRef } from './types.js';
import { policyObject } from './walk.js';

/**
 * A rule of a chain as a reference naming its layer, policy and place in the manifest;
 * undefined for what is no written rule (isolation, a Calico tier's end).
 * `pluginObjects` are the Cilium and Calico policies by kubectl name.
 */
export function layerRuleRef(
  rule: ChainRule,
  pluginObjects: ReadonlyMap<string, ObjectRef>,
): LayerRuleRef | undefined {
  const { origin, action } = rule;
  switch (origin.kind) {
    case 'networkpolicy-rule': {
      const { ref } = origin.policy;
      const { direction, index } = origin.rule;
      return {
        layer: 'NetworkPolicy',
        policy: `${ref.namespace}/${ref.name}`,
        object: policyObject(ref),
        direction,
        list: direction,
        ruleIndex: index,
        action,
      };
    }
    case 'cilium-rule': {
      const { name, direction, deny, index } = origin.rule;
      const object = pluginObjects.get(name);
      if (!object) return undefined;
      return {
        layer: deny ? 'Cilium deny' : 'Cilium',
        policy: name,
        object,
        direction,
        list: deny ? `${direction}Deny` : direction,
        ruleIndex: index,
        action,
      };
    }
    case 'calico-rule': {
      const object = pluginObjects.get(origin.policy.name);
      if (!object) return undefined;
      const { direction, index } = origin.rule;
      return {
        layer: 'Calico',
        policy: origin.policy.name,
        object,
        direction,
        list: direction,
        ruleIndex: index,
        action,
        tier: rule.tier.slice('calico:'.length),
      };
    }
    case 'cluster-policy-rule': {
      const ref = clusterRuleRef(rule);
      if (!ref) return undefined;
      return {
        layer: ref.tier,
        policy: ref.policy,
        object: clusterObject(ref),
        direction: ref.direction,
        list: ref.direction,
        ruleIndex: ref.ruleIndex,
        action,
      };
    }
    default:
      return undefined;
  }
}
