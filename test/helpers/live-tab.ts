import {
  emptyList,
  kubeconfigFile,
  listOf,
  routedApiServer,
  runningAppPod,
  tempDir,
} from './fake-api.js';
import { spawnCollected } from './spawn-collected.js';

/**
 * A shell's Tab on a live cluster (a fake API server: namespace app, pod web, no Services):
 * `node ...nodeArgs __complete check -n app ''`, the program's entry last in nodeArgs, with
 * `env` added to ours. Its names include `web\tPod app`.
 */
export async function liveTab(nodeArgs: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const server = await routedApiServer({
    '/api/v1/namespaces': listOf([{ metadata: { name: 'app' } }]),
    '/api/v1/namespaces/app/pods': listOf([runningAppPod('web', '10.0.0.1')]),
    '/api/v1/namespaces/app/services': emptyList,
  });
  const kubeconfig = kubeconfigFile(tempDir(), server.url);
  return spawnCollected(process.execPath, [...nodeArgs, '__complete', 'check', '-n', 'app', ''], {
    env: { ...process.env, KUBECONFIG: kubeconfig, ...env },
  });
}
