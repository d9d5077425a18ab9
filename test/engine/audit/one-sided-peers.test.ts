/**
 * The one-sided check judges alike pods in groups: pods of one namespace and labels that another
 * tier tells apart (by address, by service account) must be judged apart, as each pod alone is.
 */
import { describe, expect, it } from 'vitest';
import { analyseYaml } from '../../helpers/load.js';
import { oneSidedByPairs, oneSidedKeys } from '../../helpers/one-sided-pairs.js';
import { flow } from '../../helpers/scenario.js';
import { ns, pod, policy } from './yaml.js';

/** A pod of namespace x with labels {app}, an address and a service account. */
const accountPod = (name: string, app: string, ip: string, account: string) =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: x, labels: {app: ${app}}}\nspec: {serviceAccountName: ${account}, containers: [{name: main, image: app}]}\nstatus: {podIP: ${ip}}\n`;

const WEB = pod('x/web', { app: 'web' }, '10.0.0.1');
/** Two api pods alike by namespace and labels, told apart by address and service account. */
const APIS = `${accountPod('api0', 'api', '10.0.0.3', 'a')}${accountPod('api1', 'api', '10.0.0.4', 'b')}`;
const API_FROM_WEB = policy(
  'x/api-in',
  '{podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]}',
);

/** A Calico GlobalNetworkPolicy for web's egress: deny what `destination` matches, allow the rest. */
const calicoWebOut = (destination: string, selector = "app == 'web'") =>
  `---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: web-out}\nspec: {selector: ${JSON.stringify(selector)}, types: [Egress], egress: [{action: Deny, destination: ${destination}}, {action: Allow}]}\n`;

/** Web reaches api1 but not api0: the ingress rule works for web, which is no finding. */
function expectWebReachesOneApi(yaml: string) {
  const analysis = analyseYaml(yaml);
  expect(flow(analysis, 'x/web', 'x/api0', 'TCP', 80).verdict).toBe('DENIED');
  expect(flow(analysis, 'x/web', 'x/api1', 'TCP', 80).verdict).toBe('ALLOWED');
  expect(oneSidedKeys(analysis)).toEqual([]);
  expect(oneSidedByPairs(analysis)).toEqual([]);
}

describe('one-sided allows where another tier tells alike pods apart', () => {
  it('judges apart the pods a Calico nets rule holds and those it does not', () => {
    expectWebReachesOneApi(
      `${ns('x')}${WEB}${APIS}${API_FROM_WEB}${calicoWebOut('{nets: [10.0.0.3/32]}')}`,
    );
  });

  it('judges apart the pods a ClusterNetworkPolicy networks peer holds', () => {
    const cnp = `---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: web-out}\nspec: {tier: Admin, priority: 10, subject: {namespaces: {}}, egress: [{action: Deny, to: [{networks: [10.0.0.3/32]}]}]}\n`;
    expectWebReachesOneApi(`${ns('x')}${WEB}${APIS}${API_FROM_WEB}${cnp}`);
  });

  it('judges apart the pods a Calico serviceAccounts rule matches', () => {
    expectWebReachesOneApi(
      `${ns('x')}${WEB}${APIS}${API_FROM_WEB}${calicoWebOut('{serviceAccounts: {names: [a]}}')}`,
    );
  });

  it('judges apart the pods a Cilium service account selector matches', () => {
    const cnp = `---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web-out, namespace: x}\nspec: {endpointSelector: {matchLabels: {app: web}}, egressDeny: [{toEndpoints: [{matchLabels: {io.cilium.k8s.policy.serviceaccount: a}}]}], egress: [{toEntities: [all]}]}\n`;
    expectWebReachesOneApi(`${ns('x')}${WEB}${APIS}${API_FROM_WEB}${cnp}`);
  });

  it('judges apart the peer pods whose own Calico policy applies by service account', () => {
    // web0 and web1 are alike by labels; the deny-all applies to web0's account alone.
    const webs = `${accountPod('web0', 'web', '10.0.0.1', 'a')}${accountPod('web1', 'web', '10.0.0.2', 'b')}`;
    const api = pod('x/api', { app: 'api' }, '10.0.0.3');
    const gnp = `---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: web-out}\nspec: {selector: "app == 'web'", serviceAccountSelector: "projectcalico.org/name == 'a'", types: [Egress], egress: [{action: Deny}]}\n`;
    const analysis = analyseYaml(`${ns('x')}${webs}${api}${API_FROM_WEB}${gnp}`);
    expect(flow(analysis, 'x/web0', 'x/api', 'TCP', 80).verdict).toBe('DENIED');
    expect(flow(analysis, 'x/web1', 'x/api', 'TCP', 80).verdict).toBe('ALLOWED');
    // The rule works for web1: not one-sided.
    expect(oneSidedKeys(analysis)).toEqual([]);
  });

  it('judges apart the peer pods a Calico rule on their own address denies', () => {
    const webs = `${pod('x/web0', { app: 'web' }, '10.0.0.1')}${pod('x/web1', { app: 'web' }, '10.0.0.2')}`;
    const api = pod('x/api', { app: 'api' }, '10.0.0.3');
    const gnp = `---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: web-out}\nspec: {selector: "app == 'web'", types: [Egress], egress: [{action: Deny, source: {nets: [10.0.0.1/32]}}, {action: Allow}]}\n`;
    const analysis = analyseYaml(`${ns('x')}${webs}${api}${API_FROM_WEB}${gnp}`);
    expect(flow(analysis, 'x/web0', 'x/api', 'TCP', 80).verdict).toBe('DENIED');
    expect(flow(analysis, 'x/web1', 'x/api', 'TCP', 80).verdict).toBe('ALLOWED');
    expect(oneSidedKeys(analysis)).toEqual([]);
  });
});
