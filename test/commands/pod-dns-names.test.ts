/**
 * A pod's DNS name under a headless Service (db-0.db.a.svc.cluster.local, as a StatefulSet's
 * pods have) names that pod: its policies decide, it is no host outside the cluster.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const INPUT = `apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: a, labels: {app: db}}
spec: {hostname: db-0, subdomain: db, containers: [{name: pg, image: pg}]}
status: {phase: Running, podIP: 10.0.0.50}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
spec: {containers: [{name: c, image: busybox}]}
status: {phase: Running, podIP: 10.0.0.51}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: a}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: a}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
`;

const check = (destination: string) =>
  runCli(
    ['check', 'a/client', destination, '--port', '5432', '-f', '-', '--assume-enforced'],
    INPUT,
  );

describe('pod DNS names of a headless Service', () => {
  it('HOSTNAME.SERVICE.NAMESPACE.svc[.cluster.local] is the pod, whose ingress denies', async () => {
    for (const name of ['db-0.db.a.svc.cluster.local', 'db-0.db.a.svc', '10-0-0-50.db.a.svc']) {
      const run = await check(name);
      expect(run.stdout.split('\n')[0]).toBe('DENIED  a/client -> a/db-0  TCP 5432');
      expect(run.exitCode).toBe(1);
    }
  });

  it('the short HOSTNAME.SERVICE.NAMESPACE is that pod too, with a note saying so', async () => {
    const run = await check('db-0.db.a');
    const [note, verdict] = run.stdout.split('\n');
    expect(note).toMatch(/^note: db-0\.db\.a is read as HOSTNAME\.SERVICE\.NAMESPACE: /);
    expect(verdict).toBe('DENIED  a/client -> a/db-0  TCP 5432');
  });

  it('a name of the cluster zone that no pod has is an error, not a host outside', async () => {
    const run = await check('db-1.db.a.svc.cluster.local');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'db-1.db.a.svc.cluster.local: no pod a/db-1 in the input; did you mean db-0.db.a.svc.cluster.local?',
    );
  });
});

/**
 * A pod's A/AAAA name (ADDRESS.NAMESPACE.pod.cluster.local) is the address it spells: the pod
 * holding it decides, and the name is no host outside the cluster.
 */
describe('pod A/AAAA names', () => {
  it('10-0-0-50.a.pod.cluster.local is pod a/db-0, whose ingress denies', async () => {
    for (const name of ['10-0-0-50.a.pod.cluster.local', '10-0-0-50.a.pod']) {
      const run = await check(name);
      const [note, verdict] = run.stdout.split('\n');
      expect(note).toBe(
        `note: ${name} is read as the address 10.0.0.50: cluster DNS answers a pod's ADDRESS.NAMESPACE.pod name with the address it spells (CoreDNS's usual "pods insecure" even when no pod has it)`,
      );
      expect(verdict).toBe('DENIED  a/client -> a/db-0  TCP 5432');
      expect(run.exitCode).toBe(1);
    }
  });

  it('an IPv6 name, dashes for colons, is the pod with that address', async () => {
    const dualStack = INPUT.replace(
      'podIP: 10.0.0.50}',
      'podIP: 10.0.0.50, podIPs: [{ip: 10.0.0.50}, {ip: "fd00::50"}]}',
    );
    const run = await runCli(
      ['check', 'a/client', 'fd00--50.a.pod.cluster.local', '--port', '5432', '-f', '-'],
      dualStack,
    );
    expect(run.stdout).toContain('read as the address fd00::50');
    // The name is db-0's IPv6 address, which a/client (IPv4 only) cannot connect to.
    expect(run.stdout).toContain(
      'DENIED  a/client -> a/db-0: no connection between a/client (IPv4) and a/db-0 (IPv6): they share no address family',
    );
  });

  it('a name whose address no pod holds is that address, not a host by name', async () => {
    const run = await check('10-9-9-9.a.pod.cluster.local');
    expect(run.stdout).toContain('read as the address 10.9.9.9');
    expect(run.stdout).toContain('a/client -> 10.9.9.9  TCP 5432');
  });
});
