/**
 * The project's workflow as the engine runs it, derived from the workflow document
 * (`state.workflow`) on every change: DIRECTED transitions from their links' statuses, GLOBAL ones
 * from every status, the INITIAL one only at create. A transition maps to a lifecycle edge when it
 * is DIRECTED with one link and its (from, to) statuses are an edge's; any other transition still
 * works, with only the rules it carries.
 */
import { Edge, findEdge, State } from '../../src/domain';
import type { WorkflowTransition as DocumentTransition } from '../../src/jira/workflow-schemas';
import { SandboxState, SandboxStatus, statusById } from '../state/sandbox-state';

export { transitionIdOf } from '../state/workflow-document';

export interface WorkflowTransition {
  id: string;
  name: string;
  type: DocumentTransition['type'];
  /** The lifecycle edge it performs; null for a transition that is none (global, several links, unknown statuses). */
  edge: Edge | null;
  /** The statuses it is available from (every workflow status for a GLOBAL one; none for INITIAL). */
  from: SandboxStatus[];
  to: SandboxStatus;
  isGlobal: boolean;
  isInitial: boolean;
  /** A loop transition (Implemented → Implemented: post-hoc approval). */
  isLooped: boolean;
  /** Whether Jira shows a transition screen (the edge needs fields, by the lifecycle or the policy). */
  hasScreen: boolean;
  /** The document's transition (rules included), a copy. */
  document: DocumentTransition;
}

const edgeOf = (type: DocumentTransition['type'], from: readonly SandboxStatus[], to: SandboxStatus): Edge | null =>
  type === 'DIRECTED' && from.length === 1 ? (findEdge(from[0]!.name as State, to.name as State) ?? null) : null;

/** The engine's transitions, in document order; transitions whose statuses the site lacks are left out. */
export const workflowTransitionsOf = (state: SandboxState): WorkflowTransition[] => {
  const inWorkflow = state.workflow.statuses.map((ref) => statusById(state, ref.statusReference)).filter((s): s is SandboxStatus => s !== undefined);
  return state.workflow.transitions.flatMap((t): WorkflowTransition[] => {
    const to = statusById(state, t.toStatusReference);
    if (!to) return [];
    const from =
      t.type === 'GLOBAL'
        ? inWorkflow
        : t.type === 'INITIAL'
          ? []
          : (t.links ?? []).map((link) => statusById(state, link.fromStatusReference ?? '')).filter((s): s is SandboxStatus => s !== undefined);
    const edge = edgeOf(t.type, from, to);
    return [
      {
        id: t.id,
        name: t.name,
        type: t.type,
        edge,
        from,
        to,
        isGlobal: t.type === 'GLOBAL',
        isInitial: t.type === 'INITIAL',
        isLooped: t.type === 'DIRECTED' && from.length > 0 && from.every((s) => s.id === to.id),
        hasScreen: edge !== null && (edge.rules.length > 0 || (state.policy.additionalRequiredFields[edge.id]?.length ?? 0) > 0),
        document: JSON.parse(JSON.stringify(t)) as DocumentTransition,
      },
    ];
  });
};

/** The status a new issue starts in: the INITIAL transition's target. */
export const initialStatusOf = (state: SandboxState): SandboxStatus | undefined => {
  const initial = state.workflow.transitions.find((t) => t.type === 'INITIAL');
  return initial ? statusById(state, initial.toStatusReference) : undefined;
};

/** A status as the issue's `status` field and the transitions API show it. */
export const statusJson = (status: SandboxStatus) => ({ id: status.id, name: status.name, statusCategory: { ...status.statusCategory } });

/** The id of the current status (null when the issue has none, which Jira never allows). */
export const currentStatusId = (fields: Record<string, unknown>): string | null => {
  const status = fields.status;
  if (!status || typeof status !== 'object') return null;
  const id = (status as { id?: unknown }).id;
  return typeof id === 'string' ? id : typeof id === 'number' ? String(id) : null;
};
