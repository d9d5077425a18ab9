import { type Dispatch, useCallback, useState } from 'react';
import type { DnsAssumption, ScaffoldedPolicy } from '../engine/index.js';
import { errorMessage, FileExistsError } from '../errors.js';
import { ApplyConflictError, type ApplyPlan, policyObjectName } from '../io/cluster/apply-terms.js';
import { saveFile } from '../io/files/save-file.js';
import { applyConflictLines, FORCE_APPLY_QUESTION } from '../render/apply-conflicts.js';
import { applyQuestionText } from '../render/apply-preview.js';
import { policiesYaml } from '../render/policy-yaml.js';
import type { Work } from './components/ProgressLine.js';
import type { SnapshotSource } from './sources.js';
import type { Flash, UiAction } from './state.js';

/** What the wizard's preview can do with its policies; each reports on the flash line. */
export interface ScaffoldWrites {
  /** Saves the YAML; an existing file is only replaced when `overwrite` (after a y). */
  save(path: string, overwrite: boolean): void;
  /**
   * Has the server dry-run the policies, then shows what applying changes and asks; when other
   * field managers own fields they set, shows them and asks whether to force. `force` takes
   * those fields over, as --force-conflicts does.
   */
  dryRun(force: boolean): void;
  /** Creates or updates the policies (after the y), then closes the wizard. */
  create(force: boolean): void;
  /**
   * What the apply is waiting for before its y/N, for the progress line: the server's dry run,
   * then what applying changes (the analyst computes it).
   */
  readonly work: Work | undefined;
}

/** Lines set off under a heading. */
function indented(lines: readonly string[]): string[] {
  return lines.map((line) => `  ${line}`);
}

/** What applying the plans changes on the snapshot, as lines (the analyst computes them). */
export type ApplyPreview = (plans: readonly ApplyPlan[]) => Promise<string[]>;

/**
 * The wizard's writes, with their outcome (or the error, in one line) on the flash line; the
 * apply question comes with what applying changes, from `preview`; a saved file starts with
 * what the DNS rules assume (`dnsAssumptions`).
 */
export function useScaffoldWrites(
  source: SnapshotSource,
  policies: readonly ScaffoldedPolicy[] | undefined,
  dispatch: Dispatch<UiAction>,
  preview: ApplyPreview,
  dnsAssumptions: readonly DnsAssumption[] = [],
): ScaffoldWrites {
  const [work, setWork] = useState<Work | undefined>(undefined);
  const waitFor = (label: string | undefined) =>
    setWork(label === undefined ? undefined : { label, since: performance.now() });
  const flash = useCallback(
    (level: Flash['level'], text: string) => dispatch({ type: 'flash', flash: { level, text } }),
    [dispatch],
  );
  const plan = useCallback(
    async (force: boolean) => {
      const plans: ApplyPlan[] = [];
      for (const policy of policies ?? []) {
        const current = await source.current?.(policy);
        plans.push({ policy, current, applied: await source.create?.(policy, true, force) });
      }
      return plans;
    },
    [source, policies],
  );
  const create = useCallback(
    async (force: boolean) => {
      for (const policy of policies ?? []) await source.create?.(policy, false, force);
    },
    [source, policies],
  );
  const names = (policies ?? []).map(policyObjectName).join(', ');
  return {
    save: (typed, overwrite) => {
      if (!policies) return;
      const path = typed.trim();
      saveFile(path, policiesYaml(policies, dnsAssumptions), overwrite).then(
        () => flash('info', `saved ${path}`),
        (error: unknown) =>
          error instanceof FileExistsError
            ? dispatch({ type: 'confirm', confirmation: { kind: 'overwrite', path } })
            : flash('error', errorMessage(error)),
      );
    },
    dryRun: (force) => {
      if (!policies || !source.create) return;
      // The progress line counts the wait; a flash would hide it.
      dispatch({ type: 'flash', flash: undefined });
      waitFor('server dry run');
      plan(force)
        .then(
          async (plans) => {
            // The names come with the y/N question; the count stays within the line.
            waitFor('server dry run accepted; computing what applying changes');
            const forced = force ? ' (forced)' : '';
            const question = `apply ${applyQuestionText(plans)}${forced} in ${source.target ?? 'the cluster'}?`;
            const lines = [
              'Applying to the cluster (server dry run accepted):',
              ...indented(await preview(plans)),
            ];
            waitFor(undefined);
            flash('info', `server dry run accepted: ${names}`);
            dispatch({
              type: 'confirm',
              confirmation: { kind: 'apply', question, preview: lines, force },
            });
          },
          (error: unknown) => {
            waitFor(undefined);
            if (!(error instanceof ApplyConflictError) || force) {
              flash('error', errorMessage(error));
              return;
            }
            flash('warning', `conflict: ${error.object}`);
            const preview = [
              'Conflict (the server refused the dry run):',
              ...indented(applyConflictLines(error)),
            ];
            const question = FORCE_APPLY_QUESTION;
            dispatch({ type: 'confirm', confirmation: { kind: 'force-apply', question, preview } });
          },
        )
        .catch((error: unknown) => {
          waitFor(undefined);
          flash('error', `could not preview the apply: ${errorMessage(error)}`);
        });
    },
    create: (force) => {
      create(force).then(
        () => {
          dispatch({ type: 'wizard-close' });
          flash('info', `applied ${names}`);
        },
        (error: unknown) => flash('error', errorMessage(error)),
      );
    },
    work,
  };
}
