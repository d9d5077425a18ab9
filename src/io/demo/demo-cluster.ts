import { readFileSync } from 'node:fs';

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

// The release bundle defines this (esbuild `define`) as the stream below, read when it is built:
// a single executable has no files beside it.
declare const KUBECTL_NETPOL_DEMO: string | undefined;

let demoText: string | undefined;

/**
 * The built-in demo cluster: a realistic snapshot of namespaces, workloads, services and
 * NetworkPolicies as one multi-document YAML stream (each file starts a new document). Read on
 * first use, so commands that never open the demo read no files for it at start-up.
 */
export function demoClusterYaml(): string {
  demoText ??=
    typeof KUBECTL_NETPOL_DEMO !== 'undefined'
      ? KUBECTL_NETPOL_DEMO
      : DEMO_FILES.map((file) => readFileSync(new URL(file, import.meta.url), 'utf8')).join('');
  return demoText;
}
