import { readFileSync } from 'node:fs';
import type { DemoVariant } from './demo-variants.js';

/**
 * The demo cluster's manifest files beside this module, in the order they are read: the
 * Namespaces (with a description of every scenario), one file per namespace, then the
 * cluster-scoped network policies and the Calico tiers.
 */
export const DEMO_FILES = [
  'namespaces.yaml',
  'kube-system.yaml',
  'ingress-nginx.yaml',
  'monitoring.yaml',
  'production.yaml',
  'tenant-a.yaml',
  'tenant-b.yaml',
  'tenant-c.yaml',
  'legacy.yaml',
  'staging.yaml',
  'cluster-policies.yaml',
  'calico-tiers.yaml',
] as const;

/**
 * The Cilium variant's files: the same namespaces, but kube-system runs Cilium (its DaemonSet
 * and cilium-config), the Calico tiers are left out and the shop namespace holds Cilium's own
 * policies. They live in a sibling directory, so `-f` on this one still reads exactly the Calico
 * demo.
 */
const CILIUM_FILES = [
  ...DEMO_FILES.flatMap((file) => {
    if (file === 'calico-tiers.yaml') return [];
    return file === 'kube-system.yaml' ? '../demo-cilium/kube-system.yaml' : file;
  }),
  '../demo-cilium/shop.yaml',
];

/** Each variant's manifest files (relative to this module), in the order they are read. */
export const DEMO_VARIANT_FILES: Readonly<Record<DemoVariant, readonly string[]>> = {
  calico: DEMO_FILES,
  cilium: CILIUM_FILES,
};

// The bundle defines this (esbuild `define`) as JSON text of each variant's stream below, read
// when it is built: a single executable has no files beside it.
declare const KUBECTL_NETPOL_DEMO: string | undefined;

const demoTexts = new Map<DemoVariant, string>();

/**
 * A built-in demo cluster (by default the Calico one): a realistic snapshot of namespaces,
 * workloads, services and network policies as one multi-document YAML stream (each file starts
 * a new document). Read on first use, so commands that never open the demo read no files for it
 * at start-up.
 */
export function demoClusterYaml(variant: DemoVariant = 'calico'): string {
  let text = demoTexts.get(variant);
  if (text === undefined) {
    text =
      typeof KUBECTL_NETPOL_DEMO !== 'undefined'
        ? (JSON.parse(KUBECTL_NETPOL_DEMO) as Record<DemoVariant, string>)[variant]
        : DEMO_VARIANT_FILES[variant]
            .map((file) => readFileSync(new URL(file, import.meta.url), 'utf8'))
            .join('');
    demoTexts.set(variant, text);
  }
  return text;
}
