import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuditCode } from '../../../src/engine/audit/types.js';
import { auditCluster } from '../../../src/engine/index.js';
import { analyseYaml, fixture } from '../../helpers/load.js';

/** Every audit code; the type check fails when a code is added without being listed here. */
const CODES = [
  'unisolated-pods',
  'no-default-deny',
  'policy-selects-no-pods',
  'namespace-selector-matches-nothing',
  'pod-selector-matches-nothing',
  'dns-blocked',
  'dns-tcp-blocked',
  'dns-route-unknown',
  'dns-server-unknown',
  'one-sided-allow',
  'unknown-named-port',
  'ambiguous-named-port',
  'ip-block-contains-pods',
  'ip-block-contains-service-ip',
  'ip-block-clients-masqueraded',
  'non-canonical-cidr',
  'host-network-pod-selected',
  'host-network-pods',
  'pods-without-ip',
  'namespace-not-given',
  'duplicate-rule',
  'shadowed-rule',
  'rule-allows-everything',
  'rule-allows-any-peer',
  'rules-ignored-by-policy-types',
  'removed-api-version',
  'cni-ignores-policies',
  'cni-unknown',
  'shadowed-cluster-rule',
  'cluster-pass-falls-through',
  'equal-priority-conflict',
  'policy-overruled-by-admin',
  'rule-overruled-by-admin',
  'baseline-rule-unreachable',
  'calico-pass-to-nothing',
  'rule-shadowed-across-layers',
  'duplicate-across-layers',
  'cilium-l7-never-applies',
  'staged-policy-cuts-dns',
  'cilium-endport-ignored',
  'cilium-sctp-dropped',
  'cilium-sctp-unconfirmed',
  'cilium-policy-refused',
] as const satisfies readonly AuditCode[];
const everyCode: Exclude<AuditCode, (typeof CODES)[number]> extends never ? true : never = true;

const codesOf = (path: string) =>
  auditCluster(analyseYaml(fixture(path))).findings.map((finding) => finding.code);

describe('audit fixtures: one that triggers each finding, one that does not', () => {
  it('has a fixture folder for every code (and the read-time yaml11-boolean check)', () => {
    expect(everyCode).toBe(true);
    const folders = readdirSync(new URL('../../fixtures/audit/', import.meta.url));
    expect(folders.sort()).toEqual([...CODES, 'yaml11-boolean'].sort());
  });

  it.each(CODES)('%s: triggers.yaml has it', (code) => {
    expect(codesOf(`audit/${code}/triggers.yaml`)).toContain(code);
  });

  it.each(CODES)('%s: clean.yaml does not', (code) => {
    expect(codesOf(`audit/${code}/clean.yaml`)).not.toContain(code);
  });
});
