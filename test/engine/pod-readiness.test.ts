/**
 * A Service with a selector sends traffic only to the selected pods kube-proxy would route to:
 * the EndpointSlice controller writes a not-Ready pod's endpoint as not ready (unless the Service
 * publishes not-ready addresses), and a terminating pod is used only while none is ready.
 */
import { describe, expect, it } from 'vitest';
import { servicesInIpBlock } from '../../src/engine/compile/services.js';
import { resolvedId, resolveTarget, serviceBackendSet } from '../../src/engine/index.js';
import { compileIpBlock } from '../../src/engine/primitives/ip-block.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, type PodSpec, podYaml, stream } from '../helpers/scenario.js';

/** A Service selecting app=NAME on port 80, with the fields given written in its spec. */
function serviceYaml(name: string, clusterIP: string, extra = ''): string {
  return `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec: {clusterIP: ${clusterIP}, selector: {app: ${name}}, ports: [{port: 80}]${extra}}
`;
}

function pod(name: string, app: string, ip: string, spec: PodSpec = {}): string {
  return podYaml(`shop/${name}`, { labels: { app }, ips: [ip], ...spec });
}

function resolve(yaml: string, text: string) {
  const analysis = analyseYaml(stream(namespaceYaml('shop'), yaml));
  const resolved = resolveTarget(analysis, text, 'shop', 80, undefined);
  if (!resolved.ok) return resolved.error;
  const { endpoints, notReady } = resolved.value;
  return {
    backends: endpoints.map(
      (e) => `${resolvedId(e)}${e.via?.includes('terminating') ? ' (terminating)' : ''}`,
    ),
    notReady: notReady?.endpoints,
  };
}

const WEB = stream(
  serviceYaml('web', '10.96.0.10'),
  pod('web-1', 'web', '10.0.0.11', { ready: true }),
  pod('web-2', 'web', '10.0.0.12', { ready: false }),
);

describe('selected pods kube-proxy sends to', () => {
  it('are the Ready ones; a not-Ready pod is named as left out', () => {
    expect(resolve(WEB, 'svc/web')).toEqual({
      backends: ['shop/web-1'],
      notReady: [{ pod: 'shop/web-2' }],
    });
  });

  it('are all of them with publishNotReadyAddresses', () => {
    const published = WEB.replace(
      'ports: [{port: 80}]',
      'ports: [{port: 80}], publishNotReadyAddresses: true',
    );
    expect(resolve(published, 'svc/web')).toEqual({
      backends: ['shop/web-1', 'shop/web-2'],
      notReady: undefined,
    });
  });

  it('include a pod read without status.conditions, as a manifest writes it', () => {
    const yaml = stream(serviceYaml('web', '10.96.0.10'), pod('web-1', 'web', '10.0.0.11'));
    expect(resolve(yaml, 'svc/web')).toEqual({ backends: ['shop/web-1'], notReady: undefined });
  });

  it('leave out a pod whose conditions have no Ready one (kubelet writes it False)', () => {
    const scheduled = pod('web-5', 'web', '10.0.0.15').concat(
      '  conditions:\n  - type: PodScheduled\n    status: "True"\n',
    );
    expect(resolve(stream(WEB, scheduled), 'svc/web')).toEqual({
      backends: ['shop/web-1'],
      notReady: [{ pod: 'shop/web-2' }, { pod: 'shop/web-5' }],
    });
  });

  it('take a serving terminating pod only while no pod is ready', () => {
    const draining = pod('web-3', 'web', '10.0.0.13', { ready: true, terminating: true });
    expect(resolve(stream(WEB, draining), 'svc/web')).toEqual({
      backends: ['shop/web-1'],
      notReady: [{ pod: 'shop/web-2' }, { pod: 'shop/web-3' }],
    });
    const noneReady = stream(
      serviceYaml('web', '10.96.0.10'),
      pod('web-2', 'web', '10.0.0.12', { ready: false }),
      draining,
    );
    expect(resolve(noneReady, 'svc/web')).toEqual({
      backends: ['shop/web-3 (terminating)'],
      notReady: [{ pod: 'shop/web-2' }],
    });
  });

  it('are picked per family of the Service: a draining pod serves IPv6 when only it has one', () => {
    const yaml = stream(
      serviceYaml('web', '10.96.0.10', ', clusterIPs: [10.96.0.10, "fd00:96::10"]'),
      pod('web-1', 'web', '10.0.0.11', { ready: true }),
      podYaml('shop/web-6', {
        labels: { app: 'web' },
        ips: ['10.0.0.16', 'fd00::16'],
        ready: true,
        terminating: true,
      }),
    );
    expect(resolve(yaml, 'svc/web')).toEqual({
      backends: ['shop/web-1', 'shop/web-6 (terminating)'],
      notReady: undefined,
    });
    // A single-stack IPv4 Service has IPv4 slices only, where web-1 is ready.
    const singleStack = yaml.replace(', clusterIPs: [10.96.0.10, "fd00:96::10"]', '');
    expect(resolve(singleStack, 'svc/web')).toEqual({
      backends: ['shop/web-1'],
      notReady: [{ pod: 'shop/web-6' }],
    });
  });

  it('are none when no pod is ready or serving: the error names the pods', () => {
    const yaml = stream(
      serviceYaml('web', '10.96.0.10'),
      pod('web-2', 'web', '10.0.0.12', { ready: false }),
      pod('web-4', 'web', '10.0.0.14', { ready: false, terminating: true }),
    );
    expect(resolve(yaml, 'svc/web')).toEqual({
      kind: 'service-has-no-endpoints',
      text: 'svc/web',
      service: 'shop/web',
      notReady: [{ pod: 'shop/web-2' }, { pod: 'shop/web-4' }],
    });
  });

  it('are the backends the services list and ipBlock caveats show', () => {
    const analysis = analyseYaml(stream(namespaceYaml('shop'), WEB));
    const service = analysis.services.get('shop/web');
    if (!service) throw new Error('no service shop/web');
    expect(serviceBackendSet(analysis, service)).toEqual({
      kind: 'selected',
      podIdxs: [analysis.podIndex.get('shop/web-1')],
    });
    const block = compileIpBlock({ cidr: '10.96.0.0/16', except: [] });
    expect(servicesInIpBlock(analysis, block).map((s) => s.backends)).toEqual([['10.0.0.11']]);
  });
});
