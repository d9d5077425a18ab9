import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { applyObjects } from '../../src/io/normalize/apply-objects.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';
import { podYaml, policyYaml, stream } from '../helpers/scenario.js';

const objects = (text: string) => parseManifestText(text, 'test.yaml').objects;

const POD = podYaml('a/web', { labels: { app: 'web' }, ips: ['10.0.0.1'] });
const DENY = policyYaml('a/deny', 'podSelector: {}\npolicyTypes: [Ingress]');
const BASE = objects(stream(POD, DENY));

describe('applyObjects', () => {
  it('replaces an object of the same kind, namespace and name, and adds the others', () => {
    const widened = policyYaml('a/deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]');
    const added = policyYaml('a/new', 'podSelector: {}');
    const result = applyObjects(BASE, objects(stream(widened, added)), []);
    expect(result.changes).toEqual([
      { object: 'NetworkPolicy a/deny', change: 'changed', namespace: 'a' },
      { object: 'NetworkPolicy a/new', change: 'added', namespace: 'a' },
    ]);
    const { cluster } = normalizeObjects(result.objects);
    expect(cluster.policies.map((p) => [p.name, p.policyTypes])).toEqual([
      ['deny', ['Ingress', 'Egress']],
      ['new', ['Ingress']],
    ]);
  });

  it('counts an object the analysis reads alike as unchanged', () => {
    const annotated = DENY.replace('namespace: a', 'namespace: a\n  annotations: {note: x}');
    expect(applyObjects(BASE, objects(annotated), []).changes).toEqual([]);
  });

  it('keeps the status of a replaced object, which applying a manifest never sets', () => {
    const relabelled = podYaml('a/web', { labels: { app: 'api' } });
    const result = applyObjects(BASE, objects(relabelled), []);
    expect(result.changes).toEqual([{ object: 'Pod a/web', change: 'changed', namespace: 'a' }]);
    const [pod] = normalizeObjects(result.objects).cluster.pods;
    expect(pod?.labels).toEqual({ app: 'api' });
    expect(pod?.ips).toEqual(['10.0.0.1']);
  });

  it('removes deleted objects by identity alone, and names those not there', () => {
    const stub =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: a}\n';
    const missing = stub.replace('name: deny', 'name: gone');
    const result = applyObjects(BASE, [], objects(stream(stub, missing)));
    expect(result.changes).toEqual([
      { object: 'NetworkPolicy a/deny', change: 'removed', namespace: 'a' },
    ]);
    expect(result.absent).toEqual(['NetworkPolicy a/gone']);
    expect(normalizeObjects(result.objects).cluster.policies).toEqual([]);
  });

  it('tells kinds of different API groups apart, and names cluster-scoped objects without a namespace', () => {
    const calico = DENY.replace('networking.k8s.io/v1', 'projectcalico.org/v3');
    expect(applyObjects(BASE, objects(calico), []).changes).toEqual([
      { object: 'NetworkPolicy a/deny', change: 'added', namespace: 'a' },
    ]);
    const cnp =
      'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: c}\n';
    expect(applyObjects(objects(cnp), [], objects(cnp)).changes).toEqual([
      { object: 'ClusterNetworkPolicy c', change: 'removed', namespace: undefined },
    ]);
  });
});
