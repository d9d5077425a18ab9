import { describe, expect, it, onTestFinished } from 'vitest';
import { LoadingScreen } from '../../src/ui/components/LoadingScreen.js';
import { plain, renderSized, tick } from '../helpers/ink.js';

describe('the loading screen', () => {
  it('names the source, with its control characters escaped, and says how far the read has come', async () => {
    const size = { columns: 80, rows: 10 };
    const ui = renderSized(<LoadingScreen source={'evil\u001b[2Jdir'} color={false} />, size);
    onTestFinished(() => ui.unmount());
    await tick();
    let lines = plain(ui.lastFrame()).split('\n');
    expect(lines[0]).toMatch(/^kubectl netpol {2}evil\\x1b\[2Jdir$/);
    expect(lines).toHaveLength(10);
    expect(lines[8]).toBe('loading…');

    const progress = { filesRead: 3, files: 200, bytesRead: 150_000, bytes: 7_300_000 };
    const stage = { kind: 'reading', progress } as const;
    ui.rerender(<LoadingScreen source="bench-out/large" stage={stage} color={false} />);
    await tick();
    lines = plain(ui.lastFrame()).split('\n');
    expect(lines[8]).toBe('reading manifests: 3 of 200 files, 0.1 of 7.3 MB');
    // The last line says what keys do meanwhile.
    expect(lines[9]).toMatch(/^ctrl-c quit/);
  });

  it('says how many of the cluster’s lists are in, then how many objects it normalises', async () => {
    const size = { columns: 80, rows: 10 };
    const listing = { kind: 'listing', progress: { listsRead: 3, lists: 9 } } as const;
    const ui = renderSized(
      <LoadingScreen source="context kind" stage={listing} color={false} />,
      size,
    );
    onTestFinished(() => ui.unmount());
    await tick();
    expect(plain(ui.lastFrame()).split('\n')[8]).toBe('reading the cluster: 3 of 9 lists…');
    const normalising = { kind: 'normalising', objects: 12_200 } as const;
    ui.rerender(<LoadingScreen source="context kind" stage={normalising} color={false} />);
    await tick();
    expect(plain(ui.lastFrame()).split('\n')[8]).toBe('read; normalising 12,200 objects…');
  });
});
