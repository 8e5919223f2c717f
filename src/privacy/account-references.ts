/**
 * Where the app's stored JSON holds Atlassian account ids, found by property name so that every
 * record (policy, its history, export jobs, sweep state…) is covered without a per-record schema:
 *   - a string under `accountId`, `…AccountId`, `updatedBy`, `createdBy`, `archivedBy`, `requestedBy`;
 *   - each string in an array under `…AccountIds` (e.g. the CAB's `memberAccountIds`);
 *   - an object with an `accountId` may carry the person's `displayName` (and `emailAddress`).
 * Pure.
 */

const SINGLE = /^(?:accountId|\w+AccountId|updatedBy|createdBy|archivedBy|requestedBy)$/;
const LIST = /^(?:accountIds|\w+AccountIds)$/;
/** Personal data stored next to an account id (a copy from Jira at the time). */
const PROFILE = ['displayName', 'emailAddress'] as const;
/**
 * The salt of a digest of an id, by the property holding the id (the evidence log's `actorSalt`
 * of `accountId`, the gate log's `deployerSalt` of `deployerAccountId`): dropped once that account
 * is closed, so the digest links to no one.
 */
const ID_SALTS: Readonly<Record<string, string>> = { actorSalt: 'accountId', deployerSalt: 'deployerAccountId' };

/** What replaces a closed account's id: never reported, never collected again. */
export const ERASED_PREFIX = 'erased-account:';
const isAccountId = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && !v.startsWith(ERASED_PREFIX);

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every account id the value holds (in the places above). */
export const collectAccountIds = (value: Json, into: Set<string> = new Set()): Set<string> => {
  if (Array.isArray(value)) {
    for (const item of value) collectAccountIds(item, into);
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (SINGLE.test(key) && typeof child === 'string') {
        if (isAccountId(child)) into.add(child);
      } else if (LIST.test(key) && Array.isArray(child)) {
        for (const id of child) if (isAccountId(id)) into.add(id);
      } else {
        collectAccountIds(child, into);
      }
    }
  }
  return into;
};

export interface AccountRewrite {
  /** Closed accounts and the anonymous token that replaces each (the same token everywhere). */
  closed: ReadonlyMap<string, string>;
  /** Accounts whose profile changed: the stored copy of their name is dropped (the id stays). */
  updated: ReadonlySet<string>;
}

const replaceIn = (text: string, closed: ReadonlyMap<string, string>): string => {
  let out = text;
  for (const [id, token] of closed) if (out.includes(id)) out = out.split(id).join(token);
  return out;
};

/**
 * The value with closed accounts replaced by their tokens (also inside free text, e.g. a
 * rendered page), and the stored name and e-mail of closed or updated accounts set to null.
 * `changes` counts the edits; 0 means the value is returned as it was.
 */
export const rewriteAccounts = (value: Json, rewrite: AccountRewrite): { value: Json; changes: number } => {
  let changes = 0;
  const walk = (v: Json): Json => {
    if (typeof v === 'string') {
      const next = replaceIn(v, rewrite.closed);
      if (next !== v) changes += 1;
      return next;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (!isObject(v)) return v;
    const id = typeof v.accountId === 'string' ? v.accountId : null;
    const closed = id !== null && rewrite.closed.has(id);
    const forget = closed || (id !== null && rewrite.updated.has(id));
    const out: Record<string, Json> = {};
    for (const [key, child] of Object.entries(v)) {
      const saltOf = ID_SALTS[key];
      const saltedId = saltOf === undefined ? null : v[saltOf];
      const drop = (forget && (PROFILE as readonly string[]).includes(key)) || (typeof saltedId === 'string' && rewrite.closed.has(saltedId));
      if (drop && child !== null && child !== undefined) {
        out[key] = null;
        changes += 1;
      } else {
        out[key] = walk(child);
      }
    }
    return out;
  };
  const next = walk(value);
  return changes === 0 ? { value, changes } : { value: next, changes };
};

/** Whether the value mentions any of the accounts anywhere (keys excluded). */
export const mentionsAny = (value: Json, ids: ReadonlySet<string> | ReadonlyMap<string, string>): boolean => {
  if (ids.size === 0) return false;
  const text = JSON.stringify(value) ?? '';
  for (const id of ids.keys()) if (text.includes(id)) return true;
  return false;
};
