/**
 * Who is who, for the panel: account id → display name and whether the account is active. Built
 * from what the issue and its changelog already carry (user fields, changelog authors), so the
 * panel needs no extra REST call. Pure.
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

/**
 * A person as the panel shows them. Deleted or deactivated accounts are marked inactive; an
 * account the directory does not know is shown by its account id (and not claimed inactive).
 */
export const personOf = (directory: UserDirectory, accountId: string | null | undefined): PanelPerson | null => {
  if (!accountId) return null;
  const known = directory.get(accountId);
  return known ? { accountId, displayName: known.displayName, active: known.active } : { accountId, displayName: accountId, active: true };
};
