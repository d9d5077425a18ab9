/**
 * The wizard's apply when the server-side apply conflicts with another field manager: the
 * fields and managers are shown, y forces the apply (as --force-conflicts), n cancels. The
 * cluster is a fake API server, read and written through the same client as a real one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { App } from '../../src/ui/components/App.js';
import { openSource } from '../../src/ui/sources.js';
import {
  fakeApiServer,
  jsonAnswer,
  kubeconfigFile,
  listBody,
  runningAppPod,
  tempDir,
} from '../helpers/fake-api.js';
import { plain, press, renderSized, type SizedRender, type, untilFrame } from '../helpers/ink.js';
import { ENTER } from '../helpers/keys.js';

const noon = () => new Date(2024, 0, 1, 12, 0, 0);
const POLICIES = '/apis/networking.k8s.io/v1/namespaces/app/networkpolicies';
/** The policy kubectl wrote before: applying the wizard's default deny conflicts on it. */
const TAKEN = `${POLICIES}/default-deny-all`;

/** A conflict as the API server reports it, naming the fields kubectl's apply owns. */
const CONFLICT = {
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message:
    'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using networking.k8s.io/v1:\n- .spec.policyTypes\n- .spec.podSelector',
  reason: 'Conflict',
  details: {
    causes: ['.spec.policyTypes', '.spec.podSelector'].map((field) => ({
      reason: 'FieldManagerConflict',
      message: 'conflict with "kubectl-client-side-apply" using networking.k8s.io/v1',
      field,
    })),
  },
  code: 409,
};

/** A write the fake server received: the path and its query. */
interface Write {
  readonly path: string;
  readonly dryRun: boolean;
  readonly force: boolean;
}

/** Answers reads of namespace app (pods web and api) and applies, refusing unforced ones on TAKEN. */
function cluster(writes: Write[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '', 'https://127.0.0.1');
    const list = (items: unknown[]) => jsonAnswer(res, 200, listBody(items));
    if (req.method === 'PATCH') {
      const write = {
        path: url.pathname,
        dryRun: url.searchParams.get('dryRun') === 'All',
        force: url.searchParams.get('force') === 'true',
      };
      writes.push(write);
      if (write.path === TAKEN && !write.force) return jsonAnswer(res, 409, CONFLICT);
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => jsonAnswer(res, 200, JSON.parse(body)));
      return;
    }
    if (url.pathname === TAKEN) {
      return jsonAnswer(res, 200, {
        metadata: { name: 'default-deny-all', namespace: 'app' },
        spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] },
      });
    }
    if (url.pathname === '/api/v1/namespaces') return list([{ metadata: { name: 'app' } }]);
    if (url.pathname === '/api/v1/pods') {
      return list([runningAppPod('web', '10.0.0.1'), runningAppPod('api', '10.0.0.2')]);
    }
    if (['/api/v1/services', '/apis/discovery.k8s.io/v1/endpointslices'].includes(url.pathname))
      return list([]);
    if (url.pathname === '/apis/networking.k8s.io/v1/networkpolicies') return list([]);
    jsonAnswer(res, 404, { kind: 'Status', reason: 'NotFound', message: 'not found', code: 404 });
  };
}

const mounted: SizedRender[] = [];
afterEach(() => {
  for (const ui of mounted.splice(0)) ui.unmount();
});

const screen = (ui: SizedRender) => plain(ui.lastFrame());
const lines = (ui: SizedRender) => screen(ui).split('\n');
const flash = (ui: SizedRender) => lines(ui).at(-2) ?? '';
const footer = (ui: SizedRender) => lines(ui).at(-1) ?? '';

/**
 * The TUI on the fake cluster (not watched: the test sees only the writes), its wizard's
 * default deny for namespace app previewed and `a` pressed: the dry run conflicts.
 */
async function conflictingApply(writes: Write[]): Promise<SizedRender> {
  const server = await fakeApiServer(cluster(writes));
  onTestFinished(() => server.close());
  const config = kubeconfigFile(tempDir(), server.url);
  const source = await openSource({ kubeconfig: config }, { HOME: '/nonexistent' }, async () => '');
  const ui = renderSized(
    <App source={{ ...source, watch: undefined }} color={false} clock={noon} />,
    { columns: 80, rows: 40 },
  );
  mounted.push(ui);
  await untilFrame(ui, (frame) => frame.includes('Namespaces'));
  await press(ui, '/');
  await type(ui, 'app');
  await press(ui, ENTER, 'j', 's'); // past "(all namespaces)"
  await untilFrame(ui, (frame) => frame.includes('Which policy?'));
  await press(ui, ENTER); // default-deny, the first template
  await untilFrame(ui, (frame) => frame.includes('fill in'));
  await press(ui, ENTER);
  await untilFrame(ui, (frame) => frame.includes('Scaffold preview'));
  await press(ui, 'a');
  await untilFrame(ui, (frame) => frame.includes('[y/N]'));
  return ui;
}

describe('the wizard applying over fields another field manager owns', () => {
  it('shows the managers and fields, and asks whether to force', async () => {
    const writes: Write[] = [];
    const ui = await conflictingApply(writes);
    expect(footer(ui)).toBe('force the apply, taking ownership? [y/N]');
    expect(flash(ui)).toBe('warning: conflict: networkpolicy app/default-deny-all');
    const shown = lines(ui).map((line) => line.trimEnd());
    expect(shown).toContain('Conflict (the server refused the dry run):');
    expect(shown).toContain(
      '  networkpolicy app/default-deny-all: fields owned by other field managers',
    );
    expect(shown).toContain('  (forcing the apply makes kubectl-netpol their manager)');
    expect(shown).toContainEqual(expect.stringMatching(/^ {2}FIELD +MANAGER +API VERSION$/));
    expect(shown).toContainEqual(
      expect.stringMatching(
        /^ {2}\.spec\.policyTypes +kubectl-client-side-apply +networking\.k8s\.io\/v1$/,
      ),
    );
    expect(shown).toContainEqual(
      expect.stringMatching(/^ {2}\.spec\.podSelector +kubectl-client-side-apply/),
    );
    expect(writes.every((write) => write.dryRun && !write.force)).toBe(true);
  });

  it('y forces the dry run, shows what applying changes, and a second y applies by force', async () => {
    const writes: Write[] = [];
    const ui = await conflictingApply(writes);
    writes.splice(0);
    await press(ui, 'y');
    await untilFrame(ui, (frame) => frame.includes('(forced) in context test? [y/N]'));
    expect(footer(ui)).toMatch(/^apply .*\(forced\) in context test\? \[y\/N\]$/);
    expect(screen(ui)).toContain('Applying to the cluster (server dry run accepted):');
    expect(screen(ui)).toMatch(/changed +networkpolicy app\/default-deny-all/);
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((write) => write.dryRun && write.force)).toBe(true);

    writes.splice(0);
    await press(ui, 'y');
    await untilFrame(ui, (frame) => frame.includes('applied networkpolicy app/default-deny-all'));
    expect(writes).toContainEqual({ path: TAKEN, dryRun: false, force: true });
    expect(writes.every((write) => !write.dryRun && write.force)).toBe(true);
  });

  it('n cancels: nothing is written, nothing forced', async () => {
    const writes: Write[] = [];
    const ui = await conflictingApply(writes);
    await press(ui, 'n');
    await untilFrame(ui, (frame) => !frame.includes('[y/N]'));
    expect(flash(ui)).toBe('not applied');
    expect(screen(ui)).not.toContain('Conflict (the server refused the dry run):');
    expect(writes.every((write) => write.dryRun && !write.force)).toBe(true);
  });
});
