/**
 * The CC8.1 change workflow as the sandbox's Jira has it: one transition per lifecycle edge
 * (`EDGES`), between the site's statuses. Transition ids are stable (`11`, `21`, `31`, … in
 * `EDGES` order), as Jira numbers the transitions of a workflow.
 */
import { Edge, EDGES } from '../../domain';
import { SandboxState, SandboxStatus, statusOf } from '../state/sandbox-state';

export interface WorkflowTransition {
  id: string;
  name: string;
  edge: Edge;
  from: SandboxStatus;
  to: SandboxStatus;
  /** A loop transition (Implemented → Implemented: post-hoc approval). */
  isLooped: boolean;
  /** Whether Jira shows a transition screen (the edge needs fields, by the lifecycle or the policy). */
  hasScreen: boolean;
}

export const transitionIdOf = (edgeIndex: number): string => String((edgeIndex + 1) * 10 + 1);

export const cc81Workflow = (state: SandboxState): WorkflowTransition[] =>
  EDGES.map((edge, i) => ({
    id: transitionIdOf(i),
    name: edge.name,
    edge,
    from: statusOf(state, edge.from),
    to: statusOf(state, edge.to),
    isLooped: edge.from === edge.to,
    hasScreen: edge.rules.length > 0 || (state.policy.additionalRequiredFields[edge.id]?.length ?? 0) > 0,
  }));

/** A status as the issue's `status` field and the transitions API show it. */
export const statusJson = (status: SandboxStatus) => ({ id: status.id, name: status.name, statusCategory: { ...status.statusCategory } });

/** The id of the current status (null when the issue has none, which Jira never allows). */
export const currentStatusId = (fields: Record<string, unknown>): string | null => {
  const status = fields.status;
  if (!status || typeof status !== 'object') return null;
  const id = (status as { id?: unknown }).id;
  return typeof id === 'string' ? id : typeof id === 'number' ? String(id) : null;
};
