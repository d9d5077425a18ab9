import { describe, expect, it } from 'vitest';
import { auditCluster, ciliumLayerNotes } from '../../src/engine/index.js';
import { findingMessage } from '../../src/render/audit.js';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { analyseYaml, fixture } from '../helpers/load.js';

// Cilium handles SCTP only with cilium-config enable-sctp (Helm sctp.enabled, "SCTP support
// (beta)", https://docs.cilium.io/en/stable/configuration/sctp/), off by default (EnableSCTP =
// false in pkg/defaults/defaults.go, v1.18.0); without it ct_extract_ports4 (bpf/lib/conntrack.h)
// drops SCTP as an "Unsupported L4 protocol". The engine does not read that option.
const TRIGGERS = fixture('audit/cilium-sctp-unconfirmed/triggers.yaml');
const POLICY = TRIGGERS.slice(TRIGGERS.indexOf('apiVersion: v1'));

/** The SCTP audit findings and notes, in words, on a cluster running `agent`. */
function sctpWords(agent: string) {
  const analysis = analyseYaml(POLICY, agent);
  return {
    audit: auditCluster(analysis)
      .findings.filter((finding) => finding.code === 'cilium-sctp-unconfirmed')
      .map(findingMessage),
    notes: ciliumLayerNotes(analysis, analysis.cni.plugin)
      .filter((note) => note.code === 'cilium-sctp')
      .map((note) => note.message),
  };
}

describe('NetworkPolicy SCTP ports on Cilium', () => {
  it('say that the answers assume enable-sctp, which is not read', () => {
    expect(sctpWords(ciliumAgentYaml('quay.io/cilium/cilium:v1.16.0'))).toEqual({
      audit: [
        'telco/diameter-sctp ingress rule 1 allows SCTP 3868; Cilium handles SCTP only when cilium-config sets enable-sctp (Helm sctp.enabled, beta, off by default: its datapath then drops SCTP), which this tool does not read: its SCTP answers assume it is on',
      ],
      notes: [
        'networkpolicy/telco/diameter-sctp names SCTP ports; Cilium handles SCTP only when cilium-config sets enable-sctp (off by default), which is not read: SCTP answers assume it is on',
      ],
    });
  });

  it('say nothing where the network plugin is Calico', () => {
    const calico = ciliumAgentYaml('docker.io/calico/node:v3.27.0', 'calico-node');
    expect(sctpWords(calico)).toEqual({ audit: [], notes: [] });
  });
});
