/**
 * Cilium's policies through the command line: `check` names the deciding Cilium rule (and its
 * L7 restriction), `matrix -o json` answers from the same chains, the detected network plugin
 * decides whether Cilium's layer applies, and malformed objects are one-line errors.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const CASES = 'test/fixtures/conformance/cilium';
const MODEL = `${CASES}/model.yaml`;
const files = (...paths: string[]) => [MODEL, ...paths].flatMap((path) => ['-f', path]);
const policies = (name: string) => `${CASES}/${name}/policies.yaml`;

/** The verdict lines of a check's text output. */
const verdicts = (stdout: string) =>
  stdout.split('\n').filter((line) => /^(ALLOWED|DENIED|UNKNOWN) /.test(line));

describe('check on Cilium policies', () => {
  it('names the Cilium deny rule that wins over a NetworkPolicy allow', async () => {
    const run = await runCli([
      'check',
      'shop/admin',
      'shop/api',
      '--port',
      '8080',
      ...files(policies('004-deny-over-networkpolicy-allow')),
    ]);
    expect(verdicts(run.stdout)).toEqual(['DENIED  shop/admin -> shop/api  TCP 8080']);
    expect(run.stdout).toContain(
      'ingress of shop/api: DENIED by a Cilium deny rule (deny rules take precedence over every allow)',
    );
    expect(run.stdout).toContain(
      'denied by ciliumclusterwidenetworkpolicy/no-admin-on-8080 ingressDeny rule 1',
    );
    expect(run.stderr).toContain(
      'note: 1 Cilium policy evaluated: the network plugin is assumed to be Cilium from its objects',
    );
    expect(run.exitCode).toBe(1);
  });

  it('allows an L7 rule at L4 only for the listed requests, and says which', async () => {
    const run = await runCli([
      'check',
      'shop/web',
      'shop/api',
      '--port',
      '8080',
      ...files(policies('014-l7-http-allowed-at-l4')),
    ]);
    expect(verdicts(run.stdout)).toEqual(['ALLOWED  shop/web -> shop/api  TCP 8080']);
    expect(run.stdout).toContain(
      'ingress of shop/api: allowed at L4, only for the listed requests (isolated by ciliumnetworkpolicy/shop/api-l7)',
    );
    expect(run.stdout).toContain('allowed by ciliumnetworkpolicy/shop/api-l7 ingress rule 1');
    expect(run.stdout).toContain(
      'allowed at L4 only for the listed HTTP requests: GET /public; others are refused by',
    );
    expect(run.exitCode).toBe(0);
  });

  it('is UNKNOWN for a bare IP that only a toFQDNs rule could admit', async () => {
    const run = await runCli([
      'check',
      'shop/web',
      '203.0.113.9',
      '--port',
      '443',
      ...files(policies('015-fqdns-unknown-for-bare-ip')),
    ]);
    expect(verdicts(run.stdout)).toEqual(['UNKNOWN  shop/web -> 203.0.113.9  TCP 443']);
    expect(run.stdout).toContain(
      'ciliumnetworkpolicy/shop/web-to-example egress rule 1 has toFQDNs: which addresses it matches depends on DNS',
    );
  });
});

describe('explain on Cilium policies', () => {
  it('says a pod a Cilium policy selects is isolated by it, and lists whom its rules admit', async () => {
    const run = await runCli([
      'explain',
      'shop/api',
      ...files(policies('014-l7-http-allowed-at-l4')),
    ]);
    expect(run.stdout).toContain('Ingress: isolated by ciliumnetworkpolicy/shop/api-l7');
    expect(run.stdout).not.toContain('no rule allows any ingress');
    expect(run.stdout).toContain("pods that can reach it (both sides' policies applied): 1");
    expect(run.stdout).toContain('shop/web  TCP 8080');
  });

  it("lists a Cilium deny rule in its own group, beside the NetworkPolicy's allow", async () => {
    const run = await runCli([
      'explain',
      'shop/api',
      ...files(policies('004-deny-over-networkpolicy-allow')),
    ]);
    expect(run.stdout).toContain(
      [
        '  rules allow from:',
        '    anyone (the rule names no peers) on all ports  [5 pods]  (shop/api-open ingress rule 1)',
        '  rules deny from:',
        '    endpoints with app=admin on TCP 8080  [1 pod]  (ciliumclusterwidenetworkpolicy/no-admin-on-8080 ingressDeny rule 1)',
      ].join('\n'),
    );
  });

  it('lists the Cilium allow rule with its L7 requests, and -o json gives it as data', async () => {
    const args = ['explain', 'shop/api', ...files(policies('014-l7-http-allowed-at-l4'))];
    const run = await runCli(args);
    expect(run.stdout).toContain(
      [
        '  rules allow from:',
        '    endpoints with app=web in namespace shop on TCP 8080  [1 pod]  (ciliumnetworkpolicy/shop/api-l7 ingress rule 1)',
        "      allowed at L4 only for the listed HTTP requests: GET /public; others are refused by Cilium's proxy",
      ].join('\n'),
    );
    const json = JSON.parse((await runCli([...args, '-o', 'json'])).stdout);
    expect(json.ingress.pluginRules).toMatchObject([
      {
        plugin: 'cilium',
        policy: 'ciliumnetworkpolicy/shop/api-l7',
        action: 'accept',
        matchedPods: ['shop/web'],
      },
    ]);
  });
});

describe('matrix -o json on Cilium policies', () => {
  it('leaves out exactly the port a Cilium deny rule takes', async () => {
    const run = await runCli([
      'matrix',
      '-o',
      'json',
      ...files(policies('004-deny-over-networkpolicy-allow')),
    ]);
    const { pairs } = JSON.parse(run.stdout) as {
      pairs: { from: string; to: string; allowed: { protocol: string; ranges: number[][] }[] }[];
    };
    const tcp = (from: string, to: string) =>
      pairs
        .find((pair) => pair.from === from && pair.to === to)
        ?.allowed.find((entry) => entry.protocol === 'TCP')?.ranges;
    expect(tcp('shop/admin', 'shop/api')).toEqual([
      [1, 8079],
      [8081, 65535],
    ]);
    expect(tcp('shop/web', 'shop/api')).toEqual([[1, 65535]]);
  });
});

describe("the network plugin decides whether Cilium's layer applies", () => {
  const deny = policies('004-deny-over-networkpolicy-allow');

  it('ignores Cilium policies, and says so, when the plugin is Calico', async () => {
    const run = await runCli([
      'check',
      'shop/admin',
      'shop/api',
      '--port',
      '8080',
      ...files(deny, 'test/fixtures/manifests/cilium/calico-node.yaml'),
    ]);
    expect(verdicts(run.stdout)).toEqual(['ALLOWED  shop/admin -> shop/api  TCP 8080']);
    expect(run.stderr).toContain(
      'note: 1 Cilium policy present, but the network plugin is Calico: ignored',
    );
  });

  it('answers UNKNOWN where Cilium policies apply when Calico policies are present too', async () => {
    const run = await runCli([
      'check',
      'shop/admin',
      'shop/api',
      '--port',
      '8080',
      ...files(deny, 'test/fixtures/manifests/cilium/calico-policy.yaml'),
    ]);
    expect(verdicts(run.stdout)).toEqual(['UNKNOWN  shop/admin -> shop/api  TCP 8080']);
    expect(run.stdout).toContain(
      'Calico, Cilium policies are both present and the network plugin is not known',
    );
    expect(run.stderr).toContain('the pods they select are UNKNOWN');
  });
});

describe('malformed Cilium policies', () => {
  it('are refused with one line per problem naming the object, never a crash', async () => {
    const run = await runCli([
      'check',
      'shop/web',
      'shop/api',
      '--port',
      '8080',
      ...files('test/fixtures/manifests/cilium/broken.yaml'),
    ]);
    const errors = run.stderr.split('\n').filter((line) => line.includes('error'));
    expect(errors.some((line) => line.includes('CiliumNetworkPolicy shop/bad-protocol'))).toBe(
      true,
    );
    expect(errors.some((line) => line.includes('must be TCP, UDP, SCTP or ANY'))).toBe(true);
    expect(errors.some((line) => line.includes('CiliumClusterwideNetworkPolicy no-spec'))).toBe(
      true,
    );
    expect(errors.some((line) => line.includes('"everything": not an entity'))).toBe(true);
    expect(errors.some((line) => line.includes('"not-a-cidr": must be a CIDR'))).toBe(true);
    // The policies refused, the pods are not isolated.
    expect(verdicts(run.stdout)).toEqual(['ALLOWED  shop/web -> shop/api  TCP 8080']);
  });
});

describe('Cilium policies whose rules Cilium refuses', () => {
  const refused = 'test/fixtures/manifests/cilium/refused-rules.yaml';

  it.each([
    {
      to: 'ops/probe',
      port: '80',
      error:
        'CiliumNetworkPolicy shop/web-out-mixed-peers: spec.egress[0].toCIDR: Invalid value: combining toEndpoints and toCIDR is not supported yet',
    },
    {
      to: 'shop/api',
      port: '8080',
      error:
        'CiliumNetworkPolicy shop/api-in-icmp-and-ports: spec.ingress[0].icmps: Invalid value: the ICMPs block may only be present without toPorts',
    },
  ])(
    'are errors naming the rule, and restrict nothing: shop/web -> $to',
    async ({ to, port, error }) => {
      const run = await runCli(['check', 'shop/web', to, '--port', port, ...files(refused)]);
      expect(verdicts(run.stdout)).toEqual([`ALLOWED  shop/web -> ${to}  TCP ${port}`]);
      expect(run.stderr).toContain(error);
    },
  );
});
