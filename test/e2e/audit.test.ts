import { expect, it } from 'vitest';
import { describeOnCluster } from './test-cluster.js';

/** A pod with an image and labels; the test gives it an address, as a kubelet would. */
function pod(namespace: string, name: string, labels: string, image: string, extra = ''): string {
  return `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}, labels: ${labels}}
spec:${extra}
  containers:
    - name: main
      image: ${image}
      ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]
`;
}

/** A small shop with the demo's two mistakes, on a cluster whose only CNI is Flannel. */
const SHOP = `apiVersion: v1
kind: Namespace
metadata: {name: audit-shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: audit-monitoring, labels: {purpose: monitoring}}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-flannel}
${pod('audit-shop', 'web-frontend-1', '{app: web-frontend}', 'nginx:1.27')}
${pod('audit-shop', 'api-1', '{app: api}', 'registry.example/api:1.0')}
${pod('audit-monitoring', 'prometheus-0', '{app: prometheus}', 'quay.io/prometheus/prometheus:v2.54.1')}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress, namespace: audit-shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: audit-shop}
spec:
  podSelector: {matchLabels: {app: web-frontent}}
  ingress: [{ports: [{protocol: TCP, port: 8080}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-scrape, namespace: audit-shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {team: observability}}, podSelector: {matchLabels: {app: prometheus}}}]
      ports: [{protocol: TCP, port: metrics}]
`;

const POD_IPS: [string, string, string][] = [
  ['audit-shop', 'web-frontend-1', '10.244.1.10'],
  ['audit-shop', 'api-1', '10.244.1.11'],
  ['audit-monitoring', 'prometheus-0', '10.244.2.10'],
];

interface AuditJson {
  cni: { plugin: string; enforcesPolicies: boolean | 'unknown' };
  findings: {
    severity: string;
    code: string;
    namespace?: string;
    objects: { kind: string; namespace?: string; name: string }[];
    fixes: { text: string; command?: string }[];
  }[];
}

describeOnCluster(
  'kubectl netpol audit against a real kube-apiserver',
  (cluster) => {
    cluster.applyYaml(SHOP);
    cluster.applyYaml(
      pod(
        'kube-flannel',
        'kube-flannel-ds-x7k2p',
        '{app: flannel}',
        'docker.io/flannel/flannel:v0.25.6',
        '\n  hostNetwork: true',
      ),
    );
    for (const [namespace, name, ip] of POD_IPS) cluster.setPodIp(namespace, name, ip);
    cluster.setPodIp('kube-flannel', 'kube-flannel-ds-x7k2p', '172.18.0.2');
  },
  (cluster) => {
    const audit = (...args: string[]) => cluster.kubectl(['netpol', 'audit', ...args]);
    const auditJson = (...args: string[]) => {
      const run = audit('-o', 'json', ...args);
      expect(run.stderr).toBe('');
      return JSON.parse(run.stdout) as AuditJson;
    };

    it('warns loudly that Flannel ignores the policies, with the pod as evidence', () => {
      const report = auditJson();
      expect(report.cni).toMatchObject({ plugin: 'Flannel', enforcesPolicies: false });
      expect(report.findings[0]).toMatchObject({
        severity: 'error',
        code: 'cni-ignores-policies',
        objects: [{ kind: 'Pod', namespace: 'kube-flannel', name: 'kube-flannel-ds-x7k2p' }],
      });
    });

    it('finds the selector typo and the missing namespace label, with their fixes', () => {
      const { findings } = auditJson('-n', 'audit-shop');
      const typo = findings.find((f) => f.code === 'policy-selects-no-pods');
      expect(typo).toMatchObject({ severity: 'error', namespace: 'audit-shop' });
      expect(typo?.fixes.map((fix) => fix.command ?? fix.text)).toContain(
        'kubectl netpol scaffold allow -n audit-shop --name allow-web --to app=web-frontend --port 8080/TCP',
      );
      const label = findings.find((f) => f.code === 'namespace-selector-matches-nothing');
      expect(label?.fixes[0]?.command).toBe(
        'kubectl label namespace audit-monitoring team=observability',
      );
    });

    it('exits by --fail-on, and 0 without it', () => {
      expect(audit().exitCode).toBe(0);
      expect(audit('--fail-on', 'error').exitCode).toBe(1);
      expect(audit('-n', 'audit-monitoring', '--fail-on', 'warning').exitCode).toBe(1);
    });

    it('passes once the fixes are applied and the cluster runs Calico', () => {
      cluster.mustKubectl([
        'delete',
        'pod',
        '-n',
        'kube-flannel',
        'kube-flannel-ds-x7k2p',
        '--grace-period=0',
        '--force',
      ]);
      cluster.mustKubectl(['label', 'namespace', 'audit-monitoring', 'team=observability']);
      cluster.mustKubectl([
        'patch',
        'networkpolicy',
        'allow-web',
        '-n',
        'audit-shop',
        '--type=merge',
        '-p',
        '{"spec":{"podSelector":{"matchLabels":{"app":"web-frontend"}}}}',
      ]);
      cluster.applyYaml(
        pod(
          'kube-system',
          'calico-node-4kq8z',
          '{k8s-app: calico-node}',
          'docker.io/calico/node:v3.28.1',
          '\n  hostNetwork: true',
        ),
      );
      const report = auditJson('-n', 'audit-shop');
      expect(report.cni).toMatchObject({ plugin: 'Calico', enforcesPolicies: true });
      expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(audit('-n', 'audit-shop', '--fail-on', 'error').exitCode).toBe(0);
    });
  },
);
