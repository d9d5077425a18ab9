/**
 * Reading cluster policies: ClusterNetworkPolicy (v1alpha2) and the deprecated v1alpha1
 * AdminNetworkPolicy / BaselineAdminNetworkPolicy onto one model, validated as the API server's
 * schema does (one line per error, naming the object; the rest of the input still works), and
 * live, where they join the snapshot with the Nodes their `nodes` peers need.
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadLive } from '../../src/io/cluster/load-live.js';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import {
  jsonAnswer as json,
  kubeconfigFile,
  routedApiServer,
  tempDir,
} from '../helpers/fake-api.js';

function normalize(text: string) {
  return normalizeObjects(parseManifestText(text, 'in.yaml').objects);
}

const EMPTY = { matchLabels: {}, matchExpressions: [] };

describe('ClusterNetworkPolicy v1alpha2', () => {
  it('reads tier, priority, subject, rules, peers and every port form', () => {
    const { cluster, findings } = normalize(`
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: guard}
spec:
  tier: Baseline
  priority: 0
  subject:
    pods: {namespaceSelector: {matchLabels: {env: prod}}, podSelector: {matchLabels: {app: db}}}
  ingress:
  - name: from-apps
    action: Accept
    from: [{namespaces: {matchLabels: {tier: app}}}]
    protocols:
    - tcp: {destinationPort: {number: 5432}}
    - udp: {destinationPort: {range: {start: 1000, end: 2000}}}
    - destinationNamedPort: metrics
  egress:
  - action: Pass
    to: [{networks: [10.0.0.0/8]}, {nodes: {}}, {domainNames: ["*.example.com"]}]
`);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(cluster.clusterPolicies).toEqual([
      {
        name: 'guard',
        kind: 'ClusterNetworkPolicy',
        tier: 'Baseline',
        priority: 0,
        subject: {
          namespaceSelector: { matchLabels: { env: 'prod' }, matchExpressions: [] },
          podSelector: { matchLabels: { app: 'db' }, matchExpressions: [] },
        },
        ingress: [
          {
            name: 'from-apps',
            action: 'Accept',
            peers: [
              {
                kind: 'pods',
                namespaceSelector: { matchLabels: { tier: 'app' }, matchExpressions: [] },
              },
            ],
            ports: [
              { kind: 'number', protocol: 'TCP', port: 5432 },
              { kind: 'range', protocol: 'UDP', start: 1000, end: 2000 },
              { kind: 'named', name: 'metrics' },
            ],
          },
        ],
        egress: [
          {
            action: 'Pass',
            peers: [
              { kind: 'networks', cidrs: ['10.0.0.0/8'] },
              { kind: 'nodes', nodeSelector: EMPTY },
              { kind: 'domain-names', domainNames: ['*.example.com'] },
            ],
            ports: [],
          },
        ],
      },
    ]);
    expect(cluster.unmodelledPolicies).toBeUndefined();
  });

  it('refuses what the API server refuses, one line each, and keeps the rest', () => {
    const { cluster, findings } = normalize(`
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: broken}
spec:
  tier: Middle
  priority: 1001
  subject: {namespaces: {}, pods: {podSelector: {}}}
  ingress:
  - action: Allow
    from: [{networks: [10.0.0.0/8]}]
  egress:
  - action: Deny
    to: [{networks: [10.0.0.0/33]}]
    protocols: [{tcp: {destinationPort: {range: {start: 90, end: 80}}}}, {destinationNamedPort: http}]
  - action: Deny
    to: []
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: fine}
spec:
  tier: Admin
  priority: 1000
  subject: {namespaces: {}}
  egress:
  - {action: Deny, to: [{networks: ["::/0"]}]}
`);
    expect(cluster.clusterPolicies?.map((p) => p.name)).toEqual(['fine']);
    const errors = findings.filter((f) => f.severity === 'error');
    expect(errors.every((f) => f.object === 'ClusterNetworkPolicy broken')).toBe(true);
    expect(errors.map((f) => f.message)).toEqual([
      'spec.priority: Invalid value: 1001: spec.priority in body should be less than or equal to 1000 and greater than or equal to 0',
      'spec.tier: Unsupported value: "Middle": supported values: "Admin", "Baseline"',
      'spec.subject: Invalid value: must set exactly one of namespaces, pods',
      'spec.ingress[0].action: Unsupported value: "Allow": supported values: "Accept", "Deny", "Pass"',
      'spec.ingress[0].from[0]: Invalid value: must set exactly one of namespaces, pods (not networks)',
      'spec.egress[0].to[0].networks[0]: Invalid value: "10.0.0.0/33": Invalid CIDR format provided',
      'spec.egress[0].protocols[0].tcp.destinationPort.range: Invalid value: Start port must be less than End port',
      'spec.egress[0]: Invalid value: networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
      'spec.egress[1].to: Required value: at least 1 item',
    ]);
  });
});

describe('the deprecated v1alpha1 kinds', () => {
  it('map AdminNetworkPolicy onto the Admin tier and Allow onto Accept, with a note', () => {
    const { cluster, findings } = normalize(`
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: legacy}
spec:
  priority: 3
  subject: {namespaces: {}}
  ingress:
  - action: Allow
    from: [{pods: {namespaceSelector: {}, podSelector: {}}}]
    ports: [{portNumber: {port: 80}}, {portRange: {protocol: UDP, start: 5, end: 6}}, {namedPort: web}]
`);
    expect(cluster.clusterPolicies?.[0]).toMatchObject({
      kind: 'AdminNetworkPolicy',
      tier: 'Admin',
      priority: 3,
      ingress: [
        {
          action: 'Accept',
          ports: [
            { kind: 'number', protocol: 'TCP', port: 80 },
            { kind: 'range', protocol: 'UDP', start: 5, end: 6 },
            { kind: 'named', name: 'web' },
          ],
        },
      ],
    });
    expect(findings.map((f) => f.message)).toContain(
      'AdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) is deprecated: ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) replaces it; it is evaluated in the Admin tier with Allow read as Accept',
    );
  });

  it('map BaselineAdminNetworkPolicy onto the Baseline tier; only "default", without Pass', () => {
    const { cluster, findings } = normalize(`
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  egress: [{action: Deny, to: [{networks: [0.0.0.0/0]}]}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: other}
spec:
  subject: {namespaces: {}}
  egress: [{action: Pass, to: [{namespaces: {}}]}]
`);
    expect(cluster.clusterPolicies?.map((p) => [p.name, p.tier, p.egress[0]?.action])).toEqual([
      ['default', 'Baseline', 'Deny'],
    ]);
    expect(findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual([
      'metadata.name: Invalid value: Only one baseline admin network policy with metadata.name="default" can be created in the cluster',
      'spec.egress[0].action: Unsupported value: "Pass": supported values: "Allow", "Deny"',
    ]);
  });
});

describe('Nodes', () => {
  it('keep their labels and IP addresses, not their host names', () => {
    const { cluster } = normalize(`
apiVersion: v1
kind: Node
metadata: {name: n1, labels: {role: worker}}
status:
  addresses: [{type: Hostname, address: n1}, {type: InternalIP, address: 192.168.0.1}, {type: ExternalIP, address: 203.0.113.4}]
`);
    expect(cluster.nodes).toEqual([
      { name: 'n1', labels: { role: 'worker' }, addresses: ['192.168.0.1', '203.0.113.4'] },
    ]);
  });
});

const list = (res: ServerResponse, items: unknown[]) =>
  json(res, 200, { items, metadata: { resourceVersion: '7' } });

const LIVE = {
  '/api/v1/namespaces': (res: ServerResponse) => list(res, [{ metadata: { name: 'a' } }]),
  '/api/v1/pods': (res: ServerResponse) => list(res, []),
  '/api/v1/services': (res: ServerResponse) => list(res, []),
  '/apis/networking.k8s.io/v1/networkpolicies': (res: ServerResponse) => list(res, []),
  '/apis/discovery.k8s.io/v1/endpointslices': (res: ServerResponse) => list(res, []),
  '/apis': (res: ServerResponse) =>
    json(res, 200, {
      groups: [
        {
          name: 'policy.networking.k8s.io',
          versions: [{ groupVersion: 'policy.networking.k8s.io/v1alpha2', version: 'v1alpha2' }],
        },
      ],
    }),
  '/apis/policy.networking.k8s.io/v1alpha2': (res: ServerResponse) =>
    json(res, 200, {
      resources: [
        { name: 'clusternetworkpolicies', kind: 'ClusterNetworkPolicy', namespaced: false },
      ],
    }),
  '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies': (res: ServerResponse) =>
    list(res, [
      {
        metadata: { name: 'to-nodes' },
        spec: {
          tier: 'Admin',
          priority: 1,
          subject: { namespaces: {} },
          egress: [{ action: 'Deny', to: [{ nodes: {} }] }],
        },
      },
    ]),
};

describe('a live read', () => {
  it('evaluates the cluster policies it lists, and reads Nodes for them', async () => {
    const server = await routedApiServer({
      ...LIVE,
      '/api/v1/nodes': (res) =>
        list(res, [
          {
            metadata: { name: 'n1' },
            status: { addresses: [{ type: 'InternalIP', address: '192.168.0.1' }] },
          },
        ]),
    });
    const live = await loadLive({ kubeconfig: kubeconfigFile(tempDir(), server.url) }, {});
    expect(live.cluster.clusterPolicies?.map((p) => p.name)).toEqual(['to-nodes']);
    expect(live.cluster.nodes?.map((n) => n.addresses)).toEqual([['192.168.0.1']]);
    expect(live.cluster.unmodelledPolicies).toBeUndefined();
    expect(live.cluster.unread).toBeUndefined();
  });

  it('records Nodes it may not list as unread', async () => {
    const server = await routedApiServer({
      ...LIVE,
      '/api/v1/nodes': (res) =>
        json(res, 403, { kind: 'Status', reason: 'Forbidden', message: 'nodes is forbidden' }),
    });
    const live = await loadLive({ kubeconfig: kubeconfigFile(tempDir(), server.url) }, {});
    expect(live.cluster.unread).toEqual([
      { resource: 'nodes', reason: '403 Forbidden', canI: 'kubectl auth can-i list nodes' },
    ]);
  });
});
