/**
 * The audit warns about a namespace the input names but does not hold when a policy's
 * namespaceSelector needs its labels (answers about its pods are then UNKNOWN), naming the
 * policies; not when the selectors need only the name, nor once the Namespace is given.
 */
import { describe, expect, it } from 'vitest';
import { findingMessage } from '../../../src/render/audit.js';
import { audit, ns, pod, policy } from './yaml.js';

const SERVER = `${ns('srv')}${pod('srv/server', { app: 'server' }, '10.0.0.1')}`;
const CLIENT = pod('d/client', { app: 'client' }, '10.0.0.2');
const fromNamespaces = (selector: string) =>
  policy(
    'srv/from-ns',
    `{podSelector: {matchLabels: {app: server}}, ingress: [{from: [{namespaceSelector: ${selector}}]}]}`,
  );

describe('a namespace named but not in the input', () => {
  it('warns when a namespaceSelector needs its labels, naming the policy and the fix', () => {
    const findings = audit(
      `${SERVER}${CLIENT}${fromNamespaces('{matchLabels: {env: prod}}')}`,
      'namespace-not-given',
    );
    expect(findings).toMatchObject([
      {
        severity: 'warning',
        namespace: 'd',
        policies: ['srv/from-ns'],
        objects: [{ kind: 'Namespace', name: 'd' }],
      },
    ]);
    const [finding] = findings;
    if (!finding) throw new Error('the finding should be there');
    const text = findingMessage(finding);
    expect(text).toContain('namespace d is not in the input');
    expect(text).toContain('add its Namespace manifest, or read the live cluster');
  });

  it('is silent when selectors need only the name, or the Namespace is given', () => {
    const byName = fromNamespaces('{matchLabels: {kubernetes.io/metadata.name: d}}');
    expect(audit(`${SERVER}${CLIENT}${byName}`, 'namespace-not-given')).toEqual([]);
    const byEnv = fromNamespaces('{matchLabels: {env: prod}}');
    expect(audit(`${SERVER}${ns('d')}${CLIENT}${byEnv}`, 'namespace-not-given')).toEqual([]);
  });
});
