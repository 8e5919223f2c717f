import { Actor, Change, History, accountOf } from './change-model';
import { sameRaw } from './field-snapshot';
import type { Policy } from './policy';
import type { Role } from './states';

export type NominatedRole = 'approver' | 'verifier';

export const isCabMember = (actor: NonNullable<Actor>, policy: Policy): boolean =>
  policy.cab.memberAccountIds.includes(actor.accountId) ||
  (policy.cab.groupName !== null && (actor.groups ?? []).includes(policy.cab.groupName));

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
  if (accountOf(change.fields, role) !== actor.accountId) return false;
  if (role === 'approver' && isCabMember(actor, policy)) return false;
  return nominatorOf(change, sortedHistory, role, at) === actor.accountId;
};
