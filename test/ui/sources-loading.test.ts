import { describe, expect, it } from 'vitest';
import { demoSources, loadDemo, loadManifests, manifestSources } from '../../src/io/load-input.js';
import { type LoadingListener, openSource } from '../../src/ui/sources.js';

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
    });
    expect(heard).toEqual([demoSources('cilium').objects.length]);
    expect(source.initial).toEqual(loadDemo('cilium'));
  });
});
