import { expect, it } from 'vitest';
import { describeOnCluster } from './test-cluster.js';

/** kube-apiserver gzips an answer over 128 KiB for a client that accepts gzip, as ours does. */
const GZIP_THRESHOLD = 128 * 1024;

/**
 * A pod whose annotation alone is 100 KiB: with kubectl apply's copy of it in
 * last-applied-configuration, the pods list of its namespace is over the gzip threshold.
 */
const BULKY_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'bulky',
    namespace: 'big',
    labels: { app: 'bulky' },
    annotations: { 'example.com/notes': 'x'.repeat(100 * 1024) },
  },
  spec: { containers: [{ name: 'bulky', image: 'bulky' }] },
};

const API_FROM_WEB = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-web, namespace: big}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
`;

describeOnCluster(
  'answers the API server gzips, read by the shipped bundle',
  (cluster) => {
    cluster.addPods('big', { web: { ip: '10.0.7.10' }, api: { ip: '10.0.7.20', ports: [8080] } });
    cluster.apply([BULKY_POD]);
    cluster.applyYaml(API_FROM_WEB);
  },
  (cluster) => {
    it('the pods list of the namespace is over the gzip threshold', () => {
      expect(
        cluster.mustKubectl(['get', 'pods', '-n', 'big', '-o', 'json']).length,
      ).toBeGreaterThan(GZIP_THRESHOLD);
    });

    // The bundle once imported zlib lazily in a form esbuild's chunks did not keep: every live
    // read of a list over 128 KiB failed with "createGunzip is not a function".
    it('check answers from a gzipped pods list', () => {
      const run = cluster.kubectl(['netpol', 'check', 'big/web', 'big/api', '--port', '8080']);
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe('ALLOWED  big/web -> big/api  TCP 8080');
      const denied = cluster.kubectl(['netpol', 'check', 'big/bulky', 'big/api', '--port', '8080']);
      expect(denied.exitCode).toBe(1);
    });

    it('explain and a full read answer from gzipped lists', () => {
      const explained = cluster.kubectl(['netpol', 'explain', 'big/api', '-o', 'json']);
      expect(explained.exitCode, explained.stderr).toBe(0);
      const full = cluster.kubectl([
        'netpol',
        'check',
        'big/web',
        'big/api',
        '--port',
        '8080',
        '--full-read',
      ]);
      expect(full.exitCode, full.stderr).toBe(0);
    });
  },
);
