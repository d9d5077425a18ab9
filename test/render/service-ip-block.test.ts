/**
 * An ipBlock as wide as 10.0.0.0/8 holds the ClusterIP of every Service: its audit finding names
 * the first few in text and on the TUI's audit screen, and -o json keeps them all.
 */
import { describe, expect, it } from 'vitest';
import { auditCluster } from '../../src/engine/index.js';
import { auditData, auditLines } from '../../src/render/audit.js';
import { findingRows } from '../../src/ui/audit-view.js';
import { analyseYaml } from '../helpers/load.js';

const SERVICES = 12;

function service(i: number): string {
  return `---
apiVersion: v1
kind: Service
metadata: {name: svc-${i}, namespace: shop}
spec: {clusterIP: '10.96.0.${i + 1}', ports: [{port: 80}]}
`;
}

const WIDE_EGRESS = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: wide, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]
`;

function report() {
  const yaml = Array.from({ length: SERVICES }, (_, i) => service(i)).join('') + WIDE_EGRESS;
  return auditCluster(analyseYaml(yaml));
}

describe('an ipBlock holding the ClusterIPs of many Services', () => {
  it('names the first five in text and counts the rest; -o json keeps them all', () => {
    const line = auditLines(report()).find((l) => l.includes('contains the ClusterIP of'));
    expect(line).toBe(
      '    peer 1 of shop/wide egress rule 1: ipBlock 10.0.0.0/8 contains the ClusterIP of service shop/svc-0 (10.96.0.1), service shop/svc-1 (10.96.0.2), service shop/svc-2 (10.96.0.3), service shop/svc-3 (10.96.0.4), service shop/svc-4 (10.96.0.5) and 7 more: most network plugins apply policies after the Service translation, so they see the backend address and port (targetPort), not the ClusterIP, and this rule may not admit the traffic it names',
    );
    const finding = auditData(report()).findings.find(
      (f) => f.code === 'ip-block-contains-service-ip',
    );
    const services = finding && 'services' in finding ? finding.services : [];
    expect(services.map((s) => s.service)).toEqual(
      Array.from({ length: SERVICES }, (_, i) => `shop/svc-${i}`),
    );
  });

  it("shows the same short message on the TUI's audit screen", () => {
    const row = findingRows(report()).find((r) => r.code === 'ip-block-contains-service-ip');
    expect(row?.message).toContain('service shop/svc-4 (10.96.0.5) and 7 more:');
    expect(row?.message).not.toContain('svc-5');
  });
});
