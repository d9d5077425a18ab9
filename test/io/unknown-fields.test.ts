/**
 * Fields a policy's API type does not have: kubectl refuses them (strict field validation), an
 * API server without validation drops them. Either way the policy means something else than
 * its author wrote, so each one is a located warning, with the field meant when it is a typo.
 */
import * as clientNode from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/index.js';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import {
  CLUSTER_NETWORK_POLICY_FIELDS,
  type KnownFields,
  NAMESPACE_FIELDS,
  NETWORK_POLICY_FIELDS,
  POD_FIELDS,
  SERVICE_FIELDS,
} from '../../src/io/normalize/known-fields.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';

function unknownFields(yaml: string) {
  const { cluster, findings } = normalizeObjects(parseManifestText(yaml, 'in.yaml').objects);
  return { cluster, findings, warnings: findings.filter((f) => f.code === 'unknown-field') };
}

/** Each warning's first part: the field, and the field meant. */
const headlines = (warnings: readonly Finding[]) => warnings.map((w) => w.message.split(':')[0]);

const TYPO_POLICY = `apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-in, namespace: a}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from: [{podSelector: {matchLabel: {app: cli}}}]
    port: [{port: 80}]
`;

describe('unknown fields of a NetworkPolicy', () => {
  it('warns of each, nested in lists too, with its path, its document and the field meant', () => {
    const { warnings } = unknownFields(TYPO_POLICY);
    expect(warnings).toEqual([
      {
        severity: 'warning',
        code: 'unknown-field',
        object: 'NetworkPolicy a/api-in',
        location: { file: 'in.yaml', document: 2, line: 5 },
        message: expect.stringMatching(
          /^unknown field spec\.ingress\[0\]\.from\[0\]\.podSelector\.matchLabel \(did you mean matchLabels\?\): kubectl apply refuses this field \(strict validation\); if applied without validation the API server drops it, and this analysis drops it too$/,
        ),
      },
      expect.objectContaining({
        message: expect.stringMatching(
          /^unknown field spec\.ingress\[0\]\.port \(did you mean ports\?\)/,
        ),
      }),
    ]);
  });

  it('drops the field as an API server without validation does', () => {
    const { cluster } = unknownFields(TYPO_POLICY);
    // The rule keeps no peer and no port: it admits everything, as the cluster would.
    expect(cluster.policies[0]?.ingress).toEqual([
      { peers: [{ podSelector: { matchLabels: {}, matchExpressions: [] } }], ports: [] },
    ]);
  });

  it('checks every level: metadata, spec, selectors, requirements, ipBlock and ports', () => {
    const { warnings } = unknownFields(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namepsace: a}
spec:
  podselector: {}
  egress:
  - to:
    - namespaceSelector:
        matchExpressions: [{key: team, operator: In, value: [x]}]
    - ipBlock: {cidr: 10.0.0.0/8, exept: [10.1.0.0/16]}
    ports: [{protocol: TCP, port: 53, endport: 60}]
`);
    expect(headlines(warnings)).toEqual([
      'unknown field metadata.namepsace (did you mean namespace?)',
      'unknown field spec.podselector (did you mean podSelector?)',
      'unknown field spec.egress[0].to[0].namespaceSelector.matchExpressions[0].value (did you mean values?)',
      'unknown field spec.egress[0].to[1].ipBlock.exept (did you mean except?)',
      'unknown field spec.egress[0].ports[0].endport (did you mean endPort?)',
    ]);
  });

  it('suggests nothing for a field far from every known one, and counts past five', () => {
    const fields = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta'];
    const { warnings } = unknownFields(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: a}
spec: {podSelector: {}, ${fields.map((f) => `${f}: 1`).join(', ')}}
`);
    expect(headlines(warnings)).toEqual([
      ...fields.slice(0, 5).map((f) => `unknown field spec.${f}`),
      'and 2 more unknown fields',
    ]);
  });

  it('cuts a very long unknown key in the path it shows', () => {
    const key = 'x'.repeat(100);
    const { warnings } = unknownFields(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: a}
spec: {podSelector: {}, ingress: [{}, {${key}: 1}]}
`);
    expect(headlines(warnings)).toEqual([`unknown field spec.ingress[1].${'x'.repeat(60)}...`]);
  });

  it('still warns when the policy is refused for another error', () => {
    const { findings, warnings } = unknownFields(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: a}
spec: {podSelector: {}, policyType: [Ingress], ingress: [{ports: [{port: 0}]}]}
`);
    expect(findings.map((f) => f.code)).toContain('invalid-object');
    expect(headlines(warnings)).toEqual([
      'unknown field spec.policyType (did you mean policyTypes?)',
    ]);
  });

  it('says nothing of a policy read from a cluster, whose API server has dropped such fields', () => {
    const { findings } = normalizeObjects([
      {
        object: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'p', namespace: 'a' },
          spec: { podSelector: {}, futureField: true },
        },
        location: { file: 'context kind-test' },
      },
    ]);
    expect(findings.filter((f) => f.code === 'unknown-field')).toEqual([]);
  });

  it('says nothing of a policy with only known fields', () => {
    const { warnings } = unknownFields(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: a, labels: {x: y}, annotations: {z: w}}
spec:
  podSelector: {matchLabels: {app: api}, matchExpressions: [{key: k, operator: Exists}]}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{namespaceSelector: {}, podSelector: {}}], ports: [{port: http}]}]
  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}], ports: [{protocol: UDP, port: 53, endPort: 54}]}]
status: {}
`);
    expect(warnings).toEqual([]);
  });
});

describe('unknown fields of a ClusterNetworkPolicy', () => {
  it('warns of typos in the subject, peers and protocols, named by the policy', () => {
    const { warnings } = unknownFields(`apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: guard}
spec:
  tier: Admin
  priority: 10
  subject:
    pods: {namespaceSelector: {}, podSelectr: {matchLabels: {app: db}}}
  ingress:
  - action: Deny
    from: [{namespace: {}}]
    protocols: [{tcp: {destinationPort: {range: {start: 1, ends: 2}}}}]
  egress:
  - action: Accept
    to: [{networks: [10.0.0.0/8], domainName: [example.com]}]
`);
    expect(warnings.map((w) => `${w.object}: ${w.message.split(':')[0]}`)).toEqual([
      'ClusterNetworkPolicy guard: unknown field spec.subject.pods.podSelectr (did you mean podSelector?)',
      'ClusterNetworkPolicy guard: unknown field spec.ingress[0].from[0].namespace (did you mean namespaces?)',
      'ClusterNetworkPolicy guard: unknown field spec.ingress[0].protocols[0].tcp.destinationPort.range.ends (did you mean end?)',
      'ClusterNetworkPolicy guard: unknown field spec.egress[0].to[0].domainName (did you mean domainNames?)',
    ]);
  });
});

describe('unknown fields of the objects whose labels and ports policies read', () => {
  it('warns of a typo in the metadata of a Namespace, Pod or pod template, and in a Service spec', () => {
    const { cluster, warnings } = unknownFields(`apiVersion: v1
kind: Namespace
metadata: {name: a, lables: {team: x}}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namepsace: a}
spec: {anything: is not checked}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: a}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {label: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: a}
spec:
  schedule: '@daily'
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: nightly}, anotations: {}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: a}
spec: {selecter: {app: web}, ports: [{port: 80, targetport: 8080}]}
`);
    expect(warnings.map((w) => `${w.object}: ${w.message.split(':')[0]}`)).toEqual([
      'Namespace a: unknown field metadata.lables (did you mean labels?)',
      'Pod default/p: unknown field metadata.namepsace (did you mean namespace?)',
      'Deployment a/web: unknown field spec.template.metadata.label (did you mean labels?)',
      'CronJob a/nightly: unknown field spec.jobTemplate.spec.template.metadata.anotations (did you mean annotations?)',
      'Service a/web: unknown field spec.selecter (did you mean selector?)',
      'Service a/web: unknown field spec.ports[0].targetport (did you mean targetPort?)',
    ]);
    // What the API server keeps: a Namespace and pods without labels, a Service without selector.
    expect(cluster.namespaces).toEqual([{ name: 'a', labels: {} }]);
    expect(cluster.services[0]?.selector).toBeUndefined();
  });
});

/** Client-node's generated model of a type, by its name there (`V1NetworkPolicySpec`). */
type Model = { getAttributeTypeMap(): { baseName: string; type: string }[] };

/**
 * Asserts that a table names exactly the fields of a client-node model, and the same of each
 * nested table; `except` lists fields the table adds on purpose.
 */
function expectModelFields(table: KnownFields, modelName: string, except: string[] = []) {
  const model = (clientNode as unknown as Record<string, Model>)[modelName];
  const attributes = model?.getAttributeTypeMap() ?? [];
  const fields = Object.keys(table).filter((f) => !except.includes(f));
  expect(fields.sort(), modelName).toEqual(attributes.map((a) => a.baseName).sort());
  for (const { baseName, type } of attributes) {
    const nested = table[baseName];
    if (nested !== true && nested !== undefined) {
      expectModelFields(nested, type.replace(/^Array<(.*)>$/, '$1'));
    }
  }
}

describe('the known fields', () => {
  it("are those of the Kubernetes API's NetworkPolicy, as client-node's models give them", () => {
    expectModelFields(NETWORK_POLICY_FIELDS, 'V1NetworkPolicy', ['status']);
  });

  it("of Pod, Namespace and Service are those of client-node's models", () => {
    expectModelFields(POD_FIELDS, 'V1Pod');
    expectModelFields(NAMESPACE_FIELDS, 'V1Namespace');
    expectModelFields(SERVICE_FIELDS, 'V1Service');
  });

  it('of ClusterNetworkPolicy share the LabelSelector and ObjectMeta fields', () => {
    const subject = CLUSTER_NETWORK_POLICY_FIELDS.spec as KnownFields;
    expectModelFields(
      (subject.subject as KnownFields).namespaces as KnownFields,
      'V1LabelSelector',
    );
    expectModelFields(CLUSTER_NETWORK_POLICY_FIELDS.metadata as KnownFields, 'V1ObjectMeta');
  });
});
