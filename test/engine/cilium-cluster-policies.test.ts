import { describe, expect, it } from 'vitest';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { CILIUM_CONFIG_REFUSED, ciliumConfigYaml } from '../helpers/cilium-config.js';
import {
  ANP_DENY_A,
  CLIENT_AND_SERVER,
  CNP_DENY_A,
  clientToServer,
} from '../helpers/cluster-policy-flows.js';
import { clusterOfYaml } from '../helpers/load.js';

// Cilium v1.20.2's source (Go module proxy) decides these: ClusterNetworkPolicy is read only when
// cilium-config sets enable-k8s-cluster-network-policy (pkg/defaults/defaults.go:
// `EnableK8sClusterNetworkPolicy = false`), only as policy.networking.k8s.io/v1alpha2
// (pkg/k8s/cluster_network_policy.go), and not before 1.20 ("Support for the Kubernetes
// ClusterNetworkPolicy (KCNP) is available starting with Cilium 1.20", cilium/cilium#47227).

const agent = (tag: string) => ciliumAgentYaml(`quay.io/cilium/cilium:${tag}`);

const CLUSTER = `${CLIENT_AND_SERVER}---\n${CNP_DENY_A}`;
const ANP = ANP_DENY_A;

const answer = clientToServer;

describe('ClusterNetworkPolicies on Cilium', () => {
  it('are ignored before 1.20, with a warning naming the version', () => {
    const result = answer(clusterOfYaml(CLUSTER, agent('v1.19.4')), 8080);
    expect(result.verdict).toBe('ALLOWED');
    expect(result.notes).toEqual([
      'cnp/deny-a: Cilium enforces ClusterNetworkPolicy only from 1.20, and the cluster runs Cilium 1.19 (quay.io/cilium/cilium:v1.19.4); ignored, answers come from the other layers',
    ]);
  });

  it('are UNKNOWN on a 1.20.0 pre-release, which may predate them', () => {
    const on = ciliumConfigYaml('enable-k8s-cluster-network-policy: "true"');
    const result = answer(clusterOfYaml(CLUSTER, agent('v1.20.0-rc.0'), on), 8080);
    expect(result.verdict).toBe('UNKNOWN');
    expect(result.ingress).toEqual([
      'whether Cilium enforces ClusterNetworkPolicy depends on whether it runs 1.20 or later, which its tag leaves open: Cilium 1.20.0-rc.0 (quay.io/cilium/cilium:v1.20.0-rc.0)',
    ]);
    // A 1.21.0 snapshot of main comes after 1.20.0.
    expect(answer(clusterOfYaml(CLUSTER, agent('v1.21.0-pre.1'), on), 8080).verdict).toBe('DENIED');
  });

  it('are ignored on 1.20 unless cilium-config turns them on', () => {
    for (const data of ['', 'enable-k8s-cluster-network-policy: "false"']) {
      const result = answer(clusterOfYaml(CLUSTER, agent('v1.20.2'), ciliumConfigYaml(data)), 8080);
      expect(result.verdict).toBe('ALLOWED');
      expect(result.notes).toEqual([
        expect.stringContaining('(off by default), which it does not'),
      ]);
    }
  });

  it('decide as the Admin tier when cilium-config turns them on', () => {
    const on = ciliumConfigYaml('enable-k8s-cluster-network-policy: "true"');
    expect(answer(clusterOfYaml(CLUSTER, agent('v1.20.2'), on), 8080)).toEqual({
      verdict: 'DENIED',
      ingress: [],
      notes: [],
    });
  });

  it('are ignored under enable-policy: never, which enforces no rule at all', () => {
    const never = ciliumConfigYaml(
      'enable-policy: never, enable-k8s-cluster-network-policy: "true"',
    );
    expect(answer(clusterOfYaml(CLUSTER, agent('v1.20.2'), never), 8080).verdict).toBe('ALLOWED');
  });

  it('never include the v1alpha1 AdminNetworkPolicy, which Cilium does not read', () => {
    const on = ciliumConfigYaml('enable-k8s-cluster-network-policy: "true"');
    const result = answer(clusterOfYaml(CLUSTER, ANP, agent('v1.20.2'), on), 9090);
    expect(result.verdict).toBe('ALLOWED');
    expect(result.notes).toEqual([
      'anp/anp-deny-a: Cilium implements no v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy; ignored, answers come from the other layers',
    ]);
  });

  it('make UNKNOWN, naming the ConfigMap, only what they decide when cilium-config is unread', () => {
    const refused = {
      ...clusterOfYaml(CLUSTER, agent('v1.20.2')),
      unread: [CILIUM_CONFIG_REFUSED],
    };
    const denied = answer(refused, 8080);
    expect(denied.verdict).toBe('UNKNOWN');
    expect(denied.ingress).toContain(
      'configmaps kube-system/cilium-config could not be read (403 Forbidden); check: kubectl auth can-i list configmaps -n kube-system, so whether Cilium enforces ClusterNetworkPolicies is unknown: without enable-k8s-cluster-network-policy (off by default) it ignores them and would answer otherwise',
    );
    // No cluster policy rule matches 9090: only "always" (which isolates every pod) is a doubt.
    expect(answer(refused, 9090).ingress).toEqual([
      expect.stringContaining('"always" would isolate every pod'),
    ]);
  });

  it('make UNKNOWN what they decide when no agent image tag tells the version', () => {
    const on = ciliumConfigYaml('enable-k8s-cluster-network-policy: "true"');
    const result = answer(clusterOfYaml(CLUSTER, agent('latest'), on), 8080);
    expect(result.verdict).toBe('UNKNOWN');
    expect(result.ingress).toEqual([
      'whether Cilium enforces ClusterNetworkPolicy depends on its release, which no image tag tells (quay.io/cilium/cilium:latest)',
    ]);
    expect(answer(clusterOfYaml(CLUSTER, agent('latest'), on), 9090).verdict).toBe('ALLOWED');
  });
});
