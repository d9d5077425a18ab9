import { describe, expect, it } from 'vitest';
import {
  type Analysis,
  checkOutcome,
  checkTargets,
  clusterPolicyDenial,
  compileCluster,
  dnsRuleTarget,
  type Pod,
  policyEffect,
  templateArg,
  withPolicies,
} from '../../src/engine/index.js';
import { loadDemo, loadManifests } from '../../src/io/load-input.js';
import type { CheckForm } from '../../src/ui/state.js';
import {
  WIZARD_TEMPLATES,
  type WizardState,
  wizardArgs,
  wizardPolicies,
  wizardTemplate,
} from '../../src/ui/wizard.js';
import { wizardForCheck, wizardForNamespace, wizardForPod } from '../../src/ui/wizard-prefill.js';
import { wizardPreview } from '../../src/ui/wizard-preview.js';
import { wizardFormView } from '../../src/ui/wizard-view.js';
import { clusterOfYaml, fixture } from '../helpers/load.js';
import { shopDeployment } from '../helpers/shop-workloads.js';

const demo = compileCluster(loadDemo().cluster);
const INGRESS_NGINX = 'ingress-nginx/ingress-nginx-controller-6f79748cff-k8z2w';
const STAGING_WEB = 'staging/web-frontend-7c8d9f6b5-kp4xz';
const FRONTEND = 'production/frontend-84c5d9b7f6-hx2lq';

function wizard(templateId: string, values: WizardState['values']): WizardState {
  return { templateId, values, focus: 0 };
}

function asked(source: string, destination: string, port: string, protocol = 'TCP'): CheckForm {
  const question = { source, destination, port, protocol: protocol as 'TCP' };
  return { ...question, focus: 'result', submitted: 1, asked: question };
}

/** The flows of a check whose targets exist (the demo's pods do). */
function checkedFlows(analysis: Analysis, form: CheckForm) {
  const checked = checkTargets(analysis, { ...form, namespace: 'default' });
  if (!checked.ok)
    throw new Error(`check ${form.source} -> ${form.destination}: ${checked.error.kind}`);
  return checked.value.flows;
}

function rows(analysis: Analysis, state: WizardState) {
  return Object.fromEntries(wizardFormView(analysis, state).rows.map((r) => [r.field.id, r]));
}

describe('the wizard builds what the command line would', () => {
  it('turns form fields into scaffold arguments: lists split, choices as flags', () => {
    expect(
      wizardArgs(
        wizard('allow-ingress', { namespace: 'shop', to: 'app=api', port: '8080/TCP, 9090' }),
      ),
    ).toEqual({
      template: 'allow',
      direction: 'ingress',
      namespace: 'shop',
      to: 'app=api',
      port: ['8080/TCP', '9090'],
    });
    expect(wizardArgs(wizard('default-deny', { namespace: 'shop' }))).toMatchObject({
      template: 'default-deny',
      direction: 'both',
      allowDns: true,
    });
    expect(wizardArgs(wizard('allow-ingress-controller', { namespace: 'shop' }))).toMatchObject({
      controllerNamespace: 'ingress-nginx',
    });
  });

  it('gives every field of every form to its argument as the template table says it holds', () => {
    for (const template of WIZARD_TEMPLATES) {
      for (const field of template.fields) {
        if (field.id === 'namespace') continue;
        const kind = templateArg(template.template, field.id)?.kind;
        const typed = kind === 'switch' ? 'no' : (field.choices?.at(-1) ?? 'a, b');
        const expected =
          kind === 'switch' ? false : kind === 'ports' || kind === 'cidrs' ? ['a', 'b'] : typed;
        const args = wizardArgs(wizard(template.id, { [field.id]: typed }));
        expect(args[field.id], `${template.id} ${field.id}`).toEqual(expected);
      }
    }
  });

  it('a default-deny that keeps DNS is two valid policies', () => {
    const result = wizardPolicies(wizard('default-deny', { namespace: 'shop' }));
    expect(result.policies?.map((p) => p.name)).toEqual(['default-deny-all', 'allow-dns-egress']);
    const noDns = wizardPolicies(wizard('default-deny', { namespace: 'shop', allowDns: 'no' }));
    expect(noDns.policies?.map((p) => p.name)).toEqual(['default-deny-all']);
  });

  it('names the field of the first mistake, as the API server would reject it', () => {
    expect(wizardPolicies(wizard('allow-ingress', {})).error).toBe('namespace: required');
    expect(
      wizardPolicies(wizard('allow-ingress', { namespace: 'shop', fromCidr: '10.0.0.1/8' })).error,
    ).toMatch(/^spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: /);
    expect(
      wizardPolicies(wizard('allow-ingress', { namespace: 'shop', to: 'app in (a' })).error,
    ).toMatch(/^--to app in \(a: /);
    expect(
      wizardPolicies(wizard('allow-egress', { namespace: 'shop', port: '70000' })).error,
    ).toMatch(/^spec\.egress\[0\]\.ports\[0\]\.port: /);
    expect(wizardPolicies(wizard('allow-ingress', { namespace: 'Shop!' })).error).toMatch(
      /^metadata\.namespace: /,
    );
  });
});

describe('the form shows what each value matches in the snapshot', () => {
  /** Ingress to the staging web front end from the ingress controller. */
  const fromController = {
    namespace: 'staging',
    to: 'app=web-frontend',
    from: 'app.kubernetes.io/name=ingress-nginx',
    fromNamespace: 'ingress-nginx',
  };

  it('counts the pods selected and the pods each peer admits', () => {
    const form = rows(demo, wizard('allow-ingress', fromController));
    expect(form.namespace?.note).toBe('4 pods');
    expect(form.to?.note).toBe('selects 2 pods');
    expect(form.from?.note).toBe('peer matches 2 pods');
    expect(form.fromNamespace?.note).toBe('matches 1 namespace');
  });

  it("keeps the other fields' notes while one value does not parse (a half-typed CIDR)", () => {
    const form = rows(demo, wizard('allow-ingress', { ...fromController, fromCidr: '10.0.' }));
    expect(form.to?.note).toBe('selects 2 pods');
    expect(form.from?.note).toBe('peer matches 2 pods');
    expect(form.fromCidr).toMatchObject({ note: '', warn: false });
    const twice = rows(
      demo,
      wizard('allow-ingress', {
        namespace: 'staging',
        to: 'app=web-frontend',
        fromCidr: '10.0.0.0/8',
        except: '10.1.',
        port: '80-',
      }),
    );
    expect(twice.to?.note).toBe('selects 2 pods');
    expect(twice.fromCidr?.note).toMatch(/ inside$/);
  });

  it('names a workload scaled to zero that a selector selects, with no warning', async () => {
    const input = [shopDeployment('web', 2), shopDeployment('worker', 0)].join('\n---\n');
    const shop = compileCluster((await loadManifests(['-'], async () => input)).cluster);
    const form = rows(
      shop,
      wizard('allow-ingress', { namespace: 'shop', to: 'app=worker', from: 'app=worker' }),
    );
    const idle = 'Deployment shop/worker has replicas: 0, so no pod of it runs now';
    expect(form.to).toMatchObject({ note: `selects 0 pods; ${idle}`, warn: false });
    expect(form.from).toMatchObject({ note: `peer matches 0 pods; ${idle}`, warn: false });
  });

  it('warns when a selector matches nothing, as with the demo typo and missing label', () => {
    const form = rows(
      demo,
      wizard('allow-ingress', {
        namespace: 'staging',
        to: 'app=web-frontent',
        from: 'app=prometheus',
        fromNamespace: 'team=observability',
      }),
    );
    expect(form.to).toMatchObject({ note: 'selects 0 pods', warn: true });
    expect(form.fromNamespace).toMatchObject({ note: 'matches 0 namespaces', warn: true });
    expect(form.from).toMatchObject({ note: 'peer matches 0 pods', warn: true });
  });

  it('warns that a rule without peers admits everyone', () => {
    const form = rows(demo, wizard('allow-ingress', { namespace: 'staging', to: 'app=api' }));
    expect(form.from).toMatchObject({ warn: true });
    expect(form.from?.note).toContain('allows every source');
  });

  it('suggests labels of the pods in scope, namespaces, and the target pods container ports', () => {
    const focusOn = (state: WizardState, id: string) => ({
      ...state,
      focus: wizardTemplate(state).fields.findIndex((f) => f.id === id),
    });
    const base = wizard('allow-ingress', {
      namespace: 'production',
      to: 'app=api',
      from: 'app=fr',
    });
    expect(wizardFormView(demo, focusOn(base, 'from')).suggestions).toContain('app=frontend');
    expect(
      wizardFormView(
        demo,
        focusOn({ ...base, values: { ...base.values, fromNamespace: 'mon' } }, 'fromNamespace'),
      ).suggestions,
    ).toEqual(['monitoring']);
    const ports = wizardFormView(demo, focusOn(base, 'port')).suggestions;
    expect(ports).toContain('8080/TCP');
    expect(ports).toContain('http/TCP');
    // Controller bookkeeping labels never identify a workload.
    const all = wizardFormView(
      demo,
      focusOn({ ...base, values: { ...base.values, from: '' } }, 'from'),
    );
    expect(all.suggestions.some((s) => s.startsWith('pod-template-hash'))).toBe(false);
  });
});

describe('the wizard starts from where it was opened', () => {
  it('from a namespace: the template list, with the namespace filled in', () => {
    expect(wizardForNamespace('staging')).toEqual({
      wizard: { templateId: 'default-deny', values: { namespace: 'staging' }, focus: 0 },
      chosen: false,
    });
  });

  it('from a pod: allow ingress to its workload, focused on the peer', () => {
    const start = wizardForPod(demo.pods[demo.podIndex.get(STAGING_WEB) as number] as Pod);
    expect(start.chosen).toBe(true);
    expect(start.wizard.templateId).toBe('allow-ingress');
    const form = rows(demo, start.wizard);
    expect(form.to?.note).toBe('selects 2 pods');
    expect(wizardTemplate(start.wizard).fields[start.wizard.focus]?.id).toBe('from');
  });

  it('from a check denied at the destination: allow ingress from the source on the port', () => {
    const start = wizardForCheck(demo, asked(INGRESS_NGINX, STAGING_WEB, '8080'), 'default');
    expect(start.wizard.templateId).toBe('allow-ingress');
    expect(start.wizard.values).toMatchObject({
      namespace: 'staging',
      fromNamespace: 'ingress-nginx',
      port: '8080/TCP',
    });
    const { policies } = wizardPolicies(start.wizard);
    const { notes, yaml } = wizardPreview(
      demo,
      { policies: policies ?? [], dnsAssumptions: [] },
      policyEffect(demo.cluster, policies ?? []),
      start.wizard.question,
      'default',
      false,
    );
    expect(notes[0]).toBe(`ALLOWED with this policy: ${INGRESS_NGINX} -> ${STAGING_WEB} TCP 8080`);
    expect(notes).toContain('  opens 4 flows');
    expect(yaml).toContain('kind: NetworkPolicy');
  });

  it('from a check of a service port: the backends port, as the pods receive it', () => {
    const start = wizardForCheck(demo, asked(FRONTEND, 'svc/kube-dns', '53', 'UDP'), 'kube-system');
    // Allowed already: nothing to fix, so the template list opens.
    expect(start.chosen).toBe(false);
  });

  it('an incomplete or unknown check opens the template list', () => {
    expect(wizardForCheck(demo, asked('', '', ''), 'shop').chosen).toBe(false);
    expect(wizardForCheck(demo, asked('nope/x', STAGING_WEB, '80'), 'shop').chosen).toBe(false);
  });
});

describe('the policy the wizard proposes for a denied check allows that check', () => {
  it('for every denied pod pair of the demo on the destination ports (both sides in turn)', () => {
    let denied = 0;
    let deniedByAdmin = 0;
    for (const from of demo.pods) {
      for (const to of demo.pods) {
        const port = to.ports[0];
        if (from === to || !port) continue;
        let analysis = demo;
        const form = asked(from.id, to.id, `${port.port}`, port.protocol);
        // The Admin tier decides before any NetworkPolicy: no policy the wizard writes can allow it.
        if (checkedFlows(demo, form).some((flow) => clusterPolicyDenial(flow)?.tier === 'Admin')) {
          deniedByAdmin++;
          continue;
        }
        // The wizard proposes an allow for a denied check. An UNKNOWN one (node-local traffic,
        // which Calico may or may not exempt as Kubernetes does) is not denied.
        if (checkOutcome(checkedFlows(demo, form)) === 'UNKNOWN') continue;
        for (let round = 0; round < 3; round++) {
          const flows = checkedFlows(analysis, form);
          if (checkOutcome(flows) === 'ALLOWED') break;
          if (round === 0) denied++;
          const start = wizardForCheck(analysis, form, 'default');
          const { policies, error } = wizardPolicies(start.wizard);
          expect(error, `${from.id} -> ${to.id}`).toBeUndefined();
          analysis = compileCluster(withPolicies(analysis.cluster, policies ?? []));
        }
        const after = checkedFlows(analysis, form);
        expect(checkOutcome(after), `${from.id} -> ${to.id} ${port.port}`).toBe('ALLOWED');
      }
    }
    expect(denied).toBeGreaterThan(100);
    // The demo's protect-kube-system denies kube-system's non-DNS ports to other namespaces.
    expect(deniedByAdmin).toBeGreaterThan(0);
  });
});

describe("the wizard's preview of dual-stack pods", () => {
  it('counts a flow one address family alone loses, saying which family', () => {
    // shop/web and shop/cache reach shop/db over IPv4 only (db-in admits the IPv4 pod range).
    const dualStack = compileCluster(clusterOfYaml(fixture('manifests/dual-stack/cluster.yaml')));
    const { policies = [] } = wizardPolicies(wizard('default-deny', { namespace: 'shop' }));
    const { notes } = wizardPreview(
      dualStack,
      { policies, dnsAssumptions: [] },
      policyEffect(dualStack.cluster, policies),
      undefined,
      'shop',
      true,
    );
    // Every pair of the four pods but themselves, shop/legacy -> shop/db (never allowed) apart.
    expect(notes).toContain('  blocks 11 flows');
    expect(notes).toContain('    shop/web -> shop/db: TCP 5432 (IPv4 only) => nothing');
  });
});

describe("the wizard's preview of a DNS rule", () => {
  /** The first note of the preview of allow-dns for shop on a snapshot. */
  function firstNote(path: string): string | undefined {
    const analysis = compileCluster(clusterOfYaml(fixture(path)));
    const dns = dnsRuleTarget(analysis.cluster);
    const built = wizardPolicies(wizard('allow-dns', { namespace: 'shop' }), dns);
    const { policies = [], dnsAssumptions = [] } = built;
    const { notes } = wizardPreview(
      analysis,
      { policies, dnsAssumptions },
      policyEffect(analysis.cluster, policies),
      undefined,
      'shop',
      false,
    );
    return notes[0];
  }

  it('says first what the rule assumes where the snapshot shows no cluster DNS', () => {
    expect(firstNote('dns/none/cluster.yaml')).toBe(
      'DNS: cluster DNS not found in the input: assumed the pods k8s-app=kube-dns in kube-system on UDP and TCP 53; check it',
    );
  });

  it('says 53 is assumed where the DNS Service’s named targetPort is not resolved', () => {
    expect(firstNote('dns/named-port-unresolved/cluster.yaml')).toBe(
      'DNS: cluster DNS port not resolved (its Service maps port 53 to the named targetPort dns for UDP, dns-tcp for TCP, which no DNS pod or EndpointSlice in the input resolves to a number): assumed the pods dns.operator.openshift.io/daemonset-dns=default in openshift-dns, behind the Service openshift-dns/dns-default, on UDP and TCP 53; check it',
    );
  });
});
