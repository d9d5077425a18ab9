/**
 * The labels Calico matches its selectors against. Quotes are from "Calico automatic labels":
 * https://docs.tigera.io/calico/latest/network-policy/get-started/calico-policy/calico-labels
 */
import { describe, expect, it } from 'vitest';
import type { CalicoSelector, Labels } from '../../src/engine/index.js';
import { calicoSelectorMatches } from '../../src/engine/index.js';
import {
  type CalicoPodFacts,
  calicoInheritedLabels,
  calicoNameLabels,
  calicoPodLabels,
} from '../../src/engine/primitives/calico-labels.js';
import { parseCalicoSelector } from '../../src/syntax/calico-selector-syntax.js';

function selector(text: string): CalicoSelector {
  const parsed = parseCalicoSelector(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.selector;
}

const selects = (text: string, labels: Labels) => calicoSelectorMatches(selector(text), labels);

const SOME = {
  name: 'some-namespace',
  labels: { team: 'a', 'kubernetes.io/metadata.name': 'some-namespace' },
};
const OTHER = { name: 'other', labels: { team: 'b', 'kubernetes.io/metadata.name': 'other' } };
const BUILDER = { namespace: 'some-namespace', labels: { foo: 'bar' }, serviceAccount: 'builder' };
const BAZ = { namespace: 'some-namespace', labels: { foo: 'baz' } };
const ELSEWHERE = { namespace: 'other', labels: { foo: 'bar' } };

function labelsOf(pod: CalicoPodFacts): Labels {
  return calicoPodLabels(pod, pod.namespace === SOME.name ? SOME : OTHER);
}

describe('calicoNameLabels', () => {
  it('adds projectcalico.org/name to a namespace', () => {
    // "The label projectcalico.org/name is set to the name of the namespace. This allows for
    // matching namespaces by name when using a namespaceSelector field."
    const labels = calicoNameLabels(SOME);
    expect(labels).toEqual({
      team: 'a',
      'kubernetes.io/metadata.name': 'some-namespace',
      'projectcalico.org/name': 'some-namespace',
    });
    expect(selects('projectcalico.org/name in {"some-namespace", "bar"}', labels)).toBe(true);
  });
});

describe('calicoPodLabels', () => {
  it("adds the workload endpoint's automatic labels", () => {
    // "projectcalico.org/orchestrator == "k8s" matches only Kubernetes Pods"
    // "For WorkloadEndpoints that represent Kubernetes Pods, projectcalico.org/namespace contains
    // the name of the pod's namespace."
    const labels = labelsOf(BUILDER);
    expect(selects('projectcalico.org/orchestrator == "k8s"', labels)).toBe(true);
    expect(selects("projectcalico.org/namespace == 'some-namespace'", labels)).toBe(true);
    expect(selects("projectcalico.org/serviceaccount == 'builder'", labels)).toBe(true);
    expect(selects("foo == 'bar'", labels)).toBe(true);
  });

  it("inherits the namespace's and service account's labels under pcns. and pcsa.", () => {
    const labels = calicoPodLabels(
      { namespace: 'other', labels: {}, serviceAccount: 'builder' },
      OTHER,
      { role: 'ci' },
    );
    expect(labels).toMatchObject({
      'pcns.team': 'b',
      'pcns.projectcalico.org/name': 'other',
      'pcsa.role': 'ci',
      'pcsa.projectcalico.org/name': 'builder',
    });
    expect(calicoInheritedLabels(labels, 'serviceAccount')).toEqual({
      role: 'ci',
      'projectcalico.org/name': 'builder',
    });
  });

  it("lets the pod's own labels win over inherited ones, and Calico's automatic ones over the pod's", () => {
    const labels = calicoPodLabels(
      {
        namespace: 'other',
        labels: { 'pcns.team': 'spoofed', 'projectcalico.org/namespace': 'x' },
      },
      OTHER,
    );
    expect(labels['pcns.team']).toBe('spoofed');
    expect(labels['projectcalico.org/namespace']).toBe('other');
  });

  it('gives a pod that names no service account the labels of "default", as admission sets it', () => {
    // Kubernetes' ServiceAccount admission sets spec.serviceAccountName "default" on such a pod,
    // so on a live cluster its endpoint carries that account (Cilium's labels do the same).
    const none = labelsOf(BAZ);
    expect(selects("projectcalico.org/serviceaccount == 'default'", none)).toBe(true);
    expect(calicoInheritedLabels(none, 'serviceAccount')).toEqual({
      'projectcalico.org/name': 'default',
    });
    expect(selects("projectcalico.org/serviceaccount == 'default'", labelsOf(BUILDER))).toBe(false);
  });

  it('gives no serviceaccount label to a name too long for a label value', () => {
    const long = calicoPodLabels(
      { namespace: 'other', labels: {}, serviceAccount: 's'.repeat(63) },
      OTHER,
    );
    expect(selects('has(projectcalico.org/serviceaccount)', long)).toBe(false);
    expect(selects('has(pcsa.projectcalico.org/name)', long)).toBe(true);
  });
});

describe('calicoInheritedLabels', () => {
  it('gives a namespaceSelector what the documentation says it is equivalent to', () => {
    // "namespaceSelector: projectcalico.org/name == "some-namespace" / selector: foo == "bar"
    // is equivalent to: namespaceSelector: <empty> / selector: (foo == "bar") &&
    // (projectcalico.org/namespace == "some-namespace")"
    const namespaceSelector = selector('projectcalico.org/name == "some-namespace"');
    const podSelector = selector('foo == "bar"');
    const combined = selector(
      '(foo == "bar") && (projectcalico.org/namespace == "some-namespace")',
    );
    const answers = [BUILDER, BAZ, ELSEWHERE]
      .map(labelsOf)
      .map((labels) => [
        calicoSelectorMatches(namespaceSelector, calicoInheritedLabels(labels, 'namespace')) &&
          calicoSelectorMatches(podSelector, labels),
        calicoSelectorMatches(combined, labels),
      ]);
    expect(answers).toEqual([
      [true, true],
      [false, false],
      [false, false],
    ]);
  });

  it("reads a namespace's own labels", () => {
    const labels = labelsOf(ELSEWHERE);
    expect(calicoInheritedLabels(labels, 'namespace')).toEqual(calicoNameLabels(OTHER));
    expect(selects("team == 'b'", calicoInheritedLabels(labels, 'namespace'))).toBe(true);
  });
});
