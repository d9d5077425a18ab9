import { describe, expect, it } from 'vitest';
import { startApp } from '../helpers/app.js';
import { plain, press, type SizedRender, type } from '../helpers/ink.js';
import { ENTER, ESC } from '../helpers/keys.js';

const TYPO_POLICY = 'staging/allow-ingress-controller-to-web-frontend';

/** The App on the demo at 140x36, once the analyst has audited it (startApp waits for that). */
const start = () => startApp({ columns: 140, rows: 36 });

const screen = (ui: SizedRender) => plain(ui.lastFrame());
const lines = (ui: SizedRender) => screen(ui).split('\n');
const title = (ui: SizedRender) => lines(ui)[1] ?? '';
const row = (ui: SizedRender, start: RegExp) => lines(ui).find((line) => start.test(line)) ?? '';

describe('audit findings in the UI', () => {
  it('marks namespaces with their errors and warnings, and pods named by one', async () => {
    const ui = await start();
    expect(row(ui, /^ {2}staging /)).toMatch(/ 2 err$/);
    expect(row(ui, /^ {2}monitoring /)).toMatch(/ 1 warn$/);
    // A Baseline deny-all closes legacy's ingress: nothing to warn about.
    expect(row(ui, /^ {2}legacy /)).not.toMatch(/warn/);
    expect(row(ui, /^ {2}production /)).not.toMatch(/err|warn/);
    await press(ui, '/');
    await type(ui, 'staging');
    await press(ui, ENTER, 'j', ENTER); // the pods of staging
    expect(row(ui, /web-frontend-7c8d9f6b5-kp4xz/)).toMatch(/ {2}1 {3}! {2}app=web-frontend/);
    expect(row(ui, /api-6d5c8b7f9-fz2rq/)).not.toMatch(/ ! /);
  });

  it('"a" lists the findings, most severe first, with the network plugin in the title', async () => {
    const ui = await start();
    await press(ui, 'a');
    expect(title(ui)).toMatch(/^Audit \(13\): network plugin: Calico, enforces NetworkPolicies/);
    expect(lines(ui)[3]).toMatch(/^▶ error +namespace-selector-matches-nothing +staging /);
    expect(lines(ui)[4]).toMatch(/^ {2}error +policy-selects-no-pods +staging /);
    await press(ui, '/');
    await type(ui, 'severity=warning');
    await press(ui, ENTER);
    expect(title(ui)).toMatch(/^Audit \(3\)/);
  });

  it('on an 80-column screen the findings keep room for their text, without the code', async () => {
    const ui = await startApp({ columns: 80, rows: 30 });
    await press(ui, 'a');
    expect(lines(ui)[2]).toMatch(/^ {2}SEVERITY +NAMESPACE +FINDING$/);
    expect(lines(ui)[3]).toMatch(
      /^▶ error +staging +peer 1 of staging\/allow-prometheus-scrape ingress rule/,
    );
    await press(ui, ENTER);
    expect(screen(ui)).toContain('ERROR  namespace-selector-matches-nothing  [staging]');
  });

  it('opens a finding: its message, objects to jump to, and fixes', async () => {
    const ui = await start();
    await press(ui, 'a', 'j', ENTER);
    expect(title(ui)).toBe('Audit finding');
    expect(screen(ui)).toContain('ERROR  policy-selects-no-pods  [staging]');
    expect(screen(ui)).toContain(`  1  NetworkPolicy ${TYPO_POLICY}`);
    expect(screen(ui)).toContain('  2  Pod staging/web-frontend-7c8d9f6b5-kp4xz');
    expect(screen(ui)).toContain(`fix: set spec.podSelector of ${TYPO_POLICY} to app=web-frontend`);

    await press(ui, '2');
    expect(title(ui)).toBe('Pod staging/web-frontend-7c8d9f6b5-kp4xz');
    expect(lines(ui)[2]).toBe('Audit findings (a: the audit screen):');
    expect(lines(ui)[3]).toMatch(/^ {2}error policy-selects-no-pods: .*…$/);
    // A finding takes one line, cut to the width: the pod's own lines follow at once.
    expect(lines(ui)[4]).not.toMatch(/^ {4}/);

    await press(ui, ESC, '1');
    expect(title(ui)).toBe(`YAML: NetworkPolicy ${TYPO_POLICY}`);
    expect(screen(ui)).toContain('app: web-frontent');
  });

  it("opens the YAML of a finding's Calico policies, namespaced and global", async () => {
    for (const [code, object] of [
      ['staged-policy-cuts-dns', 'StagedNetworkPolicy tenant-c/default.tenant-c-lockdown'],
      ['calico-pass-to-nothing', 'GlobalNetworkPolicy security.tenant-c-egress'],
    ]) {
      const ui = await start();
      await press(ui, 'a', '/');
      await type(ui, `code=${code}`);
      await press(ui, ENTER, ENTER);
      expect(screen(ui)).toContain(`  1  ${object}`);
      await press(ui, '1');
      expect(title(ui)).toBe(`YAML: ${object}`);
      expect(screen(ui)).toContain('apiVersion: projectcalico.org/v3');
    }
  });

  it('"s" on a finding opens the wizard on its scaffold fix', async () => {
    const ui = await start();
    await press(ui, 'a', 'j', ENTER, 's');
    expect(title(ui)).toBe('Scaffold a NetworkPolicy: fill in (→ completes)');
    expect(row(ui, /^. protect pods/)).toMatch(/: app=web-frontend {2}selects 2 pods/);
    expect(row(ui, /^. policy name/)).toContain(': allow-ingress-controller-to-web-frontend');
  });

  it('a namespace object of a finding opens that namespace pods', async () => {
    const ui = await start();
    await press(ui, 'a');
    await press(ui, '/');
    await type(ui, 'code=unisolated-pods');
    await press(ui, ENTER, ENTER);
    const namespace = /\[([a-z-]+)\]/.exec(lines(ui)[2] ?? '')?.[1];
    expect(screen(ui)).toContain(`  1  Namespace ${namespace}`);
    await press(ui, '1');
    expect(title(ui)).toMatch(new RegExp(`^Pods in ${namespace} \\(\\d+\\)`));
  });
});
