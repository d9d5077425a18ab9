import { describe, expect, it } from 'vitest';
import { demoSources, loadDemo, loadManifests, manifestSources } from '../../src/io/load-input.js';
import { openSource } from '../../src/ui/sources.js';

const SHOP = 'test/fixtures/manifests/shop';
const noStdin = async () => '';

describe('opening manifests for the UI', () => {
  it('tells each file read, then that it normalises every object, and loads what the commands load', async () => {
    const heard: string[] = [];
    const source = await openSource({ filename: [SHOP] }, {}, noStdin, {
      fileRead: (progress) => {
        heard.push(`read ${progress.filesRead} of ${progress.files}`);
      },
      normalising: async (objects) => {
        heard.push(`normalising ${objects}`);
      },
    });
    const commands = await loadManifests([SHOP], noStdin, { keepObjects: true });
    const parsed = (await manifestSources([SHOP], noStdin)).objects.length;
    expect(heard).toEqual([
      'read 1 of 4',
      'read 2 of 4',
      'read 3 of 4',
      'read 4 of 4',
      `normalising ${parsed}`,
    ]);
    expect(source.initial).toEqual(commands);
    expect(source.name).toBe(SHOP);
  });

  it('reads manifests again file by file on a reload, telling each file, and loads them again', async () => {
    const source = await openSource({ filename: [SHOP] }, {}, noStdin);
    const heard: string[] = [];
    const reloaded = await source.reload({
      fileRead: (progress) => {
        heard.push(`read ${progress.filesRead} of ${progress.files}`);
      },
      normalising: async (objects) => {
        heard.push(`normalising ${objects}`);
      },
    });
    const parsed = (await manifestSources([SHOP], noStdin)).objects.length;
    expect(heard).toEqual([
      'read 1 of 4',
      'read 2 of 4',
      'read 3 of 4',
      'read 4 of 4',
      `normalising ${parsed}`,
    ]);
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
