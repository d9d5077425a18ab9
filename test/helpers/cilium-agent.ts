/** The Cilium agent as a DaemonSet of kube-system running `image`, as YAML (detection reads it). */
export const ciliumAgentYaml = (image: string, name = 'cilium') => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: ${name}}}
  template:
    metadata: {labels: {k8s-app: ${name}}}
    spec:
      hostNetwork: true
      containers: [{name: cilium-agent, image: "${image}"}]
`;
