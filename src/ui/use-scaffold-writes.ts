import { type Dispatch, useCallback } from 'react';
import type { ScaffoldedPolicy } from '../engine/index.js';
import { errorMessage, FileExistsError } from '../errors.js';
import { policyObjectName } from '../io/cluster/apply-policy.js';
import { saveFile } from '../io/files/save-file.js';
import { policiesYaml } from '../render/policy-yaml.js';
import type { SnapshotSource } from './sources.js';
import type { UiAction } from './state.js';

/** What the wizard's preview can do with its policies; each reports on the flash line. */
export interface ScaffoldWrites {
  /** Saves the YAML; an existing file is only replaced when `overwrite` (after a y). */
  save(path: string, overwrite: boolean): void;
  /** Has the server dry-run the policies, then asks before creating them. */
  dryRun(): void;
  /** Creates the policies (after the y), then closes the wizard. */
  create(): void;
}

/** The wizard's writes, with their outcome (or the error, in one line) on the flash line. */
export function useScaffoldWrites(
  source: SnapshotSource,
  policies: readonly ScaffoldedPolicy[] | undefined,
  dispatch: Dispatch<UiAction>,
): ScaffoldWrites {
  const flash = useCallback(
    (level: 'info' | 'error', text: string) => dispatch({ type: 'flash', flash: { level, text } }),
    [dispatch],
  );
  const send = useCallback(
    async (dryRun: boolean) => {
      for (const policy of policies ?? []) await source.create?.(policy, dryRun);
    },
    [source, policies],
  );
  const names = (policies ?? []).map(policyObjectName).join(', ');
  return {
    save: (typed, overwrite) => {
      if (!policies) return;
      const path = typed.trim();
      saveFile(path, policiesYaml(policies), overwrite).then(
        () => flash('info', `saved ${path}`),
        (error: unknown) =>
          error instanceof FileExistsError
            ? dispatch({ type: 'confirm', confirmation: { kind: 'overwrite', path } })
            : flash('error', errorMessage(error)),
      );
    },
    dryRun: () => {
      if (!policies || !source.create) return;
      flash('info', 'server dry run…');
      send(true).then(
        () => {
          flash('info', `server dry run accepted: ${names}`);
          const question = `create ${names} in ${source.target ?? 'the cluster'}?`;
          dispatch({ type: 'confirm', confirmation: { kind: 'apply', question } });
        },
        (error: unknown) => flash('error', errorMessage(error)),
      );
    },
    create: () => {
      send(false).then(
        () => {
          dispatch({ type: 'wizard-close' });
          flash('info', `created ${names}`);
        },
        (error: unknown) => flash('error', errorMessage(error)),
      );
    },
  };
}
