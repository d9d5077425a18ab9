/**
 * Pod manifests named `names`, alternately in the namespaces `[even, odd]`, every third one
 * labelled app=db and the rest app=web, the i-th declaring container port 80+i and, where
 * `hasIp(i)`, the IP 10.0.0.(i+1).
 */
export function namedPods(
  names: readonly string[],
  [even, odd]: readonly [string, string],
  hasIp: (i: number) => boolean = () => true,
) {
  return names.map((name, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: i % 2 ? odd : even, labels: { app: i % 3 ? 'web' : 'db' } },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 + i }] }] },
    ...(hasIp(i) ? { status: { podIP: `10.0.0.${i + 1}` } } : {}),
  }));
}
