/**
 * explain's masked-client doubts agree with check on random small clusters: a pod behind a
 * NodePort or LoadBalancer Service, random ingress rules (NetworkPolicy ipBlocks, Calico nets
 * and notNets, Cilium CIDRs and entities) on each network plugin, with or without Nodes. A row
 * is doubted exactly when `check ADDRESS svc/web` says UNKNOWN (masked-client) for an address
 * whose connection the kernel admits by that row's rule.
 *
 * Runs are deterministic; set NETPOL_FC_SEED (and NETPOL_FC_RUNS) to explore other clusters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admittedBy, type GrantRef } from '../../src/engine/explain/masked-grants.js';
import { type Analysis, explainPod } from '../../src/engine/index.js';
import { ciliumAgentYaml } from '../helpers/cilium-agent.js';
import { ciliumConfigYaml } from '../helpers/cilium-config.js';
import { params } from '../helpers/engine-probes.js';
import { analyseYaml } from '../helpers/load.js';
import { namespaceYaml, podYaml, policyYaml, stream } from '../helpers/scenario.js';
import { nodeYaml, webServiceFlows, webServiceYaml } from '../helpers/web-service.js';

/** CIDRs the rules name; each region they cut starts at an address of ADDRESSES. */
const CIDRS = [
  '203.0.113.0/24',
  '203.0.113.0/25',
  '0.0.0.0/0',
  '198.51.100.0/24',
  '192.168.10.0/24',
  '2001:db8::/64',
  '::/0',
];

/** The clients asked about: the regions' first addresses, the Nodes', a pod range's. */
const ADDRESSES = [
  '0.0.0.0',
  '203.0.113.0',
  '203.0.113.5',
  '203.0.113.128',
  '198.51.100.0',
  '198.51.100.7',
  '192.168.10.0',
  '192.168.10.1',
  '192.168.10.2',
  '10.244.1.77',
  '::',
  '2001:db8::',
  '2001:db8::5',
];

type Plugin = 'none' | 'calico' | 'cilium' | 'cilium-dsr';

const cidrs = fc.subarray(CIDRS, { minLength: 1, maxLength: 2 });

/** A NetworkPolicy of web admitting an ipBlock, optionally cut by an except inside it. */
const ipBlockRule = fc
  .record({ cidr: fc.constantFrom(...CIDRS), except: fc.boolean() })
  .map(({ cidr, except }) => {
    const inside = CIDRS.filter((other) => other !== cidr && other.startsWith(cidr.slice(0, 4)));
    const block =
      except && cidr.endsWith('/24') && inside.length > 0
        ? `{cidr: ${cidr}, except: [${inside[0]}]}`
        : `{cidr: ${cidr}}`;
    return (name: string) =>
      policyYaml(`web/${name}`, `podSelector: {}\ningress:\n- from: [{ipBlock: ${block}}]`);
  });

/** A Calico GlobalNetworkPolicy rule on app == 'web': Allow or Deny by nets and notNets. */
const calicoRule = fc
  .record({
    action: fc.constantFrom('Allow', 'Allow', 'Deny'),
    nets: fc.option(cidrs, { nil: undefined }),
    notNets: fc.option(cidrs, { nil: undefined }),
  })
  .filter(({ nets, notNets }) => nets !== undefined || notNets !== undefined)
  .map(({ action, nets, notNets }) => {
    const source = [
      nets ? `nets: [${nets.join(', ')}]` : '',
      notNets ? `notNets: [${notNets.join(', ')}]` : '',
    ].filter(Boolean);
    return (name: string) => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: ${name}}
spec:
  selector: app == 'web'
  ingress:
  - {action: ${action}, source: {${source.join(', ')}}}
`;
  });

/** A CiliumNetworkPolicy of web on app: web: an allow or deny rule by CIDRs or an entity. */
const ciliumRule = fc
  .record({
    deny: fc.boolean(),
    peer: fc.oneof(
      cidrs.map((list) => `fromCIDR: [${list.join(', ')}]`),
      fc.constantFrom('world', 'all', 'cluster').map((entity) => `fromEntities: [${entity}]`),
    ),
  })
  .map(
    ({ deny, peer }) =>
      (name: string) =>
        `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: ${name}, namespace: web}
spec:
  endpointSelector: {matchLabels: {app: web}}
  ${deny ? 'ingressDeny' : 'ingress'}:
  - ${peer}
`,
  );

/** The rules a plugin's cluster may hold. */
function rulesOf(plugin: Plugin) {
  const own = plugin === 'calico' ? [calicoRule] : plugin === 'none' ? [] : [ciliumRule];
  return fc.array(fc.oneof(ipBlockRule, ...own), { minLength: 1, maxLength: 3 });
}

const PLUGIN_DOCUMENTS: Record<Plugin, readonly string[]> = {
  none: [],
  calico: [],
  cilium: [ciliumAgentYaml('quay.io/cilium/cilium:v1.16.19')],
  'cilium-dsr': [
    ciliumAgentYaml('quay.io/cilium/cilium:v1.16.19'),
    ciliumConfigYaml('kube-proxy-replacement: "true", bpf-lb-mode: hybrid'),
  ],
};

/** Two Nodes, web-1 on node-b; with its host known by a hostNetwork pod there if asked. */
const nodesYaml = (host: boolean) => [
  nodeYaml('node-a', '192.168.10.1', '10.244.0.0/24'),
  nodeYaml('node-b', '192.168.10.2', '10.244.1.0/24'),
  ...(host
    ? [
        podYaml('kube-system/proxy-b', {
          ips: ['192.168.10.2'],
          hostNetwork: true,
          nodeName: 'node-b',
        }),
      ]
    : []),
];

const scenario = fc
  .constantFrom<Plugin>('none', 'calico', 'cilium', 'cilium-dsr')
  .chain((plugin) =>
    fc.record({
      plugin: fc.constant(plugin),
      rules: rulesOf(plugin),
      dualStack: fc.boolean(),
      nodes: fc.constantFrom('none', 'nodes', 'nodes-and-host'),
      type: fc.constantFrom('LoadBalancer', 'NodePort'),
      local: fc.boolean(),
    }),
  )
  .map(({ plugin, rules, dualStack, nodes, type, local }) => {
    const ips = dualStack ? ['10.244.1.5', 'fd00::5'] : ['10.244.1.5'];
    const backend = podYaml('web/web-1', {
      labels: { app: 'web' },
      ips,
      ports: [{ port: 8080 }],
      ...(nodes === 'none' ? {} : { nodeName: 'node-b' }),
    });
    return stream(
      namespaceYaml('web'),
      backend,
      webServiceYaml(type, local ? 'Local' : undefined),
      ...(nodes === 'none' ? [] : nodesYaml(nodes === 'nodes-and-host')),
      ...PLUGIN_DOCUMENTS[plugin],
      ...rules.map((rule, i) => rule(`rule-${i}`)),
    );
  });

/** Each ingress row of explain web/web-1 that admits traffic: its rule and whether doubted. */
function rows(analysis: Analysis): { grant: GrantRef; doubted: boolean }[] {
  const ingress = explainPod(analysis, analysis.podIndex.get('web/web-1') as number).ingress;
  const policyRows = ingress.grants.map(({ policy, ruleIndex, peerIndex, routeDoubts }) => ({
    grant: { kind: 'networkpolicy' as const, policy, ruleIndex, peerIndex },
    doubted: (routeDoubts ?? []).length > 0,
  }));
  const pluginRows = (ingress.pluginRules ?? [])
    .filter((rule) => rule.action === 'accept')
    .map((rule) => ({
      grant:
        rule.plugin === 'calico'
          ? { kind: 'calico' as const, policy: rule.policy, ruleIndex: rule.ruleIndex }
          : {
              kind: 'cilium' as const,
              policy: rule.policy,
              specIndex: rule.specIndex ?? 0,
              ruleIndex: rule.ruleIndex,
            },
      doubted: (rule.routeDoubts ?? []).length > 0,
    }));
  return [...policyRows, ...pluginRows];
}

describe("explain's masked-client doubts on random clusters", () => {
  it('doubt a row exactly where check doubts a client the row admits', () => {
    fc.assert(
      fc.property(scenario, (yaml) => {
        const analysis = analyseYaml(yaml);
        const flows = ADDRESSES.map((address) => ({
          address,
          flows: webServiceFlows(analysis, address),
        }));
        for (const { grant, doubted } of rows(analysis)) {
          const doubtedClients = flows
            .filter(({ flows: of }) =>
              of.some(
                (flow) =>
                  flow.verdict &&
                  admittedBy(flow.verdict, grant) &&
                  flow.routeDoubt?.kind === 'masked-client',
              ),
            )
            .map(({ address }) => address);
          expect({ grant, doubted }).toEqual({ grant, doubted: doubtedClients.length > 0 });
        }
      }),
      params,
    );
  });
});
