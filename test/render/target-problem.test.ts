import { describe, expect, it } from 'vitest';
import type { CheckProblem } from '../../src/engine/index.js';
import { checkProblemText } from '../../src/render/target-problem.js';

describe('checkProblemText', () => {
  it.each<[CheckProblem, string]>([
    [{ kind: 'port-out-of-range', port: '70000' }, '--port 70000: must be between 1 and 65535'],
    [{ kind: 'port-empty' }, '--port is empty'],
    [
      { kind: 'unrecognised-target', text: 'api-service:8080' },
      'api-service:8080: expected NAME or NAMESPACE/NAME (a pod or workload), pod/NAME, deploy|sts|ds/NAME, svc/NAME[.NAMESPACE], NAME.NAMESPACE[.svc], a host name or an IP address; give the port with --port: api-service --port 8080',
    ],
    [
      { kind: 'unrecognised-target', text: 'a/b/c' },
      'a/b/c: expected NAME or NAMESPACE/NAME (a pod or workload), pod/NAME, deploy|sts|ds/NAME, svc/NAME[.NAMESPACE], NAME.NAMESPACE[.svc], a host name or an IP address',
    ],
    [
      {
        kind: 'port-needed',
        destination: 'svc/kube-dns.kube-system',
        known: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        ],
      },
      '--port is needed: svc/kube-dns.kube-system has ports 53/UDP (dns), 53/TCP (dns-tcp)',
    ],
    [
      { kind: 'port-needed', destination: 'shop/web', known: [] },
      '--port is needed: shop/web is not a Service with a port',
    ],
    [{ kind: 'no-such-pod', text: 'pod/x', pod: 'shop/x' }, 'pod/x: no pod shop/x in the input'],
    [
      { kind: 'no-such-service', text: 'svc/x', service: 'shop/x' },
      'svc/x: no service shop/x in the input',
    ],
    [
      { kind: 'service-without-selector', text: 'svc/x', service: 'shop/x' },
      'svc/x: service shop/x has no selector and no EndpointSlice in the input, so its backends are unknown',
    ],
    [
      { kind: 'no-such-pod', text: 'shop/x', pod: 'shop/x', suggestions: ['shop/xy', 'shop/xz'] },
      'shop/x: no pod shop/x in the input; did you mean shop/xy or shop/xz?',
    ],
    [
      {
        kind: 'no-such-workload',
        text: 'sts/db',
        workload: 'StatefulSet shop/db',
        suggestions: ['sts/db-\x1b[2J'],
      },
      'sts/db: no StatefulSet shop/db in the input; did you mean sts/db-\\x1b[2J?',
    ],
    [
      { kind: 'workload-has-no-pods', text: 'ds/agent', workload: 'DaemonSet shop/agent' },
      'ds/agent: DaemonSet shop/agent has no pods in the input',
    ],
    [
      { kind: 'ambiguous-target', text: 'shop/w', candidates: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] },
      'shop/w is ambiguous: it could be a, b, c, d, e and 2 more; name one of them',
    ],
    [
      { kind: 'service-has-no-endpoints', text: 'svc/x', service: 'shop/x', notReady: [] },
      'svc/x: the EndpointSlices of service shop/x list no address for this port',
    ],
    [
      {
        kind: 'service-has-no-endpoints',
        text: 'svc/x',
        service: 'shop/x',
        notReady: [{ address: '10.0.0.9', slice: 'x-1' }],
      },
      'svc/x: the EndpointSlices of service shop/x list no address for this port; endpoint 10.0.0.9 (EndpointSlice x-1) not ready: kube-proxy sends no traffic to it',
    ],
    [
      {
        kind: 'no-such-service-port',
        text: 'svc/api',
        port: 8080,
        protocol: 'UDP',
        known: [
          { port: 80, name: 'http', protocol: 'TCP', targetPort: 8080 },
          { port: 9090, protocol: 'TCP', targetPort: 9090 },
        ],
      },
      'svc/api: service has no UDP port 8080; it has 80 (http), 9090',
    ],
    [
      { kind: 'no-such-service-port', text: 'svc/x', port: 'web', protocol: undefined, known: [] },
      'svc/x: service has no port web; it has no ports',
    ],
    [
      { kind: 'service-selects-no-pod', text: 'svc/x' },
      'svc/x: the service selects no pod in the input',
    ],
    [
      {
        kind: 'target-port-on-no-pod',
        text: 'svc/dns',
        service: 'kube-system/dns',
        targetPort: 'dns\x1b[2J',
        protocol: 'UDP',
      },
      'svc/dns: no pod service kube-system/dns selects declares a UDP container port named dns\\x1b[2J, so this service port has no backends',
    ],
    [
      { kind: 'external-name-service', text: 'db.shop', service: 'shop/db' },
      'db.shop: service shop/db is of type ExternalName: cluster DNS answers its name with an alias (CNAME) of an outside host and no pod receives its traffic; ask about that host name instead',
    ],
    [
      { kind: 'named-port-needs-workload', text: '203.0.113.7' },
      '203.0.113.7: a named port needs a pod or a service',
    ],
  ])('%o', (problem, text) => {
    expect(checkProblemText(problem, '--port')).toBe(text);
  });

  it('names the port as the caller calls it', () => {
    expect(checkProblemText({ kind: 'port-empty' }, 'port')).toBe('port is empty');
  });
});
