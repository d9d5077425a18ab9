import { describe, expect, it } from 'vitest';
import { type Cluster, compileCluster } from '../../src/engine/index.js';
import { undecidedLayerText } from '../../src/render/completeness.js';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { CILIUM_CONFIG_REFUSED, ciliumConfigYaml } from '../helpers/cilium-config.js';
import { clusterOfYaml, fixture } from '../helpers/load.js';
import { flow } from '../helpers/scenario.js';

// With cilium-config's enable-high-scale-ipcache (Cilium 1.14 to 1.17), the agent keeps pods
// out of its ipcache unless their identity is well-known ("skipping ipcache upsert",
// pkg/k8s/watchers/cilium_endpoint.go, v1.16.19): egress rules see a destination pod of another
// node by its address, as world or a CIDR, never by its labels. 1.18 removed the mode
// (Documentation/operations/upgrade.rst, v1.18.0).
const MODEL = fixture('conformance/cilium/model.yaml');
const agent = (tag: string) => ciliumAgentYaml(`quay.io/cilium/cilium:${tag}`);
const HIGH_SCALE = ciliumConfigYaml('enable-high-scale-ipcache: "true"');

/** web may send to api on TCP 8080 alone (a toEndpoints rule). */
const WEB_TO_API = fixture('cilium-config-settings/web-to-api.yaml');

/** web may send to 10.0.0.0/8 alone, which holds every pod's address. */
const WEB_TO_CIDR = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: web-to-cidr, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: web}}
  egress:
  - toCIDR: [10.0.0.0/8]
`;

const answer = (cluster: Cluster, to: string, port: number) => {
  const verdict = flow(
    compileCluster(cluster, { networkPlugin: 'cilium' }),
    'shop/web',
    to,
    'TCP',
    port,
  );
  return {
    verdict: verdict.verdict,
    egress: (verdict.egress.undecided ?? []).map(undecidedLayerText),
  };
};

const HIGH_SCALE_WHY =
  "cilium-config sets enable-high-scale-ipcache: in that mode Cilium 1.14 to 1.17 keeps other nodes' pods out of its ipcache, so egress rules see such a destination by its address (world, or a CIDR rule), not by its labels, and which destinations those are is not modelled";

describe('enable-high-scale-ipcache', () => {
  it('makes UNKNOWN an egress answer a selector rule gives to a pod', () => {
    const cluster = clusterOfYaml(MODEL, WEB_TO_API, agent('v1.16.19'), HIGH_SCALE);
    expect(answer(cluster, 'shop/api', 8080)).toEqual({
      verdict: 'UNKNOWN',
      egress: [HIGH_SCALE_WHY],
    });
    // What no selector rule allows stays denied, to a pod or an outside address.
    expect(answer(cluster, 'shop/api', 9090).verdict).toBe('DENIED');
    expect(answer(cluster, '198.51.100.1', 443).verdict).toBe('DENIED');
  });

  it('makes UNKNOWN the egress side of a pod with CIDR rules, which may then match pods', () => {
    const cluster = clusterOfYaml(MODEL, WEB_TO_CIDR, agent('v1.15.19'), HIGH_SCALE);
    expect(answer(cluster, 'shop/api', 8080)).toEqual({
      verdict: 'UNKNOWN',
      egress: [HIGH_SCALE_WHY],
    });
    // Without the mode, a CIDR never matches a pod.
    const plain = clusterOfYaml(MODEL, WEB_TO_CIDR, agent('v1.15.19'));
    expect(answer(plain, 'shop/api', 8080).verdict).toBe('DENIED');
  });

  it('changes nothing off, or on Cilium 1.18, which removed it', () => {
    for (const input of [
      [agent('v1.16.19')],
      [agent('v1.16.19'), ciliumConfigYaml('enable-high-scale-ipcache: "false"')],
      [agent('v1.18.0'), HIGH_SCALE],
    ]) {
      const cluster = clusterOfYaml(MODEL, WEB_TO_API, ...input);
      expect(answer(cluster, 'shop/api', 8080)).toEqual({ verdict: 'ALLOWED', egress: [] });
    }
  });

  it('is weighed where cilium-config could not be read and the agents may have the mode', () => {
    const unread = (tag: string) => ({
      ...clusterOfYaml(MODEL, WEB_TO_API, agent(tag)),
      unread: [CILIUM_CONFIG_REFUSED],
    });
    expect(answer(unread('v1.16.19'), 'shop/api', 8080)).toEqual({
      verdict: 'UNKNOWN',
      egress: [
        "configmaps kube-system/cilium-config could not be read (403 Forbidden); check: kubectl auth can-i list configmaps -n kube-system, so whether it sets enable-high-scale-ipcache is unknown: in that mode Cilium 1.14 to 1.17 keeps other nodes' pods out of its ipcache, so egress rules see such a destination by its address (world, or a CIDR rule), not by its labels, and which destinations those are is not modelled",
      ],
    });
    // On 1.18 the mode is gone: the egress side is decided (the ingress side is weighed
    // for the enforcement mode, which an unread cilium-config leaves unknown too).
    expect(answer(unread('v1.18.0'), 'shop/api', 8080).egress).toEqual([]);
  });
});
