import { describe, expect, it } from 'vitest';
import { checkTargets } from '../../src/engine/index.js';
import { checkProblemText } from '../../src/render/target-problem.js';
import { analyseYaml } from '../helpers/load.js';

// Only 203.0.113.0/24 may reach b/server. A client at 198.51.100.7 connecting to a node's address
// on the NodePort reaches that pod ("each node proxies that port ... into your Service", Service
// docs, type NodePort), so the pod's NetworkPolicy decides: answering "not a pod of the cluster,
// not governed: ALLOWED" would be wrong.
const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: {name: b}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: b, labels: {app: server}}
spec: {nodeName: n1, containers: [{name: c, image: nginx, ports: [{containerPort: 8080, name: http}]}]}
status: {podIP: 10.0.2.1}
---
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {addresses: [{type: InternalIP, address: 192.168.0.10}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: b}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: server}
  clusterIP: 10.96.0.10
  ports: [{name: web, port: 80, targetPort: http, nodePort: 30080}]
status: {loadBalancer: {ingress: [{ip: 198.51.100.50}]}}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: b}
spec:
  type: NodePort
  selector: {app: server}
  ports: [{port: 8080, nodePort: 30081}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-office, namespace: b}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{ipBlock: {cidr: 203.0.113.0/24}}]
`;

const analysis = analyseYaml(CLUSTER);

/** check's answer for a client address to a destination: the verdicts, or the one-line error. */
function check(destination: string, port: number) {
  const answer = checkTargets(analysis, {
    source: '198.51.100.7',
    destination,
    port,
    namespace: 'default',
  });
  return answer.ok
    ? answer.value.flows.map((flow) => flow.verdict?.verdict)
    : checkProblemText(answer.error, '--port');
}

describe('an address that a Service takes in from outside the cluster', () => {
  it("is a node's address on a NodePort: its backends decide, so no verdict for the address", () => {
    expect(check('192.168.0.10', 30081)).toBe(
      "192.168.0.10: a node's address, and TCP 30081 is the NodePort of service b/api (port 8080): the connection goes to the Service's backends, whose policies decide (with externalTrafficPolicy Cluster they may see a node's address instead of the client's); ask about the Service: check SOURCE svc/api.b --port 8080",
    );
  });

  it("says the client's address is kept under externalTrafficPolicy Local", () => {
    expect(check('192.168.0.10', 30080)).toEqual(
      expect.stringContaining(
        '(externalTrafficPolicy Local keeps the client address); ask about the Service: check SOURCE svc/web.b --port web',
      ),
    );
  });

  it("is a load balancer's ingress IP on a Service port", () => {
    expect(check('198.51.100.50', 80)).toEqual(
      expect.stringContaining(
        '198.51.100.50: an external address of service b/web (port 80/TCP): the connection goes',
      ),
    );
  });

  it('leaves other ports of a node, and other addresses, to the address itself', () => {
    expect(check('192.168.0.10', 22)).toEqual(['ALLOWED']);
    expect(check('192.168.0.11', 30081)).toEqual(['ALLOWED']);
  });
});
