/**
 * cilium-config from manifests: its enable-policy and enable-sctp are kept, nothing else. The
 * agent reads enable-sctp as a Go boolean (strconv.ParseBool); absent, its default is off
 * (`EnableSCTP = false`, pkg/defaults/defaults.go).
 */
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { fixture } from '../helpers/load.js';

const normalize = (yaml: string) =>
  normalizeObjects(parseManifestText(yaml, 'cilium-config.yaml').objects);

const configWith = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data: {${data}}
`;

describe('cilium-config read from manifests', () => {
  it.each([
    ['config-on.yaml', true],
    ['config-off.yaml', false],
    ['config-without-key.yaml', false],
  ])('%s: SCTP passes: %s', (file, sctp) => {
    const { cluster } = normalize(fixture(`cilium-sctp/${file}`));
    expect(cluster.ciliumConfig).toEqual({
      enforcement: 'default',
      sctp,
      clusterNetworkPolicy: false,
    });
  });

  it('reads enable-sctp as the agent does, a Go boolean', () => {
    const sctp = (word: string) =>
      normalize(configWith(`enable-sctp: "${word}"`)).cluster.ciliumConfig?.sctp;
    expect(['1', 't', 'TRUE', 'True'].map(sctp)).toEqual([true, true, true, true]);
    expect(['0', 'f', 'FALSE', 'False'].map(sctp)).toEqual([false, false, false, false]);
  });

  it('refuses a value the agent cannot read, naming the field and the object', () => {
    const { cluster, findings } = normalize(configWith('enable-sctp: "on"'));
    expect(cluster.ciliumConfig).toBeUndefined();
    expect(findings.map((finding) => finding.message).join('\n')).toContain(
      'data.enable-sctp: Unsupported value: "on": must be true or false',
    );
  });

  it('reads enable-k8s-terminating-endpoint, enable-high-scale-ipcache and enable-k8s-networkpolicy where written', () => {
    const config = (data: string) => normalize(configWith(data)).cluster.ciliumConfig;
    expect(
      config(
        'enable-k8s-terminating-endpoint: "false", enable-high-scale-ipcache: "true", enable-k8s-networkpolicy: "false"',
      ),
    ).toMatchObject({
      terminatingEndpoints: false,
      highScaleIpcache: true,
      k8sNetworkPolicy: false,
    });
    // Left out, the agent's defaults hold (on, off), which the engine knows.
    expect(config('enable-sctp: "true"')).not.toHaveProperty('terminatingEndpoints');
    expect(config('enable-sctp: "true"')).not.toHaveProperty('highScaleIpcache');
  });

  it('keeps no other key of the ConfigMap', () => {
    const { cluster } = normalize(configWith('enable-sctp: "true", etcd-password: s3cret'));
    expect(cluster.ciliumConfig).toEqual({
      enforcement: 'default',
      sctp: true,
      clusterNetworkPolicy: false,
    });
    expect(JSON.stringify(cluster)).not.toContain('s3cret');
  });
});

describe("cilium-config's load balancer settings", () => {
  const config = (data: string) => normalize(configWith(data)).cluster.ciliumConfig;

  it('reads kube-proxy-replacement on as 1.14 and later write it, and as "strict" before', () => {
    for (const word of ['true', 'True', 'strict']) {
      expect(config(`kube-proxy-replacement: "${word}"`)).toHaveProperty('kubeProxyReplacement');
    }
    // Off, or partly on: not known to serve every NodePort, LoadBalancer and external IP.
    for (const word of ['false', 'partial', 'probe', 'disabled']) {
      expect(config(`kube-proxy-replacement: "${word}"`)).not.toHaveProperty(
        'kubeProxyReplacement',
      );
    }
  });

  it('reads bpf-lb-mode, node-port-mode overriding it, and leaves out a word the agent refuses', () => {
    expect(config('bpf-lb-mode: dsr')).toMatchObject({ loadBalancerMode: 'dsr' });
    expect(config('bpf-lb-mode: snat, node-port-mode: hybrid')).toMatchObject({
      loadBalancerMode: 'hybrid',
    });
    expect(config('bpf-lb-mode: dsr-tunl')).not.toHaveProperty('loadBalancerMode');
    expect(config('bpf-lb-mode-annotation: "true"')).toMatchObject({
      loadBalancerModeAnnotation: true,
    });
  });
});

describe("cilium-config's policy-cidr-match-mode", () => {
  const config = (data: string) => normalize(configWith(data)).cluster.ciliumConfig;

  it('reads whether its list names nodes, as Helm writes it', () => {
    expect(config('policy-cidr-match-mode: nodes')).toMatchObject({ cidrMatchNodes: true });
    expect(config('policy-cidr-match-mode: "pods nodes"')).toMatchObject({ cidrMatchNodes: true });
    // Empty, as Helm writes the default, or naming something else: nodes are not matched.
    expect(config('policy-cidr-match-mode: ""')).not.toHaveProperty('cidrMatchNodes');
    expect(config('policy-cidr-match-mode: pods')).not.toHaveProperty('cidrMatchNodes');
  });
});
