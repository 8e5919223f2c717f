import { Actor, Change, FieldKey, History, accountOf, accountsOf, fieldLabel, groupOf, hasValue, namesActor, sortHistory } from './change-model';
import type { ReasonCode } from './finding-codes';
import type { Person, Reason } from './finding';
import { CHANGELOG_RULES, Edge, EdgeId, RuleSpec, edgeAppliesTo, getEdge, isCompiledRule, isGateRule, standardRisks } from './lifecycle';
import { approverReplacedAfterSubmit, eligibleWho, isCabMember, isEligible, isSelfNominated } from './nomination';
import { recurringWindowAt } from './recurring-window.rule';

const RECURRING_FORMAT = 'Write it as RFC 5545 parts, e.g. DTSTART;TZID=Europe/Berlin:20260106T020000 RRULE:FREQ=WEEKLY;BYDAY=TU DURATION:PT2H.';
import type { Policy } from './policy';
import { approverIds, implementerIds, isImplementationStep, materialChangesSince, postHocDebt, standingApproval, Step, stepsFromEvidence, stepsFromHistory } from './steps';

export interface Verdict {
  edge: EdgeId;
  allowed: boolean;
  /** Every reason the transition is blocked. Empty when allowed. */
  reasons: Reason[];
  /** Non-blocking facts the evidence must keep (window flagged, relaxation used). */
  notices: Reason[];
}

interface RuleContext {
  change: Change;
  edge: Edge;
  actor: Actor;
  policy: Policy;
  now: Date;
  steps: Step[];
  sortedHistory: History | null;
  block: (code: ReasonCode, message: string, extra?: { field?: FieldKey; people?: Person[] }) => void;
  notice: (code: ReasonCode, message: string, people?: Person[]) => void;
}


const requireField = (ctx: RuleContext, field: FieldKey) => {
  if (!hasValue(ctx.change.fields, field)) {
    ctx.block('MISSING_FIELD', `Fill in ${fieldLabel(field)}: it is required to ${ctx.edge.name}.`, { field });
  }
};

const mismatchCode: Record<'approver' | 'implementer' | 'verifier', ReasonCode> = {
  approver: 'APPROVAL_ACTOR_MISMATCH',
  implementer: 'IMPLEMENTATION_ACTOR_MISMATCH',
  verifier: 'VERIFICATION_ACTOR_MISMATCH',
};

const actorUnknown = (ctx: RuleContext) =>
  ctx.block('ACTOR_UNKNOWN', `${ctx.edge.name} must be performed by a signed-in, named person.`, { people: [{ role: 'actor', accountId: null }] });

const checks: { [K in RuleSpec['kind']]: (ctx: RuleContext, rule: Extract<RuleSpec, { kind: K }>) => void } = {
  required: (ctx, rule) => requireField(ctx, rule.field),

  cabReferenceForRisk: (ctx) => {
    const risk = ctx.change.fields.risk;
    if (risk && ctx.policy.cab.requiredForRisks.includes(risk) && !hasValue(ctx.change.fields, 'cabReference')) {
      ctx.block('CAB_MISSING', `Add the CAB reference: ${risk}-risk changes need CAB review before they can be approved.`, { field: 'cabReference' });
    }
  },

  rollbackOutcomeIfFailed: (ctx) => {
    if (ctx.change.fields.verificationResult === 'failed-rolled-back' && !hasValue(ctx.change.fields, 'rollbackOutcome')) {
      ctx.block('ROLLBACK_UNDOCUMENTED', 'Verification failed: describe the rollback outcome before closing.', { field: 'rollbackOutcome' });
    }
  },

  windowDefined: (ctx) => {
    const f = ctx.change.fields;
    if (hasValue(f, 'recurringWindow')) return;
    for (const field of ['windowStart', 'windowEnd'] as const) {
      if (!hasValue(f, field)) {
        ctx.block('MISSING_FIELD', `Set ${fieldLabel(field)} (or a recurring window reference) to ${ctx.edge.name}.`, { field });
      }
    }
    if (f.windowStart && f.windowEnd && !(f.windowStart.getTime() < f.windowEnd.getTime())) {
      ctx.block('WINDOW_INVALID', 'The maintenance window must start before it ends.', { field: 'windowEnd' });
    }
  },

  insideWindow: (ctx) => {
    const { windowStart, windowEnd } = ctx.change.fields;
    if (!windowStart || !windowEnd) {
      if (hasValue(ctx.change.fields, 'recurringWindow')) return; // the gate judges it (insideRecurringWindow)
      report(ctx, 'No maintenance window is set; reschedule the change with a window first.');
      return;
    }
    const t = ctx.now.getTime();
    if (t < windowStart.getTime() || t > windowEnd.getTime()) {
      report(ctx, `This is outside the maintenance window (${windowStart.toISOString()} to ${windowEnd.toISOString()}); implement inside it or reschedule.`);
    }
  },

  recurringWindowReadable: (ctx) => {
    const verdict = recurringWindowAt(ctx.change, ctx.change.fields, ctx.now);
    if (verdict.kind === 'invalid') ctx.block('WINDOW_INVALID', `The recurring window cannot be read: ${verdict.problem}. ${RECURRING_FORMAT}`, { field: 'recurringWindow' });
    else if (verdict.kind === 'unknown') ctx.block('WINDOW_INVALID', `The recurring window could not be checked; try again. ${RECURRING_FORMAT}`, { field: 'recurringWindow' });
  },

  insideRecurringWindow: (ctx) => {
    const verdict = recurringWindowAt(ctx.change, ctx.change.fields, ctx.now);
    if (verdict.kind === 'invalid') ctx.block('WINDOW_INVALID', `The recurring window cannot be read (${verdict.problem}), so no time is inside it: correct it, or reschedule with a fixed window.`, { field: 'recurringWindow' });
    else if (verdict.kind === 'unknown') ctx.block('WINDOW_INVALID', 'The recurring window could not be checked; try again in a moment.', { field: 'recurringWindow' });
    else if (verdict.kind === 'outside') {
      const next = verdict.next ? ` The next one is ${verdict.next.start.toISOString()} to ${verdict.next.end.toISOString()}.` : ' It has no further occurrence.';
      report(ctx, `This is outside the recurring maintenance window (${verdict.description}).${next} Implement inside it, or reschedule.`);
    }
  },

  riskIn: (ctx, rule) => {
    const risk = ctx.change.fields.risk;
    if (risk && !rule.risks.includes(risk)) {
      ctx.block('STANDARD_RISK_TOO_HIGH', `Only ${rule.risks.join('/')}-risk changes may ${ctx.edge.name}; take the normal approval path.`, { field: 'risk' });
    }
  },

  actorIsNamed: (ctx, rule) => {
    if (!ctx.actor) return actorUnknown(ctx);
    const named = ctx.change.fields[rule.role];
    // Nobody named, or the actor is (or may be: a group's members are known to the expression only).
    if (!named || namesActor(ctx.change.fields, rule.role, ctx.actor) !== false) return;
    if (rule.allowCab && isCabMember(ctx.actor, ctx.policy)) return;
    const group = groupOf(ctx.change.fields, rule.role);
    const who = group !== null ? `members of the group "${group}" named as ${rule.role}` : `the named ${rule.role}`;
    ctx.block(
      mismatchCode[rule.role],
      `Only ${who}${rule.allowCab ? ' or a CAB member' : ''} may ${ctx.edge.name}; ask them to do it, or change the ${rule.role} first.`,
      { people: [{ role: 'actor', accountId: ctx.actor.accountId }, ...accountsOf(ctx.change.fields, rule.role).map((accountId) => ({ role: rule.role, accountId }))] },
    );
  },

  actorIsEligible: (ctx, rule) => {
    if (ctx.policy.eligibility[rule.role].kind === 'anyone') return;
    if (!ctx.actor) return actorUnknown(ctx);
    if (isEligible(ctx.actor, rule.role, ctx.policy) !== false) return;
    ctx.block(mismatchCode[rule.role], `Only ${eligibleWho(rule.role, ctx.policy)} may ${rule.role === 'approver' ? 'approve' : 'verify'} changes (the CC8.1 policy): ask one of them to ${ctx.edge.name}.`, {
      people: [{ role: 'actor', accountId: ctx.actor.accountId }],
    });
  },

  actorIsNotImplementer: (ctx, rule) => {
    if (!ctx.actor) return actorUnknown(ctx);
    const implementers = implementerIds(ctx.change, ctx.steps);
    if (!implementers.has(ctx.actor.accountId)) return;
    const people: Person[] = [
      { role: rule.as, accountId: ctx.actor.accountId },
      { role: 'implementer', accountId: ctx.actor.accountId },
    ];
    const relaxation = ctx.policy.lowRiskRelaxation;
    if (rule.relaxableForLowRisk && relaxation.enabled && ctx.change.fields.risk === 'low') {
      ctx.notice('SOD_RELAXATION_USED', `Low-risk relaxation applied: the implementer approved. Compensating control: ${relaxation.compensatingControl}`, people);
      return;
    }
    const code = rule.as === 'approver' ? 'APPROVER_IS_IMPLEMENTER' : 'VERIFIER_IS_IMPLEMENTER';
    ctx.block(code, `The implementer may not ${ctx.edge.name}: someone else must ${rule.as === 'approver' ? 'approve' : 'verify'} this change.`, { people });
  },

  notSelfNominated: (ctx, rule) => {
    if (!ctx.actor || !ctx.sortedHistory) return;
    if (!isSelfNominated(ctx.change, ctx.sortedHistory, rule.role, ctx.actor, ctx.policy, ctx.now)) return;
    ctx.block('SELF_NOMINATED', `You named yourself ${rule.role}: someone else must name the ${rule.role} before you can ${ctx.edge.name}.`, {
      field: rule.role,
      people: [
        { role: 'actor', accountId: ctx.actor.accountId },
        { role: 'editor', accountId: ctx.actor.accountId },
      ],
    });
  },

  approverUnchangedSinceSubmit: (ctx) => {
    if (!ctx.sortedHistory) return;
    const replaced = approverReplacedAfterSubmit(ctx.sortedHistory, ctx.now);
    if (!replaced) return;
    ctx.block('APPROVER_CHANGED_AFTER_SUBMIT', `The approver was changed after the change was submitted (${replaced.at.toISOString()}): send it back to Draft and submit it again, so it is assessed with its new approver.`, {
      field: 'approver',
      people: [
        { role: 'editor', accountId: replaced.actor?.accountId ?? null },
        { role: 'approver', accountId: accountOf(ctx.change.fields, 'approver') },
      ],
    });
  },

  actorIsNotApprover: (ctx, rule) => {
    if (!ctx.actor) return actorUnknown(ctx);
    if (!approverIds(ctx.change, ctx.steps).has(ctx.actor.accountId)) return;
    const people: Person[] = [
      { role: 'verifier', accountId: ctx.actor.accountId },
      { role: 'approver', accountId: ctx.actor.accountId },
    ];
    const relaxation = ctx.policy.lowRiskRelaxation;
    if (rule.relaxableForLowRisk && relaxation.enabled && ctx.change.fields.risk === 'low') {
      ctx.notice('SOD_RELAXATION_USED', `Low-risk relaxation applied: an approver verified. Compensating control: ${relaxation.compensatingControl}`, people);
      return;
    }
    ctx.block('APPROVER_IS_VERIFIER', `An approver may not ${ctx.edge.name}: a third person, neither an approver nor the implementer, must verify this change.`, { people });
  },

  postHocApprovalRecorded: (ctx) => {
    // Owed by an emergency implementation without pre-approval, whatever the change is now; an
    // emergency change with no implementation on record fails closed.
    const owed = postHocDebt(ctx.change, ctx.sortedHistory ?? [], ctx.steps) !== undefined;
    const noneOnRecord = ctx.change.fields.changeType === 'emergency' && !ctx.steps.some(isImplementationStep);
    if (!owed && !noneOnRecord) return;
    const implementers = implementerIds(ctx.change, ctx.steps);
    const approved = ctx.steps.some((s) => s.edge === 'postHocApprove' && s.accountId !== null && !implementers.has(s.accountId));
    if (!approved) {
      ctx.block('EMERGENCY_POSTHOC_MISSING', 'This emergency change needs post-hoc approval by someone other than the implementer before it can be closed.');
    }
  },

  approvedByNonImplementer: (ctx) => {
    const { approval, shortcut } = standingApproval(ctx.steps);
    if (shortcut) {
      // The template pre-approves only its risks: raised since, the pre-approval no longer covers the change.
      const risk = ctx.change.fields.risk;
      const covered = standardRisks();
      if (risk && !covered.includes(risk)) {
        ctx.block('STANDARD_RISK_TOO_HIGH', `The risk is now ${risk}, above what the standard template pre-approves (${covered.join('/')}): reschedule and re-assess the change, and have it approved.`, { field: 'risk' });
      }
      return;
    }
    if (!approval) {
      ctx.block('NOT_APPROVED', 'There is no standing approval for this change; it must be approved (again) before implementation.');
      return;
    }
    const implementers = implementerIds(ctx.change, ctx.steps);
    if (ctx.actor) implementers.add(ctx.actor.accountId);
    if (approval.accountId === null || implementers.has(approval.accountId)) {
      const relaxation = ctx.policy.lowRiskRelaxation;
      const people: Person[] = [{ role: 'approver', accountId: approval.accountId }];
      if (approval.accountId && relaxation.enabled && ctx.change.fields.risk === 'low') return;
      ctx.block('APPROVER_IS_IMPLEMENTER', 'The approval on record was given by the implementer (or by nobody identifiable); have someone else re-approve the change.', { people });
    }
  },

  noMaterialChangeSinceApproval: (ctx) => {
    if (!ctx.sortedHistory) return;
    const { approval, shortcut } = standingApproval(ctx.steps);
    const since = approval ?? shortcut;
    if (!since) return;
    const voids = approval
      ? 'changed after approval, which voids it: send the change back for re-approval.'
      : 'changed after the standard pre-approval, which voids it: reschedule and re-assess the change, and have it approved.';
    for (const change of materialChangesSince(ctx.sortedHistory, since.at, ctx.policy)) {
      ctx.block('CHANGED_AFTER_APPROVAL', `${fieldLabel(change.field)} ${voids}`, {
        field: change.field,
        people: [{ role: 'editor', accountId: change.accountId }],
      });
    }
  },
};

function report(ctx: RuleContext, message: string) {
  if (ctx.policy.windowEnforcement === 'block') ctx.block('OUTSIDE_WINDOW', message);
  else ctx.notice('OUTSIDE_WINDOW', message);
}

const runRule = (ctx: RuleContext, rule: RuleSpec) => (checks[rule.kind] as (c: RuleContext, r: RuleSpec) => void)(ctx, rule);

/** Rule kinds a workflow condition can decide before the transition screen: who acts. */
export const CONDITION_RULE_KINDS: readonly RuleSpec['kind'][] = ['actorIsNamed', 'actorIsEligible', 'actorIsNotImplementer', 'actorIsNotApprover'];

interface Scope {
  /** Which of the edge's rules to run. */
  rules: (rule: RuleSpec) => boolean;
  /** Check the current state, the change type and policy-required fields too. */
  edgeChecks: boolean;
  typeCheck: boolean;
}

const evaluateScoped = (change: Change, edgeId: EdgeId, actor: Actor, policy: Policy, now: Date, history: History | undefined, scope: Scope): Verdict => {
  const edge = getEdge(edgeId);
  const reasons: Reason[] = [];
  const notices: Reason[] = [];
  const seen = new Set<string>();
  const sortedHistory = history ? sortHistory(history) : null;
  const ctx: RuleContext = {
    change,
    edge,
    actor,
    policy,
    now,
    sortedHistory,
    steps: sortedHistory ? stepsFromHistory(sortedHistory) : stepsFromEvidence(change),
    block: (code, message, extra) => {
      const id = `${code}|${extra?.field ?? ''}`;
      if (seen.has(id)) return;
      seen.add(id);
      reasons.push({ code, message, field: extra?.field, people: extra?.people ?? [] });
    },
    notice: (code, message, people = []) => notices.push({ code, message, people }),
  };

  if (scope.edgeChecks && change.state !== edge.from) {
    ctx.block('WRONG_STATE', `${edge.name} starts from ${edge.from}, but this change is in ${change.state}.`);
  }
  if (scope.typeCheck && !edgeAppliesTo(edge, change.fields.changeType)) {
    if (!change.fields.changeType) requireField(ctx, 'changeType');
    else ctx.block('EDGE_NOT_FOR_CHANGE_TYPE', `${edge.name} is only for ${edge.types.join(' or ')} changes; this is a ${change.fields.changeType} change.`, { field: 'changeType' });
  }
  for (const rule of edge.rules) {
    if (!history && CHANGELOG_RULES.includes(rule.kind)) continue;
    if (scope.rules(rule)) runRule(ctx, rule);
  }
  if (scope.edgeChecks) for (const field of policy.additionalRequiredFields[edge.id] ?? []) requireField(ctx, field);

  return { edge: edge.id, allowed: reasons.length === 0, reasons, notices };
};

/**
 * Decides whether `actor` may take `edgeId` on `change` at `now`. Without `history` (the changelog
 * merged with the app's log), steps come from `change.evidence` and the rules that need the
 * changelog (standing approval, changes since approval) are skipped.
 */
export const evaluateTransition = (change: Change, edgeId: EdgeId, actor: Actor, policy: Policy, now: Date, history?: History): Verdict =>
  evaluateScoped(change, edgeId, actor, policy, now, history, { rules: () => true, edgeChecks: true, typeCheck: true });

/**
 * The identity checks of `edgeId` (who may act, never the implementer approving or verifying)
 * for a move that is not that edge but does the same act: the audit runs them on every way into
 * Approved, Implemented and Closed.
 */
export const evaluateActor = (change: Change, edgeId: EdgeId, actor: Actor, policy: Policy, now: Date, history?: History): Verdict =>
  evaluateScoped(change, edgeId, actor, policy, now, history, { rules: (rule) => CONDITION_RULE_KINDS.includes(rule.kind), edgeChecks: false, typeCheck: false });

/** What the compiled expression validators decide: every rule but the gate-only ones, from the fields and the mirror's records. */
export const evaluateCompiledValidator = (change: Change, edgeId: EdgeId, actor: Actor, policy: Policy, now: Date): Verdict =>
  evaluateScoped(change, edgeId, actor, policy, now, undefined, { rules: (rule) => isCompiledRule(rule, policy), edgeChecks: true, typeCheck: true });

/**
 * The history gate's rules, judged from the changelog and the app's log only: standing approval
 * by a non-implementer, no material change since approval, post-hoc approval before Close, and
 * again the implementer checks the expressions make from the user-writable mirror.
 */
export const evaluateHistoryGate = (change: Change, edgeId: EdgeId, actor: Actor, policy: Policy, now: Date, history: History): Verdict =>
  evaluateScoped(change, edgeId, actor, policy, now, history, { rules: (rule) => isGateRule(rule, policy), edgeChecks: false, typeCheck: false });

/** What a workflow condition decides: whether the edge applies to this change type and `actor` may take it. */
export const evaluateCondition = (change: Change, edgeId: EdgeId, actor: Actor, policy: Policy, now: Date): Verdict =>
  evaluateScoped(change, edgeId, actor, policy, now, undefined, { rules: (rule) => CONDITION_RULE_KINDS.includes(rule.kind), edgeChecks: false, typeCheck: true });

/** The implement step's rules that judge a deployment (issue 19): standing approval, no change since, the window. */
export const DEPLOYMENT_RULE_KINDS: readonly RuleSpec['kind'][] = ['insideWindow', 'insideRecurringWindow', 'approvedByNonImplementer', 'noMaterialChangeSinceApproval'];

/**
 * A deployment at `now` judged as Mark implemented would be, less who presses the button and the
 * implementation evidence (both come after the deployment): no actor, no state or type check.
 */
export const evaluateDeploymentRules = (change: Change, policy: Policy, now: Date, history: History): Verdict =>
  evaluateScoped(change, 'implement', null, policy, now, history, { rules: (rule) => DEPLOYMENT_RULE_KINDS.includes(rule.kind), edgeChecks: false, typeCheck: false });
