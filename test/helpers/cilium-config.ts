import type { UnreadList } from '../../src/engine/index.js';

/** The read of kube-system/cilium-config refused by RBAC, as a live read records it. */
export const CILIUM_CONFIG_REFUSED: UnreadList = {
  resource: 'configmaps',
  namespace: 'kube-system',
  name: 'cilium-config',
  reason: '403 Forbidden',
  canI: 'kubectl auth can-i list configmaps -n kube-system',
};
