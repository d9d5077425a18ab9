import { type CheckedFlow, checkTargets } from '../engine/check-targets.js';
import type { Analysis } from '../engine/compile.js';
import type { TemplateArgs } from '../engine/scaffold-args.js';
import { TargetError } from '../engine/targets.js';
import type { CheckForm } from './state.js';
import {
  type CheckedQuestion,
  type FieldId,
  WIZARD_TEMPLATES,
  type WizardState,
} from './wizard.js';

/** A wizard ready to open, and whether its template is already chosen (the form opens). */
export interface WizardStart {
  readonly wizard: WizardState;
  readonly chosen: boolean;
}

function textOf(value: TemplateArgs[keyof TemplateArgs]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return typeof value === 'string' ? value : value.join(', ');
}

/** The wizard filled in with scaffold arguments, as the command line would give them. */
export function wizardFromArgs(
  args: TemplateArgs & { readonly namespace: string },
  question?: CheckedQuestion,
): WizardStart {
  const template =
    WIZARD_TEMPLATES.find(
      (t) => t.template === args.template && (!t.direction || t.direction === args.direction),
    ) ?? WIZARD_TEMPLATES[0];
  const values: Partial<Record<FieldId, string>> = {};
  for (const field of template?.fields ?? []) {
    const value = textOf(args[field.id]);
    if (value !== undefined) values[field.id] = value;
  }
  // The first field left empty is where the user goes on.
  const empty = (template?.fields ?? []).findIndex((f) => values[f.id] === undefined && !f.choices);
  return {
    wizard: {
      templateId: template?.id ?? '',
      values,
      focus: Math.max(0, empty),
      ...(question ? { question } : {}),
    },
    chosen: true,
  };
}

/** The labels that say which workload a pod belongs to, as a selector: `app=api,tier=web`. */
function podSelectorText(analysis: Analysis, podIdx: number): string {
  const pod = analysis.pods[podIdx];
  return Object.entries(pod?.labels ?? {})
    .filter(
      ([key]) =>
        !/(^|\/)(pod-template-hash|controller-revision-hash|pod-template-generation|pod-name|pod-index|controller-uid|job-name)$/.test(
          key,
        ),
    )
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** The wizard from a namespace: a default-deny for it (the template list opens first). */
export function wizardForNamespace(namespace: string | undefined): WizardStart {
  return {
    wizard: { templateId: 'default-deny', values: namespace ? { namespace } : {}, focus: 0 },
    chosen: false,
  };
}

/** The wizard from a pod: allow ingress to the pods of its workload. */
export function wizardForPod(analysis: Analysis, podIdx: number): WizardStart {
  const pod = analysis.pods[podIdx];
  return wizardFromArgs({
    template: 'allow',
    direction: 'ingress',
    namespace: pod?.namespace ?? '',
    to: podSelectorText(analysis, podIdx),
  });
}

/** The peer arguments naming the other side of a flow: its pods (and namespace), or its address. */
function peerArgs(
  analysis: Analysis,
  id: string,
  side: 'from' | 'to',
  policyNamespace: string,
): Partial<TemplateArgs> {
  const podIdx = analysis.podIndex.get(id);
  const pod = podIdx === undefined ? undefined : analysis.pods[podIdx];
  // Selectors never match a host-network pod: its traffic carries the node's address.
  if (podIdx === undefined || !pod || pod.hostNetwork) {
    const ip = pod ? (pod.ips[0] ?? id) : id;
    const cidr = `${ip}/${ip.includes(':') ? 128 : 32}`;
    return side === 'from' ? { fromCidr: cidr } : { toCidr: cidr };
  }
  const namespace =
    pod.namespace === policyNamespace ? {} : { [`${side}Namespace`]: pod.namespace };
  return { [side]: podSelectorText(analysis, podIdx), ...namespace };
}

/**
 * The wizard from the traffic check: after a denied check, the allow policy that the first
 * denying side needs (ingress of the destination first), with the source or destination as
 * the peer and the checked port; otherwise the template list.
 */
export function wizardForCheck(
  analysis: Analysis,
  form: CheckForm,
  namespace: string,
): WizardStart {
  const asked = form.asked;
  if (!asked?.source || !asked.destination || !asked.port) return wizardForNamespace(namespace);
  let flows: readonly CheckedFlow[];
  try {
    flows = checkTargets(analysis, { ...asked, namespace });
  } catch (error) {
    if (error instanceof TargetError) return wizardForNamespace(namespace);
    throw error;
  }
  const flow = flows.find((f) => f.verdict && !f.verdict.allowed);
  const verdict = flow?.verdict;
  if (!flow || !verdict) return wizardForNamespace(namespace);
  const question = { ...asked };
  const port = `${verdict.port}/${verdict.protocol}`;
  if (verdict.ingress.kind === 'denied') {
    const podIdx = analysis.podIndex.get(flow.to) ?? -1;
    const policyNamespace = analysis.pods[podIdx]?.namespace ?? namespace;
    const peer = peerArgs(analysis, flow.from, 'from', policyNamespace);
    return wizardFromArgs(
      {
        template: 'allow',
        direction: 'ingress',
        namespace: policyNamespace,
        to: podSelectorText(analysis, podIdx),
        ...peer,
        port,
      },
      question,
    );
  }
  const podIdx = analysis.podIndex.get(flow.from) ?? -1;
  const policyNamespace = analysis.pods[podIdx]?.namespace ?? namespace;
  const peer = peerArgs(analysis, flow.to, 'to', policyNamespace);
  return wizardFromArgs(
    {
      template: 'allow',
      direction: 'egress',
      namespace: policyNamespace,
      from: podSelectorText(analysis, podIdx),
      ...peer,
      port,
    },
    question,
  );
}
