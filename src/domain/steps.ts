import { Change, FieldKey, History, MATERIAL_FIELDS, accountsOf } from './change-model';
import { fieldsAt, sameRaw } from './field-snapshot';
import { EdgeId, findEdge } from './lifecycle';
import type { Policy } from './policy';

/** One lifecycle step: who moved the change from one state to another, and when. */
export interface Step {
  from: Change['state'];
  to: Change['state'];
  accountId: string | null;
  at: Date;
  edge: EdgeId | null;
}

const toStep = (from: Step['from'], to: Step['to'], accountId: string | null, at: Date): Step => ({
  from,
  to,
  accountId,
  at,
  edge: findEdge(from, to)?.id ?? null,
});

/** Steps from a (time-sorted) history. */
export const stepsFromHistory = (sortedHistory: History): Step[] =>
  sortedHistory.flatMap((entry) => (entry.kind === 'status' ? [toStep(entry.from, entry.to, entry.actor?.accountId ?? null, entry.at)] : []));

/** Steps from the app's evidence records, for when no changelog is at hand. */
export const stepsFromEvidence = (change: Change): Step[] =>
  [...change.evidence]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((record) => toStep(record.from, record.to, record.accountId, record.at));

/** The step that moved the change into Implemented (not the post-hoc loop). */
export const isImplementationStep = (step: Step): boolean => step.to === 'Implemented' && step.from !== 'Implemented';

/** An implementation reached through Scheduled (or Approved) rests on a pre-approval; emergency shortcuts do not. */
export const isPreApprovedImplementation = (step: Step): boolean => step.from === 'Scheduled' || step.from === 'Approved';

/**
 * The implementation that owes a post-hoc approval: the first one that skipped pre-approval while
 * the change was an emergency. Fixed when incurred: reclassifying the change later changes nothing.
 * `sortedHistory` supplies the type at the time (its field edits); without it, the current type.
 */
export const postHocDebt = (change: Change, sortedHistory: History, steps: readonly Step[]): Step | undefined =>
  steps.find((s) => isImplementationStep(s) && !isPreApprovedImplementation(s) && fieldsAt(change.fields, sortedHistory, s.at).changeType === 'emergency');

/** A move into Approved that is no lifecycle step (a global transition, a bulk change…): still an approval act. */
export const isOffLifecycleApproval = (step: Step): boolean => step.edge === null && step.to === 'Approved' && step.from !== 'Approved';

/** An approval act: the lifecycle's approve and post-hoc approval, and any other move into Approved. */
export const isApprovalStep = (step: Step): boolean => step.edge === 'approve' || step.edge === 'postHocApprove' || isOffLifecycleApproval(step);

/**
 * The approval the current implementation rests on: the last `approve` not undone by a
 * re-assess or send-back. `null` when the change reached Scheduled by the standard shortcut;
 * `shortcut` is then that step, the template's pre-approval (a standing approval too, issue 15).
 */
export const standingApproval = (steps: readonly Step[]): { approval: Step | null; shortcut: Step | null } => {
  let approval: Step | null = null;
  let shortcut: Step | null = null;
  for (const step of steps) {
    if (step.edge === 'approve' || isOffLifecycleApproval(step)) approval = step;
    else if (step.edge === 'reassess' || step.edge === 'sendBack') approval = null;
    if (step.to === 'Scheduled') shortcut = step.edge === 'standardSchedule' ? step : null;
  }
  return { approval, shortcut };
};

export const materialFields = (policy: Policy): FieldKey[] => [...new Set([...MATERIAL_FIELDS, ...policy.additionalMaterialFields])];

/** The window is set on the Schedule step, after approval: setting it where it was empty voids nothing. */
const SET_AFTER_APPROVAL: readonly FieldKey[] = ['windowStart', 'windowEnd', 'recurringWindow'];

/**
 * Material field edits strictly after `since`, first edit per field. Moving or clearing a window
 * counts; setting one for the first time does not. Any other material edit counts.
 */
export const materialChangesSince = (sortedHistory: History, since: Date, policy: Policy) => {
  const material = new Set(materialFields(policy));
  const seen = new Set<FieldKey>();
  const changes: { field: FieldKey; at: Date; accountId: string | null; from: string | null; to: string | null }[] = [];
  for (const entry of sortedHistory) {
    if (entry.kind !== 'field' || entry.at.getTime() <= since.getTime()) continue;
    if (!material.has(entry.field) || seen.has(entry.field) || sameRaw(entry.from, entry.to)) continue;
    if (SET_AFTER_APPROVAL.includes(entry.field) && sameRaw(entry.from, null)) continue;
    seen.add(entry.field);
    changes.push({ field: entry.field, at: entry.at, accountId: entry.actor?.accountId ?? null, from: entry.from, to: entry.to });
  }
  return changes;
};

/** The person the `role` field names, and whoever took one of the role's acts. */
const namedAndActing =
  (role: 'approver' | 'implementer', isAct: (step: Step) => boolean) =>
  (change: Change, steps: readonly Step[]): Set<string> => {
    const ids = new Set<string>();
    for (const named of accountsOf(change.fields, role)) ids.add(named);
    for (const step of steps) if (isAct(step) && step.accountId) ids.add(step.accountId);
    return ids;
  };

/** Who counts as an approver: the named one and whoever took any approval act (issue 15's three people). */
export const approverIds = namedAndActing('approver', isApprovalStep);

/** Who counts as the implementer: the named one and whoever actually moved it to Implemented. */
export const implementerIds = namedAndActing('implementer', isImplementationStep);
