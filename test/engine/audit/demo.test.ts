import { describe, expect, it } from 'vitest';
import { auditCluster, compileCluster } from '../../../src/engine/index.js';
import { loadDemo } from '../../../src/io/load-input.js';
import { findingMessage } from '../../../src/render/audit.js';
import { findingFixes } from '../../../src/render/audit-fixes.js';
import { runCli } from '../../helpers/cli.js';

const report = auditCluster(compileCluster(loadDemo().cluster));
const find = (code: string, policy: string) =>
  report.findings.find(
    (f) =>
      f.code === code && f.objects.some((o) => o.kind === 'NetworkPolicy' && o.name === policy),
  );

describe("the demo cluster's deliberate mistakes", () => {
  it('finds Calico enforcing policies', () => {
    expect(report.cni).toMatchObject({ plugin: 'Calico', enforcesPolicies: true });
  });

  it('has exactly the two mistakes as errors', () => {
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual([
      'namespace-selector-matches-nothing',
      'policy-selects-no-pods',
    ]);
  });

  it('finds the selector typo app=web-frontent and rewrites it to app=web-frontend', () => {
    const finding = find('policy-selects-no-pods', 'allow-ingress-controller-to-web-frontend');
    if (!finding) throw new Error('typo not found');
    expect(findingMessage(finding)).toContain(
      'podSelector app=web-frontent selects no pod in staging',
    );
    expect(findingMessage(finding)).toContain('has app=web-frontend');
    expect(
      findingFixes(finding, ['--demo']).map(({ text, command }) => ({ text, command })),
    ).toEqual([
      {
        text: 'set spec.podSelector of staging/allow-ingress-controller-to-web-frontend to app=web-frontend',
        command: undefined,
      },
      {
        text: 'rewrite staging/allow-ingress-controller-to-web-frontend (preview; add --apply to update it in the cluster)',
        command:
          'kubectl netpol scaffold allow -n staging --name allow-ingress-controller-to-web-frontend --to app=web-frontend --from-namespace ingress-nginx --port 8080/TCP --demo',
      },
    ]);
  });

  it('finds the namespace label no namespace has and labels monitoring', () => {
    const finding = find('namespace-selector-matches-nothing', 'allow-prometheus-scrape');
    if (!finding) throw new Error('label mistake not found');
    expect(findingMessage(finding)).toContain(
      'namespaceSelector team=observability matches no namespace; namespace monitoring has no label team',
    );
    expect(findingFixes(finding, ['--demo']).map((fix) => fix.command ?? fix.text)).toEqual([
      'kubectl label namespace monitoring team=observability',
      'set spec.ingress[0].from[0].namespaceSelector of staging/allow-prometheus-scrape to kubernetes.io/metadata.name=monitoring',
      'kubectl netpol scaffold allow -n staging --name allow-prometheus-scrape --to app=api --from app=prometheus --from-namespace monitoring --port metrics/TCP --demo',
    ]);
  });

  it('offers scaffold commands that write the corrected policy and open the blocked flows', async () => {
    const finding = find('policy-selects-no-pods', 'allow-ingress-controller-to-web-frontend');
    const command = finding && findingFixes(finding, ['--demo'])[1]?.command;
    const argv = command?.split(' ').slice(2) ?? [];
    const run = await runCli([...argv, '-o', 'json']);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      metadata: { name: 'allow-ingress-controller-to-web-frontend', namespace: 'staging' },
      spec: { podSelector: { matchLabels: { app: 'web-frontend' } } },
    });
    expect(run.stderr).toContain(
      'ingress-nginx/ingress-nginx-controller-6f79748cff-k8z2w -> staging/web-frontend-7c8d9f6b5-kp4xz: nothing => TCP 8080',
    );
  });
});
