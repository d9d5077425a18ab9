/**
 * Live, a workload is known by the pods read: a Deployment scaled to zero has none, and nothing
 * stands in for them. Naming it says that it may be scaled to zero, not that it does not exist.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
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

/** Namespace app with one running pod of Deployment web (its ReplicaSet's name and hash label). */
const WEB = runningAppPod('web-5d8f7c-x1x', '10.0.0.5');
const WEB_POD = {
  ...WEB,
  metadata: {
    ...WEB.metadata,
    labels: { app: 'web', 'pod-template-hash': '5d8f7c' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f7c' }],
  },
};

/** A fake API server with that pod, recording the paths asked. */
async function clusterWithWeb() {
  const asked: string[] = [];
  const server = await fakeApiServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    asked.push(path);
    if (/^\/api\/v1\/(namespaces\/app\/)?pods$/.test(path)) {
      return jsonAnswer(res, 200, listBody([WEB_POD]));
    }
    return emptyList(res);
  });
  onTestFinished(() => server.close());
  return { kubeconfig: kubeconfigFile(tempDir(), server.url), asked };
}

describe('a live Deployment scaled to zero', () => {
  it('has no pod, none is made up for it, and naming it says it may be scaled to zero', async () => {
    const { kubeconfig, asked } = await clusterWithWeb();
    const args = ['--kubeconfig', kubeconfig, '-n', 'app', '--assume-enforced'];
    const run = await runCli(['check', 'deploy/api', 'deploy/web', '--port', '80', ...args]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'error: deploy/api: no Deployment app/api in the input (the input lists pods, not workloads: one scaled to zero has no pod)\n',
    );
    expect(asked.some((path) => path.includes('/deployments'))).toBe(false);
    const matrix = await runCli(['matrix', '-o', 'json', ...args]);
    expect(JSON.parse(matrix.stdout).pods.map((pod: { id: string }) => pod.id)).toEqual([
      'app/web-5d8f7c-x1x',
    ]);
  });
});
