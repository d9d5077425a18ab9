import { describe, expect, it } from 'vitest';
import {
  policyManifest,
  type ScaffoldRequest,
  scaffoldPolicies,
  scaffoldRequest,
} from '../../src/engine/index.js';
import { requestArgs, scaffoldCommand } from '../../src/render/scaffold-command.js';

const exact = (labels: Record<string, string>) => ({ matchLabels: labels, matchExpressions: [] });

const REQUESTS: ScaffoldRequest[] = [
  { kind: 'default-deny', namespace: 'shop', direction: 'egress', allowDns: true },
  { kind: 'allow-dns', namespace: 'shop', pods: exact({ app: 'web' }), name: 'dns' },
  { kind: 'allow-same-namespace', namespace: 'shop' },
  {
    kind: 'allow-from-namespace',
    purpose: 'monitoring',
    namespace: 'shop',
    pods: exact({ app: 'api' }),
    from: exact({ 'kubernetes.io/metadata.name': 'monitoring' }),
    fromPods: exact({ app: 'prometheus' }),
    ports: [{ protocol: 'TCP', port: 'metrics' }],
  },
  {
    kind: 'allow',
    namespace: 'shop',
    direction: 'egress',
    pods: {
      matchLabels: { app: 'api' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'canary', operator: 'DoesNotExist', values: [] },
      ],
    },
    peers: [
      { pods: exact({ app: 'db' }), namespaces: exact({ team: 'data' }) },
      { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
    ],
    ports: [{ protocol: 'TCP', port: 8000, endPort: 8100 }, { protocol: 'UDP' }],
  },
];

describe('a request shown as its scaffold command', () => {
  it.each(REQUESTS.map((r) => [r.kind, r] as const))(
    '%s: the arguments shown write the same policies',
    (_, request) => {
      const read = scaffoldRequest(requestArgs(request), request.namespace);
      expect(read.ok && scaffoldPolicies(read.value).map(policyManifest)).toEqual(
        scaffoldPolicies(request).map(policyManifest),
      );
    },
  );

  it('is one copy-pastable shell line, quoting what a shell would split', () => {
    expect(scaffoldCommand(REQUESTS[4] as ScaffoldRequest, ['--demo'])).toBe(
      "kubectl netpol scaffold allow -n shop --direction egress --from 'app=api,tier in (a,b),!canary' --to app=db --to-namespace team=data --to-cidr 10.0.0.0/8 --except 10.1.0.0/16 --port 8000-8100/TCP --port UDP --demo",
    );
  });
});
