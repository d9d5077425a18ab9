// The demo clusters' names, apart from their manifests (demo-cluster.ts, which the bundle gives
// 107 kB of YAML): the command line reads the names on every run (`--demo`'s choices, its
// completion), the manifests only when a demo is opened.

/** The demo clusters `--demo[=VARIANT]` names: the network plugin kube-system runs. */
export const DEMO_VARIANTS = ['calico', 'cilium'] as const;

/** A demo cluster variant. */
export type DemoVariant = (typeof DEMO_VARIANTS)[number];
