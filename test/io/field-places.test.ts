import { describe, expect, it } from 'vitest';
import { FieldPlaces, type FieldRole } from '../../src/io/manifests/field-places.js';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { expandLists } from '../../src/io/normalize/normalize.js';

/**
 * Where `field` of the n-th object (1-based; a List's items count one by one) of `text` is
 * found, as `line:column`, reading the text as the CLI does.
 */
function placeOf(text: string, object: number, field: string, role: FieldRole = 'key') {
  const { objects } = parseManifestText(text, 'x.yaml');
  const { location } = expandLists(objects)[object - 1] ?? {};
  if (!location) throw new Error(`no object ${object}`);
  const placed = new FieldPlaces(() => text).locate(location, field, role);
  return `${placed.line}:${placed.column ?? '-'}`;
}

const POLICY = `# a comment
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-in
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector:
        matchLabels: {app: a}
    - ipBlock:
        cidr: 10.0.0.0/8
        except:
        - 10.1.0.0/16
        - "10.2.0.0/33"
    ports:
    - port: 80
`;

describe('the place of a field named in a finding', () => {
  it('follows keys and list indices down nested block lists to the key', () => {
    expect(placeOf(POLICY, 1, 'spec.ingress[0].from[0].podSelector.matchLabels')).toBe('11:9');
    expect(placeOf(POLICY, 1, 'spec.ingress[0].ports[0].port')).toBe('18:7');
  });

  it('points at the value for a bad value, the opening quote of a quoted one', () => {
    expect(placeOf(POLICY, 1, 'spec.ingress[0].from[1].ipBlock.cidr', 'value')).toBe('13:15');
    expect(placeOf(POLICY, 1, 'spec.ingress[0].from[1].ipBlock.except[1]', 'value')).toBe('16:11');
  });

  it('points at the key of a bad value that is a mapping or a list', () => {
    expect(placeOf(POLICY, 1, 'spec.ingress[0].from[1].ipBlock', 'value')).toBe('12:7');
    // A list item has no key: its first line.
    expect(placeOf(POLICY, 1, 'spec.ingress[0].from[0]', 'value')).toBe('10:7');
  });

  it('places a missing field at its nearest ancestor written', () => {
    expect(placeOf(POLICY, 1, 'spec.egress[0].to', 'value')).toBe('6:1');
    expect(placeOf(POLICY, 1, 'spec.ingress[3]', 'value')).toBe('8:3');
  });

  it('reads flow style, quoted keys and keys holding dots', () => {
    const text = `kind: Pod
metadata: {name: p, labels: {"app.kubernetes.io/name": web, 'tier': {x: 1}}}
spec: {containers: [{name: c, ports: [{containerPort: 80}, {containerPort: "http"}]}]}
`;
    expect(placeOf(text, 1, 'metadata.labels.app.kubernetes.io/name', 'value')).toBe('2:56');
    expect(placeOf(text, 1, 'metadata.labels.app.kubernetes.io/name')).toBe('2:30');
    expect(placeOf(text, 1, 'metadata.labels.tier')).toBe('2:61');
    expect(placeOf(text, 1, 'spec.containers[0].ports[1].containerPort', 'value')).toBe('3:76');
  });

  it('gives the alias for a field reached through one: the aliased node has no line of its own', () => {
    const text = `kind: NetworkPolicy
metadata: {name: a}
spec:
  podSelector: &web
    matchLabels: {app: web}
    matchLabel: {app: typo}
  ingress:
  - from:
    - podSelector: *web
`;
    expect(placeOf(text, 1, 'spec.ingress[0].from[0].podSelector.matchLabel')).toBe('9:20');
    // The anchored node itself is where it is written.
    expect(placeOf(text, 1, 'spec.podSelector.matchLabel')).toBe('6:5');
    // The key of an aliased value is its own.
    expect(placeOf(text, 1, 'spec.ingress[0].from[0].podSelector')).toBe('9:7');
  });

  it('finds the document among several, and the item of a List', () => {
    const text = `kind: Namespace
metadata: {name: a}
---
apiVersion: v1
kind: List
items:
- kind: Pod
  metadata: {name: p}
- kind: Service
  metadata: {name: s}
  spec:
    ports: [{port: 80, protocol: TPC}]
---
--- {kind: Pod, metadata: {name: q, labelz: {}}}
`;
    expect(placeOf(text, 1, 'metadata.name', 'value')).toBe('2:18');
    expect(placeOf(text, 3, 'spec.ports[0].protocol', 'value')).toBe('12:34');
    expect(placeOf(text, 2, 'metadata')).toBe('8:3');
    expect(placeOf(text, 4, 'metadata.labelz')).toBe('14:37');
  });

  it('finds fields in a JSON document', () => {
    const text = `{
  "kind": "List",
  "items": [
    {"kind": "Pod", "metadata": {"name": "p"}},
    {
      "kind": "NetworkPolicy",
      "metadata": {"name": "n"},
      "spec": {"podSelector": {"matchLabel": {}}}
    }
  ]
}
`;
    expect(placeOf(text, 2, 'spec.podSelector.matchLabel')).toBe('8:32');
  });

  it('keeps the document line when the text does not hold the document', () => {
    const location = { file: 'x.yaml', document: 1, line: 40 };
    expect(new FieldPlaces(() => 'kind: Pod\n').locate(location, 'spec', 'key')).toBe(location);
  });
});
