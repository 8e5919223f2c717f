/**
 * The CC8.1 issue panel's view of one change: who holds and who took each role, whether the
 * segregation pairs hold, what the viewer may do next, the emergency clock, the timeline and the
 * findings. Pure: no I/O, no clock (`now` is passed in), same rules as the validators and the audit.
 */
import { emergencyDeploymentTimes, type GateRecordReading } from '../deployments/gate-record';
import {
  accountOf,
  accountsOf,
  groupOf,
  Actor,
  auditChange,
  Change,
  EdgeId,
  edgeAppliesTo,
  getEdge,
  edgesFrom,
  evaluateTransition,
  fieldLabel,
  FieldKey,
  FINDING_FIX,
  History,
  HistoryEntry,
  approverIds,
  implementerIds,
  nominatorOf,
  isApprovalStep,
  isImplementationStep,
  materialFields,
  nextOccurrences,
  Policy,
  postHocStatus,
  Role,
  ROLES,
  sameRaw,
  sortHistory,
  standingApproval,
  Step,
  stepsFromHistory,
} from '../domain';
import type { PanelPerson, PanelView } from '../shared/panel-contract';
import { personOf, UserDirectory } from './user-directory';

export interface PanelViewInput {
  change: Change;
  history: History;
  policy: Policy;
  /** The stored policy's version (0 = defaults). */
  policyVersion: number;
  /** Account id → display name and active flag (see `directoryFromChange`). */
  users: UserDirectory;
  /** The user viewing the panel; null when Forge gave no account (anonymous). */
  viewerAccountId: string | null;
  /** The viewer's groups, when known (CAB membership by group). Account-id CAB membership works without. */
  viewerGroups?: readonly string[];
  /** Steps the recorder could not write to the evidence log (`unrecorded-steps.ts`); default none. */
  unrecorded?: readonly UnrecordedInput[];
  /** The deployment gate's records of this change (`readGateRecords`); default none. */
  deployments?: GateRecordReading;
  now: Date;
}

/** An unrecorded step as the panel reads it: null when the stored note is unreadable. */
export type UnrecordedInput = { edge: EdgeId | null; at: string; state: 'retrying' | 'lost'; attempts: number } | null;

const recurringWindowOf = ({ change }: PanelViewInput, now: Date): PanelView['recurringWindow'] => {
  const f = change.fields;
  const text = f.recurringWindow?.trim() ? f.recurringWindow : null;
  if (!text || (f.windowStart && f.windowEnd)) return null;
  const reading = (change.recurringWindows ?? []).find((r) => r.text === text);
  if (!reading) return { text, description: null, problem: 'The app has not read this window yet.', next: [] };
  if (reading.kind === 'invalid') return { text, description: null, problem: reading.problem, next: [] };
  return { text, description: reading.description, problem: null, next: nextOccurrences(change, f, now).map((o) => ({ start: o.start.toISOString(), end: o.end.toISOString() })) };
};

const unrecordedOf = (input: PanelViewInput): PanelView['unrecorded'] =>
  (input.unrecorded ?? []).map((step) =>
    step
      ? { step: step.edge ? getEdge(step.edge).name : null, at: step.at, state: step.state, attempts: step.attempts }
      : { step: null, at: null, state: 'unreadable', attempts: 0 },
  );

type PanelRole = PanelView['roles'][number];
type PanelPair = PanelView['pairs'][number];
type PanelReadiness = PanelView['readiness'][number];
type PanelTimelineEntry = PanelView['timeline'][number];

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

const last = <T>(items: readonly T[], match: (item: T) => boolean): T | null => {
  for (let i = items.length - 1; i >= 0; i -= 1) {
    const item = items[i];
    if (item !== undefined && match(item)) return item;
  }
  return null;
};

/** The step that belongs to each role: the first submission, the last approval, the last implementation, the last close. */
const roleSteps = (steps: readonly Step[]): Record<Role, Step | null> => ({
  requester: steps.find((s) => s.edge === 'submit' || s.edge === 'standardSchedule') ?? null,
  approver: last(steps, isApprovalStep),
  implementer: last(steps, isImplementationStep),
  verifier: last(steps, (s) => s.edge === 'close'),
});

const ROLE_STEP_NAMES: Record<Role, string> = {
  requester: 'submission',
  approver: 'approval',
  implementer: 'implementation',
  verifier: 'verification',
};

const ROLE_LABELS: Record<Role, string> = { requester: 'Requester', approver: 'Approver', implementer: 'Implementer', verifier: 'Verifier' };

/** "Approver field changed after approval", once per role field edited after that role's step. */
const roleFieldChangesAfterSteps = (sorted: History, stepOf: Record<Role, Step | null>): Map<Role, string> => {
  const messages = new Map<Role, string>();
  for (const role of ROLES) {
    const step = stepOf[role];
    if (!step) continue;
    const changed = sorted.some((e) => e.kind === 'field' && e.field === role && e.at.getTime() > step.at.getTime() && !sameRaw(e.from, e.to));
    if (changed) messages.set(role, `${ROLE_LABELS[role]} field changed after ${ROLE_STEP_NAMES[role]}`);
  }
  return messages;
};

const nameOf = (person: PanelPerson | null): string => (person ? `${person.displayName}${person.active ? '' : ' (inactive)'}` : 'an unidentified actor');

const relaxationOf = (change: Change, policy: Policy): string | null =>
  policy.lowRiskRelaxation.enabled && change.fields.risk === 'low' ? policy.lowRiskRelaxation.compensatingControl : null;

const withNotes = (message: string, notes: readonly string[]): string => [message, ...notes].join('. ');

const approverPair = (
  change: Change,
  policy: Policy,
  steps: readonly Step[],
  approval: Step | null,
  users: UserDirectory,
  fieldNotes: string[],
): PanelPair => {
  const pair = 'approver-implementer' as const;
  const implementers = implementerIds(change, steps);
  const relaxation = relaxationOf(change, policy);
  if (!approval) {
    if (standingApproval(steps).shortcut) {
      return { pair, verdict: 'ok', message: withNotes('Standard change: pre-approved by its template, no approval step', fieldNotes) };
    }
    const clash = accountsOf(change.fields, 'approver').some((named) => implementers.has(named)) ? [relaxation ? 'The named approver is also the implementer (the low-risk relaxation would apply)' : 'The named approver is also the implementer: someone else must approve'] : [];
    return { pair, verdict: clash.length && !relaxation ? 'warning' : 'pending', message: withNotes('Not approved yet', [...clash, ...fieldNotes]) };
  }
  const actor = personOf(users, approval.accountId);
  if (approval.accountId === null) {
    return { pair, verdict: 'conflict', message: withNotes('Approved by an unidentified actor', fieldNotes) };
  }
  if (implementers.has(approval.accountId)) {
    if (relaxation) {
      return { pair, verdict: 'relaxed', message: withNotes(`Approved by the implementer under the low-risk relaxation. Compensating control: ${relaxation}`, fieldNotes) };
    }
    return { pair, verdict: 'conflict', message: withNotes('Approved by the implementer', fieldNotes) };
  }
  if (fieldNotes.length > 0) return { pair, verdict: 'conflict', message: withNotes(`Approved by ${nameOf(actor)}`, fieldNotes) };
  return { pair, verdict: 'ok', message: `Approved by ${nameOf(actor)}, not the implementer` };
};

const verifierPair = (change: Change, steps: readonly Step[], close: Step | null, users: UserDirectory, fieldNotes: string[]): PanelPair => {
  const pair = 'verifier-implementer' as const;
  const implementers = implementerIds(change, steps);
  if (!close) {
    const clash = accountsOf(change.fields, 'verifier').some((named) => implementers.has(named)) ? ['The named verifier is also the implementer: someone else must verify'] : [];
    return { pair, verdict: clash.length ? 'warning' : 'pending', message: withNotes('Not verified yet', [...clash, ...fieldNotes]) };
  }
  if (close.accountId === null) return { pair, verdict: 'conflict', message: withNotes('Verified by an unidentified actor', fieldNotes) };
  if (implementers.has(close.accountId)) return { pair, verdict: 'conflict', message: withNotes('Verified by the implementer', fieldNotes) };
  const actor = personOf(users, close.accountId);
  if (fieldNotes.length > 0) return { pair, verdict: 'conflict', message: withNotes(`Verified by ${nameOf(actor)}`, fieldNotes) };
  return { pair, verdict: 'ok', message: `Verified by ${nameOf(actor)}, not the implementer` };
};

/** Three people: the verifier is not an approver (named, or by any approval act). */
const approverVerifierPair = (change: Change, policy: Policy, steps: readonly Step[], close: Step | null, users: UserDirectory, fieldNotes: string[]): PanelPair => {
  const pair = 'approver-verifier' as const;
  const approvers = approverIds(change, steps);
  const relaxation = relaxationOf(change, policy);
  if (!close) {
    const clash = accountsOf(change.fields, 'verifier').some((named) => approvers.has(named)) ? [relaxation ? 'The named verifier is also an approver (the low-risk relaxation would apply)' : 'The named verifier is also an approver: a third person must verify'] : [];
    return { pair, verdict: clash.length && !relaxation ? 'warning' : 'pending', message: withNotes('Not verified yet', [...clash, ...fieldNotes]) };
  }
  if (close.accountId === null) return { pair, verdict: 'conflict', message: withNotes('Verified by an unidentified actor', fieldNotes) };
  if (approvers.has(close.accountId)) {
    if (relaxation) return { pair, verdict: 'relaxed', message: withNotes(`Verified by an approver under the low-risk relaxation. Compensating control: ${relaxation}`, fieldNotes) };
    return { pair, verdict: 'conflict', message: withNotes('Verified by an approver', fieldNotes) };
  }
  const actor = personOf(users, close.accountId);
  if (fieldNotes.length > 0) return { pair, verdict: 'conflict', message: withNotes(`Verified by ${nameOf(actor)}`, fieldNotes) };
  return { pair, verdict: 'ok', message: `Verified by ${nameOf(actor)}, not an approver` };
};

const readinessOf = (input: PanelViewInput, history: History): PanelReadiness[] => {
  const { change, policy, now } = input;
  const viewer: Actor = input.viewerAccountId ? { accountId: input.viewerAccountId, groups: [...(input.viewerGroups ?? [])] } : null;
  const clock = postHocStatus(change, history, policy, now).status;
  const done = clock === 'satisfied-on-time' || clock === 'satisfied-late';
  return edgesFrom(change.state)
    .filter((edge) => edgeAppliesTo(edge, change.fields.changeType))
    .map((edge) => {
      const verdict = evaluateTransition(change, edge.id, viewer, policy, now, history);
      const missing = new Set<string>();
      const reasons: string[] = [];
      for (const reason of verdict.reasons) {
        if (reason.code === 'MISSING_FIELD' && reason.field) missing.add(fieldLabel(reason.field));
        else if (!reasons.includes(reason.message)) reasons.push(reason.message);
      }
      return { edge: edge.id, name: edge.name, to: edge.to, allowed: verdict.allowed, missing: [...missing], reasons, status: readinessStatus(edge.id, verdict, missing.size, done) };
    });
};

/** Refusals about who the viewer is, not about the ticket: someone else may take the step. */
const ABOUT_THE_ACTOR: readonly string[] = ['APPROVAL_ACTOR_MISMATCH', 'IMPLEMENTATION_ACTOR_MISMATCH', 'VERIFICATION_ACTOR_MISMATCH', 'APPROVER_IS_IMPLEMENTER', 'VERIFIER_IS_IMPLEMENTER', 'APPROVER_IS_VERIFIER', 'SELF_NOMINATED', 'ACTOR_UNKNOWN'];

const readinessStatus = (edge: EdgeId, verdict: { allowed: boolean; reasons: { code: string }[] }, missing: number, done: boolean): PanelReadiness['status'] => {
  if (edge === 'postHocApprove' && done) return 'done';
  if (verdict.allowed) return 'can';
  if (missing > 0) return 'needs';
  return verdict.reasons.every((r) => ABOUT_THE_ACTOR.includes(r.code)) ? 'not-you' : 'blocked';
};

const stepText = (entry: Extract<HistoryEntry, { kind: 'status' }>, step: Step): string => {
  if (step.edge === 'postHocApprove') return 'Post-hoc approval';
  const edge = step.edge ? edgesFrom(entry.from).find((e) => e.id === step.edge) : undefined;
  return edge ? `${edge.name}: ${entry.from} → ${entry.to}` : `Moved from ${entry.from} to ${entry.to} (not a lifecycle step)`;
};

const WINDOW_FIELDS: readonly FieldKey[] = ['windowStart', 'windowEnd', 'recurringWindow'];

/** The approval later material edits are measured against: the standing approval, the standard pre-approval, else the last post-hoc approval. */
const approvalForEdits = (steps: readonly Step[]): Step | null => {
  const { approval, shortcut } = standingApproval(steps);
  return approval ?? shortcut ?? last(steps, (s) => s.edge === 'postHocApprove');
};

const timelineOf = (sorted: History, steps: readonly Step[], policy: Policy, users: UserDirectory): PanelTimelineEntry[] => {
  const material = new Set(materialFields(policy));
  const approval = approvalForEdits(steps);
  const entries: PanelTimelineEntry[] = [];
  let stepIndex = 0;
  for (const entry of sorted) {
    if (entry.kind === 'status') {
      const step = steps[stepIndex];
      stepIndex += 1;
      if (!step) continue;
      entries.push({
        kind: step.edge === 'postHocApprove' ? 'post-hoc-approval' : 'transition',
        at: entry.at.toISOString(),
        actor: personOf(users, entry.actor?.accountId),
        text: stepText(entry, step),
        afterApproval: false,
      });
      continue;
    }
    if (!material.has(entry.field) || sameRaw(entry.from, entry.to)) continue;
    const firstWindow = WINDOW_FIELDS.includes(entry.field) && sameRaw(entry.from, null);
    const afterApproval = approval !== null && entry.at.getTime() > approval.at.getTime() && !firstWindow;
    entries.push({
      kind: afterApproval ? 'material-change' : 'edit',
      at: entry.at.toISOString(),
      actor: personOf(users, entry.actor?.accountId),
      text: `${fieldLabel(entry.field)} changed${afterApproval ? ' after approval' : ''}`,
      afterApproval,
    });
  }
  return entries;
};

const MAX_PANEL_DEPLOYMENTS = 50;

const deploymentsOf = ({ deployments, users }: PanelViewInput): PanelView['deployments'] =>
  [...(deployments?.records ?? [])]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, MAX_PANEL_DEPLOYMENTS)
    .map((r) => ({
      at: r.at,
      environment: r.environment,
      sha: r.sha,
      deployer: r.deployer,
      // Named only when Jira could name the account; else the pipeline's own name for the deployer stands.
      deployerPerson: r.deployerAccountId && users.has(r.deployerAccountId) ? personOf(users, r.deployerAccountId) : null,
      pipelineName: r.pipelineName,
      decision: r.decision,
      path: r.path,
      reasons: r.reasons,
      notices: r.notices,
    }));

const clockOf = (input: PanelViewInput): PanelView['clock'] => {
  const status = postHocStatus(input.change, input.history, input.policy, input.now, emergencyDeploymentTimes(input.deployments?.records ?? []));
  if (status.status === 'not-needed') return { status: 'not-needed', implementedAt: null, dueAt: null, approvedAt: null, approver: null };
  const satisfied = status.status === 'satisfied-on-time' || status.status === 'satisfied-late';
  return {
    status: status.status,
    implementedAt: iso(status.implementedAt),
    dueAt: iso(status.dueAt),
    approvedAt: satisfied ? iso(status.approvedAt) : null,
    approver: satisfied ? personOf(input.users, status.approverAccountId) : null,
  };
};

/** Builds the panel's view of one change at `now`, as seen by the viewer. */
export const buildPanelView = (input: PanelViewInput): PanelView => {
  const { change, policy, now, users } = input;
  const history = input.history.filter((entry) => entry.at.getTime() <= now.getTime());
  const sorted = sortHistory(history);
  const steps = stepsFromHistory(sorted);
  const stepOf = roleSteps(steps);
  const fieldNotes = roleFieldChangesAfterSteps(sorted, stepOf);

  const roles: PanelRole[] = ROLES.map((role) => ({
    role,
    named: personOf(users, accountOf(change.fields, role)),
    namedAnyOf: accountsOf(change.fields, role).length > 1 ? accountsOf(change.fields, role).map((id) => personOf(users, id)!) : [],
    namedGroup: groupOf(change.fields, role),
    namedBy: change.fields[role] ? personOf(users, nominatorOf(change, sorted, role, now)) : null,
    acted: personOf(users, stepOf[role]?.accountId),
    actedAt: iso(stepOf[role]?.at),
  }));

  const notes = (...of: Role[]) => of.flatMap((role) => fieldNotes.get(role) ?? []);
  const pairs: PanelPair[] = [
    approverPair(change, policy, steps, stepOf.approver, users, notes('approver')),
    verifierPair(change, steps, stepOf.verifier, users, notes('verifier', 'implementer')),
    approverVerifierPair(change, policy, steps, stepOf.verifier, users, notes('approver', 'verifier')),
  ];

  const findings: PanelView['findings'] = auditChange(change, history, policy, now).map((finding) => ({
    code: finding.code,
    severity: finding.severity,
    message: finding.message,
    fix: FINDING_FIX[finding.code],
    at: iso(finding.at),
    ...(finding.beforeEnforcement ? { beforeEnforcement: true } : {}),
  }));

  return {
    issueKey: change.key,
    state: change.state,
    changeType: change.fields.changeType ?? null,
    risk: change.fields.risk ?? null,
    roles,
    pairs,
    readiness: readinessOf(input, history),
    clock: clockOf({ ...input, history }),
    timeline: timelineOf(sorted, steps, policy, users),
    findings,
    recurringWindow: recurringWindowOf(input, now),
    unrecorded: unrecordedOf(input),
    deployments: deploymentsOf(input),
    deploymentsAltered: input.deployments?.altered.length ?? 0,
    generatedAt: now.toISOString(),
    // Named when the ticket names them; else the page asks Jira who is looking, only when it exports.
    viewer: input.viewerAccountId && input.users.has(input.viewerAccountId) ? personOf(input.users, input.viewerAccountId) : null,
    policyVersion: input.policyVersion,
  };
};
