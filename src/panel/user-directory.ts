/**
 * Who is who, for the panel: account id → display name and whether the account is active. Built
 * from what the issue and its changelog already carry (user fields, changelog authors); the people
 * only the app's log names (a CAB member's post-hoc approval, say) are looked up once each
 * (`unnamedAccounts`, then `withUsers`). Pure.
 */
import { Change, History, namedPeople, ROLES } from '../domain';
import type { PanelPerson } from '../shared/panel-contract';

export interface DirectoryUser {
  displayName: string;
  active: boolean;
}

export type UserDirectory = ReadonlyMap<string, DirectoryUser>;

interface UserLike {
  accountId: string;
  displayName?: string | null;
  active?: boolean | null;
}

const add = (directory: Map<string, DirectoryUser>, user: UserLike | null | undefined) => {
  if (!user) return;
  const known = directory.get(user.accountId);
  const displayName = user.displayName?.trim() || known?.displayName;
  const active = user.active ?? known?.active;
  if (displayName === undefined && active === undefined) return;
  directory.set(user.accountId, { displayName: displayName ?? user.accountId, active: active ?? true });
};

/**
 * The directory of everyone the change's user fields and history name. Later sources refine
 * earlier ones; the current user fields win (they are the freshest Jira answer).
 */
export const directoryFromChange = (change: Change, history: History): UserDirectory => {
  const directory = new Map<string, DirectoryUser>();
  for (const entry of history) add(directory, entry.actor);
  for (const role of ROLES) for (const person of namedPeople(change.fields[role])) add(directory, person);
  return directory;
};

/** Account ids the panel may show that the directory has no name for: steps in the app's log, and actors. */
export const unnamedAccounts = (directory: UserDirectory, change: Change, history: History): string[] => {
  const ids = new Set<string>([...change.evidence.map((r) => r.accountId), ...history.map((e) => e.actor?.accountId)].filter((id): id is string => Boolean(id)));
  return [...ids].filter((id) => !directory.get(id) || directory.get(id)!.displayName === id);
};

/** The directory with looked-up people added (`null`: Jira has no such account, a deleted user). */
export const withUsers = (directory: UserDirectory, looked: ReadonlyMap<string, UserLike | null>): UserDirectory => {
  const next = new Map(directory);
  for (const [accountId, user] of looked) {
    if (user) add(next, user);
    else next.set(accountId, { displayName: FORMER_USER, active: false });
  }
  return next;
};

/** How a deleted or closed account is named (Jira's own words). */
export const FORMER_USER = 'Former user';

/**
 * A person as the panel shows them. Deleted or deactivated accounts are marked inactive; an
 * account no one could name is "Unknown user" (never its raw id, and not claimed inactive).
 */
export const personOf = (directory: UserDirectory, accountId: string | null | undefined): PanelPerson | null => {
  if (!accountId) return null;
  const known = directory.get(accountId);
  return known ? { accountId, displayName: known.displayName, active: known.active } : { accountId, displayName: UNKNOWN_USER, active: true };
};

export const UNKNOWN_USER = 'Unknown user';
