/** The wizard's paths that used to dead-end (issue 15), walked at 80x24. */
import { describe, expect, it } from 'vitest';
import type { AppProps } from '../../src/ui/components/App.js';
import { startApp } from '../helpers/app.js';
import { plain, press, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { BACKSPACE, DOWN, ENTER, ESC, PAGE_DOWN, RIGHT, TAB } from '../helpers/keys.js';

const CTRL_U = '\u0015';

/** The App on the demo at 80x24, with the props given. */
const start = (props: Partial<AppProps> = {}) => startApp({ props });

const screen = (ui: SizedRender) => plain(ui.lastFrame());
const lines = (ui: SizedRender) => screen(ui).split('\n');
const footer = (ui: SizedRender) => lines(ui).at(-1) ?? '';
const row = (ui: SizedRender, label: string) =>
  lines(ui).find((line) => line.slice(2).startsWith(label)) ?? '';
const shows = (ui: SizedRender, text: string) => untilFrame(ui, (frame) => frame.includes(text));

/** Opens the wizard on a legacy's default-deny form. */
async function defaultDeny(ui: SizedRender): Promise<void> {
  await press(ui, '/');
  await type(ui, 'legacy');
  await press(ui, ENTER, 'j', 's');
  await shows(ui, 'Which policy?');
  await press(ui, ENTER);
  await shows(ui, 'keep DNS working');
}

describe('the wizard', () => {
  it('lines up every template at 80 columns, those cut with … too', async () => {
    const ui = await start();
    await press(ui, 's');
    await shows(ui, 'Which policy?');
    const pickerAt = lines(ui).findIndex((line) => line.startsWith('Which policy?'));
    const templates = lines(ui)
      .slice(pickerAt + 1)
      .filter((line) => line.trim() !== '' && !line.startsWith('esc'));
    expect(templates.some((line) => line.endsWith('…'))).toBe(true);
    for (const line of templates) expect(line, line).toMatch(/^(› | {2})\S/);
  });

  it('allow egress from a pod sends from that pod: its labels move to --from', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 's');
    await shows(ui, 'protect pods');
    const labels = /: (\S+)\s+selects/.exec(row(ui, 'protect pods'))?.[1] ?? '';
    expect(labels).toMatch(/=/);
    await press(ui, ESC);
    await shows(ui, 'Which policy?');
    await press(ui, DOWN, ENTER);
    await shows(ui, 'sending pods');
    // The form shows the end of a long selector.
    const tail = labels.slice(-20);
    expect(row(ui, 'sending pods')).toMatch(new RegExp(`${tail}\\s+selects \\d+ pod`));
    expect(row(ui, 'to pods')).not.toContain(tail);
  });

  it('says "every pod of this namespace" with *', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 's');
    await shows(ui, '› from pods');
    await type(ui, '*');
    await untilFrame(ui, (frame) => /from pods.*peer matches \d+ pods/.test(frame));
    expect(row(ui, 'from pods')).toMatch(/peer matches [2-9]\d* pods/);
    expect(screen(ui)).toContain('✓ valid');
    await press(ui, ENTER);
    await shows(ui, 'Scaffold preview');
    expect(screen(ui)).toMatch(/name: allow-[a-z0-9-]*-ingress-from-same-namespace$/m);
    expect(screen(ui)).toMatch(/from:\n\s+- podSelector: \{\}/);
  });

  it('default-deny drops DNS when switched to ingress, takes it back for egress, and is named', async () => {
    const ui = await start();
    await defaultDeny(ui);
    expect(row(ui, 'direction')).toContain('[both]');
    expect(row(ui, 'keep DNS working')).toContain('[yes]');
    expect(row(ui, 'policy name')).toContain('from the template');
    await press(ui, TAB, RIGHT); // direction: both -> ingress
    await shows(ui, '[ingress]');
    expect(row(ui, 'keep DNS working')).toContain('[no]');
    expect(screen(ui)).toContain('✓ valid');
    await press(ui, RIGHT); // ingress -> egress
    await shows(ui, '[egress]');
    expect(row(ui, 'keep DNS working')).toContain('[yes]');
    await press(ui, TAB, TAB);
    await type(ui, 'deny-legacy');
    await press(ui, ENTER);
    await shows(ui, 'Scaffold preview');
    // At 80x24 the wrapped effect fills the screen: the YAML is a page down.
    await press(ui, PAGE_DOWN);
    await shows(ui, 'name: deny-legacy');
    expect(screen(ui)).toContain('name: deny-legacy');
  });

  it('the save prompt: typing replaces the proposed name, backspace edits it, ctrl-u clears', async () => {
    const ui = await start();
    await defaultDeny(ui);
    await press(ui, ENTER);
    await shows(ui, 'Scaffold preview');
    await press(ui, 'w');
    await shows(ui, 'save to:');
    expect(footer(ui)).toMatch(/^save to: default-deny-all\.yaml {2}\(type a name to replace it/);
    await type(ui, 'my-name.yaml');
    expect(footer(ui)).toMatch(/^save to: my-name\.yaml█/);
    await press(ui, ESC, 'w');
    await shows(ui, 'type a name to replace it');
    await press(ui, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE);
    await type(ui, '.yml');
    expect(footer(ui)).toMatch(/^save to: default-deny-all\.yml█/);
    await press(ui, CTRL_U);
    expect(footer(ui)).toMatch(/^save to: █/);
  });

  it('takes except blocks as a comma list, and names a bad one as the command line does', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 's');
    await shows(ui, '› from pods');
    await press(ui, TAB, TAB);
    await type(ui, '10.0.0.0/8');
    await press(ui, TAB);
    await type(ui, '10.1.0.0/16,10.2.0.0/16');
    await shows(ui, '✓ valid');
    await type(ui, ',nope');
    await shows(ui, '✗');
    expect(screen(ui)).toContain('✗ --except nope: not a CIDR (expected e.g. 10.0.0.0/8)');
  });
});
