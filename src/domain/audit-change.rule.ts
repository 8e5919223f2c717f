import { Change, History, fieldLabel, sortHistory } from './change-model';
import { evaluateActor, evaluateTransition } from './evaluate-transition.rule';
import { fieldsAt, sameRaw } from './field-snapshot';
import { FindingCode } from './finding-codes';
import { Finding, Person, Reason, isFindingCode, severityOf } from './finding';
import { EdgeId, edgeAppliesTo, findEdge, standardRisks } from './lifecycle';
import { enforcedFrom, type Policy } from './policy';
import { approverReplacedAfterSubmit, isSelfNominated } from './nomination';
import { postHocStatus } from './post-hoc-status.rule';
import { STATES, State } from './states';
import { isApprovalStep, isImplementationStep, materialChangesSince, standingApproval, Step, stepsFromHistory } from './steps';

interface Draft {
  code: FindingCode;
  message: string;
  edge: EdgeId | null;
  field?: Finding['field'];
  people: Person[];
  at: Date | null;
  timestamps?: Record<string, Date>;
}

const INITIAL_STATE: State = STATES[0];

/** The act a move into a state stands for, whatever transition made it (issue 14). */
const ACT_INTO: Partial<Record<State, EdgeId>> = { Approved: 'approve', Implemented: 'implement', Closed: 'close' };
const EMERGENCY_SHORTCUTS: readonly EdgeId[] = ['emergencyImplementFromDraft', 'emergencyImplementFromAssessment'];

/**
 * Every CC8.1 finding on one change: each recorded transition is replayed through the same rules
 * the validators enforce, then the history-wide checks run (approval standing, changes after
 * approval, post-hoc clock). Only history up to `now` counts.
 */
export const auditChange = (change: Change, history: History, policy: Policy, now: Date): Finding[] => {
  const sorted = sortHistory(history.filter((entry) => entry.at.getTime() <= now.getTime()));
  const steps = stepsFromHistory(sorted);
  const drafts: Draft[] = [];
  const add = (draft: Draft) => drafts.push(draft);

  replayTransitions(change, sorted, steps, policy, add);
  checkApprovals(change, sorted, steps, policy, add);
  checkChangesAfterApproval(steps, sorted, policy, add);
  checkReclassification(steps, sorted, add);
  checkNominations(change, sorted, policy, add);
  checkApproverReplacements(sorted, add);

  if (change.integrity && change.integrity.differences.length > 0) {
    add({
      code: 'EVIDENCE_TAMPERED',
      message: `The evidence on the issue is not what the app recorded: ${change.integrity.differences.join('; ')}.`,
      edge: null,
      people: [],
      at: null,
    });
  }

  const clock = postHocStatus(change, history, policy, now);
  if (clock.status === 'overdue') {
    add({
      code: 'EMERGENCY_POSTHOC_MISSING',
      message: `Emergency change implemented without post-hoc approval; it was due ${clock.dueAt.toISOString()}.`,
      edge: 'postHocApprove',
      people: [{ role: 'implementer', accountId: clock.implementerAccountId }],
      at: clock.dueAt,
      timestamps: { implementedAt: clock.implementedAt, dueAt: clock.dueAt },
    });
  } else if (clock.status === 'satisfied-late') {
    add({
      code: 'EMERGENCY_POSTHOC_LATE',
      message: `Post-hoc approval came ${Math.ceil(clock.lateByMs / 3_600_000)} h after the deadline.`,
      edge: 'postHocApprove',
      people: [
        { role: 'approver', accountId: clock.approverAccountId },
        { role: 'implementer', accountId: clock.implementerAccountId },
      ],
      at: clock.approvedAt,
      timestamps: { implementedAt: clock.implementedAt, dueAt: clock.dueAt, approvedAt: clock.approvedAt },
    });
  }
  const cutover = enforcedFrom(policy);
  return dedupe(drafts).map((d) => ({
    code: d.code,
    ...(cutover && d.at && d.at.getTime() < cutover.getTime() ? { severity: 'notice' as const, beforeEnforcement: true } : { severity: severityOf(d.code) }),
    issueKey: change.key,
    edge: d.edge,
    field: d.field ?? null,
    message: d.message,
    people: d.people,
    at: d.at,
    timestamps: d.timestamps ?? (d.at ? { at: d.at } : {}),
  }));
};

const withArticle = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

function replayTransitions(change: Change, sorted: History, steps: Step[], policy: Policy, add: (d: Draft) => void) {
  let expectedFrom: State = INITIAL_STATE;
  let index = 0;
  for (const entry of sorted) {
    if (entry.kind !== 'status') continue;
    const prior = steps.slice(0, index);
    index += 1;
    const actor: Person = { role: 'actor', accountId: entry.actor?.accountId ?? null };
    const edge = findEdge(entry.from, entry.to);
    const fields = fieldsAt(change.fields, sorted, entry.at);
    if (entry.from !== expectedFrom) {
      add({ code: 'SKIPPED_STATE', message: `The change left ${expectedFrom} for ${entry.from} outside the lifecycle.`, edge: null, people: [actor], at: entry.at });
    }
    expectedFrom = entry.to;
    const snapshot = (from: State): Change => ({
      ...change,
      state: from,
      fields,
      evidence: prior.map((s) => ({ from: s.from, to: s.to, accountId: s.accountId, at: s.at })),
    });
    if (!edge || !edgeAppliesTo(edge, fields.changeType)) {
      add({
        code: 'SKIPPED_STATE',
        message: edge
          ? `${edge.name} (${edge.from} to ${edge.to}) is not allowed for ${withArticle(fields.changeType ?? 'untyped')} change.`
          : `Moved from ${entry.from} straight to ${entry.to}, which is not a lifecycle step.`,
        edge: edge?.id ?? null,
        people: [actor],
        at: entry.at,
      });
      // Still an approval, implementation or close: whoever did it is held to that act's identity rules.
      const act = entry.from === entry.to ? undefined : ACT_INTO[entry.to];
      if (act) {
        const verdict = evaluateActor(snapshot(entry.from), act, entry.actor, policy, entry.at);
        for (const reason of [...verdict.reasons, ...verdict.notices]) {
          const draft = fromReason(reason, act, entry.at, actor);
          if (draft) add(draft);
        }
      }
      continue;
    }
    const verdict = evaluateTransition(snapshot(edge.from), edge.id, entry.actor, policy, entry.at);
    for (const reason of [...verdict.reasons, ...verdict.notices]) {
      const draft = fromReason(reason, edge.id, entry.at, actor);
      if (draft) add(draft);
    }
  }
}

const fromReason = (reason: Reason, edge: EdgeId, at: Date, actor: Person): Draft | null => {
  if (!isFindingCode(reason.code)) return null;
  const people = reason.people.some((p) => p.role === 'actor') ? reason.people : [actor, ...reason.people];
  return { code: reason.code, message: reason.message, edge, field: reason.field, people, at };
};

function checkApprovals(change: Change, sorted: History, steps: Step[], policy: Policy, add: (d: Draft) => void) {
  const implementations = steps.filter(isImplementationStep);
  const implementerActs = new Set(implementations.flatMap((s) => (s.accountId ? [s.accountId] : [])));
  const firstImpl = implementations[0];
  // The relaxation is judged on the risk when the approval was given, not on today's value.
  const relaxedAt = (at: Date) => policy.lowRiskRelaxation.enabled && fieldsAt(change.fields, sorted, at).risk === 'low';

  steps.forEach((step, i) => {
    // Every way into Implemented needs a standing approval, except an emergency shortcut taken by
    // a change that was an emergency at the time (it needs post-hoc approval instead).
    const emergencyShortcut = step.edge !== null && EMERGENCY_SHORTCUTS.includes(step.edge) && fieldsAt(change.fields, sorted, step.at).changeType === 'emergency';
    if (isImplementationStep(step) && !emergencyShortcut) {
      const { approval, shortcut } = standingApproval(steps.slice(0, i));
      const covered = standardRisks();
      const riskThen = fieldsAt(change.fields, sorted, step.at).risk;
      if (shortcut && riskThen && !covered.includes(riskThen) && covered.includes(fieldsAt(change.fields, sorted, shortcut.at).risk ?? 'low')) {
        add({
          code: 'STANDARD_RISK_TOO_HIGH',
          message: `Implemented at ${riskThen} risk on a standard pre-approval that covers ${covered.join('/')} only (the risk was raised after it).`,
          edge: 'implement',
          field: 'risk',
          people: [{ role: 'implementer', accountId: step.accountId }],
          at: step.at,
        });
      }
      if (!approval && !shortcut) {
        add({
          code: 'NOT_APPROVED',
          message: step.edge === 'implement' ? 'Implemented with no standing approval.' : `Moved into Implemented (from ${step.from}) with no standing approval.`,
          edge: 'implement',
          people: [{ role: 'implementer', accountId: step.accountId }],
          at: step.at,
        });
      }
    }
    if (isApprovalStep(step) && step.accountId && implementerActs.has(step.accountId)) {
      add({
        code: relaxedAt(step.at) ? 'SOD_RELAXATION_USED' : 'APPROVER_IS_IMPLEMENTER',
        message: 'Approved by the person who implemented the change.',
        edge: step.edge,
        people: [
          { role: 'approver', accountId: step.accountId },
          { role: 'implementer', accountId: step.accountId },
        ],
        at: step.at,
      });
    }
    if (isApprovalStep(step) && step.edge !== 'postHocApprove' && firstImpl && step.at.getTime() > firstImpl.at.getTime()) {
      add({
        code: 'APPROVAL_AFTER_IMPLEMENTATION',
        message: step.edge === 'approve' ? 'Approved after the change was already implemented.' : `Moved into Approved (from ${step.from}) after the change was already implemented.`,
        edge: 'approve',
        people: [{ role: 'approver', accountId: step.accountId }],
        at: step.at,
        timestamps: { approvedAt: step.at, implementedAt: firstImpl.at },
      });
    }
  });
}

function checkChangesAfterApproval(steps: Step[], sorted: History, policy: Policy, add: (d: Draft) => void) {
  // The standard shortcut is the template's pre-approval: material changes after it void it too.
  const last = [...steps].reverse().find((s) => isApprovalStep(s) || s.edge === 'standardSchedule');
  if (!last?.edge) return;
  const withdrawn = steps.find((s) => s.edge === 'reassess' && s.at.getTime() > last.at.getTime());
  const implemented = steps.find(isImplementationStep);
  for (const change of materialChangesSince(sorted, last.at, policy)) {
    if (withdrawn && change.at.getTime() >= withdrawn.at.getTime()) continue;
    if (change.field === 'changeType' && implemented && change.at.getTime() > implemented.at.getTime()) continue; // RECLASSIFIED_AFTER_IMPLEMENTATION
    add({
      code: 'CHANGED_AFTER_APPROVAL',
      message: `${fieldLabel(change.field)} changed after the approval, which voids it.`,
      edge: last.edge,
      field: change.field,
      people: [
        { role: 'editor', accountId: change.accountId },
        { role: 'approver', accountId: last.accountId },
      ],
      at: change.at,
      timestamps: { approvedAt: last.at, changedAt: change.at },
    });
  }
}

/** Every approval or verification by someone who named themselves to the role (issue 15). */
function checkNominations(change: Change, sorted: History, policy: Policy, add: (d: Draft) => void) {
  for (const entry of sorted) {
    if (entry.kind !== 'status' || !entry.actor) continue;
    const step = stepsFromHistory([entry])[0]!;
    const role = isApprovalStep(step) ? 'approver' : step.to === 'Closed' && (step.edge === 'close' || step.edge === null) && step.from !== 'Closed' ? 'verifier' : null;
    if (!role) continue;
    const then: Change = { ...change, fields: fieldsAt(change.fields, sorted, entry.at) };
    if (!isSelfNominated(then, sorted, role, entry.actor, policy, entry.at)) continue;
    add({
      code: 'SELF_NOMINATED',
      message: `${role === 'approver' ? 'Approved' : 'Verified'} by the person who named themselves ${role}.`,
      edge: step.edge,
      field: role,
      people: [
        { role, accountId: entry.actor.accountId },
        { role: 'editor', accountId: entry.actor.accountId },
      ],
      at: entry.at,
    });
  }
}

/** Every approval given after the approver was replaced since Submit, without a new Submit (issue 15). */
function checkApproverReplacements(sorted: History, add: (d: Draft) => void) {
  for (const entry of sorted) {
    if (entry.kind !== 'status' || entry.from !== 'Assessment' || entry.to !== 'Approved') continue;
    const replaced = approverReplacedAfterSubmit(sorted, new Date(entry.at.getTime() - 1));
    if (!replaced) continue;
    add({
      code: 'APPROVER_CHANGED_AFTER_SUBMIT',
      message: 'Approved after the approver was changed, without submitting the change again.',
      edge: 'approve',
      field: 'approver',
      people: [
        { role: 'editor', accountId: replaced.actor?.accountId ?? null },
        { role: 'approver', accountId: entry.actor?.accountId ?? null },
      ],
      at: entry.at,
      timestamps: { changedAt: replaced.at, approvedAt: entry.at },
    });
  }
}

/** Every change of the type after the first implementation: the type it was implemented as still decides (issue 15). */
function checkReclassification(steps: Step[], sorted: History, add: (d: Draft) => void) {
  const firstImpl = steps.find(isImplementationStep);
  if (!firstImpl) return;
  for (const entry of sorted) {
    if (entry.kind !== 'field' || entry.field !== 'changeType' || entry.at.getTime() <= firstImpl.at.getTime() || sameRaw(entry.from, entry.to)) continue;
    add({
      code: 'RECLASSIFIED_AFTER_IMPLEMENTATION',
      message: `The change type went from ${entry.from?.trim() || 'none'} to ${entry.to?.trim() || 'none'} after the change was implemented; it is judged as it was implemented.`,
      edge: null,
      field: 'changeType',
      people: [
        { role: 'editor', accountId: entry.actor?.accountId ?? null },
        { role: 'implementer', accountId: firstImpl.accountId },
      ],
      at: entry.at,
      timestamps: { implementedAt: firstImpl.at, changedAt: entry.at },
    });
  }
}

const dedupe = (drafts: Draft[]): Draft[] => {
  const seen = new Set<string>();
  return drafts.filter((d) => {
    const id = `${d.code}|${d.edge ?? ''}|${d.field ?? ''}|${d.at?.getTime() ?? ''}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
};
