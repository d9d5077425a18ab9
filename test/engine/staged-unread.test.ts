/**
 * Calico staged policies are never enforced: "Staged network policies ... are not enforced"
 * (https://docs.tigera.io/calico-enterprise/latest/network-policy/staged-network-policies).
 * A staged list that could not be read can hide only staged policies, so the verdict stands.
 */
import { describe, expect, it } from 'vitest';
import { type Cluster, compileCluster, type UnreadList } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { flow, namespaceYaml, podYaml, stream } from '../helpers/scenario.js';

const cluster: Cluster = analyseYaml(
  stream(
    namespaceYaml('a'),
    namespaceYaml('b'),
    podYaml('a/web', { labels: { app: 'web' }, ips: ['10.0.0.1'] }),
    podYaml('b/api', { labels: { app: 'api' }, ips: ['10.0.0.2'] }),
    'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: api-deny\n  namespace: b\n' +
      "spec:\n  selector: app == 'api'\n  ingress:\n  - action: Deny\n",
  ),
).cluster;

const refused = (resource: string): UnreadList => ({
  resource,
  reason: '403 Forbidden',
  canI: `kubectl auth can-i list ${resource} --all-namespaces`,
});

const verdictWith = (unread: UnreadList[], from: string, to: string) =>
  flow(compileCluster({ ...cluster, unread }), from, to, 'TCP', 8080).verdict;

describe('an unread staged Calico list', () => {
  it.each([
    'stagednetworkpolicies.projectcalico.org',
    'stagedglobalnetworkpolicies.crd.projectcalico.org',
    'stagedkubernetesnetworkpolicies.crd.projectcalico.org',
  ])('leaves verdicts as they are (%s)', (resource) => {
    expect(verdictWith([refused(resource)], 'a/web', 'b/api')).toBe('DENIED');
    expect(verdictWith([refused(resource)], 'b/api', 'a/web')).toBe('ALLOWED');
  });

  it('unlike an unread list of enforced Calico policies, which makes them UNKNOWN', () => {
    const unread = [refused('networkpolicies.crd.projectcalico.org')];
    expect(verdictWith(unread, 'a/web', 'b/api')).toBe('UNKNOWN');
  });
});
