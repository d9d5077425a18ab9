import { describe, expect, it, onTestFinished } from 'vitest';
import { stringify } from 'yaml';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import type { LoadedInput } from '../../src/io/normalize/loaded-input.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { yamlText } from '../../src/render/structured.js';
import { App } from '../../src/ui/components/App.js';
import type { SnapshotSource } from '../../src/ui/sources.js';
import { noon } from '../helpers/app.js';
import { heldAnalyst } from '../helpers/held-analyst.js';
import { plain, press, renderSized, type SizedRender, untilFrame } from '../helpers/ink.js';
import { ESC, PAGE_DOWN } from '../helpers/keys.js';

/** A Pod with 600 annotations: too heavy for the UI's thread to write its YAML. */
const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'annotated',
    namespace: 'shop',
    labels: { app: 'web' },
    annotations: Object.fromEntries(
      Array.from({ length: 600 }, (_, i) => [`example.com/note-${i}`, `note number ${i}`]),
    ),
  },
  spec: { containers: [{ name: 'main', image: 'nginx' }] },
  status: { phase: 'Running', podIP: '10.0.0.1' },
};
const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };

function source(): SnapshotSource {
  const text = `${stringify(NAMESPACE)}---\n${stringify(POD)}`;
  const parsed = parseManifestText(text, 'pod.yaml');
  const { findings, ...normalized } = normalizeObjects(parsed.objects);
  const input: LoadedInput = { ...normalized, findings, description: 'pod.yaml' };
  return { initial: input, name: 'pod.yaml', reload: async () => input };
}

/** 24 rows: the header (2), the flash line and the footer leave 20 for the text. */
const ROWS = 24;
const BODY = ROWS - 4;
/** Page down moves a screen less two lines. */
const PAGE = BODY - 2;
/** The YAML as the commands write it (yamlText), a line each. */
const EXPECTED = yamlText(POD, { aliasDuplicateObjects: false }).split('\n');

const screenLines = (ui: SizedRender) => plain(ui.lastFrame()).split('\n');
const title = (ui: SizedRender) => screenLines(ui)[1]?.trim();
const body = (ui: SizedRender) =>
  screenLines(ui)
    .slice(2, 2 + BODY)
    .map((line) => line.trimEnd());
/** The lines the view should show from `offset`, as the terminal shows them (cut to 80 columns). */
const window = (offset: number) =>
  EXPECTED.slice(offset, offset + BODY).map((line) => line.slice(0, 80).trimEnd());

describe("a heavy object's YAML view", () => {
  it('shows "computing…" while the analyst writes it, then the window of lines the keys move to', async () => {
    const { analyst, gate } = heldAnalyst('object-yaml');
    onTestFinished(() => analyst.close());
    gate.holding = true;
    const ui = renderSized(
      <App source={source()} namespace="shop" color={false} clock={noon} analyst={analyst} />,
      { columns: 80, rows: ROWS },
    );
    onTestFinished(() => ui.unmount());
    await untilFrame(ui, (frame) => frame.includes('annotated') && !frame.includes('auditing…'));
    await press(ui, 'y');
    expect(title(ui)).toBe('YAML: Pod shop/annotated');
    expect(body(ui)[0]).toBe('computing…');
    expect(plain(ui.lastFrame())).toContain('writing the YAML');

    gate.release();
    await untilFrame(ui, (frame) => frame.includes('apiVersion: v1'));
    expect(EXPECTED.length).toBeGreaterThan(600);
    // The top.
    expect(body(ui)).toEqual(window(0));
    // The middle: two pages, then a line.
    await press(ui, PAGE_DOWN, PAGE_DOWN, 'j');
    expect(body(ui)).toEqual(window(2 * PAGE + 1));
    await press(ui, 'k');
    expect(body(ui)).toEqual(window(2 * PAGE));
    // The end: paging on stops at the last full screen.
    await press(ui, ...Array.from({ length: Math.ceil(EXPECTED.length / PAGE) }, () => PAGE_DOWN));
    expect(body(ui)).toEqual(window(EXPECTED.length - BODY));
    await press(ui, 'j');
    expect(body(ui)).toEqual(window(EXPECTED.length - BODY));
    await press(ui, ESC);
    expect(title(ui)).toMatch(/^Pods in shop/);
  });
});
