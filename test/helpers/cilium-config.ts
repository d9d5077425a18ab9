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

/** shop/legacy-db, a Service without selector, and its EndpointSlice: one ready address, 192.0.2.40. */
export const LEGACY_DB_YAML = `apiVersion: v1
kind: Service
metadata: {name: legacy-db, namespace: shop}
spec: {ports: [{port: 5432}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: legacy-db-1, namespace: shop, labels: {kubernetes.io/service-name: legacy-db}}
addressType: IPv4
endpoints: [{addresses: [192.0.2.40]}]
ports: [{port: 5432, protocol: TCP}]
`;
