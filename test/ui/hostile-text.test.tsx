import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import type { LoadedInput } from '../../src/io/normalize/loaded-input.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { startApp } from '../helpers/app.js';
import { plain, press, type SizedRender, untilFrame } from '../helpers/ink.js';
import { ENTER } from '../helpers/keys.js';
import { HOSTILE, unsafeChars } from '../helpers/terminal-safety.js';

/** How HOSTILE reads once escaped. */
const ESCAPED = 'x\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x1b[31mred\\x9b1m\\u202eevil';

function pod(name: string, ip: string, labels: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    status: { podIP: ip },
  };
}

/** A snapshot of the given pods in namespace shop, read as manifests are (JSON keeps every byte). */
function input(pods: object[]): LoadedInput {
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: pods });
  const parsed = parseManifestText(text, 'hostile.json');
  const { findings, ...normalized } = normalizeObjects(parsed.objects);
  return { ...normalized, findings: [...parsed.findings, ...findings], description: 'hostile' };
}

/** The App on `snapshot` in namespace shop, at 160x20. */
const start = (snapshot: LoadedInput, reload = async () => snapshot) =>
  startApp({
    source: { initial: snapshot, name: 'hostile', reload },
    columns: 160,
    rows: 20,
    props: { namespace: 'shop' },
  });

/** The frame without ink's own styling (bold headers); a hostile sequence would survive this. */
const screen = (ui: SizedRender) => plain(ui.lastFrame());

describe('untrusted text in the TUI', () => {
  const hostile = input([pod(`web${HOSTILE}`, '10.0.0.1', { app: 'web', note: HOSTILE })]);

  it('shows a hostile pod name and label escaped in the pods list', async () => {
    const ui = await start(hostile);
    // The name has the room it needs (columns fit their cells): the labels after it are cut.
    expect(screen(ui)).toContain(`web${ESCAPED} `);
    expect(screen(ui)).toContain(`note=${ESCAPED.slice(0, 10)}`);
    expect(unsafeChars(screen(ui))).toEqual([]);
  });

  it('shows them escaped in the pod detail and its title', async () => {
    const ui = await start(hostile);
    await press(ui, ENTER);
    const text = screen(ui);
    expect(text).toContain(`Pod shop/web${ESCAPED}`);
    expect(text).toContain(`labels: app=web,note=${ESCAPED}`);
    expect(unsafeChars(text)).toEqual([]);
  });

  it('shows a hostile pod name escaped in the matrix', async () => {
    const ui = await start(hostile);
    await press(ui, 'm');
    await untilFrame(ui, (frame) => frame.includes('FROM \\ TO'));
    expect(screen(ui)).toContain(`web${ESCAPED} -> web${ESCAPED}`);
    expect(unsafeChars(screen(ui))).toEqual([]);
  });

  it('shows them escaped in the YAML view', async () => {
    const ui = await start(hostile);
    await press(ui, 'y');
    expect(screen(ui)).toContain(
      'note: "x\\e]52;c;cHduZWQ=\\a\\e[2J\\e[31mred\\u009b1m\\u202eevil"',
    );
    expect(unsafeChars(screen(ui))).toEqual([]);
  });

  it('shows an API error escaped in the flash line', async () => {
    const ui = await start(hostile, async () => {
      throw new Error(`Unauthorized: ${HOSTILE}`);
    });
    await press(ui, 'r');
    await untilFrame(ui, (frame) => frame.includes('reload failed'));
    const flash = screen(ui).split('\n').at(-2);
    expect(flash).toBe(`error: reload failed: Unauthorized: ${ESCAPED}`);
    expect(unsafeChars(screen(ui))).toEqual([]);
  });

  it('shows a hostile Service name and selector escaped in the Services list', async () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', namespace: 'shop' },
      spec: {
        type: `NodePort${HOSTILE}`,
        selector: { app: HOSTILE },
        ports: [{ name: `p${HOSTILE}`, port: 80 }],
      },
    };
    const ui = await start(input([pod('web', '10.0.0.1', { app: 'web' }), service]));
    await press(ui, ':', ...'svc', ENTER);
    await untilFrame(ui, (frame) => frame.includes('Services in shop'));
    expect(screen(ui)).toContain(`NodePort${ESCAPED} `);
    expect(screen(ui)).toContain(`app=${ESCAPED.slice(0, 10)}`);
    expect(screen(ui)).toContain('80/TCP px\\x1b');
    expect(unsafeChars(screen(ui))).toEqual([]);
  });

  it('keeps the columns after a wide name (CJK, emoji) aligned', async () => {
    const ui = await start(
      input([
        pod('api', '10.0.0.1', { app: 'api' }),
        pod('中文名字-ok', '10.0.0.2', { app: 'cjk' }),
        pod('rocket-🚀', '10.0.0.3', { app: 'emoji' }),
      ]),
    );
    const rows = screen(ui)
      .split('\n')
      .filter((line) => /10\.0\.0\.\d/.test(line));
    expect(rows).toHaveLength(3);
    // The display column where the IP starts, and where the labels start, in every row.
    const columnOf = (row: string, pattern: RegExp) =>
      stringWidth(row.slice(0, row.search(pattern)));
    expect(new Set(rows.map((row) => columnOf(row, /10\.0\.0/))).size).toBe(1);
    expect(new Set(rows.map((row) => columnOf(row, /app=/))).size).toBe(1);
  });
});
