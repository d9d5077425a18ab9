import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileCluster } from '../../src/engine/index.js';
import { loadDemo } from '../../src/io/load-input.js';
import { podColumns } from '../../src/ui/components/columns.js';
import { type Column, ListView, windowStart } from '../../src/ui/components/ListView.js';
import { maxScroll, TextView } from '../../src/ui/components/TextView.js';
import {
  buildClusterView,
  type NamespaceRow,
  type PodRow,
  type PolicyRow,
  passesFilter,
  visibleRows,
} from '../../src/ui/view-model.js';
import { PINNED_SIZE_ENV, tick } from '../helpers/ink.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

beforeAll(() => {
  for (const [name, value] of Object.entries(PINNED_SIZE_ENV)) vi.stubEnv(name, value);
});
afterAll(() => {
  vi.unstubAllEnvs();
});

const view = buildClusterView(compileCluster(loadDemo().cluster));
const ns = (name: string) => view.namespaces.find((row) => row.name === name) as NamespaceRow;
const pod = (prefix: string) => view.pods.find((row) => row.key.startsWith(prefix)) as PodRow;
const policy = (key: string) => view.policies.find((row) => row.key === key) as PolicyRow;

describe('rows of the demo cluster', () => {
  it('lists every namespace, pod and policy once', () => {
    expect(view.namespaces.map((row) => row.name)).toEqual([
      'ingress-nginx',
      'kube-system',
      'legacy',
      'monitoring',
      'production',
      'staging',
      'tenant-a',
      'tenant-b',
      'tenant-c',
    ]);
    expect(view.pods).toHaveLength(32);
    expect(view.policies).toHaveLength(20);
    for (const rows of [view.namespaces, view.pods, view.policies]) {
      expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
    }
  });

  it('counts pods and policies per namespace, adding up to the totals', () => {
    expect(ns('production')).toMatchObject({ pods: 6, policies: 9 });
    expect(ns('kube-system')).toMatchObject({ pods: 6, policies: 0 });
    expect(ns('tenant-c')).toMatchObject({ pods: 2, policies: 2 });
    expect(view.namespaces.reduce((sum, row) => sum + row.pods, 0)).toBe(view.pods.length);
    expect(view.namespaces.reduce((sum, row) => sum + row.policies, 0)).toBe(view.policies.length);
  });

  it('says which directions a namespace denies by default', () => {
    expect(ns('production').defaultDeny).toBe('ingress+egress');
    expect(ns('staging').defaultDeny).toBe('ingress');
    expect(ns('tenant-a').defaultDeny).toBe('ingress');
    expect(ns('legacy').defaultDeny).toBe('none');
    expect(ns('monitoring').labels).toMatchObject({ purpose: 'monitoring' });
  });

  it('badges each pod as isolated, restricted, open or host-net per direction', () => {
    expect(pod('production/frontend-')).toMatchObject({ ingress: 'isolated', egress: 'isolated' });
    expect(pod('staging/api-')).toMatchObject({ ingress: 'isolated', egress: 'open' });
    // No NetworkPolicy selects it, but the Baseline tier's default-deny denies its ingress.
    expect(pod('legacy/busybox')).toMatchObject({
      ingress: 'restricted',
      egress: 'open',
      policies: 0,
    });
    // The Admin tier denies kube-system's pods some ingress; none of them is isolated.
    expect(pod('kube-system/coredns-')).toMatchObject({ ingress: 'restricted', egress: 'open' });
    expect(pod('kube-system/calico-node-')).toMatchObject({
      ingress: 'host-net',
      egress: 'host-net',
      ip: '172.18.0.2',
    });
  });

  it('counts the policies selecting a pod, and shows its labels as a selector', () => {
    // default-deny-all, allow-dns-egress, and four rules naming the api pods
    expect(pod('production/api-').policies).toBe(6);
    expect(pod('production/postgres-0').policies).toBe(3);
    // The Calico demo: two NetworkPolicies and the security tier's GlobalNetworkPolicy, which
    // passes every egress connection it does not deny on: it isolates nothing, but denies some.
    expect(pod('tenant-c/analytics-')).toMatchObject({ egress: 'restricted', policies: 3 });
    expect(pod('legacy/busybox').labelText).toBe('run=busybox');
    expect(pod('legacy/busybox')).toMatchObject({
      namespace: 'legacy',
      name: 'busybox',
      kind: 'Pod',
      ip: '10.244.1.62',
    });
  });

  it('counts the pods each policy selects, and summarises its rules', () => {
    expect(policy('production/default-deny-all')).toMatchObject({
      selected: 6,
      types: 'Ingress,Egress',
      rules: 'deny all ingress, deny all egress',
    });
    expect(policy('production/allow-database-ingress-from-api')).toMatchObject({
      selected: 1,
      types: 'Ingress',
      rules: '1 ingress rule',
    });
    // The deliberate typo (app=web-frontent) selects nothing.
    expect(policy('staging/allow-ingress-controller-to-web-frontend').selected).toBe(0);
    expect(policy('tenant-c/default-deny-ingress')).toMatchObject({
      selected: 2,
      rules: 'deny all ingress',
    });
  });
});

describe('a side only pods the input does not list may be denied', () => {
  // An Admin Deny from pods labelled app=auditor: the input lists none, and no earlier rule takes them.
  const unlisted = stream(
    namespaceYaml('shop'),
    podYaml('shop/api', { labels: { app: 'api' }, ips: ['10.0.0.2'] }),
    `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: guard}
spec:
  tier: Admin
  priority: 10
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: api}}}}
  ingress:
  - {action: Deny, from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: auditor}}}}]}
`,
  );
  const rows = buildClusterView(analyseYaml(unlisted)).pods;

  it('is badged restricted?, not cut in the pods list of an 80-column terminal', async () => {
    expect(rows[0]).toMatchObject({ ingress: 'restricted?', egress: 'open' });
    const ui = render(
      <ListView
        rows={rows}
        columns={podColumns(() => false, true)}
        cursor={0}
        height={3}
        width={80}
        color={false}
        empty=""
      />,
    );
    await tick();
    expect(ui.lastFrame()).toMatch(/10\.0\.0\.2 +restricted\? +open/);
    ui.unmount();
  });
});

describe('passesFilter', () => {
  const labels = { app: 'api', tier: 'backend' };

  it('lets everything through an empty or blank filter', () => {
    expect(passesFilter('', 'anything', {})).toBe(true);
    expect(passesFilter('   ', 'anything', {})).toBe(true);
  });

  it('matches a substring of the name, ignoring case and surrounding blanks', () => {
    expect(passesFilter('api', 'production/api-7d9f', labels)).toBe(true);
    expect(passesFilter('API', 'production/api-7d9f', labels)).toBe(true);
    expect(passesFilter(' prod ', 'production/api-7d9f', labels)).toBe(true);
    expect(passesFilter('frontend', 'production/api-7d9f', labels)).toBe(false);
  });

  it('matches key=value against a label exactly, not against the name', () => {
    expect(passesFilter('app=api', 'x', labels)).toBe(true);
    expect(passesFilter('app=ap', 'x', labels)).toBe(false);
    expect(passesFilter('app=API', 'x', labels)).toBe(false);
    expect(passesFilter('App=api', 'x', labels)).toBe(false);
    expect(passesFilter('role=api', 'x', labels)).toBe(false);
    expect(passesFilter('app=api', 'app=api', {})).toBe(false);
  });

  it('matches a label selector in kubectl syntax, as -l takes it', () => {
    expect(passesFilter('app in (api,web),tier!=frontend', 'x', labels)).toBe(true);
    expect(passesFilter('app notin (api)', 'x', labels)).toBe(false);
    expect(passesFilter('!canary,app=api', 'x', labels)).toBe(true);
    expect(passesFilter('!app', 'x', labels)).toBe(false);
  });

  it('takes the value after the first "=" and treats a leading "=" as text', () => {
    expect(passesFilter('k=a=b', 'x', { k: 'a=b' })).toBe(true);
    expect(passesFilter('app=', 'x', { app: '' })).toBe(true);
    expect(passesFilter('app=', 'x', labels)).toBe(false);
    expect(passesFilter('=api', 'x=api', {})).toBe(true);
  });

  it('does not match inherited object properties as labels', () => {
    expect(passesFilter('constructor=x', 'x', {})).toBe(false);
    expect(passesFilter('toString=', 'x', {})).toBe(false);
  });
});

describe('visibleRows', () => {
  const keys = (rows: readonly { key: string }[]) => rows.map((row) => row.key);

  it('narrows pods and policies to the namespace', () => {
    const pods = visibleRows(view, 'pods', 'production', '');
    expect(pods).toHaveLength(6);
    expect(pods.every((row) => (row as PodRow).namespace === 'production')).toBe(true);
    expect(visibleRows(view, 'policies', 'tenant-a', '')).toHaveLength(3);
    expect(visibleRows(view, 'pods', undefined, '')).toHaveLength(32);
    expect(visibleRows(view, 'pods', 'no-such-namespace', '')).toHaveLength(0);
  });

  it('combines the namespace with a text or label filter', () => {
    expect(keys(visibleRows(view, 'pods', undefined, 'app=api'))).toEqual([
      'production/api-7d9f8b6c5-x2k4p',
      'production/api-7d9f8b6c5-b9tlm',
      'staging/api-6d5c8b7f9-fz2rq',
      'staging/api-6d5c8b7f9-lm9vk',
    ]);
    expect(visibleRows(view, 'pods', 'staging', 'app=api')).toHaveLength(2);
    expect(visibleRows(view, 'pods', 'production', 'postgres')).toHaveLength(1);
  });

  it('matches pod and policy filters against namespace/name', () => {
    expect(visibleRows(view, 'pods', undefined, 'legacy/')).toHaveLength(3);
    expect(keys(visibleRows(view, 'policies', undefined, 'tenant-b/'))).toEqual([
      'tenant-b/default-deny-ingress',
      'tenant-b/allow-same-namespace',
    ]);
  });

  it('filters namespaces by name or by namespace label, ignoring the selected namespace', () => {
    expect(keys(visibleRows(view, 'namespaces', 'production', 'tenant'))).toEqual([
      'tenant-a',
      'tenant-b',
      'tenant-c',
    ]);
    expect(keys(visibleRows(view, 'namespaces', undefined, 'purpose=monitoring'))).toEqual([
      'monitoring',
    ]);
  });
});

describe('windowStart', () => {
  it('starts at 0 when everything fits', () => {
    expect(windowStart(0, 5, 10)).toBe(0);
    expect(windowStart(9, 10, 10)).toBe(0);
  });

  it('keeps the cursor inside the window for every position of a long list', () => {
    const total = 10_000;
    for (const height of [1, 2, 7, 20]) {
      for (let cursor = 0; cursor < total; cursor += 37) {
        const start = windowStart(cursor, total, height);
        expect(start).toBeGreaterThanOrEqual(0);
        expect(start + height).toBeLessThanOrEqual(total);
        expect(cursor).toBeGreaterThanOrEqual(start);
        expect(cursor).toBeLessThan(start + height);
      }
      const last = windowStart(total - 1, total, height);
      expect(last).toBe(total - height);
    }
  });
});

describe('ListView', () => {
  interface Row {
    readonly key: string;
    readonly n: number;
  }
  const columns: Column<Row>[] = [
    { header: 'ROW', width: 12, value: (r) => `row-${r.n}` },
    { header: 'NOTE', width: 0, value: (r) => (r.n % 2 === 0 ? 'even' : 'odd') },
  ];
  const rows: Row[] = Array.from({ length: 10_000 }, (_, n) => ({ key: `k${n}`, n }));

  async function frame(cursor: number, height: number) {
    const ui = render(
      <ListView
        rows={rows}
        columns={columns}
        cursor={cursor}
        height={height}
        width={60}
        color={false}
        empty="none"
      />,
    );
    await tick();
    const text = ui.lastFrame() ?? '';
    ui.unmount();
    return text.split('\n');
  }

  it('renders only the window of a 10,000-row list, with the cursor row marked', async () => {
    for (const cursor of [0, 5_000, 9_999]) {
      const lines = await frame(cursor, 12);
      expect(lines.length).toBeLessThanOrEqual(12);
      expect(lines[0]).toMatch(/^ {2}ROW\s+NOTE/);
      const marked = lines.filter((line) => line.startsWith('▶ '));
      expect(marked).toEqual([expect.stringMatching(new RegExp(`^▶ row-${cursor} `))]);
      expect(lines.filter((line) => /row-\d+/.test(line))).toHaveLength(11);
    }
  });

  it('shows the empty message for no rows', async () => {
    const ui = render(
      <ListView
        rows={[] as Row[]}
        columns={columns}
        cursor={0}
        height={5}
        width={60}
        color={false}
        empty="no pods match"
      />,
    );
    await tick();
    expect(ui.lastFrame()).toContain('no pods match');
    ui.unmount();
  });

  it('cuts a long cell with an ellipsis and never exceeds the width', async () => {
    const long: Row[] = [{ key: 'a', n: 123_456_789_012_345 }];
    const ui = render(
      <ListView
        rows={long}
        columns={columns}
        cursor={0}
        height={3}
        width={24}
        color={false}
        empty=""
      />,
    );
    await tick();
    const lines = (ui.lastFrame() ?? '').split('\n');
    expect(lines[1]).toMatch(/^▶ row-12345678901… odd/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(24);
    ui.unmount();
  });

  it('redraws the same rows when the cursor, the marks, the columns or the width change', async () => {
    const few = rows.slice(0, 3);
    const props = { rows: few, columns, height: 4, width: 60, color: false, empty: '' };
    const ui = render(<ListView {...props} cursor={0} />);
    await tick();
    const lines = () => (ui.lastFrame() ?? '').split('\n').slice(1);
    expect(lines()).toEqual([
      expect.stringMatching(/^▶ row-0 +even$/),
      expect.stringMatching(/^ {2}row-1 +odd$/),
      expect.stringMatching(/^ {2}row-2 +even$/),
    ]);

    ui.rerender(<ListView {...props} cursor={1} marked={(row) => row.n === 0} />);
    await tick();
    expect(lines()).toEqual([
      expect.stringMatching(/^ \*row-0 +even$/),
      expect.stringMatching(/^▶ row-1 +odd$/),
      expect.stringMatching(/^ {2}row-2 +even$/),
    ]);

    const noted: Column<Row>[] = [
      columns[0] as Column<Row>,
      { header: 'NOTE', width: 0, value: () => 'new' },
    ];
    ui.rerender(<ListView {...props} columns={noted} cursor={1} width={20} />);
    await tick();
    expect(lines()).toEqual([
      expect.stringMatching(/^ {2}row-0 +new$/),
      expect.stringMatching(/^▶ row-1 +new$/),
      expect.stringMatching(/^ {2}row-2 +new$/),
    ]);
    // At 10 columns the first column narrows to its cells, and the note keeps what is left,
    // cut with … so that it does not read as whole.
    ui.rerender(<ListView {...props} columns={noted} cursor={1} width={10} />);
    await tick();
    expect(lines()).toEqual(['  row-0 n…', '▶ row-1 n…', '  row-2 n…']);
    ui.unmount();
  });
});

describe('TextView', () => {
  const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`);

  it('shows height lines from the scroll offset, clamped to the end of the text', async () => {
    expect(maxScroll(50, 10)).toBe(40);
    expect(maxScroll(5, 10)).toBe(0);
    const ui = render(<TextView lines={lines} scroll={45} height={10} width={40} />);
    await tick();
    const shown = (ui.lastFrame() ?? '').split('\n');
    expect(shown).toHaveLength(10);
    expect(shown[0]).toBe('line 40');
    expect(shown[9]).toBe('line 49');
    ui.unmount();
  });
});

describe('Service rows', () => {
  const analysis = analyseYaml(
    stream(
      namespaceYaml('shop'),
      podYaml('shop/api-1', { labels: { app: 'api' }, ips: ['10.0.0.2'] }),
      `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  clusterIP: 10.96.0.10
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: shop}
spec:
  clusterIP: None
  ports: [{port: 5432}, {port: 5433, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata: {name: orphan, namespace: shop}
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: mail, namespace: shop}
spec:
  type: ExternalName
  externalName: mail.example.com
---
apiVersion: v1
kind: Service
metadata: {name: api-local, namespace: shop}
spec: {clusterIP: 10.96.0.11, selector: {app: api}, ports: [{port: 80}], internalTrafficPolicy: Local}
---
apiVersion: v1
kind: Service
metadata: {name: api-close, namespace: shop}
spec: {clusterIP: 10.96.0.12, selector: {app: api}, ports: [{port: 80}], trafficDistribution: PreferClose}
---
apiVersion: v1
kind: Service
metadata: {name: api-headless, namespace: shop}
spec: {clusterIP: None, selector: {app: api}, ports: [{port: 80}], internalTrafficPolicy: Local}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: legacy-1, namespace: shop, labels: {kubernetes.io/service-name: legacy}}
addressType: IPv4
endpoints: [{addresses: [10.0.0.2]}, {addresses: [192.0.2.10]}]
ports: [{port: 5432}]
`,
    ),
  );
  const rows = buildClusterView(analysis).services;
  const row = (name: string) => rows.find((r) => r.name === name);

  it('counts a workload by its replicas, and gives the one port a check asks about', () => {
    expect(row('web')).toMatchObject({
      type: 'NodePort',
      clusterIP: '10.96.0.10',
      ports: '80/TCP http',
      selector: 'app=web',
      backends: '3',
      onlyPort: { port: '80', protocol: 'TCP' },
    });
  });

  it('a Service without a selector counts the endpoints of its slices', () => {
    expect(row('legacy')).toMatchObject({
      type: 'ClusterIP',
      clusterIP: 'None',
      ports: '5432/TCP, 5433/UDP',
      selector: '<none>',
      backends: '2',
    });
    expect(row('legacy')?.onlyPort).toBeUndefined();
  });

  it('marks backends a client reaches only on its node (Local) or by topology hints', () => {
    expect(row('api-local')?.backends).toBe('1 Local');
    expect(row('api-close')?.backends).toBe('1 hints');
    // No ClusterIP, no kube-proxy: cluster DNS answers with every ready pod.
    expect(row('api-headless')?.backends).toBe('1');
  });

  it('without selector or slices, its backends are unknown', () => {
    expect(row('orphan')?.backends).toBe('unknown');
  });

  it('shows None only for a headless Service: one written without a clusterIP gets one on creation', () => {
    expect(row('orphan')?.clusterIP).toBe('<unassigned>');
    expect(row('legacy')?.clusterIP).toBe('None');
    expect(row('mail')?.clusterIP).toBe('<none>');
  });
});
