import { describe, expect, it } from 'vitest';
import { scaffoldPolicy } from '../../src/engine/index.js';
import { ApiClient } from '../../src/io/cluster/api-client.js';
import { applyPolicy } from '../../src/io/cluster/apply-policy.js';
import { ApplyConflictError } from '../../src/io/cluster/apply-terms.js';
import { resolveKubeConfig } from '../../src/io/cluster/kubeconfig.js';
import { applyConflictLines } from '../../src/render/apply-conflicts.js';
import { jsonAnswer, kubeconfigFile, routedApiServer, tempDir } from '../helpers/fake-api.js';

const PATH = '/apis/networking.k8s.io/v1/namespaces/app/networkpolicies/default-deny-all';

/** The error of applying app's default deny on a server answering 409 with `causes`. */
async function conflictOn(causes: unknown): Promise<ApplyConflictError> {
  const server = await routedApiServer({
    [PATH]: (res) =>
      jsonAnswer(res, 409, {
        kind: 'Status',
        reason: 'Conflict',
        message: 'Apply failed with conflicts',
        code: 409,
        details: { causes },
      }),
  });
  const client = new ApiClient(
    resolveKubeConfig({ kubeconfig: kubeconfigFile(tempDir(), server.url) }, {}),
    5000,
  );
  const policy = scaffoldPolicy({ kind: 'default-deny', namespace: 'app', direction: 'both' });
  const error = await applyPolicy(client, policy, { dryRun: true, force: false }).catch(
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ApplyConflictError)) throw new Error(`not a conflict: ${error}`);
  return error;
}

describe('a server-side apply conflict', () => {
  it('names each field and its manager, with the API version a manager that updated used', async () => {
    const error = await conflictOn([
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "kubectl-client-side-apply" using networking.k8s.io/v1',
        field: '.spec.policyTypes',
      },
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "helm"',
        field: '.spec.podSelector',
      },
      { reason: 'FieldValueInvalid', message: 'not a conflict', field: '.spec' },
    ]);
    expect(error.object).toBe('networkpolicy app/default-deny-all');
    expect(error.conflicts).toEqual([
      {
        field: '.spec.policyTypes',
        manager: 'kubectl-client-side-apply',
        apiVersion: 'networking.k8s.io/v1',
      },
      { field: '.spec.podSelector', manager: 'helm' },
    ]);
    const lines = applyConflictLines(error);
    expect(lines[0]).toBe(
      'networkpolicy app/default-deny-all: fields owned by other field managers',
    );
    expect(lines.at(-1)).toMatch(/^\.spec\.podSelector +helm +-$/);
  });

  it('says the server message when it names no field, and escapes what a manager is called', async () => {
    expect(applyConflictLines(await conflictOn(undefined))).toEqual([
      'networkpolicy app/default-deny-all: conflict: Apply failed with conflicts',
    ]);
    const hostile = await conflictOn([
      { reason: 'FieldManagerConflict', message: 'conflict with "evil\u001b[2J"', field: '.spec' },
    ]);
    expect(applyConflictLines(hostile).join('\n')).not.toContain('\u001b');
  });
});
