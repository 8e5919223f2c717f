import { Actor, Change, History, HistoryEntry, namesActor } from './change-model';
import { sameRaw } from './field-snapshot';
import type { Policy } from './policy';
import type { Role } from './states';

export type NominatedRole = 'approver' | 'verifier';

export const isCabMember = (actor: NonNullable<Actor>, policy: Policy): boolean =>
  policy.cab.memberAccountIds.includes(actor.accountId) ||
  (policy.cab.groupName !== null && (actor.groups ?? []).includes(policy.cab.groupName));

/**
 * Whether `actor` may act as `role` under the policy's eligibility: anyone; members of a group;
 * CAB members. `null` when it cannot be told: a group is required and the actor's groups are not
 * known (the changelog does not keep them; the compiled expression, with Jira's user, decides).
 */
export const isEligible = (actor: NonNullable<Actor>, role: NominatedRole, policy: Policy): boolean | null => {
  const need = policy.eligibility[role];
  if (need.kind === 'anyone') return true;
  if (need.kind === 'cab') {
    if (policy.cab.memberAccountIds.includes(actor.accountId)) return true;
    if (policy.cab.groupName === null) return false;
    return actor.groups === undefined ? null : actor.groups.includes(policy.cab.groupName);
  }
  return actor.groups === undefined ? null : actor.groups.includes(need.groupName);
};

/** Who may act as `role`, in words ("members of the group \"change-approvers\""). */
export const eligibleWho = (role: NominatedRole, policy: Policy): string => {
  const need = policy.eligibility[role];
  return need.kind === 'cab' ? 'CAB members' : need.kind === 'group' ? `members of the Jira group "${need.groupName}"` : 'anyone named';
};

/**
 * Who named the `role` person holding it at `at`: the author of the last changelog edit of that
 * field up to `at`, else the creator (Jira records no changelog for the values an issue is
 * created with). `null` when unknown.
 */
export const nominatorOf = (change: Change, sortedHistory: History, role: Role, at: Date): string | null => {
  let author: string | null | undefined;
  for (const entry of sortedHistory) {
    if (entry.at.getTime() > at.getTime()) break;
    if (entry.kind === 'field' && entry.field === role && !sameRaw(entry.from, entry.to)) author = entry.actor?.accountId ?? null;
  }
  return author !== undefined ? author : (change.creatorAccountId ?? null);
};

/**
 * The actor acts as the named `role` only because they named themselves (issue 15). A CAB member
 * may approve without being named, so naming themselves approver gives them nothing.
 */
export const isSelfNominated = (change: Change, sortedHistory: History, role: NominatedRole, actor: NonNullable<Actor>, policy: Policy, at: Date): boolean => {
  if (namesActor(change.fields, role, actor) !== true) return false;
  if (role === 'approver' && isCabMember(actor, policy)) return false;
  return nominatorOf(change, sortedHistory, role, at) === actor.accountId;
};

/**
 * The first time the named approver was replaced (or removed) after the change last entered
 * Assessment, up to `at`; null when the approver named at or before Submit, or first named since,
 * is still the one. Edits at the very time of the move belong to the Submit screen. Issue 15.
 */
export const approverReplacedAfterSubmit = (sortedHistory: History, at: Date): Extract<HistoryEntry, { kind: 'field' }> | null => {
  let submittedAt: number | null = null;
  let replaced: Extract<HistoryEntry, { kind: 'field' }> | null = null;
  for (const entry of sortedHistory) {
    if (entry.at.getTime() > at.getTime()) break;
    if (entry.kind === 'status' && entry.to === 'Assessment' && entry.from !== 'Assessment') {
      submittedAt = entry.at.getTime();
      replaced = null;
    } else if (submittedAt !== null && !replaced && entry.kind === 'field' && entry.field === 'approver' && entry.at.getTime() > submittedAt && entry.from !== null && !sameRaw(entry.from, entry.to)) {
      replaced = entry;
    }
  }
  return replaced;
};
