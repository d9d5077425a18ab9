import { describe, expect, it } from 'vitest';
import { startApp } from '../helpers/app.js';
import { plain, press, type SizedRender, tick, type, untilFrame } from '../helpers/ink.js';
import { ENTER, ESC, TAB } from '../helpers/keys.js';

const screen = (ui: SizedRender) => plain(ui.lastFrame());
const lines = (ui: SizedRender) => screen(ui).split('\n');
const flash = (ui: SizedRender) => lines(ui).at(-2) ?? '';
const footer = (ui: SizedRender) => lines(ui).at(-1) ?? '';
const title = (ui: SizedRender) => lines(ui)[1] ?? '';

/** Types a ":" command and runs it. */
async function command(ui: SizedRender, text: string): Promise<void> {
  await press(ui, ':');
  await type(ui, text);
  await press(ui, ENTER);
}

describe('the check form completes targets with tab', () => {
  it('fills a unique target, a shared prefix, and lists the choices left', async () => {
    const ui = await startApp();
    await command(ui, 'po production');
    await untilFrame(ui, (frame) => frame.includes('postgres-0'));
    await press(ui, 'c');
    await untilFrame(ui, (frame) => frame.includes('Traffic check'));
    // The destination is focused: svc/ completes from the services of the namespace shown.
    await type(ui, 'svc/a');
    await press(ui, TAB);
    await untilFrame(ui, (frame) => frame.includes('svc/api█'));
    expect(screen(ui)).toContain('svc/api█');
  });

  it('lists the choices on the flash line when several match', async () => {
    const ui = await startApp();
    await command(ui, 'po production');
    await untilFrame(ui, (frame) => frame.includes('postgres-0'));
    await press(ui, 'c');
    await untilFrame(ui, (frame) => frame.includes('Traffic check'));
    await type(ui, 'staging/');
    await press(ui, TAB);
    await untilFrame(ui, () => flash(ui).includes('staging/'));
    expect(flash(ui), screen(ui)).toMatch(/staging\/\S+ {2}staging\//);
  });

  it('matches a name without its hash, and moves on when nothing matches', async () => {
    const ui = await startApp();
    await command(ui, 'po production');
    await press(ui, 'c');
    await untilFrame(ui, (frame) => frame.includes('Traffic check'));
    await type(ui, 'production/frontend-zq');
    await press(ui, TAB);
    await untilFrame(ui, (frame) => frame.includes('production/frontend-84c5d9b7f6-zq8nd█'));
    expect(screen(ui)).toContain('production/frontend-84c5d9b7f6-zq8nd█');
    await press(ui, TAB);
    await untilFrame(ui, (frame) => frame.includes('› port'));
    expect(screen(ui)).toContain('› port');
  });
});

describe('the check form completes targets with tab, and lets go of a whole name', () => {
  it('moves on from a name that is whole though longer names start with it', async () => {
    const ui = await startApp();
    await command(ui, 'po production');
    await press(ui, 'c');
    await untilFrame(ui, (frame) => frame.includes('Traffic check'));
    // production/api names the Deployment; its pods' names start with it too.
    await type(ui, 'production/api');
    await press(ui, TAB);
    await untilFrame(ui, (frame) => frame.includes('› port'));
    expect(screen(ui)).toMatch(/destination .*: production\/api\n/);
  });
});

describe(': commands', () => {
  it(':po NS shows the pods of NS', async () => {
    const ui = await startApp();
    await command(ui, 'po staging');
    await untilFrame(ui, (frame) => frame.includes('ns: staging'));
    const rows = lines(ui)
      .slice(3, -2)
      .filter((line) => line.trim() !== '');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => !/production|kube-system/.test(row))).toBe(true);
  });

  it('takes kubectl’s names and short names', async () => {
    const ui = await startApp();
    for (const [name, shows] of [
      ['namespace', 'Namespaces'],
      ['pod', 'Pods'],
      ['networkpolicy', 'NetworkPolicies'],
      ['ns', 'Namespaces'],
      ['netpol', 'NetworkPolicies'],
      ['namespaces', 'Namespaces'],
    ] as const) {
      await command(ui, name);
      await untilFrame(ui, () => title(ui).startsWith(shows));
      expect(title(ui), name).toMatch(new RegExp(`^${shows}`));
    }
  });

  it('an error stays until a later command succeeds', async () => {
    const ui = await startApp();
    await command(ui, 'nonsense');
    await untilFrame(ui, () => flash(ui).includes('unknown command'));
    expect(flash(ui)).toContain('unknown command :nonsense');
    await command(ui, 'po nowhere');
    await untilFrame(ui, () => flash(ui).includes('no namespace nowhere'));
    await command(ui, 'po');
    await untilFrame(ui, () => title(ui).startsWith('Pods'));
    expect(flash(ui)).not.toContain('no namespace');
  });

  it('opens on the check’s verdict: :svc production jumps there, "s" does not open the wizard', async () => {
    const ui = await startApp();
    await command(ui, 'po production');
    await untilFrame(ui, (frame) => frame.includes('postgres-0'));
    await press(ui, 'c');
    await untilFrame(ui, (frame) => frame.includes('Traffic check'));
    await type(ui, 'svc/api');
    await press(ui, TAB);
    await type(ui, '8080');
    await press(ui, ENTER);
    await untilFrame(ui, () => footer(ui).includes('s scaffold'));
    expect(footer(ui)).toContain(': jump');
    await command(ui, 'svc production');
    await untilFrame(ui, () => title(ui).startsWith('Services'));
    expect(title(ui)).toContain('Services in production');
  });

  it('completes command names and namespaces with tab', async () => {
    const ui = await startApp();
    await press(ui, ':');
    await type(ui, 'netw');
    await press(ui, TAB);
    await untilFrame(ui, () => footer(ui).startsWith(':networkpolic'));
    expect(footer(ui)).toMatch(/^:networkpolic█/);
    expect(flash(ui)).toContain('networkpolicies  networkpolicy');
    await press(ui, ESC, ':');
    await type(ui, 'po stag');
    await press(ui, TAB);
    await untilFrame(ui, () => footer(ui).startsWith(':po staging█'));
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('ns: staging'));
    expect(title(ui)).toMatch(/^Pods/);
  });
});

describe('at 80 columns', () => {
  it('the footer shows whole keys, each once', async () => {
    const ui = await startApp();
    for (const keys of [[], [':', ...'po', ENTER], ['?']]) {
      await press(ui, ...keys);
      await tick(20);
      const entries = footer(ui).split(/ {2}/);
      expect(footer(ui).length).toBeLessThanOrEqual(80);
      // Every entry is a key and its hint: never a key alone or a hint cut short.
      for (const entry of entries) expect(entry, footer(ui)).toMatch(/^\S+ \S/);
      expect(footer(ui)).not.toMatch(/\b(\w) \1$/);
    }
  });

  it('help fits: the screens of a key wrap under their column instead of being cut', async () => {
    const ui = await startApp();
    await press(ui, '?');
    await untilFrame(ui, () => title(ui).startsWith('Help'));
    const shown = lines(ui);
    expect(shown.every((line) => line.length <= 80)).toBe(true);
    // The header too: at 80 columns it leaves pieces out rather than cut the counts.
    expect(shown.join('\n')).not.toContain('…');
    const column = (shown.find((line) => line.includes(' on: ')) ?? '').indexOf(' on: ') + 5;
    expect(column).toBeGreaterThan(4);
    const continuation = shown.find((line) => /^ {40,}\S/.test(line)) ?? '';
    expect(continuation.search(/\S/)).toBe(column);
  });
});
