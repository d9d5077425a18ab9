import { describe, expect, it } from 'vitest';
import { candidateDescription } from '../../src/render/candidates.js';

describe('candidateDescription', () => {
  it('says in a few words what each kind of name is', () => {
    expect(candidateDescription({ text: 'tenant-a/', kind: 'namespace', about: { pods: 1 } })).toBe(
      'Namespace, 1 pod',
    );
    expect(
      candidateDescription({ text: 'deploy/', kind: 'Deployment', about: { namespace: 'shop' } }),
    ).toBe('Deployments in shop');
    expect(
      candidateDescription({
        text: 'web-1',
        kind: 'pod',
        about: { namespace: 'shop', labels: { app: 'web', tier: 'front', team: 'x' } },
      }),
    ).toBe('Pod shop (app=web, tier=front, …)');
    expect(candidateDescription({ text: 'bare', kind: 'pod', about: { namespace: 'shop' } })).toBe(
      'Pod shop',
    );
    const port = (n: number) => ({ port: n, protocol: 'TCP' as const, targetPort: n });
    expect(
      candidateDescription({
        text: 'svc/web',
        kind: 'service',
        about: { namespace: 'shop', ports: [port(80), port(443), port(8080), port(9090)] },
      }),
    ).toBe('Service shop, ports 80/TCP, 443/TCP, 8080/TCP, …');
  });

  it('never lets a tab or a control character through: the tab separates the description', () => {
    const text = candidateDescription({
      text: 'web',
      kind: 'pod',
      about: { namespace: 'shop', labels: { app: 'a\tb\u001b[2J' } },
    });
    expect(text).toBe('Pod shop (app=a\\x09b\\x1b[2J)');
    for (const raw of ['\t', '\n', '\u001b']) expect(text).not.toContain(raw);
  });
});
