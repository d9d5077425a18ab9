import type { UnreadList } from '../../src/engine/index.js';

/** The read of kube-system/cilium-config refused by RBAC, as a live read records it. */
export const CILIUM_CONFIG_REFUSED: UnreadList = {
  resource: 'configmaps',
  namespace: 'kube-system',
  name: 'cilium-config',
  reason: '403 Forbidden',
  canI: 'kubectl auth can-i list configmaps -n kube-system',
};

/** kube-system/cilium-config with `data` (a flow mapping's entries), as YAML. */
export const ciliumConfigYaml = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data: {${data}}
`;
