import { describe, expect, it } from 'vitest';
import { policyAsScaffold } from '../../src/engine/audit/fix.js';
import {
  type PolicyPort,
  policyManifest,
  type ScaffoldRequest,
  scaffoldedManifest,
  scaffoldPolicies,
  scaffoldTemplate,
} from '../../src/engine/index.js';
import { loadDemo } from '../../src/io/load-input.js';
import { requestArgs, scaffoldCommand } from '../../src/render/scaffold-command.js';
import { scaffoldRequest } from '../../src/syntax/scaffold-args.js';

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
      expect(read.ok && scaffoldTemplate(read.value).map(scaffoldedManifest)).toEqual(
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

describe('a policy rewritten by scaffold', () => {
  const policies = loadDemo().cluster.policies;
  const rewritten = policies.flatMap((policy) => {
    const request = policyAsScaffold(policy);
    return request ? [[policy.name, policy, request] as const] : [];
  });

  it('is offered for some of the demo policies', () => {
    expect(rewritten.length).toBeGreaterThan(3);
  });

  it.each(rewritten)('%s: the command shown writes that very policy', (_, policy, request) => {
    const read = scaffoldRequest(requestArgs(request), request.namespace);
    expect(read.ok && scaffoldTemplate(read.value).map(scaffoldedManifest)).toEqual([
      policyManifest(policy),
    ]);
  });

  it('is not offered when the arguments cannot say the policy', () => {
    const base = rewritten[0]?.[1];
    if (!base) throw new Error('no demo policy to start from');
    const rule = (ports: PolicyPort[], peers = base.ingress[0]?.peers ?? []) => ({
      ...base,
      policyTypes: ['Ingress' as const],
      egress: [],
      ingress: [{ peers, ports }],
    });
    // A name made of digits reads back as a number; a range needs a numeric start.
    expect(policyAsScaffold(rule([{ protocol: 'TCP', port: '8080' }]))).toBeUndefined();
    expect(policyAsScaffold(rule([{ protocol: 'TCP', endPort: 90 }]))).toBeUndefined();
    // An empty namespace selector has no flag value; --from-namespace '' names no namespace.
    const everyNamespace = { namespaceSelector: { matchLabels: {}, matchExpressions: [] } };
    expect(policyAsScaffold(rule([], [everyNamespace]))).toBeUndefined();
  });
});
