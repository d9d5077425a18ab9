/** Rules one side allows and the other side denies. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { oneSidedFindings } from '../../../src/engine/audit/one-sided.js';
import { ChainAnswers } from '../../../src/engine/evaluate/chain-answers.js';
import {
  auditCluster,
  compileCluster,
  scaffoldPolicy,
  withPolicies,
} from '../../../src/engine/index.js';
import { analyseYaml, fixture } from '../../helpers/load.js';
import { flow } from '../../helpers/scenario.js';
import { audit, ns, pod, policy } from './yaml.js';

const FRONTEND = pod('shop/frontend', { app: 'frontend' }, '10.0.0.1');
const API = pod('shop/api', { app: 'api' }, '10.0.0.2', {
  ports: '[{name: http, containerPort: 8080}]',
});
const DENY_ALL = policy('shop/deny-all', '{podSelector: {}, policyTypes: [Ingress, Egress]}');
const API_INGRESS = policy(
  'shop/api-in',
  '{podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{port: 8080}]}]}',
);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('an allow that the other side denies', () => {
  it('finds an ingress rule admitting pods whose own egress is denied, with the egress half as fix', () => {
    const [finding, ...rest] = audit(
      `${FRONTEND}${API}${DENY_ALL}${API_INGRESS}`,
      'one-sided-allow',
    );
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'warning',
      namespace: 'shop',
      rule: { policy: { namespace: 'shop', name: 'api-in' }, direction: 'ingress', ruleIndex: 0 },
      peers: ['shop/frontend'],
      blockedBy: [{ namespace: 'shop', name: 'deny-all' }],
    });
    expect(finding?.fixes).toEqual([
      {
        kind: 'scaffold',
        fix: {
          kind: 'allow',
          namespace: 'shop',
          direction: 'egress',
          pods: { matchLabels: { app: 'frontend' }, matchExpressions: [] },
          peers: [{ pods: { matchLabels: { app: 'api' }, matchExpressions: [] } }],
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      },
    ]);
  });

  it('applying the fix lets the flow through and ends the finding', () => {
    const analysis = analyseYaml(`${FRONTEND}${API}${DENY_ALL}${API_INGRESS}`);
    const [finding] = auditCluster(analysis).findings.filter((f) => f.code === 'one-sided-allow');
    const fix = finding?.fixes[0];
    if (fix?.kind !== 'scaffold') throw new Error('expected a scaffold fix');
    const after = compileCluster(withPolicies(analysis.cluster, [scaffoldPolicy(fix.fix)]));
    expect(flow(analysis, 'shop/frontend', 'shop/api', 'TCP', 8080).allowed).toBe(false);
    expect(flow(after, 'shop/frontend', 'shop/api', 'TCP', 8080).allowed).toBe(true);
    expect(auditCluster(after).findings.map((f) => f.code)).not.toContain('one-sided-allow');
  });

  it('finds an egress rule to pods whose ingress denies it, across namespaces', () => {
    const yaml = `${ns('shop')}${ns('data')}${FRONTEND}${pod('data/db', { app: 'db' }, '10.0.1.1')}${policy('data/deny', '{podSelector: {}, policyTypes: [Ingress]}')}${policy('shop/to-db', '{podSelector: {matchLabels: {app: frontend}}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: data}}, podSelector: {matchLabels: {app: db}}}], ports: [{port: 5432}]}]}')}`;
    const [finding] = audit(yaml, 'one-sided-allow');
    expect(finding).toMatchObject({ peers: ['data/db'], blockedBy: [{ name: 'deny' }] });
    expect(finding?.fixes).toMatchObject([
      {
        fix: {
          kind: 'allow',
          namespace: 'data',
          direction: 'ingress',
          pods: { matchLabels: { app: 'db' } },
          peers: [
            {
              pods: { matchLabels: { app: 'frontend' } },
              namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
            },
          ],
        },
      },
    ]);
  });

  it('is quiet when the rule works for some pair, or the other side is not isolated', () => {
    const otherFrontend = pod('shop/frontend-2', { app: 'frontend', canary: 'yes' }, '10.0.0.3');
    const canaryEgress = policy(
      'shop/canary-out',
      '{podSelector: {matchLabels: {canary: "yes"}}, policyTypes: [Egress], egress: [{}]}',
    );
    expect(
      audit(
        `${FRONTEND}${otherFrontend}${API}${DENY_ALL}${API_INGRESS}${canaryEgress}`,
        'one-sided-allow',
      ),
    ).toEqual([]);
    const denyIngress = policy('shop/deny-in', '{podSelector: {}, policyTypes: [Ingress]}');
    expect(audit(`${FRONTEND}${API}${denyIngress}${API_INGRESS}`, 'one-sided-allow')).toEqual([]);
  });

  it('judges each peer of a rule on its own', () => {
    const monitoring = pod('mon/prometheus', { app: 'prometheus' }, '10.0.3.1');
    const twoPeers = policy(
      'shop/api-in',
      '{podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}, {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mon}}}], ports: [{port: 8080}]}]}',
    );
    const [finding] = audit(
      `${FRONTEND}${API}${monitoring}${DENY_ALL}${twoPeers}`,
      'one-sided-allow',
    );
    expect(finding?.peers).toEqual(['shop/frontend']);
  });

  it('judges replicas as one: many pods of one kind give one finding listing them all', () => {
    const replicas = Array.from({ length: 40 }, (_, i) =>
      pod(`shop/frontend-${i}`, { app: 'frontend' }, `10.0.2.${i + 1}`),
    ).join('');
    const [finding] = audit(`${replicas}${API}${DENY_ALL}${API_INGRESS}`, 'one-sided-allow');
    expect(finding?.peers).toHaveLength(40);
  });

  it('reports the tutorial three tiers: frontend -> api and api -> database', () => {
    const findings = auditCluster(analyseYaml(fixture('audit/one-sided-allow/triggers.yaml')))
      .findings.filter((f) => f.code === 'one-sided-allow')
      .map((f) => (f.code === 'one-sided-allow' ? [f.rule.policy.name, f.peers] : []));
    expect(findings).toEqual([
      ['allow-api-to-db', ['production/api']],
      ['allow-frontend-to-api', ['production/frontend']],
    ]);
  });

  it('leaves out a peer pod whose only partner the rule opens a port to is itself', () => {
    // The named port resolves on db-0 alone: db-1 may reach db-0 on it, db-0 only itself.
    const db0 = pod('x/db-0', { app: 'db' }, '10.0.0.1', {
      ports: '[{name: http, containerPort: 53}]',
    });
    const db1 = pod('x/db-1', { app: 'db' }, '10.0.0.2');
    const fromDb = policy(
      'x/db',
      '{podSelector: {matchLabels: {app: db}}, policyTypes: [Ingress, Egress], ingress: [{from: [{podSelector: {matchLabels: {app: db}}}], ports: [{port: http}]}]}',
    );
    const [finding, ...rest] = audit(`${ns('x')}${db0}${db1}${fromDb}`, 'one-sided-allow');
    expect(rest).toEqual([]);
    expect(finding?.peers).toEqual(['x/db-1']);
  });

  it('asks the kernel once per kind of peer pods, not once per pair of pod groups', () => {
    // 12 kinds of api pods admit 12 kinds of web pods, whose egress is denied: 144 pairs.
    const kinds = 12;
    const api = Array.from({ length: kinds }, (_, i) =>
      pod(`api/api-${i}`, { app: `api-${i}` }, `10.0.1.${i + 1}`),
    );
    const web = Array.from({ length: kinds }, (_, i) =>
      pod(`web/web-${i}`, { app: `web-${i}` }, `10.0.2.${i + 1}`),
    );
    const yaml = [
      ns('api'),
      ns('web'),
      ...api,
      ...web,
      policy('web/deny-all', '{podSelector: {}, policyTypes: [Ingress, Egress]}'),
      policy(
        'api/from-web',
        '{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: web}}}], ports: [{port: 8080}]}]}',
      ),
    ].join('');
    const analysis = analyseYaml(yaml);
    const asked = vi.spyOn(ChainAnswers.prototype, 'answer');
    const [finding, ...rest] = oneSidedFindings(analysis);
    expect(rest).toEqual([]);
    expect(finding?.code === 'one-sided-allow' && finding.peers).toHaveLength(kinds);
    // The web pods share one egress chain, which reaches no api pod: one answer covers them.
    expect(asked.mock.calls.length).toBeLessThanOrEqual(2);
  });
});

/** A running pod in namespace x with the given addresses and labels. */
const xPod = (name: string, ips: readonly string[], labels: Record<string, string> = {}) =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: x, labels: ${JSON.stringify(labels)}}\nspec: {containers: [{name: main, image: app}]}\nstatus: {podIP: ${ips[0]}, podIPs: ${JSON.stringify(ips.map((ip) => ({ ip })))}}\n`;

describe('an allow that the other side denies, with dual-stack pods', () => {
  // Egress to an IPv6 block only: p2 sends to nobody but itself over IPv6, p0 has no IPv6.
  const SELF_ONLY = policy(
    'x/q0',
    '{podSelector: {}, policyTypes: [Ingress, Egress], ingress: [{from: [{podSelector: {}}]}], egress: [{to: [{ipBlock: {cidr: "fd00::/64"}}]}]}',
  );

  it('reports an ingress rule whose peers reach each other over no family they share', () => {
    const yaml = `${ns('x')}${xPod('p0', ['10.0.0.1'])}${xPod('p2', ['10.0.0.3', 'fd00::3'])}${SELF_ONLY}`;
    const analysis = analyseYaml(yaml);
    // p0 -> p2 goes over IPv4, the only family p0 has, outside the block.
    expect(flow(analysis, 'x/p0', 'x/p2', 'TCP', 80).verdict).toBe('DENIED');
    const [finding, ...rest] = audit(yaml, 'one-sided-allow');
    expect(rest).toEqual([]);
    expect(finding?.peers).toEqual(['x/p0', 'x/p2']);
  });

  it('reports it when the block holds a peer by the address of one family only', () => {
    // p1 -> p2 may go over IPv4 or IPv6; the block admits IPv6 alone, so not every connection.
    const yaml = `${ns('x')}${xPod('p1', ['10.0.0.2', 'fd00::2'])}${xPod('p2', ['10.0.0.3', 'fd00::3'])}${SELF_ONLY}`;
    expect(flow(analyseYaml(yaml), 'x/p1', 'x/p2', 'TCP', 80).verdict).toBe('DENIED');
    expect(audit(yaml, 'one-sided-allow')[0]?.peers).toEqual(['x/p1', 'x/p2']);
  });
});

describe('an allow that the other side denies, when a Calico notNets holds one family of a pod', () => {
  // web accepts db; db's egress is Calico's. Both pods are dual-stack, web's IPv4 address in
  // 10.0.0.0/24: a notNets of it fails web's IPv4 connections and holds for its IPv6 ones.
  const PODS = `${ns('x')}${xPod('web', ['10.0.0.1', 'fd00::1'], { app: 'web' })}${xPod('db', ['10.0.0.2', 'fd00::2'], { app: 'db' })}`;
  const WEB_FROM_DB = policy(
    'x/web-in',
    '{podSelector: {matchLabels: {app: web}}, ingress: [{from: [{podSelector: {matchLabels: {app: db}}}]}]}',
  );
  const dbEgress = (rules: string) =>
    `---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: db-out}\nspec: {selector: app == 'db', types: [Egress], egress: [${rules}]}\n`;

  it('reports a peer whose egress a notNets denies over the family it does not hold', () => {
    const yaml = `${PODS}${WEB_FROM_DB}${dbEgress('{action: Deny, destination: {notNets: [10.0.0.0/24]}}, {action: Allow}')}`;
    // Over IPv6 the Deny matches web: not every connection from db gets through.
    expect(flow(analyseYaml(yaml), 'x/db', 'x/web', 'TCP', 80).verdict).toBe('DENIED');
    const [finding, ...rest] = audit(yaml, 'one-sided-allow');
    expect(rest).toEqual([]);
    expect(finding?.peers).toEqual(['x/db']);
  });

  it('says nothing of a peer two notNets admit, each over the family it does not hold', () => {
    const yaml = `${PODS}${WEB_FROM_DB}${dbEgress("{action: Allow, destination: {notNets: [10.0.0.0/24]}}, {action: Allow, destination: {notNets: ['fd00::/64']}}")}`;
    // Neither Allow matches web as a whole, yet each matches its connections of one family.
    expect(flow(analyseYaml(yaml), 'x/db', 'x/web', 'TCP', 80).verdict).toBe('ALLOWED');
    expect(audit(yaml, 'one-sided-allow')).toEqual([]);
  });
});
