import { describe, expect, it } from 'vitest';
import { ciliumLayerNotes } from '../../src/engine/index.js';
import { ciliumConfigYaml } from '../helpers/cilium-config.js';
import { analyseYaml, fixture } from '../helpers/load.js';
import { flow } from '../helpers/scenario.js';

// With cilium-config's enable-k8s-networkpolicy off, Cilium's policy watcher never subscribes
// to NetworkPolicies (pkg/policy/k8s/watcher.go, v1.16.19): they isolate nothing, while Cilium
// policies are enforced as ever. On by default (pkg/defaults/defaults.go, v1.16.19, v1.18.0).
const MODEL = fixture('conformance/cilium/model.yaml');

/** A NetworkPolicy: api takes ingress from web alone. */
const API_FROM_WEB = fixture('cilium-config-settings/api-from-web-netpol.yaml');

const OFF = ciliumConfigYaml('enable-k8s-networkpolicy: "false"');

describe('enable-k8s-networkpolicy', () => {
  it('off: NetworkPolicies isolate nothing, and a note says why', () => {
    const analysis = analyseYaml(MODEL, API_FROM_WEB, OFF);
    expect(flow(analysis, 'shop/admin', 'shop/api', 'TCP', 8080).verdict).toBe('ALLOWED');
    expect(ciliumLayerNotes(analysis, 'Cilium').map((note) => note.message)).toContain(
      'cilium-config enable-k8s-networkpolicy=false: Cilium ignores NetworkPolicies, enforcing Cilium policies alone',
    );
    // Cilium's own policies still isolate.
    const web = fixture('cilium-config-settings/web-to-api.yaml');
    const both = analyseYaml(MODEL, API_FROM_WEB, web, OFF);
    expect(flow(both, 'shop/web', 'shop/admin', 'TCP', 8080).verdict).toBe('DENIED');
  });

  it('on, or left out, enforces them', () => {
    for (const config of [
      ciliumConfigYaml('enable-k8s-networkpolicy: "true"'),
      ciliumConfigYaml(''),
    ]) {
      const analysis = analyseYaml(MODEL, API_FROM_WEB, config);
      expect(flow(analysis, 'shop/admin', 'shop/api', 'TCP', 8080).verdict).toBe('DENIED');
    }
  });
});
