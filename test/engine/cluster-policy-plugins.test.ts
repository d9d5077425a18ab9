import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/engine/index.js';
import { agentDaemonSetYaml } from '../helpers/cilium-agent.js';
import {
  ANP_DENY_A,
  CLIENT_AND_SERVER,
  CNP_DENY_A,
  clientToServer,
} from '../helpers/cluster-policy-flows.js';
import { clusterOfYaml } from '../helpers/load.js';

// Which plugin enforces which kind, by release (see src/engine/cni/cluster-policy-facts.ts for the
// sources): Calico AdminNetworkPolicy 3.29-3.31, BaselineAdminNetworkPolicy 3.30-3.31,
// ClusterNetworkPolicy from 3.32; Antrea behind feature gates of antrea-config (v1.13, v2.7);
// kube-network-policies v0.8.0 behind --admin-network-policy/--baseline-admin-network-policy.

/** A DaemonSet running one container `name` of `image`, with `args`. */
const daemonSet = (name: string, image: string, args: string[] = []) =>
  agentDaemonSetYaml(name, name, image, args);

const calico = (tag: string) => daemonSet('calico-node', `docker.io/calico/node:${tag}`);

// a/client to b/server: each kind below denies it on TCP 8080; 9090 is left to the rest.
const PODS = CLIENT_AND_SERVER;
const CNP = CNP_DENY_A;
/** The policy of each v1alpha1 kind denying a to b on TCP 8080 only. */
const onPort8080 = (policy: string) =>
  policy.replace(
    '    from: [{namespaces: {matchLabels: {team: a}}}]\n',
    '    from: [{namespaces: {matchLabels: {team: a}}}]\n    ports: [{portNumber: {protocol: TCP, port: 8080}}]\n',
  );
const ANP = onPort8080(ANP_DENY_A);
const BANP = onPort8080(
  ANP_DENY_A.replace('kind: AdminNetworkPolicy', 'kind: BaselineAdminNetworkPolicy')
    .replace('{name: anp-deny-a}', '{name: default}')
    .replace('  priority: 5\n', ''),
);

const answer = (cluster: Cluster, port = 8080) => clientToServer(cluster, port);
const verdict = (...documents: string[]) => answer(clusterOfYaml(PODS, ...documents)).verdict;

describe('cluster policies on Calico, by release', () => {
  it('enforces AdminNetworkPolicy from 3.29 and no longer from 3.32', () => {
    expect(verdict(ANP, calico('v3.28.2'))).toBe('ALLOWED');
    expect(verdict(ANP, calico('v3.29.0'))).toBe('DENIED');
    expect(verdict(ANP, calico('v3.31.7'))).toBe('DENIED');
    expect(answer(clusterOfYaml(PODS, ANP, calico('v3.32.2')))).toEqual({
      verdict: 'ALLOWED',
      ingress: [],
      notes: [
        'anp/anp-deny-a: Calico enforces AdminNetworkPolicy only from 3.29 to before 3.32, and the cluster runs Calico 3.32.2 (docker.io/calico/node:v3.32.2); ignored, answers come from the other layers',
      ],
    });
  });

  it('enforces BaselineAdminNetworkPolicy from 3.30 to 3.31', () => {
    expect(verdict(BANP, calico('v3.29.4'))).toBe('ALLOWED');
    expect(verdict(BANP, calico('v3.30.0'))).toBe('DENIED');
    expect(verdict(BANP, calico('v3.32.0'))).toBe('ALLOWED');
  });

  it('enforces ClusterNetworkPolicy from 3.32', () => {
    expect(verdict(CNP, calico('v3.31.7'))).toBe('ALLOWED');
    expect(verdict(CNP, calico('v3.32.0'))).toBe('DENIED');
    // Canal (Calico with Flannel) is Calico's policy engine.
    const flannel = daemonSet('kube-flannel', 'ghcr.io/flannel-io/flannel:v0.26.1');
    expect(verdict(CNP, calico('v3.32.0'), flannel)).toBe('DENIED');
    // Rancher's copy of calico/node tells the release too; the operator's tag is its own.
    const rancher = daemonSet('calico-node', 'docker.io/rancher/mirrored-calico-node:v3.32.0');
    expect(verdict(CNP, rancher)).toBe('DENIED');
    const operator = daemonSet('tigera-operator', 'quay.io/tigera/operator:v1.43.1');
    expect(verdict(CNP, operator)).toBe('UNKNOWN');
  });

  it('makes UNKNOWN what a policy decides when no calico/node tag tells the release', () => {
    const digest = calico('latest');
    const result = answer(clusterOfYaml(PODS, CNP, digest));
    expect(result.verdict).toBe('UNKNOWN');
    expect(result.ingress).toEqual([
      'whether Calico enforces ClusterNetworkPolicy depends on its release, which no image tag tells (docker.io/calico/node:latest)',
    ]);
    expect(result.notes).toEqual([expect.stringContaining('cnp/deny-a: whether Calico enforces')]);
    // Where the policy decides nothing, its doubt changes nothing.
    expect(answer(clusterOfYaml(PODS, CNP, digest), 9090).verdict).toBe('ALLOWED');
  });

  it('makes UNKNOWN what a pre-release tag leaves open, and decides where its builds agree', () => {
    // Calico's master builds are described from vX.Y.0-0.dev, tagged when release-vX.(Y-1) is
    // branched off (release/build/main.go): built before 3.32.0, they may lack what it brings.
    for (const tag of ['v3.32.0-0.dev', 'v3.32.0-0.dev-339-g3fe1cd4ce29b']) {
      const result = answer(clusterOfYaml(PODS, CNP, calico(tag)));
      expect(result.verdict).toBe('UNKNOWN');
      expect(result.ingress).toEqual([
        `whether Calico enforces ClusterNetworkPolicy depends on whether it runs 3.32 or later, which its tag leaves open: Calico ${tag.slice(1)} (docker.io/calico/node:${tag})`,
      ]);
    }
    // Every build toward 3.33.0 comes after 3.32.0; every one toward 3.29.0 before 3.30.
    expect(verdict(CNP, calico('v3.33.0-0.dev'))).toBe('DENIED');
    expect(verdict(BANP, calico('v3.29.0-0.dev'))).toBe('ALLOWED');
    // Every patch of 3.30 enforces AdminNetworkPolicy; a build suffix names the release itself.
    expect(verdict(ANP, calico('v3.30'))).toBe('DENIED');
    expect(verdict(CNP, calico('v3.32.0-build20250214'))).toBe('DENIED');
  });

  it('makes it UNKNOWN during an upgrade across 3.32', () => {
    const old = calico('v3.31.7').replace('name: calico-node,', 'name: calico-node-old,');
    expect(answer(clusterOfYaml(PODS, CNP, calico('v3.32.0'), old)).ingress).toEqual([
      'Calico runs components (releases or flags) that treat ClusterNetworkPolicy differently',
    ]);
  });

  it('weighs each kind on its own when the release is unknown', () => {
    // Some release may enforce the AdminNetworkPolicy alone: its deny is UNKNOWN, not DENIED.
    expect(verdict(CNP, ANP, calico('latest'))).toBe('UNKNOWN');
  });
});

describe('cluster policies on other plugins', () => {
  const antrea = (tag: string) => daemonSet('antrea-agent', `antrea/antrea-agent-ubuntu:${tag}`);

  it('Antrea: ignored before the release that brought the kind, UNKNOWN behind its gate after', () => {
    expect(verdict(CNP, antrea('v2.6.1'))).toBe('ALLOWED');
    expect(verdict(ANP, antrea('v1.12.0'))).toBe('ALLOWED');
    const gated = answer(clusterOfYaml(PODS, CNP, antrea('v2.7.0')));
    expect(gated.verdict).toBe('UNKNOWN');
    expect(gated.ingress).toEqual([
      'Antrea enforces ClusterNetworkPolicy only when the ClusterNetworkPolicy feature gate of antrea-controller.conf in kube-system/antrea-config turns it on (off by default), and the snapshot does not hold it',
    ]);
  });

  it('names the doubts that decide the side, each once', () => {
    const ANP_9090 = ANP.replace('port: 8080', 'port: 9090');
    const gate = (name: string) => expect.stringContaining(`the ${name} feature gate`);
    // The AdminNetworkPolicy denies 8080 only: dropping it alone changes nothing on 9090.
    expect(
      answer(clusterOfYaml(PODS, CNP.replace('8080', '9090'), ANP, antrea('v2.7.0')), 9090).ingress,
    ).toEqual([gate('ClusterNetworkPolicy')]);
    // Both deny 9090: only leaving both out answers otherwise, so both are named.
    expect(
      answer(clusterOfYaml(PODS, CNP.replace('8080', '9090'), ANP_9090, antrea('v2.7.0')), 9090)
        .ingress,
    ).toEqual([gate('AdminNetworkPolicy'), gate('ClusterNetworkPolicy')]);
  });

  it('kube-network-policies: AdminNetworkPolicy only with its flag, ClusterNetworkPolicy never', () => {
    const knp = (tag: string, args: string[] = []) =>
      daemonSet(
        'kube-network-policies',
        `registry.k8s.io/networking/kube-network-policies:${tag}`,
        args,
      );
    expect(verdict(ANP, knp('v0.8.0', ['--admin-network-policy=true']))).toBe('DENIED');
    expect(verdict(ANP, knp('v0.8.0', ['--admin-network-policy=false']))).toBe('ALLOWED');
    expect(answer(clusterOfYaml(PODS, ANP, knp('v0.8.0'))).notes).toEqual([
      'anp/anp-deny-a: kube-network-policies enforces AdminNetworkPolicy only with --admin-network-policy (off by default), which its containers are not given; ignored, answers come from the other layers',
    ]);
    expect(verdict(CNP, knp('v0.8.0', ['--admin-network-policy']))).toBe('ALLOWED');
    // A release after the facts were checked is not modelled.
    expect(verdict(CNP, knp('v0.9.0'))).toBe('UNKNOWN');
  });

  it('kube-router 2.1 and Weave Net implement no kind', () => {
    const kubeRouter = daemonSet('kube-router', 'docker.io/cloudnativelabs/kube-router:v2.1.0');
    const weave = daemonSet('weave-net', 'weaveworks/weave-kube:2.8.1');
    for (const plugin of [kubeRouter, weave]) {
      expect(verdict(CNP, ANP, plugin)).toBe('ALLOWED');
    }
    expect(answer(clusterOfYaml(PODS, CNP, weave)).notes).toEqual([
      'cnp/deny-a: Weave Net implements no ClusterNetworkPolicy; ignored, answers come from the other layers',
    ]);
  });

  it('a tag naming no patch may be a release after the facts were checked: not modelled', () => {
    const kubeRouter = daemonSet('kube-router', 'docker.io/cloudnativelabs/kube-router:v2.1');
    expect(answer(clusterOfYaml(PODS, CNP, kubeRouter)).ingress).toEqual([
      'whether kube-router 2.1 (docker.io/cloudnativelabs/kube-router:v2.1) enforces ClusterNetworkPolicy is not modelled',
    ]);
  });

  it('OVN-Kubernetes and plugins not modelled make what the policies decide UNKNOWN', () => {
    const ovn = daemonSet(
      'ovnkube-node',
      'ghcr.io/ovn-kubernetes/ovn-kubernetes/ovn-kube-ubuntu:master',
    );
    expect(answer(clusterOfYaml(PODS, ANP, ovn)).ingress).toEqual([
      'OVN-Kubernetes enforces AdminNetworkPolicy only when the enable-admin-network-policy option of the ovnkube config turns it on (off by default), and the snapshot does not hold it',
    ]);
    expect(answer(clusterOfYaml(PODS, CNP, ovn)).ingress).toEqual([
      'whether OVN-Kubernetes enforces ClusterNetworkPolicy is not modelled',
    ]);
    const kindnet = daemonSet('kindnet', 'docker.io/kindest/kindnetd:v20250512-df8de77b');
    expect(verdict(CNP, kindnet)).toBe('UNKNOWN');
  });
});
