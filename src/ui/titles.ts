import type { AuditReport } from '../engine/index.js';
import { clusterPolicyName, writesClusterPolicy } from '../engine/index.js';
import { auditHeaderLine } from './audit-view.js';
import { PENDING } from './provisional-view.js';
import { currentList, currentScreen, type MatrixScope, type UiState } from './state.js';
import { wizardTemplate } from './wizard.js';

/** What a title says beyond the state: the rows shown, the audit, whether writes are off. */
export interface TitleFacts {
  /** Rows of the list on screen (the namespaces list counts its "all" row). */
  readonly rows: number;
  /** The snapshot's rows other than its namespaces have not come from the analyst yet. */
  readonly rowsPending?: boolean;
  /** The audit's network plugin line, once the audit has come. */
  readonly audit: Pick<AuditReport, 'cni'> | undefined;
  readonly readOnly: boolean;
}

/** What a matrix screen is of: the namespace in view, marked pods, or namespaces. */
function matrixSubject(scope: MatrixScope | undefined, namespace: string | undefined): string {
  if (!scope) return namespace ?? 'default';
  if (scope.kind === 'namespaces') return scope.namespaces.join(', ');
  return `${scope.pods.length} marked pod${scope.pods.length === 1 ? '' : 's'}`;
}

/** The title of the screen on top, with the list's filter if it has one. */
export function screenTitle(state: UiState, facts: TitleFacts): string {
  const screen = currentScreen(state);
  const within = (word: string) => (state.namespace ? ` ${word} ${state.namespace}` : '');
  const count = facts.rowsPending ? PENDING : `${facts.rows}`;
  const title = (() => {
    switch (screen.id) {
      case 'namespaces':
        return `Namespaces (${facts.rows - 1})${state.pickingNamespace ? ': pick one' : ''}`;
      case 'pods':
        return `Pods${within('in')} (${count})${state.marks.length > 0 ? `, ${state.marks.length} marked (m: their matrix)` : ''}`;
      case 'policies':
        return `NetworkPolicies${within('in')} (${count})`;
      case 'services':
        return `Services${within('in')} (${count})`;
      case 'cluster-policies':
        return `Cluster network policies (${count}): Admin tier, NetworkPolicies, Baseline tier`;
      case 'pod-detail':
        return `Pod ${screen.podId}`;
      case 'policy-detail':
        return `NetworkPolicy ${screen.policyKey}`;
      case 'cluster-policy-detail':
        return `Cluster policy ${clusterPolicyName(screen)}`;
      case 'check':
        return 'Traffic check';
      case 'yaml':
        return `YAML: ${screen.objectKey}`;
      case 'help':
        return 'Help';
      case 'audit':
        return `Audit${within('of')} (${facts.rows}): ${facts.audit ? auditHeaderLine(facts.audit) : ''}`;
      case 'audit-finding':
        return 'Audit finding';
      case 'matrix':
        return `Connectivity matrix of ${matrixSubject(screen.scope, state.namespace)}: ports allowed, row to column`;
      case 'scaffold-template':
        return 'Scaffold a policy';
      case 'scaffold-form': {
        const cluster = state.wizard && writesClusterPolicy(wizardTemplate(state.wizard).template);
        return `Scaffold a ${cluster ? 'ClusterNetworkPolicy' : 'NetworkPolicy'}: fill in (→ completes)`;
      }
      case 'scaffold-preview':
        return `Scaffold preview${facts.readOnly ? ' (read-only: nothing can be written)' : ''}`;
    }
  })();
  const list = currentList(state);
  const filter = list && state.filters[list] ? `  filter: ${state.filters[list]}` : '';
  return `${title}${filter}`;
}
