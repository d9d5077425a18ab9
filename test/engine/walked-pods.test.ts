/**
 * Explaining a pod walks the pods its isolated sides may admit, not the whole cluster: a side
 * that admits nothing to a pod none of its peers matches asks nothing of the pods outside its
 * peers' candidates, and answers as a walk over every pod would.
 */
import { describe, expect, it, vi } from 'vitest';
import * as endpoint from '../../src/engine/compile/endpoint.js';
import { explainPod } from '../../src/engine/index.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';

// Each pod a walk visits past its own pod's side is made an endpoint: counted.
vi.mock('../../src/engine/compile/endpoint.js', async (importActual) => {
  const actual = await importActual<typeof endpoint>();
  return { ...actual, podEndpoint: vi.fn(actual.podEndpoint) };
});

const endpoints = vi.mocked(endpoint.podEndpoint);

/** Pods of a namespace that neither side of shop/web's policies names. */
const ELSEWHERE = 40;

const CLUSTER = stream(
  namespaceYaml('shop', { team: 'shop' }),
  namespaceYaml('kube-system', { 'kubernetes.io/metadata.name': 'kube-system' }),
  namespaceYaml('batch', { team: 'batch' }),
  podYaml('shop/web', { labels: { app: 'web' }, ips: ['10.0.0.1'] }),
  podYaml('shop/api', { labels: { app: 'api' }, ips: ['10.0.0.2'] }),
  podYaml('kube-system/dns', { labels: { 'k8s-app': 'kube-dns' }, ips: ['10.0.9.9'] }),
  ...Array.from({ length: ELSEWHERE }, (_, i) =>
    podYaml(`batch/job-${i}`, { labels: { app: 'job' }, ips: [`10.0.1.${i + 1}`] }),
  ),
  policyYaml(
    'shop/web',
    `
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: api}}
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports: [{protocol: UDP, port: 53}]
  `,
  ),
);

/** How many of the calls a mock heard were about a pod of batch. */
function aboutBatch(analysis: ReturnType<typeof analyseYaml>, calls: readonly unknown[][]) {
  return calls.filter(([, ...rest]) =>
    rest.some((arg) => typeof arg === 'number' && analysis.pods[arg]?.namespace === 'batch'),
  ).length;
}

describe("explain's walk over the pods on the other side", () => {
  it('visits only the pods the isolated sides may admit, and lists who reaches whom', () => {
    const analysis = analyseYaml(CLUSTER);
    const web = analysis.podIndex.get('shop/web') as number;
    endpoints.mockClear();
    const exposure = explainPod(analysis, web);
    expect(exposure.ingress.pods.map((reached) => reached.pod)).toEqual(['shop/api']);
    expect(exposure.egress.pods.map((reached) => reached.pod)).toEqual(['kube-system/dns']);
    expect(aboutBatch(analysis, endpoints.mock.calls)).toBe(0);
  });
});
