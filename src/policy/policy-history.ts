/**
 * Saving the policy as a change of its own: every save is a new version with who and when, each
 * version is kept under its own key, and an index lists them newest first. A corrupted stored
 * policy is never overwritten unless the admin says so, and then it is archived first.
 */
import { z } from 'zod';
import type { Policy } from '../domain';
import { AppError } from '../shared/app-error';
import { ADMIN_ERROR_CODES, PolicyRevisionSchema, type PolicyRevision } from '../shared/admin-contract';
import { loadPolicy, POLICY_KEY, type LoadedPolicy } from './policy-store';
import { type KeyValueStore } from '../ports/key-value-store';

export const POLICY_HISTORY_KEY = 'cc81:policy:history';
export const policyRevisionKey = (version: number): string => `cc81:policy:rev:${String(version).padStart(8, '0')}`;
export const corruptedPolicyKey = (at: Date): string => `cc81:policy:corrupted:${at.toISOString()}`;

/** Index entries kept (each version's full record stays under its own key regardless). */
export const HISTORY_LIMIT = 100;

const HistorySchema = z.array(PolicyRevisionSchema);

/** Someone saved since the page loaded `baseVersion`. */
export class PolicyConflictError extends AppError {
  readonly code = ADMIN_ERROR_CODES.conflict;
  constructor(
    readonly baseVersion: number,
    readonly currentVersion: number,
  ) {
    super(`The policy changed while you were editing: you edited version ${baseVersion}, and version ${currentVersion} is now saved. Reload the page to see it, then make your change again.`);
  }
}

/** The stored policy is corrupted and the save did not say to replace it. */
export class PolicyCorruptedError extends AppError {
  readonly code = ADMIN_ERROR_CODES.corrupted;
  constructor(options?: { cause?: unknown }) {
    super('The stored policy is unreadable. Nothing was changed. Review the errors on the admin page and confirm "Replace with a new policy" (the unreadable one is archived).', options);
  }
}

export type CurrentPolicy = { state: 'ok'; loaded: LoadedPolicy } | { state: 'corrupted'; error: AppError & { fieldErrors?: { path: string; message: string }[] } };

/** The stored policy, or why it cannot be read (never replaced by the defaults). */
export const readCurrentPolicy = async (store: KeyValueStore): Promise<CurrentPolicy> => {
  try {
    return { state: 'ok', loaded: await loadPolicy(store) };
  } catch (error) {
    if (error instanceof AppError && (error.code === 'POLICY_INVALID' || error.code === 'MALFORMED_RESPONSE')) return { state: 'corrupted', error };
    throw error;
  }
};

/** The saved versions, newest first; an unreadable index reads as empty (each version's record is still kept). */
export const loadPolicyHistory = async (store: KeyValueStore): Promise<{ revisions: PolicyRevision[]; readable: boolean }> => {
  const raw = await store.get(POLICY_HISTORY_KEY);
  if (raw === undefined || raw === null) return { revisions: [], readable: true };
  const parsed = HistorySchema.safeParse(raw);
  return parsed.success ? { revisions: parsed.data, readable: true } : { revisions: [], readable: false };
};

/** Dotted paths whose values differ (objects compared to depth 2: `fields.risk`, `cab.requiredForRisks`). */
export const changedPaths = (before: unknown, after: unknown, prefix = '', depth = 0): string[] => {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (depth < 2 && isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !(depth === 0 && k === 'version')).sort();
    return keys.flatMap((k) => changedPaths(before[k], after[k], prefix ? `${prefix}.${k}` : k, depth + 1));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix || '(policy)'];
};

export interface SavePolicyInput {
  policy: Policy;
  baseVersion: number;
  actor: { accountId: string; displayName: string | null };
  at: Date;
  reason?: string | null;
  replaceCorrupted?: boolean;
}

/**
 * Saves `policy` as version current+1. Order of writes: the archived corrupted value (if any), the
 * version's own record, the current policy, then the index, so a failure part-way never loses a
 * saved version. Not atomic against a concurrent save between read and write (KVS get/set only).
 */
/**
 * (A save that changes nothing makes no version: `revision` is null and the current version stands.)
 */
export const savePolicyVersion = async (store: KeyValueStore, input: SavePolicyInput): Promise<{ version: number; revision: PolicyRevision | null }> => {
  const current = await readCurrentPolicy(store);
  let previous: Policy | null = null;
  let currentVersion = 0;
  if (current.state === 'corrupted') {
    if (!input.replaceCorrupted) throw new PolicyCorruptedError({ cause: current.error });
    await store.set(corruptedPolicyKey(input.at), { archivedAt: input.at.toISOString(), archivedBy: input.actor.accountId, value: (await store.get(POLICY_KEY)) ?? null });
    const history = await loadPolicyHistory(store);
    currentVersion = Math.max(input.baseVersion, history.revisions[0]?.version ?? 0);
  } else {
    currentVersion = current.loaded.version;
    previous = current.loaded.policy;
    if (input.baseVersion !== currentVersion) throw new PolicyConflictError(input.baseVersion, currentVersion);
  }
  const version = currentVersion + 1;
  const policy: Policy = { ...input.policy, version };
  const json = JSON.parse(JSON.stringify(policy)) as Record<string, unknown>;
  const changes = previous ? changedPaths(JSON.parse(JSON.stringify(previous)), json).filter((path) => path !== 'version') : ['(new policy)'];
  if (previous && changes.length === 0) return { version: currentVersion, revision: null };
  const revision: PolicyRevision = { version, updatedBy: input.actor, updatedAt: input.at.toISOString(), changes, reason: input.reason ?? null };
  await store.set(policyRevisionKey(version), { ...revision, policy: json });
  await store.set(POLICY_KEY, { version, policy: json, updatedBy: input.actor.accountId, updatedAt: revision.updatedAt });
  const { revisions } = await loadPolicyHistory(store);
  await store.set(POLICY_HISTORY_KEY, [revision, ...revisions.filter((r) => r.version !== version)].slice(0, HISTORY_LIMIT));
  return { version, revision };
};
