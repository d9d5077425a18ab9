// Colour must be forced before ink (and its colour library) loads, or the NO_COLOR tests below
// would pass vacuously: a test worker's stdout is not a terminal.
import '../helpers/force-color.js';

import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { demoClusterYaml } from '../../src/io/demo/demo-cluster.js';
import { loadDemo } from '../../src/io/load-input.js';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import type { LoadedInput } from '../../src/io/normalize/loaded-input.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { App, type AppProps } from '../../src/ui/components/App.js';
import { KEYMAP } from '../../src/ui/keymap.js';
import type { SnapshotSource } from '../../src/ui/sources.js';
import { startApp, untilVerdict } from '../helpers/app.js';
import { restoreColorEnv } from '../helpers/force-color.js';
import {
  ANSI,
  PINNED_SIZE_ENV,
  plain,
  press,
  renderSized,
  type SizedRender,
  sendAtOnce,
  tick,
  type,
  untilFrame,
} from '../helpers/ink.js';
import {
  BACKSPACE,
  bracketedPaste,
  CTRL_C,
  CTRL_Z,
  DOWN,
  ENTER,
  ESC,
  PAGE_DOWN,
  PAGE_UP,
  SHIFT_TAB,
  TAB,
  UP,
} from '../helpers/keys.js';

restoreColorEnv();

// ---------------------------------------------------------------------------------------------
// Fixtures

/** A fixed clock: one stable function, so the App's effects do not re-run on every render. */
const noon = () => new Date(2024, 0, 1, 12, 0, 0);

function demoSource(overrides: Partial<SnapshotSource> = {}): SnapshotSource {
  return {
    initial: loadDemo(),
    name: 'demo cluster',
    reload: async () => loadDemo(),
    ...overrides,
  };
}

/** The demo cluster with more YAML documents appended, loaded as loadDemo loads it. */
function demoWith(extraYaml: string): LoadedInput {
  const parsed = parseManifestText(`${demoClusterYaml()}\n---\n${extraYaml}`, 'demo');
  const { findings, ...normalized } = normalizeObjects(parsed.objects);
  return {
    ...normalized,
    findings: [...parsed.findings, ...findings],
    description: 'demo cluster',
  };
}

const LEGACY_DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: legacy
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

/** A source whose watch hands its listener's callbacks to the test, and counts subscriptions. */
function watchedSource() {
  const watch = {
    subscribed: 0,
    unsubscribed: 0,
    push: (_input: LoadedInput) => {},
    fail: (_message: string, _watch = 'pods') => {},
    recover: (_watch = 'pods') => {},
  };
  const source = demoSource({
    watch: (listener) => {
      watch.subscribed++;
      watch.push = listener.onSnapshot;
      watch.fail = (message, name = 'pods') => listener.onWatchError(message, name);
      watch.recover = (name = 'pods') => listener.onWatchRecovered?.(name);
      return () => {
        watch.unsubscribed++;
      };
    },
  });
  return { source, watch };
}

const FRONTEND = 'production/frontend-84c5d9b7f6-hx2lq';
const API_PODS = ['production/api-7d9f8b6c5-x2k4p', 'production/api-7d9f8b6c5-b9tlm'];

// ---------------------------------------------------------------------------------------------
// Rendering and reading the screen

/** Renders the App on the demo (or `source`) at a fixed size (100x30 unless told), drawn. */
function start(
  { source, ...props }: Partial<AppProps> = {},
  { columns, rows } = { columns: 100, rows: 30 },
): Promise<SizedRender> {
  return startApp({ source: source ?? demoSource(), columns, rows, props });
}

const screen = (ui: { lastFrame(): string | undefined }) => plain(ui.lastFrame());
const lines = (ui: { lastFrame(): string | undefined }) => screen(ui).split('\n');
/** The header's first line, the title line, the flash line and the footer. */
const header = (ui: SizedRender) => lines(ui)[0] ?? '';
const title = (ui: SizedRender) => lines(ui)[1] ?? '';
const flash = (ui: SizedRender) => lines(ui).at(-2) ?? '';
const footer = (ui: SizedRender) => lines(ui).at(-1) ?? '';
/** The row the cursor is on, without the marker. */
function marked(ui: SizedRender): string {
  const rows = lines(ui).filter((line) => line.startsWith('▶ '));
  expect(rows, screen(ui)).toHaveLength(1);
  return (rows[0] as string).slice(2);
}
/**
 * The pod (namespace/name) a row of the pods list names; a list narrowed to a namespace has no
 * NAMESPACE column: the header's "ns:" names it.
 */
function podOfRow(ui: SizedRender, row: string | undefined): string {
  const [first, second] = (row ?? '').trim().split(/\s+/);
  if (/^ {2}NAMESPACE /.test(lines(ui)[2] ?? '')) return `${first}/${second}`;
  return `${/ns: (\S+)/.exec(header(ui))?.[1]}/${first}`;
}
/** The pod (namespace/name) of the marked row of the pods list. */
const markedPod = (ui: SizedRender) => podOfRow(ui, marked(ui));
/** The data rows of the list on screen (after the column header, up to the blank padding). */
function listRows(ui: SizedRender): string[] {
  const all = lines(ui);
  const rows: string[] = [];
  for (const line of all.slice(3, -2)) {
    if (line.trim() === '') break;
    rows.push(line.slice(2));
  }
  return rows;
}

/** Opens a namespace from the namespaces list by moving to it, as a user would. */
async function openNamespace(ui: SizedRender, name: string) {
  for (let i = 0; i < 12 && !marked(ui).startsWith(name); i++) await press(ui, 'j');
  expect(marked(ui).startsWith(`${name} `)).toBe(true);
  await press(ui, ENTER);
}

/** Moves the pods-list cursor to a pod. */
async function selectPod(ui: SizedRender, id: string) {
  for (let i = 0; i < 40 && markedPod(ui) !== id; i++) await press(ui, 'j');
  expect(markedPod(ui)).toBe(id);
}

// ---------------------------------------------------------------------------------------------

describe('namespaces list', () => {
  it('opens on the namespaces with counts, default-deny, a fixed clock and the keys', async () => {
    const ui = await start();
    expect(header(ui)).toBe(
      'kubectl netpol  12:00:00  demo cluster  ns: all  9 ns, 32 pods, 20 netpol · 1 calico',
    );
    expect(title(ui)).toBe('Namespaces (9)');
    // The analyst fills in the isolation columns and the findings.
    await untilFrame(ui, (frame) => frame.includes('1 warn'));
    expect(marked(ui)).toMatch(/^\(all namespaces\)/);
    const rows = listRows(ui);
    expect(rows).toHaveLength(10);
    expect(rows.find((row) => row.startsWith('production '))).toMatch(
      /^production\s+6\s+9\s+ingress\+egress\s+in 6\/6 {2}eg 6\/6$/,
    );
    // No policy isolates legacy, but a Baseline deny-all closes its ingress: no warning.
    expect(rows.find((row) => row.startsWith('legacy '))).toMatch(
      /^legacy\s+3\s+0\s+none\s+in 0\/3 {2}eg 0\/3$/,
    );
    expect(footer(ui)).toContain('enter open');
    expect(footer(ui)).toContain('/ filter');
  });

  it('j, k and the arrows move the ▶ marker, which stops at both ends', async () => {
    const ui = await start();
    await press(ui, 'j');
    expect(marked(ui)).toMatch(/^ingress-nginx /);
    await press(ui, DOWN);
    expect(marked(ui)).toMatch(/^kube-system /);
    await press(ui, 'k');
    expect(marked(ui)).toMatch(/^ingress-nginx /);
    await press(ui, UP, UP, 'k');
    expect(marked(ui)).toMatch(/^\(all namespaces\)/);
    for (let i = 0; i < 12; i++) await press(ui, 'j');
    expect(marked(ui)).toMatch(/^tenant-c /);
  });

  it('enter opens the pods of the namespace; esc comes back', async () => {
    const ui = await start();
    await openNamespace(ui, 'production');
    expect(title(ui)).toBe('Pods in production (6)');
    expect(header(ui)).toContain('ns: production');
    const rows = listRows(ui);
    expect(rows).toHaveLength(6);
    // Narrowed to a namespace, as kubectl with -n: no NAMESPACE column, the labels have room.
    expect(lines(ui)[2]).toMatch(/^ {2}POD +IP +INGRESS +EGRESS +POL +! +LABELS$/);
    expect(markedPod(ui)).toBe(FRONTEND);
    await press(ui, ESC);
    expect(title(ui)).toBe('Namespaces (9)');
    expect(marked(ui)).toMatch(/^production /);
  });

  it('enter on "(all namespaces)" lists every pod', async () => {
    const ui = await start();
    await press(ui, ENTER);
    expect(title(ui)).toBe('Pods (32)');
    expect(header(ui)).toContain('ns: all');
  });
});

describe('pods list', () => {
  it('starts on the pods list filtered by -l, a label selector in kubectl syntax', async () => {
    // Wide enough for the labels: the INGRESS and EGRESS columns fit `restricted`.
    const ui = await start({ podFilter: 'app in (api,postgres)' }, { columns: 120, rows: 30 });
    await untilFrame(ui, (frame) => frame.includes('app=postgres'));
    const rows = listRows(ui);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => /app=(api|postgres)\b/.test(row))).toBe(true);
    expect(rows.some((row) => row.startsWith('production ') && row.includes('postgres-0'))).toBe(
      true,
    );
    expect(header(ui)).toContain('ns: all');
  });

  it('starts on an empty pods list, no error, when -l selects no pod (kubectl: none found)', async () => {
    const ui = await start({ podFilter: 'app=nothing' });
    await untilFrame(ui, (frame) => frame.includes('no pods match'));
    expect(title(ui)).toBe('Pods (0)  filter: app=nothing');
    expect(screen(ui)).not.toMatch(/error/i);
  });

  it('shows isolation badges, policy counts and labels per pod', async () => {
    const ui = await start({ namespace: 'staging' }, { columns: 120, rows: 30 });
    expect(title(ui)).toBe('Pods in staging (4)');
    const api = listRows(ui).find((row) => row.includes('api-6d5c8b7f9-fz2rq')) ?? '';
    expect(api).toMatch(/10\.244\.1\.72\s+isolated\s+open\s+3\s+app=api,tier=/);
  });

  it('moves with j/k and the arrows; PgDn and PgUp move by a page', async () => {
    const ui = await start();
    await press(ui, ENTER); // all 32 pods; 26 body lines leave 25 rows, a page is 24
    const first = markedPod(ui);
    await press(ui, 'j', DOWN);
    expect(markedPod(ui)).toBe('kube-system/coredns-5d78c9869d-4xq7m');
    await press(ui, 'k', UP);
    expect(markedPod(ui)).toBe(first);
    await press(ui, PAGE_DOWN);
    const paged = markedPod(ui);
    expect(paged).toBe('tenant-a/shared-api-5f6b7c8d9-p4vzn'); // row 25 of 32
    await press(ui, PAGE_DOWN); // space marks the pod on this list, so only PgDn pages
    expect(markedPod(ui)).toBe('tenant-c/web-8d6b7f5c4-hl4zx'); // the last pod
    await press(ui, PAGE_UP, PAGE_UP);
    expect(markedPod(ui)).toBe(first);
  });

  it('keeps the marked row on screen when the list is longer than the terminal', async () => {
    const ui = await start({}, { columns: 100, rows: 12 }); // 8 body lines: 7 rows
    await press(ui, ENTER);
    for (let i = 0; i < 31; i++) await press(ui, 'j');
    expect(markedPod(ui)).toBe('tenant-c/web-8d6b7f5c4-hl4zx');
    expect(listRows(ui)).toHaveLength(7);
    expect(lines(ui)).toHaveLength(12);
  });
});

describe('filter', () => {
  it('"/" narrows the list live as you type, enter keeps the filter', async () => {
    const ui = await start();
    await press(ui, '/');
    expect(footer(ui)).toBe('/█  (enter: keep, esc: clear)');
    await type(ui, 'tenant');
    expect(footer(ui)).toBe('/tenant█  (enter: keep, esc: clear)');
    expect(title(ui)).toBe('Namespaces (3)  filter: tenant');
    expect(listRows(ui).map((row) => row.split(' ')[0])).toEqual([
      '(all',
      'tenant-a',
      'tenant-b',
      'tenant-c',
    ]);
    await press(ui, ENTER);
    expect(footer(ui)).toContain('q quit');
    expect(title(ui)).toBe('Namespaces (3)  filter: tenant');
    await press(ui, 'j', 'j');
    expect(marked(ui)).toMatch(/^tenant-b /);
  });

  it('filters pods by label=value exactly', async () => {
    const ui = await start();
    await press(ui, ENTER, '/');
    await type(ui, 'app=api');
    await press(ui, ENTER);
    expect(title(ui)).toBe('Pods (4)  filter: app=api');
    expect(listRows(ui).map((row) => podOfRow(ui, row))).toEqual([
      ...API_PODS,
      'staging/api-6d5c8b7f9-fz2rq',
      'staging/api-6d5c8b7f9-lm9vk',
    ]);
    await press(ui, '/');
    await press(ui, BACKSPACE);
    expect(title(ui)).toBe('Pods (0)  filter: app=ap');
    expect(screen(ui)).toContain('no pods match');
  });

  it('typing puts the cursor back on the first match', async () => {
    const ui = await start();
    await press(ui, ENTER, 'j', 'j', 'j', '/');
    await type(ui, 'prod');
    expect(markedPod(ui)).toBe(FRONTEND);
  });

  it('esc while typing clears the filter', async () => {
    const ui = await start();
    await press(ui, ENTER, '/');
    await type(ui, 'legacy');
    expect(title(ui)).toBe('Pods (3)  filter: legacy');
    await press(ui, ESC);
    expect(title(ui)).toBe('Pods (32)');
    expect(footer(ui)).toContain('q quit');
  });

  it('esc on a list with a kept filter clears the filter, and a second esc goes back', async () => {
    const ui = await start();
    await press(ui, ENTER, '/');
    await type(ui, 'app=api');
    await press(ui, ENTER);
    expect(title(ui)).toBe('Pods (4)  filter: app=api');
    await press(ui, ESC);
    expect(title(ui)).toBe('Pods (32)');
    await press(ui, ESC);
    expect(title(ui)).toBe('Namespaces (9)');
  });

  it('letters are text while filtering: "q" does not quit, "j" does not move', async () => {
    const ui = await start();
    await press(ui, '/', 'q', 'j');
    expect(footer(ui)).toBe('/qj█  (enter: keep, esc: clear)');
    expect(title(ui)).toBe('Namespaces (0)  filter: qj');
  });
});

describe('keys that arrive in one read', () => {
  const field = (ui: SizedRender, name: string) =>
    lines(ui).find((line) => line.slice(2).startsWith(name)) ?? '';

  it('each key of "jjj" moves a row, and "jjjk" moves three down and one up', async () => {
    const ui = await start();
    await sendAtOnce(ui, 'jjj');
    expect(marked(ui)).toMatch(/^legacy /);
    await sendAtOnce(ui, 'jjjk');
    expect(marked(ui)).toMatch(/^production /);
  });

  it('arrows and enter in one read (typed fast, or tmux send-keys) open the row the arrows reached', async () => {
    const ui = await start({ namespace: 'production' });
    const third = podOfRow(ui, listRows(ui)[2]);
    await sendAtOnce(ui, `${DOWN}${DOWN}${ENTER}`);
    expect(title(ui)).toBe(`Pod ${third}`);
  });

  it('esc pressed twice fast goes back two screens', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, ENTER);
    const pod = title(ui);
    await press(ui, 'y');
    await press(ui, ESC);
    expect(title(ui)).toBe(pod);
    await press(ui, 'y');
    await sendAtOnce(ui, `${ESC}${ESC}`);
    expect(title(ui)).toMatch(/^Pods in production/);
  });

  it('esc and a key in one read (typed fast over ssh) go back, then act on the screen below', async () => {
    const ui = await start({ namespace: 'production' });
    const second = podOfRow(ui, listRows(ui)[1]);
    await press(ui, ENTER);
    await sendAtOnce(ui, `${ESC}j`);
    expect(title(ui)).toMatch(/^Pods in production/);
    expect(markedPod(ui)).toBe(second);
  });

  it('a held key repeating over ssh moves as far as it repeated', async () => {
    const ui = await start({ namespace: 'production' });
    await sendAtOnce(ui, 'j'.repeat(5));
    expect(markedPod(ui)).toBe(podOfRow(ui, listRows(ui)[5]));
  });

  it('"/web" and enter in one read filter the list and keep the filter', async () => {
    const ui = await start();
    await press(ui, ENTER);
    await sendAtOnce(ui, '/web\r');
    expect(title(ui)).toBe('Pods (3)  filter: web');
    expect(footer(ui)).toContain('q quit');
    await sendAtOnce(ui, 'jj\r');
    expect(title(ui)).toBe('Pod tenant-c/web-8d6b7f5c4-hl4zx');
  });

  it('a pod name typed or pasted into the check form in one read goes in whole', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 'c');
    await sendAtOnce(ui, API_PODS[0] as string);
    expect(field(ui, 'destination')).toBe(
      `› destination (ns/name, deploy/NAME, svc/NAME[.NS], IP): ${API_PODS[0]}█`,
    );
    // Tab and enter inside the read still move to the port and run the check.
    await sendAtOnce(ui, '\t8080\r');
    await untilFrame(ui, (frame) => frame.includes('ALLOWED'));
    expect(lines(ui)[6], screen(ui)).toBe('ALLOWED');
  });

  it('ctrl-c inside a read still quits', async () => {
    const ui = await start();
    await sendAtOnce(ui, `j${CTRL_C}j`);
    const exited = await Promise.race([
      ui.waitUntilExit().then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 500)),
    ]);
    expect(exited).toBe(true);
  });

  it('a bracketed paste on a list becomes its filter, never keys: its "q" does not quit', async () => {
    const ui = await start();
    await press(ui, ENTER);
    await sendAtOnce(ui, bracketedPaste('legacy/ q\n'));
    expect(title(ui)).toBe('Pods (0)  filter: legacy/ q');
    expect(footer(ui)).toBe('/legacy/ q█  (enter: keep, esc: clear)');
    await press(ui, BACKSPACE, BACKSPACE, ENTER);
    expect(title(ui)).toBe('Pods (3)  filter: legacy/');
  });

  it('a bracketed paste goes into the focused form field on one line, without running the check', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 'c');
    await sendAtOnce(ui, bracketedPaste(`  ${API_PODS[0]}\r\n`));
    expect(field(ui, 'destination')).toBe(
      `› destination (ns/name, deploy/NAME, svc/NAME[.NS], IP): ${API_PODS[0]}█`,
    );
    expect(screen(ui)).toContain('fill in the fields and press enter');
  });
});

describe('switching namespace with "n"', () => {
  it('picks a namespace from the pods list and comes back to the pods', async () => {
    const ui = await start({ namespace: 'production' });
    expect(title(ui)).toBe('Pods in production (6)');
    await press(ui, 'n');
    expect(title(ui)).toBe('Namespaces (9): pick one');
    await openNamespace(ui, 'staging');
    expect(title(ui)).toBe('Pods in staging (4)');
    expect(header(ui)).toContain('ns: staging');
    // The pick did not stack a second pods screen: esc leaves the only one, for the namespaces.
    await press(ui, ESC);
    expect(title(ui)).toBe('Namespaces (9)');
  });

  it('picks a namespace from the policies list and comes back to the policies', async () => {
    const ui = await start();
    await press(ui, ':');
    await type(ui, 'netpol');
    await press(ui, ENTER, 'n');
    await openNamespace(ui, 'tenant-a');
    expect(title(ui)).toBe('NetworkPolicies in tenant-a (3)');
  });

  it('esc while picking returns without changing the namespace', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 'n', 'j', 'j', ESC);
    expect(title(ui)).toBe('Pods in production (6)');
  });
});

describe('":" commands', () => {
  async function command(ui: SizedRender, text: string) {
    await press(ui, ':');
    await type(ui, text);
    expect(footer(ui)).toBe(
      `:${text}█  (tab completes; :ns :po [NS] :netpol [NS] :svc [NS] :cnp :audit :matrix [NS] :ctx)`,
    );
    await press(ui, ENTER);
  }

  it(':po, :netpol and :ns jump between the lists', async () => {
    const ui = await start();
    await command(ui, 'po');
    expect(title(ui)).toBe('Pods (32)');
    await command(ui, 'netpol');
    expect(title(ui)).toBe('NetworkPolicies (20)');
    expect(listRows(ui)[0]).toMatch(
      /^production\s+default-deny-all\s+Ingress,Egress\s+6\s+deny all ingress/,
    );
    await command(ui, 'ns');
    expect(title(ui)).toBe('Namespaces (9)');
    // A jump replaces the stack: nothing to go back to.
    await press(ui, ESC);
    expect(title(ui)).toBe('Namespaces (9)');
  });

  it("esc on a jump's screen goes back to the namespaces list, where esc is not offered", async () => {
    const ui = await start();
    expect(footer(ui)).not.toContain('esc back');
    await command(ui, 'cnp');
    expect(title(ui)).toMatch(/^Cluster network policies \(2\)/);
    expect(footer(ui)).toMatch(/^esc back /);
    await press(ui, ESC);
    expect(title(ui)).toBe('Namespaces (9)');
    expect(footer(ui)).not.toContain('esc back');
  });

  it('esc on the pods of -n NS goes to the namespaces list', async () => {
    const ui = await start({ namespace: 'production' });
    expect(title(ui)).toBe('Pods in production (6)');
    await press(ui, ESC);
    expect(title(ui)).toBe('Namespaces (9)');
  });

  it(':ctx names the source, and explains that switching context needs a restart', async () => {
    const ui = await start();
    await command(ui, 'ctx');
    expect(flash(ui)).toBe('source: demo cluster');
    await command(ui, 'ctx kind-other');
    expect(flash(ui)).toBe(
      'switching context inside the UI is not supported yet: run kubectl netpol --context kind-other',
    );
    expect(title(ui)).toBe('Namespaces (9)');
  });

  it('an unknown command is an error in the flash line, and the UI carries on', async () => {
    const ui = await start();
    await command(ui, 'deploy');
    expect(flash(ui)).toBe('error: unknown command :deploy');
    expect(title(ui)).toBe('Namespaces (9)');
    await press(ui, 'j');
    expect(marked(ui)).toMatch(/^ingress-nginx /);
  });

  it('esc abandons a command', async () => {
    const ui = await start();
    await press(ui, ':', 'p', 'o', ESC);
    expect(title(ui)).toBe('Namespaces (9)');
    expect(footer(ui)).toContain('q quit');
  });
});

describe('pod detail and YAML', () => {
  it('enter on a pod shows its isolation per direction and the pods on each side', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, ENTER);
    expect(title(ui)).toBe(`Pod ${FRONTEND}`);
    const text = screen(ui);
    expect(text).toContain('IP: 10.244.1.12');
    expect(text).toContain(
      'Ingress: isolated by production/default-deny-all, production/allow-ingress-controller-to-frontend',
    );
    // calico-node-m4z9d shares its node: UNKNOWN whether Calico exempts node-local traffic.
    expect(text).toContain("pods that can reach it (both sides' policies applied): 3");
    expect(text).toContain('ingress-nginx/ingress-nginx-controller-6f79748cff-k8z2w  TCP 8080');
    expect(text).toMatch(/Egress: isolated by production\/default-deny-all/);
    expect(text).toContain("pods it can reach (both sides' policies applied): 5");
    // The node-local lines push the api pods below the fold; the first reached pods show.
    expect(text).toContain('kube-system/coredns-5d78c9869d-4xq7m  TCP 53; UDP 53');
    expect(text).toContain(
      'node-local traffic from the host of its node (nodeName demo-worker) is always allowed',
    );
    expect(footer(ui)).toContain('c check');
  });

  it('a pod without policies reads as not isolated, restricted where a tier denies some', async () => {
    const ui = await start({ namespace: 'legacy' });
    await selectPod(ui, 'legacy/busybox');
    await press(ui, ENTER);
    expect(screen(ui)).toContain(
      'Egress: not isolated: no NetworkPolicy selects this pod for egress, so all egress is allowed',
    );
    // The demo's Baseline tier denies legacy's ingress where no NetworkPolicy decides it.
    expect(screen(ui)).toContain('Ingress: restricted by Baseline tier (cnp/legacy-default-deny),');
  });

  it("a pod's detail lists the cluster policy rules governing it, by tier", async () => {
    const lockdown = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: legacy-lockdown}
spec:
  tier: Admin
  priority: 5
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: legacy}}}
  ingress: [{name: no-one, action: Deny, from: [{namespaces: {}}]}]
`;
    const source = demoSource({
      initial: demoWith(lockdown),
      reload: async () => demoWith(lockdown),
    });
    const ui = await start({ namespace: 'legacy', source }, { columns: 160, rows: 30 });
    await selectPod(ui, 'legacy/busybox');
    await press(ui, ENTER);
    const text = screen(ui);
    // The Admin deny takes every pod the Baseline one would: that one denies nothing more.
    expect(text).toContain(
      'Ingress: restricted by Admin tier (cnp/legacy-lockdown), not isolated:',
    );
    expect(text).toContain('Admin tier (before NetworkPolicies):');
    expect(text).toContain(
      'Deny all pods in all namespaces on all ports  (cnp/legacy-lockdown priority 5 ingress rule 1 (no-one))',
    );
    // Host-network pods are no namespace peer: the calico-node pods still reach it.
    expect(text).toContain("pods that can reach it (both sides' policies applied): 3");
    expect(text).toContain('kube-system/calico-node-7xk2p  all ports');
  });

  it('j and k scroll the detail', async () => {
    const ui = await start({ namespace: 'legacy' }, { columns: 100, rows: 16 });
    await press(ui, ENTER);
    // The audit runs 100 ms after the first frame; its findings then head the detail.
    await tick(150);
    const top = lines(ui)[2];
    await press(ui, 'j', 'j');
    expect(lines(ui)[2]).not.toBe(top);
    await press(ui, 'k', 'k');
    expect(lines(ui)[2]).toBe(top);
  });

  it('after trying to scroll past the end, one "k" scrolls back up', async () => {
    const ui = await start({ namespace: 'legacy' }, { columns: 100, rows: 16 });
    await press(ui, ENTER);
    let previous = '';
    for (let i = 0; i < 60 && screen(ui) !== previous; i++) {
      previous = screen(ui);
      await sendAtOnce(ui, 'j');
    }
    const bottom = screen(ui);
    await sendAtOnce(ui, 'jjj'); // at the end already: nothing moves
    expect(screen(ui)).toBe(bottom);
    await press(ui, 'k');
    await untilFrame(ui, (frame) => plain(frame) !== bottom);
    expect(screen(ui)).not.toBe(bottom);
  });

  it('"y" on the detail shows the pod YAML; esc goes back to the detail, then the list', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, ENTER, 'y');
    expect(title(ui)).toBe(`YAML: Pod ${FRONTEND}`);
    expect(screen(ui)).toContain('kind: Pod');
    expect(screen(ui)).toContain('  name: frontend-84c5d9b7f6-hx2lq');
    expect(screen(ui)).toContain('containerPort: 8080');
    await press(ui, ESC);
    expect(title(ui)).toBe(`Pod ${FRONTEND}`);
    await press(ui, ESC);
    expect(title(ui)).toBe('Pods in production (6)');
  });

  it('"y" on the pods list shows the YAML of the marked pod', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 'j', 'j', 'y');
    expect(title(ui)).toBe(`YAML: Pod ${API_PODS[0]}`);
    expect(screen(ui)).toContain('  name: api-7d9f8b6c5-x2k4p');
  });

  it('enter on a policy shows what it selects and the flows it alone allows; "y" its YAML', async () => {
    const ui = await start({ namespace: 'tenant-a' });
    await press(ui, ':');
    await type(ui, 'np');
    await press(ui, ENTER);
    expect(title(ui)).toBe('NetworkPolicies in tenant-a (3)');
    await press(ui, 'j', ENTER);
    expect(title(ui)).toBe('NetworkPolicy tenant-a/allow-same-namespace');
    await untilFrame(ui, (frame) => frame.includes('alone allows 6 flows'));
    expect(screen(ui)).toContain('selects 3 pods: tenant-a/shared-api-5f6b7c8d9-p4vzn');
    expect(screen(ui)).toContain('all pods in namespace tenant-a: 3 pods');
    await press(ui, 'y');
    expect(title(ui)).toBe('YAML: NetworkPolicy tenant-a/allow-same-namespace');
    expect(screen(ui)).toContain('kind: NetworkPolicy');
    await press(ui, ESC, ESC, 'k', 'y');
    expect(title(ui)).toBe('YAML: NetworkPolicy tenant-a/default-deny-ingress');
    expect(screen(ui)).toContain('  name: default-deny-ingress');
  });
});

describe('traffic check', () => {
  /** Opens the check from the marked pod with "c", then fills destination and port, and runs it. */
  async function check(ui: SizedRender, destination: string, port: string) {
    await press(ui, 'c');
    expect(title(ui)).toBe('Traffic check');
    await type(ui, destination);
    await press(ui, TAB);
    await type(ui, port);
    await press(ui, ENTER);
    await untilVerdict(ui);
  }
  const field = (ui: SizedRender, name: string) =>
    lines(ui).find((line) => line.slice(2).startsWith(name)) ?? '';

  it('"c" on a pod opens the check with the source filled in and the destination focused', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 'c');
    expect(title(ui)).toBe('Traffic check');
    expect(field(ui, 'source')).toBe(
      `  source      (ns/name, deploy/NAME, svc/NAME[.NS], IP): ${FRONTEND}`,
    );
    expect(field(ui, 'destination')).toBe(
      '› destination (ns/name, deploy/NAME, svc/NAME[.NS], IP): █',
    );
    expect(field(ui, 'protocol')).toBe('  protocol: TCP');
    expect(screen(ui)).toContain('fill in the fields and press enter');
    expect(footer(ui)).toBe('esc back  ctrl-c quit  tab next field  S-tab previous  enter check');
  });

  it('frontend -> svc/api on 8080 in production is ALLOWED, for each backing pod', async () => {
    const ui = await start();
    await openNamespace(ui, 'production');
    await check(ui, 'svc/api', '8080');
    const text = lines(ui);
    expect(text[6]).toBe('ALLOWED');
    for (const pod of API_PODS) expect(text).toContain(`ALLOWED  ${FRONTEND} -> ${pod}  TCP 8080`);
    expect(screen(ui)).toContain('(service port 8080 -> targetPort http)');
    expect(screen(ui)).not.toContain('DENIED');
  });

  it('legacy/busybox -> a production frontend pod on 8080 is DENIED, with how to allow it', async () => {
    const ui = await start({}, { columns: 160, rows: 30 }); // wide enough for the whole remedy
    await openNamespace(ui, 'legacy');
    await selectPod(ui, 'legacy/busybox');
    await press(ui, ENTER); // "c" works from the detail too
    await check(ui, FRONTEND, '8080');
    const text = screen(ui);
    expect(lines(ui)[6]).toBe('DENIED');
    expect(text).toContain(`DENIED  legacy/busybox -> ${FRONTEND}  TCP 8080`);
    expect(text).toContain('egress of legacy/busybox: not isolated');
    expect(text).toMatch(new RegExp(`ingress of ${FRONTEND}: DENIED`));
    expect(text).toContain(
      `to allow it: give ${FRONTEND} an ingress rule from legacy/busybox on TCP 8080`,
    );
    await press(ui, ESC);
    expect(title(ui)).toBe('Pod legacy/busybox');
  });

  it('tab reaches the protocol picker; choosing UDP re-runs the check over UDP', async () => {
    const ui = await start({ namespace: 'production' });
    await check(ui, 'svc/api', '8080');
    await press(ui, SHIFT_TAB); // from the verdict
    expect(field(ui, 'protocol')).toBe('› protocol: › TCP');
    expect(screen(ui)).toMatch(/^ +UDP$/m);
    expect(screen(ui)).toMatch(/^ +SCTP$/m);
    await press(ui, DOWN);
    expect(field(ui, 'protocol')).toBe('› protocol:   TCP');
    expect(screen(ui)).toMatch(/^ +› UDP$/m);
    await press(ui, TAB);
    expect(field(ui, 'protocol')).toBe('  protocol: UDP');
    expect(field(ui, 'source')).toMatch(/^› source /);
    await press(ui, ENTER);
    expect(screen(ui)).toContain('error: svc/api: service has no UDP port 8080');
  });

  it('shift+tab and the arrows move between fields; each field keeps what was typed', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 'c');
    await type(ui, 'svc/ap');
    await press(ui, DOWN); // to port
    await type(ui, '80');
    await press(ui, SHIFT_TAB); // back to destination
    await type(ui, 'i');
    await press(ui, UP, BACKSPACE); // to source, erase its last character
    expect(field(ui, 'source')).toBe(
      `› source      (ns/name, deploy/NAME, svc/NAME[.NS], IP): ${FRONTEND.slice(0, -1)}█`,
    );
    expect(field(ui, 'destination')).toBe(
      '  destination (ns/name, deploy/NAME, svc/NAME[.NS], IP): svc/api',
    );
    expect(field(ui, 'port')).toBe('  port        (number or name): 80');
  });

  it('letters are text on the form: "q", "?", "j" and "y" type instead of acting', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 'c');
    await type(ui, 'q?jy');
    expect(title(ui)).toBe('Traffic check');
    expect(field(ui, 'destination')).toBe(
      '› destination (ns/name, deploy/NAME, svc/NAME[.NS], IP): q?jy█',
    );
  });

  it('an incomplete form or an unknown target is a message, not a crash', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 'c', ENTER);
    expect(screen(ui)).toContain('source, destination and port are all needed');
    await type(ui, 'svc/nope');
    await press(ui, TAB);
    await type(ui, '80');
    await press(ui, ENTER);
    expect(screen(ui)).toContain('error: svc/nope: no service production/nope in the input');
    await press(ui, BACKSPACE, BACKSPACE);
    await type(ui, '99999');
    await press(ui, ENTER);
    expect(screen(ui)).toContain('must be between 1 and 65535');
  });

  it('shows the result from its top whatever the previous screen was scrolled to', async () => {
    const size = { columns: 100, rows: 16 };
    const fresh = await start({ namespace: 'production' }, size);
    await press(fresh, ENTER);
    await check(fresh, 'svc/api', '8080');
    expect(lines(fresh)).toContain(`ALLOWED  ${FRONTEND} -> ${API_PODS[0]}  TCP 8080`);

    const scrolled = await start({ namespace: 'production' }, size);
    await press(scrolled, ENTER, 'j', 'j', 'j', 'j', 'j');
    await check(scrolled, 'svc/api', '8080');
    expect(screen(scrolled)).toBe(screen(fresh));
  });
});

describe('help', () => {
  it('"?" lists every keymap entry; esc goes back', async () => {
    const ui = await start({ namespace: 'production' }, { columns: 100, rows: 20 });
    await press(ui, '?');
    expect(title(ui)).toBe('Help');
    // The help may be taller than the terminal: read it all by scrolling.
    const seen = new Set<string>();
    let previous = '';
    for (let i = 0; i < 200 && screen(ui) !== previous; i++) {
      previous = screen(ui);
      for (const line of lines(ui)) seen.add(line);
      await press(ui, 'j');
    }
    const text = [...seen].join('\n');
    for (const binding of KEYMAP) {
      expect(text).toMatch(
        new RegExp(
          `^  ${escapeRegExp(binding.label)} +${escapeRegExp(binding.description)}( +on: |$)`,
          'm',
        ),
      );
    }
    expect(text).toContain(
      'Jump: :ns :po [NS] :netpol [NS] :svc [NS] :cnp :audit :matrix [NS] :ctx; tab completes',
    );
    await press(ui, ESC);
    expect(title(ui)).toBe('Pods in production (6)');
  });

  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
});

describe('esc goes back on each screen', () => {
  it('namespaces -> pods -> detail -> YAML, then back one screen per esc', async () => {
    const ui = await start();
    await openNamespace(ui, 'production');
    await press(ui, ENTER, 'c', ESC);
    expect(title(ui)).toBe(`Pod ${FRONTEND}`);
    await press(ui, 'y', '?');
    expect(title(ui)).toBe('Help');
    const titles: string[] = [];
    for (let i = 0; i < 5; i++) {
      await press(ui, ESC);
      titles.push(title(ui));
    }
    expect(titles).toEqual([
      `YAML: Pod ${FRONTEND}`,
      `Pod ${FRONTEND}`,
      'Pods in production (6)',
      'Namespaces (9)',
      'Namespaces (9)',
    ]);
  });
});

describe('quitting', () => {
  async function expectExited(ui: SizedRender) {
    const exited = await Promise.race([
      ui.waitUntilExit().then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 500)),
    ]);
    expect(exited).toBe(true);
    const count = ui.frames.length;
    await press(ui, 'j', 'j');
    expect(ui.frames.length).toBe(count);
  }

  it('"q" quits from a list', async () => {
    const ui = await start();
    await press(ui, 'q');
    await expectExited(ui);
  });

  it('"q" quits from a text screen', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, ENTER, 'q');
    await expectExited(ui);
  });

  it('ctrl-c quits from the check form, where "q" is text', async () => {
    const ui = await start({ namespace: 'production' });
    await press(ui, 'c', 'q');
    expect(title(ui)).toBe('Traffic check');
    await press(ui, CTRL_C);
    await expectExited(ui);
  });

  it('ctrl-c quits while typing a filter', async () => {
    const ui = await start();
    await press(ui, '/', 'x', CTRL_C);
    await expectExited(ui);
  });

  it('ctrl-z stops the job, even while typing, and the UI carries on once continued', async () => {
    let stops = 0;
    let continueJob = () => {};
    const jobControl = {
      stop: () => {
        stops++;
      },
      onceContinued: (resume: () => void) => {
        continueJob = resume;
      },
    };
    const ui = await start({ jobControl });
    await press(ui, '/', 'x', CTRL_Z);
    expect(stops).toBe(1);
    continueJob();
    await tick(20);
    await press(ui, 'y');
    expect(footer(ui)).toBe('/xy█  (enter: keep, esc: clear)');
  });

  it('ctrl-z without job control says so and changes nothing', async () => {
    const ui = await start();
    await press(ui, 'j', CTRL_Z);
    expect(flash(ui)).toBe('ctrl-z: this terminal has no job control to suspend to');
    expect(marked(ui)).toMatch(/^ingress-nginx /);
  });

  it('":q" quits', async () => {
    const ui = await start();
    await press(ui, ':', 'q', ENTER);
    await expectExited(ui);
  });
});

describe('live updates', () => {
  it('a new snapshot updates counts and badges, keeping the screen, cursor and filter', async () => {
    const { source, watch } = watchedSource();
    const times = [noon(), new Date(2024, 0, 1, 12, 5, 30)];
    let call = 0;
    const clock = () => times[Math.min(call++, times.length - 1)] as Date;
    const ui = await start({ source, clock });
    await press(ui, ENTER, '/');
    await type(ui, 'legacy/');
    await press(ui, ENTER, 'j');
    expect(markedPod(ui)).toBe('legacy/mysql-0');
    // The demo's Baseline tier denies legacy's ingress, which no NetworkPolicy isolates yet.
    expect(marked(ui)).toMatch(/\s+restricted\s+open\s+0\s+!?\s*app=mysql/);

    watch.push(demoWith(LEGACY_DENY));
    await untilFrame(ui, () => header(ui).includes('21 netpol'));
    expect(header(ui)).toBe(
      'kubectl netpol  12:05:30  demo cluster  ns: all  9 ns, 32 pods, 21 netpol · 1 calico',
    );
    // The analyst's rows of the new snapshot replace the previous ones when they come.
    await untilFrame(ui, () => /\s+isolated\s+open\s+1\s+app=mysql/.test(marked(ui)));
    expect(title(ui)).toBe('Pods (3)  filter: legacy/');
    expect(markedPod(ui)).toBe('legacy/mysql-0');
    expect(marked(ui)).toMatch(/\s+isolated\s+open\s+1\s+app=mysql/);

    await press(ui, ':');
    await type(ui, 'ns');
    await press(ui, ENTER);
    expect(listRows(ui).find((row) => row.startsWith('legacy '))).toMatch(
      /^legacy\s+3\s+1\s+ingress\s+in 3\/3 {2}eg 0\/3$/,
    );
  });

  it('a pod that disappears while its detail is open says so', async () => {
    const { source, watch } = watchedSource();
    const ui = await start({ source, namespace: 'legacy' });
    await selectPod(ui, 'legacy/busybox');
    await press(ui, ENTER);
    const input = loadDemo();
    watch.push({
      ...input,
      cluster: {
        ...input.cluster,
        pods: input.cluster.pods.filter((pod) => pod.name !== 'busybox'),
      },
    });
    // The detail is answered again on the new snapshot, as soon as it is compiled.
    await untilFrame(ui, (frame) => frame.includes('no longer in the snapshot'));
    expect(header(ui)).toContain('31 pods');
    expect(screen(ui)).toContain('pod legacy/busybox is no longer in the snapshot');
  });

  it('a watch error shows in the flash line and the UI keeps working', async () => {
    const { source, watch } = watchedSource();
    const ui = await start({ source });
    watch.fail('watch pods: connection reset by peer');
    await untilFrame(ui, () => flash(ui).includes('connection reset'));
    expect(flash(ui)).toBe('warning: watch pods: connection reset by peer');
    await press(ui, 'j');
    expect(marked(ui)).toMatch(/^ingress-nginx /);
  });

  it('a lost watch stays in the flash line, whatever the keys, until that watch is back', async () => {
    const { source, watch } = watchedSource();
    const ui = await start({ source });
    watch.fail('watch of pods lost (connection refused); retrying in 1s', 'pods');
    watch.fail('watch of networkpolicies lost (connection refused); retrying in 1s', 'policies');
    await untilFrame(ui, () => flash(ui).startsWith('warning: watch of'));
    await press(ui, 'j');
    expect(flash(ui)).toBe('warning: watch of pods lost (connection refused); retrying in 1s');
    watch.recover('pods');
    await untilFrame(ui, () => flash(ui).includes('networkpolicies'));
    expect(flash(ui)).toBe(
      'warning: watch of networkpolicies lost (connection refused); retrying in 1s',
    );
    watch.recover('policies');
    await untilFrame(ui, () => flash(ui) === '');
    expect(flash(ui)).toBe('');
  });

  it("an action's message goes at the next key, and a condition that still holds shows again", async () => {
    const { source, watch } = watchedSource();
    const ui = await start({ source });
    await press(ui, ':', 'x', ENTER);
    expect(flash(ui)).toBe('error: unknown command :x');
    await press(ui, 'j');
    expect(flash(ui)).toBe('');
    watch.fail('watch of pods lost (connection refused); retrying in 1s');
    await press(ui, ':', 'x', ENTER);
    expect(flash(ui)).toBe('error: unknown command :x');
    await press(ui, 'j');
    expect(flash(ui)).toBe('warning: watch of pods lost (connection refused); retrying in 1s');
  });

  it('subscribes once and unsubscribes on unmount', async () => {
    const { source, watch } = watchedSource();
    const ui = await start({ source });
    await press(ui, 'j', 'j', ENTER, 'j');
    expect(watch.subscribed).toBe(1);
    expect(watch.unsubscribed).toBe(0);
    ui.unmount();
    expect(watch.unsubscribed).toBe(1);
  });

  it('subscribes once even when no clock is passed (as runTui renders it)', async () => {
    const { source, watch } = watchedSource();
    const ui = await start({ source, clock: undefined });
    await press(ui, 'j', 'j', ENTER, 'j');
    expect(watch.subscribed).toBe(1);
    expect(watch.unsubscribed).toBe(0);
  });

  it('"r" reloads the source and says so; a failed reload is an error in the flash line', async () => {
    let fail = false;
    let reloads = 0;
    const source = demoSource({
      reload: async () => {
        reloads++;
        if (fail) throw new Error('connection refused');
        return demoWith(LEGACY_DENY);
      },
    });
    const ui = await start({ source });
    await press(ui, 'r');
    await untilFrame(ui, () => flash(ui) === 'reloaded');
    expect(reloads).toBe(1);
    expect(flash(ui)).toBe('reloaded');
    expect(header(ui)).toContain('21 netpol');
    fail = true;
    await press(ui, 'r');
    await untilFrame(ui, () => flash(ui).includes('reload failed'));
    expect(flash(ui)).toBe('error: reload failed: connection refused');
    expect(header(ui)).toContain('21 netpol');
  });
  it('a reload reads file by file as the first load did: its stage on the flash line, keys held until its snapshot is in', async () => {
    let readRest = () => {};
    const rest = new Promise<void>((resolve) => {
      readRest = resolve;
    });
    const source = demoSource({
      reload: async (loading) => {
        await loading?.fileRead({ filesRead: 1, files: 2, bytesRead: 1_500_000, bytes: 3_000_000 });
        await rest;
        await loading?.fileRead({ filesRead: 2, files: 2, bytesRead: 3_000_000, bytes: 3_000_000 });
        return demoWith(LEGACY_DENY);
      },
    });
    const ui = await start({ source });
    await press(ui, 'r');
    await untilFrame(ui, () => flash(ui).startsWith('reloading: reading'));
    expect(flash(ui)).toBe('reloading: reading manifests: 1 of 2 files, 1.5 of 3.0 MB');
    // Typed during the reload: held, then acting on the snapshot it read.
    await press(ui, ':');
    await type(ui, 'netpol');
    await press(ui, ENTER);
    expect(title(ui)).toBe('Namespaces (9)');
    expect(footer(ui)).not.toContain(':netpol');
    readRest();
    await untilFrame(ui, () => title(ui).startsWith('NetworkPolicies'));
    expect(title(ui)).toBe('NetworkPolicies (21)');
    expect(header(ui)).toContain('21 netpol');
  });
  it('a reload of a cluster says list by list how far it has come, then that it normalises', async () => {
    let normalise = () => {};
    const listsIn = new Promise<void>((resolve) => {
      normalise = resolve;
    });
    const source = demoSource({
      reload: async (loading) => {
        loading?.listRead({ listsRead: 1, lists: 6 });
        await listsIn;
        await loading?.normalising(12_200);
        return demoWith(LEGACY_DENY);
      },
    });
    const ui = await start({ source });
    await press(ui, 'r');
    await untilFrame(ui, () => flash(ui).startsWith('reloading: reading'));
    expect(flash(ui)).toBe('reloading: reading the cluster: 1 of 6 lists…');
    normalise();
    await untilFrame(ui, () => flash(ui) === 'reloaded');
    expect(header(ui)).toContain('21 netpol');
    expect(
      ui.frames.map(plain).some((frame) => frame.includes('normalising 12,200 objects…')),
    ).toBe(true);
  });
});

describe('input findings', () => {
  const malformed = (count: number) =>
    demoWith(Array.from({ length: count }, () => 'kind: [unclosed\n').join('---\n'));

  it('a malformed manifest shows as an error in the flash line', async () => {
    const ui = await start({ source: demoSource({ initial: malformed(1) }) });
    expect(flash(ui)).toMatch(/^error: demo:\d+ \(document \d+\): malformed YAML/);
    expect(title(ui)).toBe('Namespaces (9)');
  });

  it('several findings show how many there are, then the first', async () => {
    const ui = await start({ source: demoSource({ initial: malformed(3) }) });
    expect(flash(ui)).toMatch(
      /^error: 3 problems \(explain lists them\); first: demo:\d+ \(document \d+\): malformed YAML/,
    );
  });

  it('the problems stay until a snapshot without them arrives, then the flash line clears', async () => {
    const { source, watch } = watchedSource();
    const ui = await start({ source: { ...source, initial: malformed(1) } });
    await press(ui, 'j');
    expect(flash(ui)).toMatch(/^error: demo:\d+ \(document \d+\): malformed YAML/);
    watch.push(loadDemo());
    await untilFrame(ui, (frame) => (plain(frame).split('\n').at(-2) ?? '') === '');
    expect(flash(ui)).toBe('');
  });

  it('the flash line names the severity once', async () => {
    const ui = await start({ source: demoSource({ initial: malformed(1) }) });
    expect(flash(ui)).not.toMatch(/^(warning|error): (warning|error): /);
  });
});

// ---------------------------------------------------------------------------------------------
// Layout and colour, over a tour of every screen

/** Visits every screen and returns the frames seen (the check last, with its protocol picker). */
async function tour(ui: SizedRender | ReturnType<typeof render>): Promise<string[]> {
  const target = ui as SizedRender;
  await tick(20);
  const steps: string[][] = [
    ['/', 'p'], // namespaces, filtering
    [ESC, 'j', 'j', 'j', 'j', 'j'], // namespaces, cursor on production
    [ENTER], // pods in production
    [ENTER], // pod detail
    ['y'], // YAML
    [ESC, '?'], // help
    [ESC, ':', 'n', 'p', ENTER], // policies
    [':', 'x', ENTER], // flash error
    [':', 'p', 'o', ENTER, 'c'], // check form
    [...'svc/api', TAB, '8', '0', '8', '0', ENTER], // allowed verdict
    [SHIFT_TAB], // protocol picker
    [DOWN], // UDP highlighted
    [ESC, 's'], // scaffold wizard's form, from the pod under the cursor
    [ENTER], // its preview
    [ESC, ESC], // the template picker
  ];
  const frames: string[] = [];
  for (const step of steps) {
    await press(target, ...step);
    await untilVerdict(target);
    frames.push(target.lastFrame() ?? '');
  }
  return frames;
}

/** The tour at 80x24 with color=false, taken once and shared by the layout and colour tests. */
let smallTour: Promise<string[]> | undefined;
function tourAt80x24(): Promise<string[]> {
  smallTour ??= (async () => {
    const ui = renderSized(<App source={demoSource()} color={false} clock={noon} />, {
      columns: 80,
      rows: 24,
    });
    const frames = await tour(ui);
    ui.unmount();
    return frames;
  })();
  return smallTour;
}

describe('layout', () => {
  it('every screen fits 80x24', async () => {
    const frames = await tourAt80x24();
    expect(plain(frames[11])).toContain('› UDP');
    expect(plain(frames.at(-1))).toContain('Which policy?');
    for (const frame of frames) {
      const shown = plain(frame).split('\n');
      expect(shown.length, plain(frame)).toBeLessThanOrEqual(24);
      for (const line of shown) expect([...line].length, line).toBeLessThanOrEqual(80);
    }
  });

  it("every screen fits ink-testing-library's 100 columns", async () => {
    for (const [name, value] of Object.entries(PINNED_SIZE_ENV)) vi.stubEnv(name, value);
    const ui = render(<App source={demoSource()} color={false} clock={noon} />);
    const frames = await tour(ui);
    ui.unmount();
    vi.unstubAllEnvs();
    expect(plain(frames[9])).toContain('ALLOWED');
    for (const frame of frames) {
      for (const line of plain(frame).split('\n'))
        expect([...line].length, line).toBeLessThanOrEqual(100);
    }
  });
});

describe('colour', () => {
  /** SGR codes that are not colour: bold (1), dim (2) and their reset (22). */
  const NOT_COLOUR = new Set(['1', '2', '22']);
  const colourCodes = (frame: string) =>
    [...frame.matchAll(ANSI)]
      .flatMap((m) => m[0].slice(2, -1).split(';'))
      .filter((code) => !NOT_COLOUR.has(code));

  it('with colour on, the frames do carry colour (so the checks below can see it)', async () => {
    const ui = await start({ color: true });
    expect(colourCodes(ui.lastFrame() ?? '')).toEqual(expect.arrayContaining(['36', '7']));
  });

  it('with color=false, lists, detail, YAML, help and verdicts have no colour or inverse codes', async () => {
    const frames = await tourAt80x24();
    // Bold and dim stay: NO_COLOR is about colour, and they read fine on any terminal.
    for (const frame of frames.slice(0, -2)) expect(colourCodes(frame), plain(frame)).toEqual([]);
  });

  it('with color=false, the protocol picker has no colour codes either', async () => {
    const frames = await tourAt80x24();
    for (const frame of frames.slice(-2)) expect(colourCodes(frame), plain(frame)).toEqual([]);
  });
});
