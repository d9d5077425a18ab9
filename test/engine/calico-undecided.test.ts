/**
 * Calico conditions the engine cannot decide from what it read make the side UNKNOWN instead of
 * a firm answer: namespace labels that could not be read (a rule's namespaceSelector, `pcns.*`
 * labels, a GlobalNetworkPolicy's namespaceSelector) and ServiceAccount labels not read. A rule
 * whose decided conditions miss does not match, whatever the others would say.
 */
import { describe, expect, it } from 'vitest';
import { podEndpoint } from '../../src/engine/compile/endpoint.js';
import { evaluateFlow } from '../../src/engine/evaluate/evaluate.js';
import {
  type Cluster,
  compileCluster,
  computeMatrix,
  portSetAllows,
  type UnreadList,
} from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { flow, namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

const pods = [
  namespaceYaml('a', { team: 'a' }),
  namespaceYaml('b'),
  podYaml('a/web', { labels: { app: 'web' }, ips: ['10.0.0.1'] }),
  podYaml('b/api', { labels: { app: 'api' }, ips: ['10.0.0.2'] }),
  podYaml('b/other', { labels: { app: 'other' }, ips: ['10.0.0.3'] }),
  podYaml('a/new', { labels: { app: 'new' } }),
];

const calico = (kind: string, name: string, spec: string, namespace?: string) =>
  `apiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata:\n  name: ${name}\n` +
  (namespace ? `  namespace: ${namespace}\n` : '') +
  `spec:\n${spec}`;

const clusterOf = (...policies: string[]): Cluster =>
  analyseYaml(stream(...pods, ...policies)).cluster;

const namespacesUnread: UnreadList = {
  resource: 'namespaces',
  reason: '403 Forbidden',
  canI: 'kubectl auth can-i list namespaces',
};

const verdictOf = (cluster: Cluster, from: string, to: string) =>
  flow(compileCluster(cluster), from, to, 'TCP', 8080).verdict;

describe('Calico rules over unread namespace labels', () => {
  it.each([
    ['namespaceSelector', "{namespaceSelector: team == 'a'}"],
    ['pcns. labels in selector', "{selector: pcns.team == 'a'}"],
  ])('make the side UNKNOWN (%s)', (_, source) => {
    // Global, so that its rule's selector is not limited to one namespace.
    const cluster = clusterOf(
      calico(
        'GlobalNetworkPolicy',
        'api-from-team-a',
        `  selector: app == 'api'\n  ingress:\n  - action: Allow\n    source: ${source}\n`,
      ),
    );
    expect(verdictOf(cluster, 'a/web', 'b/api')).toBe('ALLOWED');
    expect(verdictOf({ ...cluster, unread: [namespacesUnread] }, 'a/web', 'b/api')).toBe('UNKNOWN');
    // The other pods of b are not governed by the policy: still exact.
    expect(verdictOf({ ...cluster, unread: [namespacesUnread] }, 'a/web', 'b/other')).toBe(
      'ALLOWED',
    );
  });

  it('make a GlobalNetworkPolicy selecting namespaces by label UNKNOWN where it may apply', () => {
    const cluster = clusterOf(
      calico(
        'GlobalNetworkPolicy',
        'deny-team-a',
        "  namespaceSelector: team == 'a'\n  types: [Egress]\n  egress:\n  - action: Deny\n",
      ),
    );
    expect(verdictOf(cluster, 'a/web', 'b/api')).toBe('DENIED');
    expect(verdictOf(cluster, 'b/api', 'a/web')).toBe('ALLOWED');
    const unread = { ...cluster, unread: [namespacesUnread] };
    expect(verdictOf(unread, 'a/web', 'b/api')).toBe('UNKNOWN');
    expect(verdictOf(unread, 'b/api', 'a/web')).toBe('UNKNOWN');
  });
});

describe('Calico service accounts', () => {
  it('spec.serviceAccountSelector makes the pods the policy may apply to UNKNOWN', () => {
    const cluster = clusterOf(
      calico(
        'NetworkPolicy',
        'deny-labelled-accounts',
        "  selector: app == 'api'\n  serviceAccountSelector: role == 'x'\n  ingress:\n  - action: Deny\n",
        'b',
      ),
    );
    expect(verdictOf(cluster, 'a/web', 'b/api')).toBe('UNKNOWN');
    expect(verdictOf(cluster, 'a/web', 'b/other')).toBe('ALLOWED');
  });

  it.each([
    [
      'a rule selector',
      "  selector: app == 'api'\n  ingress:\n  - action: Allow\n    source: {selector: pcsa.tier == 'front'}\n",
    ],
    ['the policy selector', "  selector: pcsa.tier == 'back'\n  ingress:\n  - action: Deny\n"],
  ])('service account labels (pcsa.*) in %s make the side UNKNOWN', (_, spec) => {
    const cluster = clusterOf(calico('GlobalNetworkPolicy', 'by-account-labels', spec));
    expect(verdictOf(cluster, 'a/web', 'b/api')).toBe('UNKNOWN');
  });

  it('decides a serviceAccountSelector on the account name alone (projectcalico.org/name)', () => {
    // "Select a specific service account by name using the `projectcalico.org/name` label."
    // (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy)
    const cluster = clusterOf(
      calico(
        'NetworkPolicy',
        'deny-default-account',
        "  selector: app == 'api'\n  serviceAccountSelector: projectcalico.org/name == 'default'\n  ingress:\n  - action: Deny\n",
        'b',
      ),
    );
    expect(verdictOf(cluster, 'a/web', 'b/api')).toBe('DENIED');
    const named = {
      ...cluster,
      pods: cluster.pods.map((pod) =>
        pod.id === 'b/api' ? { ...pod, serviceAccount: 'api' } : pod,
      ),
    };
    expect(verdictOf(named, 'a/web', 'b/api')).toBe('ALLOWED');
  });

  it('decides serviceAccounts.selector on the account name alone, not on other labels', () => {
    const rule = (selector: string) =>
      clusterOf(
        calico(
          'NetworkPolicy',
          'api-from-web-account',
          `  selector: app == 'api'\n  ingress:\n  - action: Allow\n    source: {namespaceSelector: all(), serviceAccounts: {selector: "${selector}"}}\n`,
          'b',
        ),
      );
    expect(verdictOf(rule("projectcalico.org/name == 'default'"), 'a/web', 'b/api')).toBe(
      'ALLOWED',
    );
    expect(verdictOf(rule("projectcalico.org/name == 'web-sa'"), 'a/web', 'b/api')).toBe('DENIED');
    expect(
      verdictOf(rule("projectcalico.org/name == 'default' && team == 'a'"), 'a/web', 'b/api'),
    ).toBe('UNKNOWN');
  });

  it('serviceAccounts.names matches the pod spec.serviceAccountName', () => {
    const cluster = clusterOf(
      calico(
        'NetworkPolicy',
        'api-from-web-account',
        "  selector: app == 'api'\n  ingress:\n  - action: Allow\n    source: {namespaceSelector: all(), serviceAccounts: {names: [web-sa]}}\n",
        'b',
      ),
    );
    expect(verdictOf(cluster, 'a/web', 'b/api')).toBe('DENIED');
    const web = cluster.pods.find((pod) => pod.id === 'a/web');
    const named = {
      ...cluster,
      pods: cluster.pods.map((pod) => (pod === web ? { ...pod, serviceAccount: 'web-sa' } : pod)),
    };
    expect(verdictOf(named, 'a/web', 'b/api')).toBe('ALLOWED');
  });

  it('serviceAccounts.names misses a name too long for the label Calico matches it on', () => {
    const long = `sa-${'x'.repeat(70)}`;
    const cluster = clusterOf(
      calico(
        'NetworkPolicy',
        'api-from-long-account',
        `  selector: app == 'api'\n  ingress:\n  - action: Allow\n    source: {namespaceSelector: all(), serviceAccounts: {names: [${long}]}}\n`,
        'b',
      ),
    );
    const named = {
      ...cluster,
      pods: cluster.pods.map((pod) =>
        pod.id === 'a/web' ? { ...pod, serviceAccount: long } : pod,
      ),
    };
    expect(verdictOf(named, 'a/web', 'b/api')).toBe('DENIED');
  });
});

describe('Calico nets and notNets on an address the engine does not know', () => {
  const ingressFrom = (source: string) =>
    clusterOf(
      calico(
        'GlobalNetworkPolicy',
        'api-by-network',
        `  selector: app == 'api'\n  ingress:\n  - action: Allow\n    source: ${source}\n`,
      ),
    );
  const egressTo = (destination: string) =>
    clusterOf(
      calico(
        'GlobalNetworkPolicy',
        'web-by-network',
        `  selector: app == 'web'\n  types: [Egress]\n  egress:\n  - action: Allow\n    destination: ${destination}\n`,
      ),
    );
  const toHost = (cluster: Cluster) => {
    const analysis = compileCluster(cluster);
    const web = podEndpoint(analysis, analysis.podIndex.get('a/web') as number);
    return evaluateFlow(analysis, web, { kind: 'hostname', hostname: 'example.com' }, 'TCP', 443)
      .verdict;
  };

  it.each([
    ['nets', '{nets: [10.0.0.0/24]}'],
    ['notNets', '{notNets: [10.0.0.0/24]}'],
  ])('%s against a pod without an address is UNKNOWN', (_, source) => {
    const cluster = ingressFrom(source);
    expect(verdictOf(cluster, 'a/new', 'b/api')).toBe('UNKNOWN');
    // The matrix agrees: the port is possible, not sure.
    const analysis = compileCluster(cluster);
    const matrix = computeMatrix(analysis);
    const [from, to] = ['a/new', 'b/api'].map((id) =>
      matrix.podIdxs.indexOf(analysis.podIndex.get(id) as number),
    );
    const undecided = matrix.undecidedConnections(from as number, to as number);
    expect(portSetAllows(undecided, 'TCP', 8080)).toBe(true);
  });

  it('nets admitting every address still decide a pod without an address', () => {
    expect(verdictOf(ingressFrom('{nets: [0.0.0.0/0, ::/0]}'), 'a/new', 'b/api')).toBe('ALLOWED');
  });

  it("nets on the policy's own pod, whose IP is unknown, make its side UNKNOWN", () => {
    const cluster = clusterOf(
      calico(
        'GlobalNetworkPolicy',
        'new-by-own-network',
        "  selector: app == 'new'\n  ingress:\n  - action: Deny\n    destination: {nets: [10.0.0.0/24]}\n  - action: Allow\n",
      ),
    );
    expect(verdictOf(cluster, 'a/web', 'a/new')).toBe('UNKNOWN');
  });

  it('nets and notNets on a known address stay exact', () => {
    expect(verdictOf(ingressFrom('{nets: [10.0.0.0/24]}'), 'a/web', 'b/api')).toBe('ALLOWED');
    expect(verdictOf(ingressFrom('{notNets: [10.0.0.0/24]}'), 'a/web', 'b/api')).toBe('DENIED');
  });

  it.each([
    ['nets', '{nets: [93.184.0.0/16]}'],
    ['notNets', '{notNets: [93.184.0.0/16]}'],
  ])('%s against a destination known by host name is UNKNOWN', (_, destination) => {
    expect(toHost(egressTo(destination))).toBe('UNKNOWN');
  });

  it('a selector never matches a host name', () => {
    expect(toHost(egressTo('{selector: all()}'))).toBe('DENIED');
  });
});

describe('Calico rules with conditions the engine does not evaluate', () => {
  // "If the rule contains multiple match criteria (for example, an IP and a port) then all match
  // criteria must match for the rule as a whole to match."
  // (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#entityrule)
  const tier = (name: string, order: number) =>
    `apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: ${name}}\nspec: {order: ${order}}\n`;
  /** A rule of `action` whose source is any endpoint of the namespace with a team-a account. */
  const uncertain = (action: string) =>
    `  - action: ${action}\n    source: {serviceAccounts: {selector: team == 'a'}}\n`;
  const apiPolicy = (name: string, rules: string) =>
    calico('NetworkPolicy', name, `  selector: app == 'api'\n  ingress:\n${rules}`, 'b');

  it('do not match where a condition the engine decides misses', () => {
    const cluster = clusterOf(apiPolicy('api-from-team-accounts', uncertain('Allow')));
    // a/web is outside the policy's namespace b, to which the rule's source is limited.
    expect(verdictOf(cluster, 'a/web', 'b/api')).toBe('DENIED');
    expect(verdictOf(cluster, 'b/other', 'b/api')).toBe('UNKNOWN');
  });

  it('stay UNKNOWN when every one of several may miss', () => {
    const cluster = clusterOf(apiPolicy('api-twice', `${uncertain('Allow')}${uncertain('Allow')}`));
    expect(verdictOf(cluster, 'b/other', 'b/api')).toBe('UNKNOWN');
  });

  it('are decided when every way they may turn out answers alike', () => {
    const cluster = clusterOf(
      apiPolicy(
        'api-from-other',
        `${uncertain('Allow')}  - action: Allow\n    source: {selector: app == 'other'}\n`,
      ),
    );
    expect(verdictOf(cluster, 'b/other', 'b/api')).toBe('ALLOWED');
  });

  it('weigh an uncertain Pass together with the uncertain rules of the tiers it reaches', () => {
    // Tier first: an uncertain Deny, an uncertain Pass, then its end denies. Tier second: an
    // uncertain Deny, then an Allow. Only the first Deny missing, the Pass matching and the
    // second Deny missing together allow: no single rule missing shows it.
    const policy = (name: string, rules: string) =>
      calico(
        'NetworkPolicy',
        name,
        `  tier: ${name.split('.')[0]}\n  selector: app == 'api'\n  ingress:\n${rules}`,
        'b',
      );
    const cluster = clusterOf(
      tier('first', 100),
      tier('second', 200),
      policy('first.guard', `${uncertain('Deny')}${uncertain('Pass')}`),
      policy('second.open', `${uncertain('Deny')}  - action: Allow\n`),
    );
    expect(verdictOf(cluster, 'b/other', 'b/api')).toBe('UNKNOWN');
    // The same connection from another namespace misses every uncertain rule: the first tier's
    // end denies it, for sure.
    expect(verdictOf(cluster, 'a/web', 'b/api')).toBe('DENIED');
  });
});

describe('Calico selectors on ServiceAccount labels', () => {
  const account = (namespace: string, labels: string) =>
    `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: ${namespace}, labels: {${labels}}}\n`;
  const policy = calico(
    'NetworkPolicy',
    'api-from-team-a-accounts',
    "  selector: app == 'api'\n  ingress:\n  - action: Allow\n    source: {namespaceSelector: all(), serviceAccounts: {selector: team == 'a'}}\n",
    'b',
  );

  it("are decided once every pod's ServiceAccount is read", () => {
    const cluster = clusterOf(account('a', 'team: a'), account('b', ''), policy);
    expect(verdictOf(cluster, 'a/web', 'b/api')).toBe('ALLOWED');
    expect(verdictOf(cluster, 'b/other', 'b/api')).toBe('DENIED');
  });

  it("stay UNKNOWN where some pod's ServiceAccount was not read", () => {
    const cluster = clusterOf(account('a', 'team: a'), policy);
    expect(verdictOf(cluster, 'a/web', 'b/api')).toBe('UNKNOWN');
    expect(verdictOf(cluster, 'b/other', 'b/api')).toBe('UNKNOWN');
  });

  it('stay UNKNOWN, and only they, where the serviceaccounts list was refused', () => {
    const unread: UnreadList = {
      resource: 'serviceaccounts',
      reason: '403 Forbidden',
      canI: 'kubectl auth can-i list serviceaccounts --all-namespaces',
    };
    const cluster = { ...clusterOf(account('a', 'team: a'), policy), unread: [unread] };
    expect(verdictOf(cluster, 'a/web', 'b/api')).toBe('UNKNOWN');
    expect(verdictOf(cluster, 'a/web', 'b/other')).toBe('ALLOWED');
  });
});
