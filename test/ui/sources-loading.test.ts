import { describe, expect, it } from 'vitest';
import type { ListProgress } from '../../src/io/cluster/load-cluster.js';
import { demoSources, loadDemo, loadManifests, manifestSources } from '../../src/io/load-input.js';
import { type LoadingListener, openSource } from '../../src/ui/sources.js';
import {
  emptyList,
  kubeconfigFile,
  listOf,
  routedApiServer,
  tempDir,
} from '../helpers/fake-api.js';

const SHOP = 'test/fixtures/manifests/shop';
const noStdin = async () => '';

/** A loading listener that writes down what it hears, and what it should hear reading SHOP. */
async function heardOfShop() {
  const heard: string[] = [];
  const listener: LoadingListener = {
    fileRead: (progress) => {
      heard.push(`read ${progress.filesRead} of ${progress.files}`);
    },
    normalising: async (objects) => {
      heard.push(`normalising ${objects}`);
    },
    listRead: () => {
      throw new Error('manifests have no lists to read');
    },
    pace: async () => {},
  };
  const parsed = (await manifestSources([SHOP], noStdin)).objects.length;
  const expected = [1, 2, 3, 4].map((file) => `read ${file} of 4`).concat(`normalising ${parsed}`);
  return { heard, listener, expected };
}

describe('opening manifests for the UI', () => {
  it('tells each file read, then that it normalises every object, and loads what the commands load', async () => {
    const { heard, listener, expected } = await heardOfShop();
    const source = await openSource({ filename: [SHOP] }, {}, noStdin, listener);
    const commands = await loadManifests([SHOP], noStdin, { keepObjects: true });
    expect(heard).toEqual(expected);
    expect(source.initial).toEqual(commands);
    expect(source.name).toBe(SHOP);
  });

  it('reads manifests again file by file on a reload, telling each file, and loads them again', async () => {
    const source = await openSource({ filename: [SHOP] }, {}, noStdin);
    const { heard, listener, expected } = await heardOfShop();
    const reloaded = await source.reload(listener);
    expect(heard).toEqual(expected);
    expect(reloaded).toEqual(source.initial);
  });

  it('tells how many objects the demo has before normalising them, and loads it as the commands do', async () => {
    const heard: number[] = [];
    const source = await openSource({ demo: 'cilium' }, {}, noStdin, {
      fileRead: () => {
        throw new Error('the demo has no files to read');
      },
      normalising: async (objects) => {
        heard.push(objects);
      },
      listRead: () => {
        throw new Error('the demo has no lists to read');
      },
      pace: async () => {},
    });
    expect(heard).toEqual([demoSources('cilium').objects.length]);
    expect(source.initial).toEqual(loadDemo('cilium'));
  });
});

describe('opening a live cluster for the UI', () => {
  /** A listener that writes down the lists read and the objects normalised, in order. */
  function heardOfCluster() {
    const heard: string[] = [];
    const listener: LoadingListener = {
      fileRead: () => {
        throw new Error('a cluster has no files to read');
      },
      listRead: ({ listsRead, lists }: ListProgress) => {
        heard.push(`listed ${listsRead} of ${lists}`);
      },
      normalising: async (objects) => {
        heard.push(`normalising ${objects}`);
      },
      pace: async () => {},
    };
    return { heard, listener };
  }

  const pod = { metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: {} };
  const routes = {
    '/api/v1/namespaces': listOf([{ metadata: { name: 'shop' } }]),
    '/api/v1/pods': listOf([pod]),
    '/api/v1/services': emptyList,
    '/api/v1/nodes': emptyList,
    '/apis/networking.k8s.io/v1/networkpolicies': emptyList,
    '/apis/discovery.k8s.io/v1/endpointslices': emptyList,
  };
  // Nodes and the five snapshot lists, in the order they are answered.
  const expected = [1, 2, 3, 4, 5, 6].map((n) => `listed ${n} of 6`).concat('normalising 2');

  it('tells each list read and the objects it normalises, on the first read and on a reload', async () => {
    const server = await routedApiServer(routes);
    const kubeconfig = kubeconfigFile(tempDir(), server.url);
    const first = heardOfCluster();
    const source = await openSource({ kubeconfig }, {}, noStdin, first.listener);
    expect(first.heard).toEqual(expected);
    expect(source.initial.cluster.pods.map((p) => p.name)).toEqual(['web']);
    const again = heardOfCluster();
    const reloaded = await source.reload(again.listener);
    expect(again.heard).toEqual(expected);
    expect(reloaded.cluster).toEqual(source.initial.cluster);
  });
});
