import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectCni, imageParts } from '../../src/engine/cni/detect.js';
import { compileCluster } from '../../src/engine/compile/compile.js';
import { analyseYaml, fixture } from '../helpers/load.js';

/** What each fixture of test/fixtures/cni (a cluster's CNI workloads) must be recognised as. */
const EXPECTED: Record<string, { plugin: string; enforces: boolean | 'unknown' }> = {
  'aks-no-policy': { plugin: 'AKS', enforces: false },
  antrea: { plugin: 'Antrea', enforces: true },
  'aws-vpc-cni': { plugin: 'AWS VPC CNI', enforces: false },
  'aws-vpc-cni-network-policy': { plugin: 'AWS VPC CNI', enforces: true },
  'aws-vpc-cni-policy-agent-disabled': { plugin: 'AWS VPC CNI', enforces: false },
  'aws-vpc-cni-with-calico': { plugin: 'AWS VPC CNI + Calico', enforces: true },
  'azure-npm': { plugin: 'Azure Network Policy Manager', enforces: true },
  calico: { plugin: 'Calico', enforces: true },
  canal: { plugin: 'Canal (Calico + Flannel)', enforces: true },
  cilium: { plugin: 'Cilium', enforces: true },
  'docker-desktop': { plugin: 'Docker Desktop', enforces: false },
  flannel: { plugin: 'Flannel', enforces: false },
  'gke-dataplane-v2': { plugin: 'GKE Dataplane V2 (Cilium)', enforces: true },
  'gke-no-policy': { plugin: 'GKE', enforces: false },
  k3s: { plugin: 'k3s', enforces: true },
  kindnet: { plugin: 'kindnet', enforces: true },
  'kindnet-before-policies': { plugin: 'kindnet', enforces: false },
  'kube-network-policies': { plugin: 'kube-network-policies', enforces: true },
  'kube-ovn': { plugin: 'Kube-OVN', enforces: true },
  'kube-router': { plugin: 'kube-router', enforces: true },
  'kube-router-without-firewall': { plugin: 'kube-router', enforces: false },
  'ovn-kubernetes': { plugin: 'OVN-Kubernetes', enforces: true },
  unknown: { plugin: 'unknown', enforces: 'unknown' },
  weave: { plugin: 'Weave Net', enforces: true },
  'weave-without-npc': { plugin: 'Weave Net', enforces: false },
};

const detect = (name: string) =>
  detectCni(analyseYaml(fixture(`cni/${name}.yaml`)).cluster.workloads ?? []);

describe('network plugin detection', () => {
  it('has an expectation for every fixture', () => {
    const files = readdirSync(new URL('../fixtures/cni/', import.meta.url)).map((f) =>
      f.replace(/\.yaml$/, ''),
    );
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('recognises %s', (name, { plugin, enforces }) => {
    const cni = detect(name);
    expect({ plugin: cni.plugin, enforces: cni.enforcesPolicies }).toEqual({ plugin, enforces });
    if (enforces !== 'unknown') expect(cni.evidence.length).toBeGreaterThan(0);
  });

  it('names the workload, container and image as evidence, with the reason', () => {
    const [evidence] = detect('aws-vpc-cni-policy-agent-disabled').evidence;
    expect(evidence).toMatchObject({
      workload: { kind: 'DaemonSet', namespace: 'kube-system', name: 'aws-node' },
      container: 'aws-node',
      reason: 'aws-agent-disabled',
    });
  });

  it("points at a pod's owning DaemonSet rather than the pod", () => {
    const workloads = detect('calico').evidence.map((e) => e.workload);
    expect(workloads).toContainEqual({
      kind: 'DaemonSet',
      namespace: 'calico-system',
      name: 'calico-node',
    });
  });

  it('is carried by the analysis of a cluster, as its workloads show it', () => {
    for (const name of ['cilium', 'canal', 'flannel', 'unknown']) {
      const analysis = analyseYaml(fixture(`cni/${name}.yaml`));
      expect(analysis.cni).toEqual(detect(name));
    }
  });

  it('is taken as given when the caller has detected it already (a variant of a snapshot)', () => {
    const flannel = analyseYaml(fixture('cni/flannel.yaml')).cluster;
    const cilium = detect('cilium');
    expect(compileCluster(flannel, { cni: cilium }).cni).toBe(cilium);
  });

  it('cannot tell from an input without workloads', () => {
    expect(detectCni([])).toEqual({
      plugin: 'unknown',
      enforcesPolicies: 'unknown',
      evidence: [],
      workloadsSeen: 0,
    });
  });

  // Detectors are asked once per container name and image; what the workload must be is asked
  // of each workload: the same container counts in one and not in the other.
  it.each([
    ['OpenShift SDN', 'openshift-sdn', 'sdn-x7k2p', 'sdn', 'quay.io/openshift/origin-sdn:4.12'],
    ['GKE Dataplane V2 (Cilium)', 'kube-system', 'anetd-5mz9q', 'cilium-agent', 'cilium:v1.14'],
  ])('recognises %s only in the workload it runs in', (plugin, namespace, name, c, image) => {
    const container = { name: c, image, args: [], env: {} };
    const pod = (namespace: string, name: string) => ({
      kind: 'Pod',
      namespace,
      name,
      containers: [container],
    });
    const elsewhere = pod('apps', 'lookalike');
    expect(detectCni([elsewhere]).plugin).not.toBe(plugin);
    const both = detectCni([elsewhere, pod(namespace, name)]);
    expect(both.plugin).toBe(plugin);
    expect(both.evidence.map((e) => e.workload)).toEqual([{ kind: 'Pod', namespace, name }]);
  });

  it.each([
    ['docker.io/calico/node:v3.27.3', 'calico/node', 'v3.27.3'],
    ['quay.io/cilium/cilium:v1.16.1@sha256:0b4a', 'cilium/cilium', 'v1.16.1'],
    ['localhost:5000/flannel/flannel', 'flannel/flannel', ''],
    ['nginx', 'nginx', ''],
  ])('reads the repository and tag of %s', (image, repository, tag) => {
    expect(imageParts(image)).toEqual({ repository, tag });
  });
});
