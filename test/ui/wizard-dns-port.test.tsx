/**
 * The wizard's allow-dns names the port its rule admits: where CoreDNS listens on 5353 behind
 * kube-dns's port 53, the picker and the form say 5353 (and the Service's 53 it stands behind),
 * as the YAML it writes does.
 */
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import type { SnapshotSource } from '../../src/ui/sources.js';
import { APP, COREDNS, COREDNS_5353 } from '../engine/audit/dns-scenario.js';
import { startApp } from '../helpers/app.js';
import { plain, press, type SizedRender, untilFrame } from '../helpers/ink.js';
import { DOWN, ENTER, ESC } from '../helpers/keys.js';
import { fixture } from '../helpers/load.js';

/** A source over a snapshot of `yaml`. */
function sourceOf(yaml: string): SnapshotSource {
  const snapshot = () => {
    const { findings, ...normalized } = normalizeObjects(
      parseManifestText(yaml, 'in.yaml').objects,
    );
    return { ...normalized, findings, description: 'in.yaml' };
  };
  return { initial: snapshot(), name: 'in.yaml', reload: async () => snapshot() };
}

const screen = (ui: SizedRender) => plain(ui.lastFrame());
const lines = (ui: SizedRender) => screen(ui).split('\n');
const shows = (ui: SizedRender, text: string) => untilFrame(ui, (frame) => frame.includes(text));

/** The picker's and the form's allow-dns lines on the App over `yaml`, and the YAML it writes. */
async function allowDnsTexts(yaml: string) {
  const ui = await startApp({
    source: sourceOf(yaml),
    columns: 120,
    rows: 40,
    props: { namespace: 'shop' },
  });
  // From a namespace the wizard opens on a form: esc goes back to the template picker.
  await press(ui, 's');
  await shows(ui, 'protect pods');
  await press(ui, ESC);
  await shows(ui, 'Which policy?');
  const picker = lines(ui).find((line) => line.includes('allow DNS'));
  for (let i = 0; i < 10 && !lines(ui).some((line) => line.startsWith('› allow DNS')); i++) {
    await press(ui, DOWN);
  }
  await press(ui, ENTER);
  await shows(ui, '✓ valid');
  const form = lines(ui)[2];
  await press(ui, ENTER);
  await shows(ui, 'Scaffold preview');
  await shows(ui, 'protocol: TCP');
  return { picker, form, preview: screen(ui) };
}

describe('the wizard names the port allow-dns admits', () => {
  it('where the DNS pods listen on 5353 behind Service port 53: 5353, as the YAML has it', async () => {
    const { picker, form, preview } = await allowDnsTexts(`${COREDNS_5353}${APP}`);
    const title =
      "allow DNS: egress to the cluster DNS on UDP and TCP 5353 (the DNS pods' port behind Service port 53)";
    expect(picker).toContain(title);
    expect(form).toBe(title);
    expect(preview).toMatch(/protocol: UDP\n\s+port: 5353\n/);
  });

  it('where 53 is assumed for a named targetPort nothing resolves: said so, as the preview note does', async () => {
    const unresolved = fixture('dns/named-port-unresolved/cluster.yaml');
    const { picker, form, preview } = await allowDnsTexts(unresolved);
    const title =
      'allow DNS: egress to the cluster DNS on UDP and TCP 53 (assumed: cluster DNS port not resolved)';
    expect(picker).toContain(title);
    expect(form).toBe(title);
    expect(preview).toContain('DNS: cluster DNS port not resolved (');
  });

  it('where the input shows no cluster DNS: 53 is said to be assumed, as the preview note does', async () => {
    const { picker, form, preview } = await allowDnsTexts(APP);
    const title =
      'allow DNS: egress to the cluster DNS on UDP and TCP 53 (assumed: cluster DNS not found in the input)';
    expect(picker).toContain(title);
    expect(form).toBe(title);
    expect(preview).toContain('DNS: cluster DNS not found in the input: assumed the pods');
  });

  it('where they listen on 53: 53 alone', async () => {
    const { picker, form, preview } = await allowDnsTexts(`${COREDNS}${APP}`);
    const title = 'allow DNS: egress to the cluster DNS on UDP and TCP 53';
    expect(picker).toMatch(new RegExp(`${title}$`));
    expect(form).toBe(title);
    expect(preview).toMatch(/protocol: UDP\n\s+port: 53\n/);
  });
});
