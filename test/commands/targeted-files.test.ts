import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { Random } from '../../bench/prng.js';
import { generateCluster } from '../../bench/synthetic-cluster.js';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fake-api.js';

/** One question to ask both ways: a check (source, destination, port) or an explain. */
type Question =
  | { readonly check: readonly [string, string]; readonly port: number }
  | { readonly explain: string };

function argsOf(question: Question): string[] {
  return 'explain' in question
    ? ['explain', question.explain]
    : ['check', ...question.check, '--port', String(question.port)];
}

/**
 * Asks each question about the manifests with the targeted read and with --full-read: the JSON
 * answers, the exit codes and the lines on stderr other than the findings (which cover what was
 * built) must be the same.
 */
async function expectSameAnswers(files: readonly string[], questions: readonly Question[]) {
  const input = files.flatMap((file) => ['-f', file]);
  for (const question of questions) {
    const args = [...argsOf(question), ...input, '-o', 'json'];
    const targeted = await runCli(args);
    const full = await runCli([...args, '--full-read']);
    const context = args.join(' ');
    expect({ context, exit: targeted.exitCode, out: targeted.stdout }).toEqual({
      context,
      exit: full.exitCode,
      out: full.stdout,
    });
    if (targeted.exitCode === 2 && targeted.stdout === '') {
      expect({ context, err: targeted.stderr.split('\n').at(-2) }).toEqual({
        context,
        err: full.stderr.split('\n').at(-2),
      });
    }
  }
}

/** The pods ("namespace/name") among documents parsed from YAML. */
function podIds(documents: readonly unknown[]): string[] {
  return documents.flatMap((doc) => {
    const object = doc as { kind?: string; metadata?: { name?: string; namespace?: string } };
    if (object?.kind !== 'Pod' || !object.metadata?.name) return [];
    return [`${object.metadata.namespace ?? 'default'}/${object.metadata.name}`];
  });
}

function yamlDocuments(text: string): unknown[] {
  return parseManifestText(text, 'fixture').objects.map(({ object }) => object);
}

/** `count` questions drawn from the pods: checks on the ports given, and explains. */
function questionsAbout(
  pods: readonly string[],
  ports: readonly number[],
  count: number,
  seed: number,
): Question[] {
  const random = new Random(seed);
  return Array.from({ length: count }, (_, i): Question => {
    if (i % 4 === 3) return { explain: random.pick(pods) };
    return { check: [random.pick(pods), random.pick(pods)], port: random.pick(ports) };
  });
}

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

describe('check and explain from files read only what the answer depends on', () => {
  it('answer as the full read does on generated clusters', async () => {
    for (const seed of [11, 12, 13]) {
      const dir = tempDir();
      const objects = generateCluster({ pods: 120, policies: 40, namespaces: 8, seed });
      writeFileSync(join(dir, 'cluster.yaml'), objects.map((o) => dump(o)).join('---\n'));
      const pods = objects.flatMap((o) =>
        o.kind === 'Pod' ? [`${o.metadata.namespace}/${o.metadata.name}`] : [],
      );
      await expectSameAnswers([dir], questionsAbout(pods, [53, 80, 443, 5432, 8080], 24, seed));
    }
  }, 120_000);

  it('answer as the full read does on the upstream conformance cases', async () => {
    const root = join(fixtures, 'conformance/upstream-e2e');
    const model = join(root, 'model.yaml');
    const pods = podIds(yamlDocuments(readFileSync(model, 'utf8')));
    const cases = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(cases.length).toBeGreaterThan(10);
    for (const [i, entry] of cases.entries()) {
      const policies = join(root, entry.name, 'policies.yaml');
      await expectSameAnswers([model, policies], questionsAbout(pods, [80, 81], 6, i + 1));
    }
  }, 120_000);

  it('answer as the full read does on the manifest fixtures', async () => {
    const root = join(fixtures, 'manifests');
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(root, entry.name);
      const texts = readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.yaml'))
        .map((file) => readFileSync(join(dir, file), 'utf8'));
      const pods = podIds(texts.flatMap(yamlDocuments));
      if (pods.length === 0) continue;
      await expectSameAnswers([dir], questionsAbout(pods, [53, 80, 8080], 12, pods.length));
    }
  }, 120_000);
});

/** A Pod document with one container and an address. */
const podYaml = (namespace: string, name: string, app: string, ip: string, ports = '[]') =>
  `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}, labels: {app: ${app}}}
spec: {containers: [{name: ${name}, image: ${name}, ports: ${ports}}]}
status: {podIP: ${ip}}
`;

/** Three namespaces: shop (isolated, admits web pods of namespaces labelled team=front), front, other. */
const BASE = `${['shop', 'front', 'other']
  .map(
    (name) =>
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: {kubernetes.io/metadata.name: ${name}, team: ${name}}}\n`,
  )
  .join('---\n')}---
${podYaml('shop', 'db', 'db', '10.0.0.1', '[{containerPort: 5432, name: sql}]')}---
${podYaml('shop', 'api', 'api', '10.0.0.2', '[{containerPort: 8080}]')}---
${podYaml('front', 'web', 'web', '10.0.1.1')}---
${podYaml('other', 'job', 'web', '10.0.2.1')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-front, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: front}}, podSelector: {matchLabels: {app: web}}}]}]
  egress: [{to: [{podSelector: {matchLabels: {app: db}}}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: other}
spec: {podSelector: {}, policyTypes: [Egress]}
`;

/** What each case adds to BASE: every one must leave the answers as the full read gives them. */
const ADDED: Record<string, string> = {
  'nothing more': '',
  'an ipBlock rule': `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: cidr, namespace: shop}
spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.2.0/24}}]}]}
`,
  'egress to every namespace': `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: anywhere, namespace: shop}
spec: {podSelector: {}, egress: [{to: [{namespaceSelector: {}}]}]}
`,
  'a rule without peers': `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: all-in, namespace: shop}
spec: {podSelector: {matchLabels: {app: db}}, ingress: [{ports: [{port: 5432}]}]}
`,
  'a Service whose slice points at a pod of another namespace': `
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: shop}
spec: {ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ext-1, namespace: shop, labels: {kubernetes.io/service-name: ext}}
addressType: IPv4
endpoints: [{addresses: [10.0.2.1]}]
ports: [{port: 8080, protocol: TCP, name: ""}]
`,
  'a ClusterNetworkPolicy': `
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: admin}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {}}
  ingress: [{action: Deny, from: [{namespaces: {matchLabels: {team: other}}}]}]
`,
  'a Calico GlobalNetworkPolicy': `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: global}
spec: {selector: all(), types: [Ingress], ingress: [{action: Deny, source: {selector: app == 'web'}}]}
`,
  'a CiliumNetworkPolicy elsewhere': `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: l3, namespace: other}
spec: {endpointSelector: {}, egress: [{toEndpoints: [{matchLabels: {app: api}}]}]}
`,
  'the network plugin running in a namespace left unbuilt': `
apiVersion: v1
kind: Pod
metadata: {name: calico-node-x1, namespace: other, labels: {k8s-app: calico-node}}
spec: {containers: [{name: calico-node, image: docker.io/calico/node:v3.27.0}]}
status: {podIP: 10.0.2.9}
`,
  'Flannel alone, as a DaemonSet elsewhere': `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-flannel-ds, namespace: other}
spec:
  selector: {matchLabels: {app: flannel}}
  template:
    metadata: {labels: {app: flannel}}
    spec: {containers: [{name: kube-flannel, image: ghcr.io/flannel-io/flannel:v0.25.1}]}
`,
  'a pod of a selected namespace behind a quoted kind and an anchored namespace': `
apiVersion: v1
kind: "Pod"
metadata: {name: web2, namespace: front, labels: {app: web}}
spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web3, namespace: &ns front, labels: {app: web, home: *ns}}
spec: {containers: [{name: web, image: nginx}]}
`,
  'a workload in a namespace whose pods are selected': `
apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: front}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
`,
  'a diagnosis that weighs the pods of a namespace the peers select': `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: typo, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: front}}, podSelector: {matchLabels: {app: wbe}}}]}]
`,
  'pods whose labels their scalars cannot tell': `
apiVersion: v1
kind: Pod
metadata: {name: odd1, namespace: front, labels: {app: web, gone: null}}
spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: odd2, namespace: front, labels: {app: !!str web}}
spec: {containers: [{name: web, image: nginx}]}
`,
};

describe('the targeted read from files falls back where the answer could depend on the rest', () => {
  const pods = ['shop/db', 'shop/api', 'front/web', 'other/job'];
  const targets = [...pods, '10.0.0.2', 'svc/ext', 'shop/svc/ext'];
  const questions: Question[] = [
    ...targets.flatMap((from) =>
      targets.flatMap((to) =>
        [80, 5432, 8080].map((port) => ({ check: [from, to] as const, port })),
      ),
    ),
    ...targets.map((pod) => ({ explain: pod })),
  ];
  for (const [name, added] of Object.entries(ADDED)) {
    it(`answers as the full read does with ${name}`, async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'cluster.yaml'), added ? `${BASE}---${added}` : BASE);
      await expectSameAnswers([dir], questions);
    }, 60_000);
  }
});
