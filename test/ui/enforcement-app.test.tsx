import { afterEach, describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/io/load-input.js';
import { App } from '../../src/ui/components/App.js';
import type { AnswerOptions } from '../../src/ui/snapshot-analysis.js';
import { renderAnalysed } from '../helpers/app.js';
import { heldAnalyst } from '../helpers/held-analyst.js';
import {
  plain,
  press,
  renderSized,
  type SizedRender,
  sendAtOnce,
  untilFrame,
} from '../helpers/ink.js';
import { ENTER } from '../helpers/keys.js';

const noon = () => new Date(2024, 0, 1, 12, 0, 0);
const FLANNEL = 'test/fixtures/audit/cni-ignores-policies/triggers.yaml';
const LAYERS = 'test/fixtures/manifests/layers/cluster.yaml';
const NOT_ENFORCED = 'not enforced: DENIED by policy, but Flannel does not enforce NetworkPolicies';

const mounted: SizedRender[] = [];
afterEach(() => {
  for (const ui of mounted.splice(0)) ui.unmount();
});

async function sourceOf(path: string) {
  const initial = await loadManifests([path], async () => '');
  return { initial, name: path, reload: async () => initial };
}

async function start(
  path: string,
  answer: AnswerOptions = {},
  size = { columns: 200, rows: 40 },
): Promise<SizedRender> {
  const source = await sourceOf(path);
  const ui = await renderAnalysed(
    (analyst) => (
      <App
        source={source}
        namespace="shop"
        color={false}
        clock={noon}
        answer={answer}
        analyst={analyst}
      />
    ),
    size,
  );
  mounted.push(ui);
  await untilFrame(ui, (frame) => / shop /.test(frame));
  return ui;
}

const lines = (ui: SizedRender) => plain(ui.lastFrame()).split('\n');
const header = (ui: SizedRender) => lines(ui)[0] ?? '';

/** Opens the traffic check from shop/web, the first pod, and asks about shop/api on 8080. */
async function checkWebToApi(ui: SizedRender): Promise<void> {
  await press(ui, 'c');
  await sendAtOnce(ui, 'shop/api\t8080\r');
  await untilVerdict(ui);
}

/** Waits for a check's verdict line: a loaded machine may take a few frames to answer. */
async function untilVerdict(ui: SizedRender): Promise<void> {
  await untilFrame(ui, (frame) => /^(ALLOWED|DENIED|UNKNOWN)/m.test(frame));
}

/** Opens the pod detail of shop/api from the pods of namespace shop, where the UI starts. */
async function openApiDetail(ui: SizedRender): Promise<void> {
  for (
    let i = 0;
    i < 5 && !lines(ui).some((l) => l.startsWith('▶ shop') && l.includes(' api '));
    i++
  )
    await press(ui, 'j');
  await press(ui, ENTER);
  await untilFrame(ui, (frame) => frame.includes('Pod shop/api'));
}

describe('a cluster whose network plugin ignores NetworkPolicies (Flannel)', () => {
  it('says so in red in the header', async () => {
    const ui = await start(FLANNEL);
    expect(header(ui)).toMatch(/^kubectl netpol {2}\[NOT ENFORCED: Flannel\]/);
  });

  it('marks the plugin pending until the analyst has detected it, then draws what it always does', async () => {
    const { analyst, gate } = heldAnalyst('network-plugin');
    gate.holding = true;
    const source = await sourceOf(FLANNEL);
    const held = renderSized(
      <App source={source} namespace="shop" color={false} clock={noon} analyst={analyst} />,
      { columns: 200, rows: 40 },
    );
    mounted.push(held);
    await untilFrame(held, (frame) => frame.includes('shop/api') || / api /.test(frame));
    expect(header(held)).toContain('[plugin pending]');
    expect(header(held)).not.toContain('NOT ENFORCED');

    gate.release();
    await untilFrame(held, (frame) => frame.includes('[NOT ENFORCED: Flannel]'));
    const unheld = await start(FLANNEL);
    expect(plain(held.lastFrame())).toBe(plain(unheld.lastFrame()));
    await openApiDetail(held);
    await openApiDetail(unheld);
    expect(plain(held.lastFrame())).toBe(plain(unheld.lastFrame()));
  });

  it('answers the check with the traffic that flows, the policy verdict beside it, under the banner', async () => {
    const ui = await start(FLANNEL);
    await checkWebToApi(ui);
    const shown = lines(ui);
    expect(shown[2]?.startsWith(NOT_ENFORCED)).toBe(true);
    expect(shown[7]).toBe('ALLOWED  (DENIED by policy, not enforced)');
  });

  it('opens the wizard from the check at the templates, since the traffic flows', async () => {
    const ui = await start(FLANNEL);
    await checkWebToApi(ui);
    await press(ui, 's');
    await untilFrame(ui, (frame) => frame.includes('Scaffold a policy'));
    expect(lines(ui)[1]).toBe('Scaffold a policy');
    expect(lines(ui)[2]).toBe('Which policy? (↑↓ to move, enter to choose)');
  });

  it('opens the wizard on the fix of the denied side under --assume-enforced', async () => {
    const ui = await start(FLANNEL, { assumeEnforced: true });
    await checkWebToApi(ui);
    await press(ui, 's');
    await untilFrame(ui, (frame) => frame.includes('Scaffold a NetworkPolicy'));
    expect(lines(ui)[1]).toBe('Scaffold a NetworkPolicy: fill in (→ completes)');
    expect(plain(ui.lastFrame())).toContain('8080/TCP');
  });

  it('gives the policies verdict, with no badge, under --assume-enforced', async () => {
    const ui = await start(FLANNEL, { assumeEnforced: true });
    expect(header(ui)).not.toContain('[');
    await checkWebToApi(ui);
    expect(lines(ui)[6]).toBe('DENIED');
    expect(plain(ui.lastFrame())).not.toContain('not enforced');
  });

  it('starts the pod detail with the banner', async () => {
    const ui = await start(FLANNEL);
    await openApiDetail(ui);
    expect(lines(ui)[1]).toBe('Pod shop/api');
    expect(lines(ui)[2]).toMatch(
      /^not enforced: Flannel does not enforce NetworkPolicies, so the traffic flows whatever they say/,
    );
  });

  it('keeps the banner above the detail as it scrolls', async () => {
    const ui = await start(FLANNEL, {}, { columns: 200, rows: 10 });
    await openApiDetail(ui);
    const top = lines(ui)[3];
    await press(ui, 'j', 'j', 'j');
    await untilFrame(ui, () => lines(ui)[3] !== top);
    expect(lines(ui)[2]).toMatch(/^not enforced: Flannel does not enforce NetworkPolicies/);
    expect(lines(ui)[3]).not.toBe(top);
  });
});

describe('a cluster with policies of kinds the engine does not evaluate', () => {
  it('shows the pods they may select as UNKNOWN, in the list and the detail', async () => {
    const ui = await start(LAYERS);
    expect(header(ui)).toContain('[plugin unknown]');
    const api = lines(ui).find((l) => /^[▶ ] api /.test(l));
    expect(api).toMatch(/UNKNOWN +UNKNOWN/);
    await openApiDetail(ui);
    const detail = plain(ui.lastFrame());
    expect(detail).toContain('UNKNOWN: what could not be read or evaluated may decide ingress:');
    expect(detail).toContain(
      'NetworkPolicy shop/allow-web (crd.antrea.io/v1beta1) in test/fixtures/manifests/layers/cluster.yaml:26 (document 5) may select it',
    );
  });

  it('counts the UNKNOWN pods of each namespace beside the isolated ones', async () => {
    const ui = await start(LAYERS);
    await sendAtOnce(ui, ':ns\r');
    expect(lines(ui)[2]).toMatch(/ISOLATED PODS +UNKNOWN PODS +FINDINGS$/);
    expect(lines(ui).find((l) => l.trimStart().startsWith('shop '))).toMatch(
      /^ {2}shop +2 +1 +none +in 0\/2 {2}eg 0\/2 +in 2 {2}eg 2 +1 warn$/,
    );
    const ignoring = await start(LAYERS, { ignoreUnmodelled: true });
    await sendAtOnce(ignoring, ':ns\r');
    // No namespace has UNKNOWN pods then: the column gives its room back to FINDINGS.
    expect(lines(ignoring)[2]).toMatch(/ISOLATED PODS +FINDINGS$/);
    expect(lines(ignoring).find((l) => l.trimStart().startsWith('shop '))).toMatch(
      /^ {2}shop +2 +1 +none +in 1\/2 {2}eg 0\/2 +1 warn$/,
    );
  });

  it('answers without them under --ignore-unmodelled', async () => {
    const ui = await start(LAYERS, { ignoreUnmodelled: true });
    const api = lines(ui).find((l) => /^[▶ ] api /.test(l));
    expect(api).toMatch(/isolated +open/);
    await openApiDetail(ui);
    expect(plain(ui.lastFrame())).not.toContain('UNKNOWN');
  });
});

describe("a workload whose pods' IPs are unknown", () => {
  const WORKLOADS = 'test/fixtures/manifests/workload-ips';

  it('answers a check that depends on the IP as UNKNOWN, naming the pod range of --pod-cidr', async () => {
    const ui = await start(WORKLOADS, { assumeEnforced: true, podCidr: ['10.244.0.0/16'] });
    // The check starts from the selected pod, shop/client, the first of the list.
    await press(ui, 'c');
    await sendAtOnce(ui, 'shop/admin\t8080\r');
    await untilVerdict(ui);
    const frame = plain(ui.lastFrame());
    expect(frame).toContain('UNKNOWN');
    expect(frame).toContain(
      "depends on the IP of shop/client's pods: ipBlock 10.244.1.0/24 covers part of the pod range 10.244.0.0/16",
    );
  });
});
