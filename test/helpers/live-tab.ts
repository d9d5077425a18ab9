import {
  emptyList,
  jsonAnswer,
  kubeconfigFile,
  listOf,
  routedApiServer,
  runningAppPod,
  tempDir,
} from './fake-api.js';
import { spawnCollected } from './spawn-collected.js';

/**
 * `node ...nodeArgs ...args` (the program's entry last in nodeArgs) on a live cluster, a fake
 * API server with namespace app and pods web and db, serving no API group and answering every
 * other list empty, with `env` added to ours and the kubeconfig's `user` (a static token unless
 * given).
 */
export async function liveRun(
  nodeArgs: readonly string[],
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  user?: Record<string, unknown>,
) {
  const server = await routedApiServer(
    {
      '/api/v1/namespaces': listOf([{ metadata: { name: 'app' } }]),
      '/api/v1/namespaces/app/pods': listOf([
        runningAppPod('web', '10.0.0.1'),
        runningAppPod('db', '10.0.0.2'),
      ]),
      '/apis': (res) =>
        jsonAnswer(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] }),
    },
    emptyList,
  );
  const kubeconfig = kubeconfigFile(tempDir(), server.url, user);
  return spawnCollected(process.execPath, [...nodeArgs, ...args], {
    env: { ...process.env, KUBECONFIG: kubeconfig, ...env },
  });
}

/** A shell's Tab on liveRun's cluster: its names include `web\tPod app`. */
export const LIVE_TAB_ARGS = ['__complete', 'check', '-n', 'app', ''];

/** A shell's Tab on a live cluster, as liveRun runs it. */
export function liveTab(
  nodeArgs: readonly string[],
  env: NodeJS.ProcessEnv = {},
  user?: Record<string, unknown>,
) {
  return liveRun(nodeArgs, LIVE_TAB_ARGS, env, user);
}
