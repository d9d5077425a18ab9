/**
 * `scaffold --apply` by server-side apply against a (fake) API server that stores what is
 * applied: creating, updating an existing policy (an audit rewrite), a conflict with another
 * field manager, a 403, and a dry run the server rejects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
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

const COLLECTION = '/apis/networking.k8s.io/v1/namespaces/app/networkpolicies';
/** In the cluster: backend admits frontend on 9090 only. */
const EXISTING = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'allow-api', namespace: 'app' },
  spec: {
    podSelector: { matchLabels: { app: 'backend' } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ podSelector: { matchLabels: { app: 'frontend' } } }],
        ports: [{ port: 9090, protocol: 'TCP' }],
      },
    ],
  },
};

/** How the fake server answers an apply. */
type Refusal = 'conflict' | 'forbidden' | 'invalid-dry-run' | undefined;

function status(res: ServerResponse, code: number, reason: string, message: string) {
  jsonAnswer(res, code, { kind: 'Status', status: 'Failure', code, reason, message });
}

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text);
}

/** A fake API server holding EXISTING; records each PATCH as `name query`. */
async function clusterServer(refusal: Refusal) {
  const stored = new Map<string, unknown>([[`${COLLECTION}/allow-api`, EXISTING]]);
  const patches: string[] = [];
  const server = await fakeApiServer((req, res) => {
    const [path = '', query = ''] = (req.url ?? '').split('?');
    const params = new URLSearchParams(query);
    if (req.method === 'PATCH') {
      bodyOf(req).then((object) => {
        patches.push(`${path.split('/').at(-1)} ${query} ${req.headers['content-type']}`);
        if (refusal === 'forbidden')
          return status(res, 403, 'Forbidden', 'networkpolicies "allow-api" is forbidden');
        if (refusal === 'conflict' && params.get('force') !== 'true')
          return status(
            res,
            409,
            'Conflict',
            'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply": .spec.ingress',
          );
        if (refusal === 'invalid-dry-run')
          return status(
            res,
            422,
            'Invalid',
            'NetworkPolicy.networking.k8s.io "allow-api" is invalid: denied by admission webhook',
          );
        if (params.get('dryRun') !== 'All') stored.set(path, object);
        jsonAnswer(res, 200, object);
      });
      return;
    }
    if (path === '/api/v1/namespaces')
      return jsonAnswer(
        res,
        200,
        listBody([{ metadata: { name: 'app', labels: { 'kubernetes.io/metadata.name': 'app' } } }]),
      );
    if (path === '/api/v1/pods')
      return jsonAnswer(
        res,
        200,
        listBody([runningAppPod('frontend', '10.0.0.1'), runningAppPod('backend', '10.0.0.2')]),
      );
    if (path === '/apis/networking.k8s.io/v1/networkpolicies')
      return jsonAnswer(res, 200, listBody([...stored.values()]));
    if (path.startsWith(`${COLLECTION}/`)) {
      const object = stored.get(path);
      return object ? jsonAnswer(res, 200, object) : status(res, 404, 'NotFound', 'not found');
    }
    emptyList(res);
  });
  return { server, stored, patches };
}

/** Runs `scaffold allow` for backend's ingress from frontend on 8080, named NAME, with --apply. */
async function applyAllow(name: string, refusal: Refusal, ...flags: string[]) {
  const { server, stored, patches } = await clusterServer(refusal);
  try {
    const config = kubeconfigFile(tempDir(), server.url);
    const run = await runCli(
      [
        'scaffold',
        'allow',
        '-n',
        'app',
        '--name',
        name,
        '--to',
        'app=backend',
        '--from',
        'app=frontend',
        '--port',
        '8080',
        '--apply',
        ...flags,
      ],
      '',
      { HOME: '/nonexistent-home', KUBECONFIG: config },
    );
    return { run, stored, patches };
  } finally {
    await server.close();
  }
}

const APPLY = 'fieldManager=kubectl-netpol';
const YAML = 'application/apply-patch+yaml';

describe('scaffold --apply by server-side apply', () => {
  it('creates a new policy after a server dry run, showing the flows it opens', async () => {
    const { run, stored, patches } = await applyAllow('allow-8080', undefined, '--yes');
    expect(run.exitCode).toBe(0);
    expect(patches).toEqual([
      `allow-8080 ${APPLY}&dryRun=All ${YAML}`,
      `allow-8080 ${APPLY} ${YAML}`,
    ]);
    expect(run.stderr).toContain('added   networkpolicy app/allow-8080\n');
    expect(run.stderr).toMatch(/opened +app\/frontend +app\/backend +TCP 8080 +DENIED +ALLOWED/);
    expect(run.stderr).toMatch(/created: networkpolicy app\/allow-8080\n$/);
    expect(stored.has(`${COLLECTION}/allow-8080`)).toBe(true);
  });

  it('updates an existing policy (an audit rewrite), showing the spec lines and flows that change', async () => {
    const { run, stored, patches } = await applyAllow('allow-api', undefined, '--yes');
    expect(run.exitCode).toBe(0);
    expect(patches).toHaveLength(2);
    expect(run.stderr).toContain('changed networkpolicy app/allow-api\n');
    expect(run.stderr).toContain('networkpolicy app/allow-api spec:\n');
    expect(run.stderr).toContain('-       - port: 9090\n');
    expect(run.stderr).toContain('+       - port: 8080\n');
    expect(run.stderr).toMatch(/opened +app\/frontend +app\/backend +TCP 8080 +DENIED +ALLOWED/);
    expect(run.stderr).toMatch(/closed +app\/frontend +app\/backend +TCP 9090 +ALLOWED +DENIED/);
    expect(run.stderr).toMatch(/changed: networkpolicy app\/allow-api\n$/);
    const spec = (stored.get(`${COLLECTION}/allow-api`) as typeof EXISTING).spec;
    expect(spec.ingress[0]?.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });

  it('refuses to write without a confirmation when stdin is not a terminal', async () => {
    const { run, patches } = await applyAllow('allow-api', undefined);
    expect(run.exitCode).toBe(2);
    expect(patches).toEqual([`allow-api ${APPLY}&dryRun=All ${YAML}`]);
    expect(run.stderr).toContain('changed networkpolicy app/allow-api\n');
    expect(run.stderr).toContain('error: not applied: confirm with --yes');
  });

  it('shows a conflict with another field manager and forces only with --force-conflicts', async () => {
    const refused = await applyAllow('allow-api', 'conflict', '--yes');
    expect(refused.run.exitCode).toBe(2);
    expect(refused.patches).toHaveLength(1);
    expect(refused.run.stderr).toContain(
      'networkpolicy app/allow-api: conflict: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply": .spec.ingress',
    );
    expect(refused.run.stderr).toContain('--force-conflicts');
    const forced = await applyAllow('allow-api', 'conflict', '--yes', '--force-conflicts');
    expect(forced.run.exitCode).toBe(0);
    expect(forced.patches).toEqual([
      `allow-api ${APPLY}&dryRun=All&force=true ${YAML}`,
      `allow-api ${APPLY}&force=true ${YAML}`,
    ]);
  });

  it('names the object and the can-i command on 403', async () => {
    const { run } = await applyAllow('allow-api', 'forbidden', '--yes');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /^error: networkpolicy app\/allow-api: forbidden \(check: kubectl auth can-i patch networkpolicies -n app\): networkpolicies "allow-api" is forbidden\n$/m,
    );
  });

  it('writes nothing when the server dry run fails', async () => {
    const { run, patches, stored } = await applyAllow('allow-api', 'invalid-dry-run', '--yes');
    expect(run.exitCode).toBe(2);
    expect(patches).toEqual([`allow-api ${APPLY}&dryRun=All ${YAML}`]);
    expect(run.stderr).toContain('denied by admission webhook');
    expect(stored.get(`${COLLECTION}/allow-api`)).toBe(EXISTING);
  });
});
