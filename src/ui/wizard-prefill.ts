import type { Analysis, AuditFinding, Pod, ScaffoldRequest } from '../engine/index.js';
import { bothSidesFix, checkTargets, identifyingLabels } from '../engine/index.js';
import { requestArgs } from '../render/scaffold-command.js';
import type { TemplateArgs } from '../syntax/scaffold-args.js';
import { labelsText } from '../syntax/selector-syntax.js';
import { checkOutcomes } from './check-view.js';
import type { PluginEnforcement } from './snapshot-analysis.js';
import type { CheckForm } from './state.js';
import {
  type CheckedQuestion,
  type FieldId,
  SWITCH,
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
  if (typeof value === 'boolean') return value ? SWITCH.on : SWITCH.off;
  return typeof value === 'string' ? value : value.join(', ');
}

/** The wizard filled in with scaffold arguments, as the command line would give them. */
export function wizardFromArgs(
  args: TemplateArgs & { readonly namespace: string },
  question?: CheckedQuestion,
  companions: readonly ScaffoldRequest[] = [],
): WizardStart {
  const template =
    WIZARD_TEMPLATES.find(
      // As on the command line, allow without a direction is ingress.
      (t) =>
        t.template === args.template &&
        (!t.direction || t.direction === (args.direction ?? 'ingress')),
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
      ...(companions.length > 0 ? { companions } : {}),
    },
    chosen: true,
  };
}

/**
 * The wizard filled in with what a diagnosis or an audit fix asks a template for, and the
 * `companions` written with it.
 */
function wizardFromRequest(
  request: ScaffoldRequest,
  question?: CheckedQuestion,
  companions: readonly ScaffoldRequest[] = [],
): WizardStart {
  return wizardFromArgs(
    { ...requestArgs(request), namespace: request.namespace },
    question,
    companions,
  );
}

/** The wizard from a namespace: a default-deny for it (the template list opens first). */
export function wizardForNamespace(namespace: string | undefined): WizardStart {
  return {
    wizard: { templateId: 'default-deny', values: namespace ? { namespace } : {}, focus: 0 },
    chosen: false,
  };
}

/** The wizard from a pod: allow ingress to the pods of its workload. */
export function wizardForPod(pod: Pod): WizardStart {
  return wizardFromArgs({
    template: 'allow',
    direction: 'ingress',
    namespace: pod.namespace,
    to: labelsText(identifyingLabels(pod)),
  });
}

/**
 * The wizard from the traffic check: after a check whose answer is DENIED (the effective one,
 * with `plugin`, as the check screen shows it), the allow policy that the engine's diagnosis of
 * the denied flows proposes, to be reviewed: when both sides of a flow deny, the egress fix in
 * the form and the ingress fix written with it; else the one denying side's. Otherwise (traffic
 * that flows, an UNKNOWN answer) the template list.
 */
export function wizardForCheck(
  analysis: Analysis,
  form: CheckForm,
  namespace: string,
  plugin?: PluginEnforcement,
): WizardStart {
  const asked = form.asked;
  if (!asked?.source || !asked.destination || !asked.port) return wizardForNamespace(namespace);
  const checked = checkTargets(analysis, { ...asked, namespace });
  if (!checked.ok) return wizardForNamespace(namespace);
  if (checkOutcomes(checked.value.flows, plugin).outcome !== 'DENIED')
    return wizardForNamespace(namespace);
  const denied = checked.value.flows.filter((flow) => flow.verdict?.verdict === 'DENIED');
  const both = denied
    .map((flow) => bothSidesFix(flow.diagnosis ?? []))
    .find((fixes) => fixes !== undefined);
  if (both) return wizardFromRequest(both[0], { ...asked }, [both[1]]);
  const fix = denied.flatMap((flow) => flow.diagnosis ?? []).find((d) => d.fix)?.fix;
  if (!fix) return wizardForNamespace(namespace);
  return wizardFromRequest(fix, { ...asked });
}

/** The wizard from an audit finding: its scaffold fix, when it has one; else the template list. */
export function wizardForFinding(
  finding: AuditFinding,
  namespace: string | undefined,
): WizardStart {
  const action = finding.fixes.find((fix) => fix.kind === 'scaffold');
  if (action?.kind !== 'scaffold') return wizardForNamespace(finding.namespace ?? namespace);
  return wizardFromRequest(action.fix);
}
