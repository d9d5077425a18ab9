/**
 * The TUI on the Cilium demo (`--demo=cilium`): the header names it, and a pod's detail names
 * the Cilium policies that isolate it and lists their allow and deny rules.
 */
import { describe, expect, it } from 'vitest';
import { openSource } from '../../src/ui/sources.js';
import { startApp } from '../helpers/app.js';
import { press, untilFrame } from '../helpers/ink.js';
import { DOWN, ENTER } from '../helpers/keys.js';

const noStdin = async () => '';

describe('the TUI on the Cilium demo (--demo=cilium)', () => {
  it("names the Cilium demo in the header and a pod's Cilium policies in its detail", async () => {
    const source = await openSource({ demo: 'cilium' }, {}, noStdin);
    const ui = await startApp({ source, columns: 120, rows: 40, props: { namespace: 'shop' } });
    expect(ui.lastFrame()).toContain('demo cluster (Cilium)  ns: shop');
    expect(ui.lastFrame()).toContain('web-7b6c9d8f5-k2m4x');
    await press(ui, ENTER);
    await untilFrame(ui, (frame) => frame.includes('Pod shop/web-7b6c9d8f5-k2m4x'));
    const detail = ui.lastFrame() ?? '';
    expect(detail).toContain(
      'Ingress: isolated by ciliumclusterwidenetworkpolicy/shop-web-from-ingress',
    );
    expect(detail).toContain('Egress: isolated by ciliumnetworkpolicy/shop/web-egress');
  });
});

describe("a pod's Cilium rules in the TUI detail", () => {
  it('lists the L7 allow rule and the ingressDeny rule of shop/api in their groups', async () => {
    const source = await openSource({ demo: 'cilium' }, {}, noStdin);
    const ui = await startApp({ source, columns: 200, rows: 40, props: { namespace: 'shop' } });
    await untilFrame(ui, (frame) => frame.includes('api-5d8e7f6a4-r7t2q'));
    await press(ui, DOWN, ENTER);
    await untilFrame(ui, (frame) => frame.includes('Pod shop/api-5d8e7f6a4-r7t2q'));
    const detail = (ui.lastFrame() ?? '').split('\n').map((line) => line.trim());
    // The lines of a group: those after its heading, up to the next heading or blank line.
    const group = (heading: string) => {
      const rest = detail.slice(detail.indexOf(heading) + 1);
      const end = rest.findIndex((line) => line === '' || line.endsWith(':'));
      return (end < 0 ? rest : rest.slice(0, end)).join('\n');
    };
    expect(group('rules allow from:')).toContain(
      'endpoints with app=web in namespace shop on TCP 8080  [1 pod]  (ciliumnetworkpolicy/shop/api-l7 ingress rule 1)',
    );
    expect(group('rules deny from:')).toContain(
      'endpoints with app=admin in namespace shop on TCP 8080  [1 pod]  (ciliumnetworkpolicy/shop/api-deny-admin ingressDeny rule 1)',
    );
  });
});

describe('policy counts on the Cilium demo', () => {
  it('counts Cilium policies in the header and in the pods list POL column', async () => {
    const source = await openSource({ demo: 'cilium' }, {}, noStdin);
    const ui = await startApp({ source, columns: 120, rows: 40, props: { namespace: 'shop' } });
    await untilFrame(ui, (text) => text.includes('web-7b6c9d8f5-k2m4x'));
    const frame = ui.lastFrame() ?? '';
    expect(frame).toContain('35 pods, 21 netpol · 5 cilium');
    // web: the clusterwide ingress policy and its egress policy; admin: its egress policy;
    // api: the L7 rule, the deny and the legacy NetworkPolicy. Where no policy isolates them,
    // api's egress and admin's ingress are restricted: Cilium's datapath drops their SCTP.
    expect(frame).toMatch(/web-7b6c9d8f5-k2m4x +10\.244\.1\.80 +isolated +isolated +2 /);
    expect(frame).toMatch(/admin-6c9b8a7d5-w3n8z +10\.244\.1\.81 +restricted +isolated +1 /);
    expect(frame).toMatch(/api-5d8e7f6a4-r7t2q +10\.244\.2\.80 +isolated +restricted +3 /);
  });
});
