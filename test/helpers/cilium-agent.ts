/**
 * A network plugin's agent as a DaemonSet of kube-system: one container `container` running
 * `image` with `args`, as YAML (detection reads it).
 */
export const agentDaemonSetYaml = (
  name: string,
  container: string,
  image: string,
  args: readonly string[] = [],
) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: ${name}}}
  template:
    metadata: {labels: {k8s-app: ${name}}}
    spec:
      hostNetwork: true
      containers: [{name: ${container}, image: "${image}", args: ${JSON.stringify(args)}}]
`;

/** The Cilium agent as a DaemonSet of kube-system running `image`, as YAML (detection reads it). */
export const ciliumAgentYaml = (image: string, name = 'cilium') =>
  agentDaemonSetYaml(name, 'cilium-agent', image);
