import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type ScaffoldedPolicy, scaffoldedManifest } from '../../src/engine/index.js';
import { UserError } from '../../src/errors.js';
import { demoClusterYaml } from '../../src/io/demo/demo-cluster.js';
import { loadDemo } from '../../src/io/load-input.js';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import type { LoadedInput } from '../../src/io/normalize/loaded-input.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { policiesYaml } from '../../src/render/policy-yaml.js';
import { App, type AppProps } from '../../src/ui/components/App.js';
import type { SnapshotSource } from '../../src/ui/sources.js';
import { noon, startApp, untilVerdict } from '../helpers/app.js';
import { heldAnalyst } from '../helpers/held-analyst.js';
import {
  plain,
  press,
  renderSized,
  type SizedRender,
  sendAtOnce,
  tick,
  type,
  untilFrame,
} from '../helpers/ink.js';
import { BACKSPACE, ENTER, ESC, RIGHT, SHIFT_TAB, TAB } from '../helpers/keys.js';

const INGRESS_NGINX = 'ingress-nginx/ingress-nginx-controller-6f79748cff-k8z2w';
const STAGING_WEB = 'staging/web-frontend-7c8d9f6b5-kp4xz';

/** A cluster-like source over the demo: records creations; its watch is driven by the test. */
function clusterSource(fail?: (policy: ScaffoldedPolicy, dryRun: boolean) => string | undefined) {
  const created: { policy: ScaffoldedPolicy; dryRun: boolean }[] = [];
  const watch = { push: (_input: LoadedInput) => {} };
  const source: SnapshotSource = {
    initial: loadDemo(),
    name: 'context test',
    target: 'context test',
    reload: async () => loadDemo(),
    create: async (policy, dryRun) => {
      const error = fail?.(policy, dryRun);
      if (error) throw new UserError(error);
      created.push({ policy, dryRun });
    },
    watch: (listener) => {
      watch.push = listener.onSnapshot;
      return () => {};
    },
  };
  return { source, created, watch };
}

/** The demo with the policies added, as the watch would deliver it after they are created. */
function demoWith(policies: readonly ScaffoldedPolicy[]): LoadedInput {
  const parsed = parseManifestText(`${demoClusterYaml()}\n---\n${policiesYaml(policies)}`, 'demo');
  const { findings, ...normalized } = normalizeObjects(parsed.objects);
  return { ...normalized, findings, description: 'context test' };
}

/** The App at 120x40 on `source` (a fresh demo unless given), with the other props given. */
const start = ({ source, ...props }: Partial<AppProps> = {}) =>
  startApp({ source: source ?? loadDemoSource(), columns: 120, rows: 40, props });

function loadDemoSource(): SnapshotSource {
  return { initial: loadDemo(), name: 'demo cluster', reload: async () => loadDemo() };
}

const screen = (ui: SizedRender) => plain(ui.lastFrame());
const lines = (ui: SizedRender) => screen(ui).split('\n');
const title = (ui: SizedRender) => lines(ui)[1] ?? '';
const flash = (ui: SizedRender) => lines(ui).at(-2) ?? '';
const footer = (ui: SizedRender) => lines(ui).at(-1) ?? '';
const row = (ui: SizedRender, label: string) =>
  lines(ui).find((line) => line.slice(2).startsWith(label)) ?? '';

/** Runs the demo's denied check (the ingress controller cannot reach staging's web pods). */
async function deniedCheck(ui: SizedRender): Promise<void> {
  await press(ui, ':');
  await type(ui, 'po');
  await press(ui, ENTER, 'c', SHIFT_TAB); // the check opens on the destination: go to the source
  for (let i = 0; i < 80; i++) await press(ui, BACKSPACE);
  await type(ui, INGRESS_NGINX);
  await press(ui, TAB);
  await type(ui, STAGING_WEB);
  await press(ui, TAB);
  await type(ui, '8080');
  await press(ui, ENTER);
  await untilVerdict(ui);
  expect(screen(ui)).toContain(`DENIED  ${INGRESS_NGINX} -> ${STAGING_WEB}  TCP 8080`);
}

/** Clears the save prompt's proposed name and types another. */
async function typePath(ui: SizedRender, path: string): Promise<void> {
  for (let i = 0; i < 80; i++) await press(ui, BACKSPACE);
  await type(ui, path);
}

describe('the scaffold wizard from a failed traffic check', () => {
  it('pre-fills the fix, previews it, and saves it without ever overwriting silently', async () => {
    const ui = await start();
    await deniedCheck(ui);
    expect(footer(ui)).toContain('s scaffold');
    await press(ui, 's');
    expect(title(ui)).toBe('Scaffold a NetworkPolicy: fill in (→ completes)');
    expect(row(ui, 'namespace')).toContain(': staging  4 pods');
    expect(row(ui, 'protect pods')).toContain('selects 2 pods');
    expect(row(ui, 'from namespaces')).toContain('ingress-nginx  matches 1 namespace');
    expect(row(ui, 'from pods')).toContain('peer matches 2 pods');
    expect(row(ui, 'ports')).toContain('8080/TCP');
    expect(screen(ui)).toContain('✓ valid');

    await press(ui, ENTER);
    expect(title(ui)).toBe('Scaffold preview');
    // The analyst answers the preview: "computing…" until then.
    await untilFrame(ui, (frame) => frame.includes('Effect on the current snapshot'));
    // The verdict wraps at 80 columns, its second line indented.
    expect(lines(ui).slice(2, 4).join(' ').replace(/\s+/g, ' ')).toMatch(
      `ALLOWED with this policy: ${INGRESS_NGINX} -> staging/`,
    );
    expect(screen(ui)).toContain('opens 4 flows');
    expect(footer(ui)).toContain('w save');
    expect(footer(ui)).not.toContain('apply'); // the demo is not a cluster

    const dir = mkdtempSync(join(tmpdir(), 'netpol-wizard-'));
    const path = join(dir, 'fix.yaml');
    await press(ui, 'w');
    expect(footer(ui)).toMatch(/^save to: allow-.*\.yaml {2}\(type a name to replace it/);
    await typePath(ui, path);
    await press(ui, ENTER);
    await tick(50);
    expect(flash(ui)).toBe(`saved ${path}`);
    const saved = readFileSync(path, 'utf8');
    expect(saved).toContain('namespace: staging');
    expect(saved).toContain('kubernetes.io/metadata.name: ingress-nginx');

    // Saving again to the same file asks; n keeps the file as it was.
    writeFileSync(path, 'mine\n');
    await press(ui, 'w');
    await typePath(ui, path);
    await press(ui, ENTER);
    await tick(50);
    expect(footer(ui)).toBe(`${path} exists: overwrite it? [y/N]`);
    await press(ui, 'n');
    expect(flash(ui)).toBe('not saved');
    expect(readFileSync(path, 'utf8')).toBe('mine\n');
    // y replaces it.
    await press(ui, 'w');
    await typePath(ui, path);
    await press(ui, ENTER);
    await tick(50);
    await press(ui, 'y');
    await tick(50);
    expect(readFileSync(path, 'utf8')).toBe(saved);
  });

  it('applies after a server dry run and a y; the live update then allows the check', async () => {
    const { source, created, watch } = clusterSource();
    const ui = await start({ source });
    await deniedCheck(ui);
    await press(ui, 's', ENTER);
    expect(footer(ui)).toContain('a apply');
    await press(ui, 'a');
    await tick(50);
    expect(created.map((c) => c.dryRun)).toEqual([true]);
    const name = created[0]?.policy.name;
    // A long name gives way to the width, never the answer asked for.
    expect(footer(ui)).toMatch(
      /^apply networkpolicy staging\/allow-web-frontend-ingress-from-ingress-nginx.*\[y\/N\]$/,
    );
    await press(ui, 'y');
    await tick(50);
    expect(created.map((c) => c.dryRun)).toEqual([true, false]);
    expect(flash(ui)).toBe(`applied networkpolicy staging/${name}`);
    expect(title(ui)).toBe('Traffic check'); // the wizard closed

    watch.push(demoWith(created.map((c) => c.policy).slice(1)));
    await untilFrame(ui, (frame) => frame.includes(`ALLOWED  ${INGRESS_NGINX}`));
    expect(screen(ui)).toContain(`ALLOWED  ${INGRESS_NGINX} -> ${STAGING_WEB}  TCP 8080`);
  });

  it('counts the wait for what applying changes on the progress line until its y/N', async () => {
    const { source } = clusterSource();
    const { analyst, gate } = heldAnalyst('apply-preview');
    gate.holding = true;
    const ui = renderSized(<App source={source} color={false} clock={noon} analyst={analyst} />, {
      columns: 120,
      rows: 40,
    });
    onTestFinished(() => {
      ui.unmount();
      analyst.close();
    });
    await untilFrame(
      ui,
      (frame) => frame.includes('kubectl netpol') && !frame.includes('auditing…'),
    );
    await deniedCheck(ui);
    await press(ui, 's', ENTER, 'a');
    await untilFrame(ui, (frame) => frame.includes('computing what applying changes…'));
    expect(flash(ui)).toMatch(
      /^server dry run accepted; computing what applying changes… \d+\.\d s$/,
    );
    expect(footer(ui)).not.toContain('[y/N]');

    gate.release();
    await untilFrame(ui, (frame) => frame.includes('[y/N]'));
    expect(flash(ui)).toMatch(/^server dry run accepted: networkpolicy staging\/\S+$/);
    expect(screen(ui)).toContain('Applying to the cluster (server dry run accepted):');
  });

  it('shows what applying changes before its y/N: the object, its spec lines and the flows', async () => {
    const { source } = clusterSource();
    // The cluster already holds a policy of that name, selecting every pod: applying changes it.
    const existing = { spec: { podSelector: {}, policyTypes: ['Ingress'] } };
    const cluster: SnapshotSource = {
      ...source,
      current: async () => existing,
      create: async (policy) => scaffoldedManifest(policy),
    };
    const ui = await start({ source: cluster });
    await deniedCheck(ui);
    await press(ui, 's', ENTER, 'a');
    await untilFrame(ui, (frame) => frame.includes('[y/N]'));
    expect(footer(ui)).toMatch(
      /^apply networkpolicy staging\/\S+ \(changed\) in context .*\[y\/N\]$/,
    );
    const shown = screen(ui);
    expect(shown).toContain('Applying to the cluster (server dry run accepted):');
    expect(shown).toMatch(/1 object changed; flows: \d+ opened, 0 closed/);
    expect(shown).toMatch(/changed networkpolicy staging\/\S+/);
    expect(shown).toMatch(
      /opened +ingress-nginx\/ingress-nginx-controller-\S+ +staging\/web-frontend-/,
    );
    expect(shown).toContain('- podSelector: {}');
    expect(shown).toContain('+ podSelector:');
  });

  it('shows the server refusing the dry run, and creates nothing', async () => {
    const { source, created } = clusterSource(() => 'networkpolicies is forbidden: no create');
    const ui = await start({ source });
    await deniedCheck(ui);
    await press(ui, 's', ENTER, 'a');
    await tick(50);
    expect(flash(ui)).toBe('error: networkpolicies is forbidden: no create');
    expect(created).toEqual([]);
    expect(title(ui)).toBe('Scaffold preview');
  });

  it('n at the apply question creates nothing', async () => {
    const { source, created } = clusterSource();
    const ui = await start({ source });
    await deniedCheck(ui);
    await press(ui, 's', ENTER, 'a');
    await tick(50);
    await press(ui, ESC);
    expect(flash(ui)).toBe('not applied');
    expect(created.map((c) => c.dryRun)).toEqual([true]);
  });
});

describe('the scaffold wizard', () => {
  it('hides saving and applying in read-only mode', async () => {
    const { source } = clusterSource();
    const ui = await start({ source, readOnly: true });
    await deniedCheck(ui);
    await press(ui, 's', ENTER);
    expect(title(ui)).toBe('Scaffold preview (read-only: nothing can be written)');
    expect(footer(ui)).not.toMatch(/save|apply/);
    await press(ui, 'w', 'a');
    expect(footer(ui)).not.toMatch(/save to|\[y\/N\]/);
  });

  it('from a namespace: pick default-deny, cycle its choices, see the DNS warning go', async () => {
    const ui = await start();
    await press(ui, '/');
    await type(ui, 'legacy');
    await press(ui, ENTER, 'j', 's'); // past "(all namespaces)"

    expect(screen(ui)).toContain('Which policy?');
    await press(ui, ENTER);
    expect(row(ui, 'namespace')).toContain(': legacy█  3 pods');
    await press(ui, TAB, TAB, RIGHT); // keep DNS working: yes -> no
    expect(row(ui, 'keep DNS working')).toContain('yes [no]');
    await press(ui, ENTER);
    expect(screen(ui)).toMatch(/blocks DNS: 3 pods cannot resolve names/);
    await press(ui, ESC, RIGHT, ENTER); // back to the form, DNS on again
    expect(screen(ui)).not.toMatch(/blocks DNS/);
  });

  it('refuses to save onto anything but a regular file, or with no name, in one flash line', async () => {
    const ui = await start();
    await press(ui, '/');
    await type(ui, 'legacy');
    await press(ui, ENTER, 'j', 's', ENTER, ENTER); // default-deny for legacy, previewed
    expect(title(ui)).toBe('Scaffold preview');
    const dir = mkdtempSync(join(tmpdir(), 'netpol-wizard-'));
    const fifo = join(dir, 'deny.yaml');
    execFileSync('mkfifo', [fifo]);
    const refusals: [string, string][] = [
      [dir, `${dir} is a directory: only regular files are saved`],
      [fifo, `${fifo} is a FIFO: only regular files are saved`],
      ['', 'cannot save: the file name is empty'],
    ];
    for (const [path, error] of refusals) {
      await press(ui, 'w');
      await typePath(ui, path);
      await press(ui, ENTER);
      await tick(50);
      expect(flash(ui)).toBe(`error: ${error}`);
      expect(footer(ui)).not.toMatch(/overwrite|\[y\/N\]/);
    }
    expect(readdirSync(dir)).toEqual(['deny.yaml']);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('offers labels of the cluster and completes the first with the right arrow', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 's'); // on the first pod: allow ingress to it, focused on the peer pods
    await type(ui, 'app=fr');
    expect(screen(ui)).toMatch(/suggestions \(→ takes the first\): app=frontend/);
    await press(ui, RIGHT);
    expect(row(ui, 'from pods')).toMatch(/: app=frontend█/);
  });

  it('shows the whole of a long error, wrapped, not cut', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 's', TAB, TAB);
    await type(ui, 'not a cidr');
    const text = screen(ui).replaceAll(/\s+/g, ' ');
    expect(text).toContain('must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)');
  });

  it('says what is wrong, naming the field, and will not preview it', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 's', TAB, TAB); // from the peer pods to the CIDR
    expect(row(ui, 'from CIDR')).toMatch(/^› /);
    await type(ui, '10.0.0.1/8');
    expect(screen(ui)).toContain(
      '✗ spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.1/8": must not have bits set',
    );
    await press(ui, ENTER);
    expect(title(ui)).toBe('Scaffold a NetworkPolicy: fill in (→ completes)');
    expect(flash(ui)).toMatch(/^error: spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr/);
    expect(existsSync('fix.yaml')).toBe(false);
  });
});

describe('keys that arrive in one read, in the wizard', () => {
  it('a pasted path and enter in one read save to that path', async () => {
    const ui = await start();
    await deniedCheck(ui);
    await press(ui, 's', ENTER, 'w');
    for (let i = 0; i < 80; i++) await press(ui, BACKSPACE);
    const path = join(mkdtempSync(join(tmpdir(), 'netpol-wizard-')), 'pasted.yaml');
    await sendAtOnce(ui, `${path}\r`);
    await tick(50);
    expect(flash(ui)).toBe(`saved ${path}`);
    expect(existsSync(path)).toBe(true);
  });
});
