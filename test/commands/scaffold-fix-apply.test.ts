/**
 * `scaffold fix --apply` against a (fake) API server: both policies of a flow that both sides
 * deny are dry-run on the server first, then created, in one command.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import {
  emptyList,
  fakeApiServer,
  jsonAnswer,
  kubeconfigFile,
  listBody,
  runningAppPod,
  tempDir,
} from '../helpers/fake-api.js';

const LISTS: Record<string, unknown> = {
  '/api/v1/namespaces': listBody([
    { metadata: { name: 'app', labels: { 'kubernetes.io/metadata.name': 'app' } } },
  ]),
  '/api/v1/pods': listBody([
    runningAppPod('frontend', '10.0.0.1'),
    runningAppPod('backend', '10.0.0.2'),
  ]),
  '/apis/networking.k8s.io/v1/networkpolicies': listBody([
    {
      metadata: { name: 'default-deny', namespace: 'app' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
  ]),
};

async function body(req: IncomingMessage): Promise<{ metadata: { name: string } }> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text);
}

describe('scaffold fix --apply', () => {
  it('dry-runs both policies on the server, then creates both', async () => {
    const created: string[] = [];
    const server = await fakeApiServer((req, res) => {
      const [path, query = ''] = (req.url ?? '').split('?');
      if (req.method === 'PATCH') {
        body(req).then((policy) => {
          created.push(
            `${path} ${policy.metadata.name}${query.includes('dryRun=All') ? ' (dry run)' : ''}`,
          );
          jsonAnswer(res, 201, policy);
        });
        return;
      }
      const answer = LISTS[path ?? ''];
      if (!answer && path?.includes('/namespaces/app/networkpolicies/'))
        return jsonAnswer(res, 404, { kind: 'Status', reason: 'NotFound', message: 'not found' });
      if (answer) jsonAnswer(res, 200, answer);
      else emptyList(res);
    });
    try {
      const config = kubeconfigFile(tempDir(), server.url);
      const run = await runCli(
        ['scaffold', 'fix', 'app/frontend', 'app/backend', '--port', '8080', '--apply', '--yes'],
        '',
        { HOME: '/nonexistent-home', KUBECONFIG: config },
      );
      expect(run.stderr).toContain(
        '# ALLOWED with these policies: app/frontend -> app/backend TCP 8080',
      );
      expect(run.exitCode).toBe(0);
      const path = '/apis/networking.k8s.io/v1/namespaces/app/networkpolicies';
      expect(created).toEqual([
        `${path}/allow-frontend-egress-to-backend-8080 allow-frontend-egress-to-backend-8080 (dry run)`,
        `${path}/allow-backend-ingress-from-frontend-8080 allow-backend-ingress-from-frontend-8080 (dry run)`,
        `${path}/allow-frontend-egress-to-backend-8080 allow-frontend-egress-to-backend-8080`,
        `${path}/allow-backend-ingress-from-frontend-8080 allow-backend-ingress-from-frontend-8080`,
      ]);
      expect(run.stderr).toMatch(
        /created: networkpolicy app\/allow-frontend-egress-to-backend-8080\ncreated: networkpolicy app\/allow-backend-ingress-from-frontend-8080\n$/,
      );
    } finally {
      await server.close();
    }
  });
});
