import { describe, expect, it, onTestFinished } from 'vitest';
import { App } from '../../src/ui/components/App.js';
import { demoSource, noon } from '../helpers/app.js';
import { heldAnalyst } from '../helpers/held-analyst.js';
import { plain, press, renderSized, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { DOWN, ENTER, TAB, UP } from '../helpers/keys.js';

const INGRESS_NGINX = 'ingress-nginx/ingress-nginx-controller-6f79748cff-k8z2w';
const STAGING_WEB = 'staging/web-frontend-7c8d9f6b5-kp4xz';

const screen = (ui: SizedRender) => plain(ui.lastFrame());
const title = (ui: SizedRender) => screen(ui).split('\n')[1] ?? '';

/** The demo App on the pods of `namespace`, with an analyst holding its answers of one kind. */
function startHolding(kind: Parameters<typeof heldAnalyst>[0], namespace: string) {
  const { analyst, gate } = heldAnalyst(kind);
  gate.holding = true;
  const ui = renderSized(
    <App
      source={demoSource()}
      namespace={namespace}
      color={false}
      clock={noon}
      analyst={analyst}
    />,
    { columns: 120, rows: 40 },
  );
  onTestFinished(() => {
    ui.unmount();
    analyst.close();
  });
  return { ui, gate };
}

describe('keys pressed before the analyst has answered act on the answer', () => {
  it('"c" on the pods list before its rows come checks from the pod selected once they are in', async () => {
    const { ui, gate } = startHolding('cluster-view', 'production');
    await untilFrame(ui, (frame) => frame.includes('Pods'));
    await press(ui, 'c');
    // Held: the list has no rows yet, so nothing is selected to check from.
    expect(title(ui)).toMatch(/^Pods/);
    expect(screen(ui)).not.toContain('frontend-84c5d9b7f6-hx2lq');

    gate.release();
    await untilFrame(ui, (frame) => frame.includes('Traffic check'));
    expect(screen(ui)).toMatch(/source .*: production\/frontend-84c5d9b7f6-hx2lq/);
  });

  it('"s" pressed while a check is answered opens the wizard with the fix for its verdict', async () => {
    const { ui, gate } = startHolding('check', 'ingress-nginx');
    gate.holding = false; // the lists' rows
    await untilFrame(ui, (frame) => frame.includes('ingress-nginx-controller-6f79748cff-k8z2w'));
    await press(ui, 'c');
    await type(ui, STAGING_WEB);
    await press(ui, TAB);
    await type(ui, '8080');
    await untilFrame(ui, (frame) => /port +\(number or name\): 8080█$/m.test(frame));
    gate.holding = true;
    await press(ui, ENTER, 's');
    await untilFrame(ui, (frame) => frame.includes('checking…'));
    // Held until the verdict: not typed into the port field, no wizard yet.
    expect(title(ui)).toBe('Traffic check');
    expect(screen(ui)).toMatch(/port +\(number or name\): 8080█?$/m);
    expect(screen(ui)).toContain(INGRESS_NGINX);

    gate.release();
    await untilFrame(ui, (frame) => frame.includes('Scaffold a NetworkPolicy'));
    expect(screen(ui)).toMatch(/namespace .*: staging/);
    expect(screen(ui)).toMatch(/from namespaces .*: ingress-nginx/);
  });

  it('arrows and enter in the protocol picker, typed before the rows come, choose in order', async () => {
    const { ui, gate } = startHolding('cluster-view', 'production');
    await untilFrame(ui, (frame) => frame.includes('Pods'));
    // c, the destination, tab to the port, the port, tab to the protocol picker, two down, enter.
    await press(ui, 'c');
    await type(ui, STAGING_WEB);
    await press(ui, TAB);
    await type(ui, '8080');
    await press(ui, TAB, DOWN, DOWN, ENTER);
    expect(title(ui)).toMatch(/^Pods/);

    gate.release();
    await untilFrame(ui, (frame) => /^(ALLOWED|DENIED|UNKNOWN)/m.test(frame));
    expect(screen(ui)).toContain(`${STAGING_WEB}  SCTP 8080`);
  });

  it('arrows and enter in the template picker, typed before the rows come, choose in order', async () => {
    const { ui, gate } = startHolding('cluster-view', 'production');
    await untilFrame(ui, (frame) => frame.includes('Pods'));
    // "s" on a pod starts on the first template (default-deny): down, down, up is the second.
    await press(ui, 's', DOWN, DOWN, UP, ENTER);
    expect(title(ui)).toMatch(/^Pods/);

    gate.release();
    await untilFrame(ui, (frame) => frame.includes('Scaffold a'));
    expect(screen(ui)).toContain('allow ingress: let peers reach selected pods');
    expect(screen(ui)).toMatch(/protect pods \(--to\) +: app.kubernetes.io\/name=frontend/);
  });
});
