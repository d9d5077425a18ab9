import { describe, expect, it } from 'vitest';
import { auditCluster, compileCluster } from '../../src/engine/index.js';
import { loadDemo } from '../../src/io/load-input.js';
import { findingMessage } from '../../src/render/audit.js';
import { findingFixes } from '../../src/render/audit-fixes.js';
import { startApp } from '../helpers/app.js';
import { plain, press, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { DOWN, ENTER, PAGE_DOWN } from '../helpers/keys.js';

const COLUMNS = 80;

const screen = (ui: SizedRender) => plain(ui.lastFrame());
/** The body: the screen without the header (2 lines), the flash line and the footer. */
const body = (ui: SizedRender) => screen(ui).split('\n').slice(2, -2);

/** The lines the shell reads as one command: each ` \` ends a line the next one continues. */
function pastedCommand(lines: readonly string[], start: number): string {
  const words: string[] = [];
  for (const line of lines.slice(start)) {
    const continued = line.endsWith(' \\');
    words.push(line.replace(/ \\$/, '').trim());
    if (!continued) break;
  }
  return words.join(' ');
}

/** The demo's finding about the peer of staging/allow-prometheus-scrape, as the TUI audits it. */
const finding = auditCluster(compileCluster(loadDemo().cluster)).findings.find(
  (f) => f.code === 'namespace-selector-matches-nothing',
);

describe('details at 80 columns', () => {
  it('an audit finding shows every word of its long detail whole, and its fix command whole', async () => {
    if (!finding) throw new Error('the demo has no namespace-selector-matches-nothing finding');
    const message = findingMessage(finding);
    const commands = findingFixes(finding).flatMap((fix) => (fix.command ? [fix.command] : []));
    const command = commands.sort((a, b) => b.length - a.length)[0] ?? '';
    expect(message.length).toBeGreaterThan(COLUMNS);
    expect(command.length).toBeGreaterThan(COLUMNS);

    // A screen tall enough for the whole finding, so that nothing depends on scrolling here.
    const ui = await startApp({ columns: COLUMNS, rows: 40 });
    await press(ui, ':');
    await type(ui, 'audit');
    await press(ui, ENTER, '/');
    await type(ui, 'observability');
    await press(ui, ENTER, ENTER);
    await untilFrame(ui, (frame) => frame.includes('Audit finding'));
    const lines = body(ui);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(COLUMNS);
    expect(lines.join('\n')).not.toContain('…');
    const shownWords = new Set(lines.join(' ').split(/\s+/));
    for (const word of message.split(/\s+/)) expect(shownWords, word).toContain(word);

    const first = lines.findIndex((line) => line.trimStart().startsWith('kubectl netpol '));
    expect(lines[first]).toMatch(/ \\$/);
    expect(pastedCommand(lines, first)).toBe(command);
  });

  it('the wrapped (taller) finding still scrolls to its last line', async () => {
    const tall = await startApp({ columns: COLUMNS, rows: 60 });
    await press(tall, ':');
    await type(tall, 'audit');
    await press(tall, ENTER, '/');
    await type(tall, 'observability');
    await press(tall, ENTER, ENTER);
    await untilFrame(tall, (frame) => frame.includes('Audit finding'));
    const whole = body(tall).filter((line) => line.trim() !== '');
    const last = whole.at(-1) ?? '';

    // 80x14: the finding is taller than the 10 lines its body has.
    const ui = await startApp({ columns: COLUMNS, rows: 14 });
    await press(ui, ':');
    await type(ui, 'audit');
    await press(ui, ENTER, '/');
    await type(ui, 'observability');
    await press(ui, ENTER, ENTER);
    await untilFrame(ui, (frame) => frame.includes('Audit finding'));
    expect(whole.length).toBeGreaterThan(body(ui).length);
    expect(body(ui)).not.toContain(last);
    await press(ui, PAGE_DOWN, PAGE_DOWN, DOWN);
    await untilFrame(ui, () => body(ui).includes(last));
    expect(body(ui)).toContain(last);
  });

  it("a pod's detail breaks its label list between labels, each label whole", async () => {
    const ui = await startApp({ columns: COLUMNS, rows: 60 });
    await press(ui, ':');
    await type(ui, 'po staging');
    await press(ui, ENTER, '/');
    await type(ui, 'web-frontend');
    await press(ui, ENTER, ENTER);
    await untilFrame(ui, (frame) => frame.includes('pods it can reach'));
    const lines = body(ui);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(COLUMNS);
    const pieces = new Set(lines.flatMap((line) => line.trim().split(/[\s,]+/)));
    for (const label of [
      'app=web-frontend',
      'tier=frontend',
      'app.kubernetes.io/name=web-frontend',
      'app.kubernetes.io/part-of=shop',
      'pod-template-hash=7c8d9f6b5',
    ])
      expect(pieces, label).toContain(label);
  });

  it('a denied check explains itself in whole words, its scaffold command whole', async () => {
    const ui = await startApp({ columns: COLUMNS, rows: 60 });
    await press(ui, ':');
    await type(ui, 'po production');
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('postgres-0'));
    await press(ui, 'c');
    await type(ui, 'production/postgres-0');
    await press(ui, DOWN);
    await type(ui, '8080');
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('DENIED'));
    const lines = body(ui);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(COLUMNS);
    const first = lines.findIndex((line) => line.trimStart().startsWith('kubectl netpol scaffold'));
    expect(first, lines.join('\n')).toBeGreaterThan(0);
    expect(pastedCommand(lines, first)).toMatch(
      /^kubectl netpol scaffold \S.* --port 8080(\/TCP)?( |$)/,
    );
    expect(lines.slice(first).join('\n')).not.toContain('…');
  });

  it('the scaffold preview wraps its verdict and effect in whole words, never its YAML', async () => {
    const ui = await startApp({ columns: COLUMNS, rows: 60 });
    await press(ui, ':');
    await type(ui, 'po production');
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('postgres-0'));
    await press(ui, 'c');
    await type(ui, 'production/postgres-0');
    await press(ui, DOWN);
    await type(ui, '8080');
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('DENIED'));
    await press(ui, 's');
    await untilFrame(ui, (frame) => frame.includes('✓ valid'));
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('Effect on the current snapshot'));
    const lines = body(ui);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(COLUMNS);
    expect(lines.join('\n')).not.toContain('…');
    const verdict =
      'ALLOWED with these policies: production/frontend-84c5d9b7f6-hx2lq -> production/postgres-0 TCP 8080';
    expect(verdict.length).toBeGreaterThan(COLUMNS);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain(verdict);
    // The YAML after the explanation, line for line as a file holds it.
    const yaml = lines.slice(lines.findIndex((line) => line.startsWith('apiVersion:')));
    expect(yaml).toContain('kind: NetworkPolicy');
    const yamlLine = /^---$|^ *(- )?[\w./-]+:( \S+)?$|^ *- \S+$/;
    for (const line of yaml.filter((text) => text !== '')) expect(line).toMatch(yamlLine);
  });
});
