import { describe, expect, it } from 'vitest';
import { ciliumLayerNotes } from '../../src/engine/index.js';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { analyseYaml, fixture } from '../helpers/load.js';

const MODEL = fixture('conformance/cilium/model.yaml');
const REQUIRES = fixture('conformance/cilium/017-unsupported-fields-unknown/policies.yaml');

const agent = ciliumAgentYaml;

/** The cilium-requires notes on the 017 case, on a cluster running the given agent. */
function requiresNotes(...more: string[]) {
  const analysis = analyseYaml(MODEL, REQUIRES, ...more);
  return ciliumLayerNotes(analysis, 'Cilium')
    .filter((note) => note.code === 'cilium-requires')
    .map(({ severity, message }) => ({ severity, message }));
}

describe('fromRequires, by the Cilium version the agent image shows', () => {
  it('says Cilium 1.19 and later removed it, naming the image', () => {
    const image = 'quay.io/cilium/cilium:v1.20.2@sha256:0123abcd';
    expect(requiresNotes(agent(image))).toEqual([
      {
        severity: 'warning',
        message: `ciliumnetworkpolicy/shop/api-requires uses fromRequires/toRequires; the cluster runs Cilium 1.20 (${image}), which removed it: its API server refuses any entry (the CRD allows 0 items) and its agent cannot decode selectors stored before the upgrade, so the sides it governs are UNKNOWN`,
      },
    ]);
  });

  it('says Cilium 1.18 enforces it, which the engine does not evaluate', () => {
    expect(requiresNotes(agent('quay.io/cilium/cilium:v1.18.3'))).toEqual([
      {
        severity: 'info',
        message:
          'ciliumnetworkpolicy/shop/api-requires uses fromRequires/toRequires; the cluster runs Cilium 1.18 (quay.io/cilium/cilium:v1.18.3), which enforces it, and the engine does not evaluate it: the sides it governs are UNKNOWN',
      },
    ]);
  });

  it('says both fates when no tag tells the version', () => {
    for (const more of [[], [agent('quay.io/cilium/cilium@sha256:0123abcd')]]) {
      expect(requiresNotes(...more)).toEqual([
        {
          severity: 'info',
          message:
            'ciliumnetworkpolicy/shop/api-requires uses fromRequires/toRequires; Cilium 1.18 and earlier enforce it, 1.19 removed it, and the Cilium version is not known: the engine does not evaluate it, so the sides it governs are UNKNOWN',
        },
      ]);
    }
  });

  it('says nothing of an empty fromRequires, which constrains nothing', () => {
    const empty = fixture('conformance/cilium/023-empty-requires-ignored/policies.yaml');
    const analysis = analyseYaml(MODEL, empty, agent('quay.io/cilium/cilium:v1.20.2'));
    expect(ciliumLayerNotes(analysis, 'Cilium').map((note) => note.code)).not.toContain(
      'cilium-requires',
    );
  });
});
