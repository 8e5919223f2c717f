/**
 * Failures Jira reports for the app's expression rules (`avi:jira:failed:expression`): when a
 * compiled condition or validator cannot be evaluated, Jira hides or blocks the transition and
 * sends the event. Kept in KVS (newest first, at most MAX_EXPRESSION_FAILURES) for the self-test.
 * Only ids and Jira's error text are kept (each message cut short), never issue content.
 *
 * The event's payload is not published as a type; Atlassian's pages name `eventType`, and samples
 * show `extensionId`, `workflowId`, `workflowName`, `conditionId`/`validatorId`, `expression`,
 * `errorMessages` and a `context` with issue/project ids (unconfirmed). Every field is optional here,
 * so whatever Jira sends is recorded as far as it goes.
 */
import { z } from 'zod';
import type { KeyValueStore } from '../ports/key-value-store';
import { parseExtensionAri } from './app-rule-modules';

export const EXPRESSION_FAILURES_KEY = 'cc81:expression-failures';
export const FAILED_EXPRESSION_EVENT = 'avi:jira:failed:expression';
export const MAX_EXPRESSION_FAILURES = 50;
const MAX_MESSAGES = 3;
const MAX_MESSAGE_CHARS = 300;

export const ExpressionFailureSchema = z.object({
  at: z.string(),
  moduleKey: z.string().nullable(),
  environmentId: z.string().nullable(),
  workflowId: z.string().nullable(),
  workflowName: z.string().nullable(),
  ruleId: z.string().nullable(),
  transitionId: z.string().nullable(),
  issueId: z.string().nullable(),
  projectId: z.string().nullable(),
  errors: z.array(z.string()),
});
export type ExpressionFailure = z.infer<typeof ExpressionFailureSchema>;

export const StoredExpressionFailuresSchema = z.object({
  version: z.literal(1),
  /** Every failure recorded since install, including those dropped from the list. */
  total: z.number().int().nonnegative(),
  failures: z.array(ExpressionFailureSchema),
});
export type StoredExpressionFailures = z.infer<typeof StoredExpressionFailuresSchema>;

const Id = z.union([z.string(), z.number()]).transform(String).nullish().catch(null);
const Ref = z.looseObject({ id: Id }).nullish().catch(null);
export const FailedExpressionEventSchema = z.looseObject({
  eventType: z.string().nullish(),
  extensionId: z.string().nullish().catch(null),
  workflowId: Id,
  workflowName: z.string().nullish().catch(null),
  conditionId: Id,
  validatorId: Id,
  errorMessages: z.array(z.unknown()).nullish().catch(null),
  context: z.looseObject({ issue: Ref, project: Ref, transition: Ref }).nullish().catch(null),
});

const clip = (text: string): string => (text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…` : text);

/** The record of one event, or null when the payload is not a failed-expression event at all. */
export const failureFromEvent = (event: unknown, now: Date): ExpressionFailure | null => {
  const parsed = FailedExpressionEventSchema.safeParse(event);
  if (!parsed.success) return null;
  const e = parsed.data;
  if (e.eventType && e.eventType !== FAILED_EXPRESSION_EVENT) return null;
  const ari = parseExtensionAri(e.extensionId);
  const errors = (e.errorMessages ?? []).filter((m): m is string => typeof m === 'string' && m.trim() !== '').slice(0, MAX_MESSAGES).map(clip);
  return {
    at: now.toISOString(),
    moduleKey: ari?.moduleKey ?? null,
    environmentId: ari?.environmentId ?? null,
    workflowId: e.workflowId ?? null,
    workflowName: e.workflowName ? clip(e.workflowName) : null,
    ruleId: e.conditionId ?? e.validatorId ?? null,
    transitionId: e.context?.transition?.id ?? null,
    issueId: e.context?.issue?.id ?? null,
    projectId: e.context?.project?.id ?? null,
    errors: errors.length ? errors : ['Jira sent no error message.'],
  };
};

export type LoadedExpressionFailures = { ok: true; stored: StoredExpressionFailures } | { ok: false };

export const loadExpressionFailures = async (store: KeyValueStore): Promise<LoadedExpressionFailures> => {
  const raw = await store.get(EXPRESSION_FAILURES_KEY);
  if (raw === undefined || raw === null) return { ok: true, stored: { version: 1, total: 0, failures: [] } };
  const parsed = StoredExpressionFailuresSchema.safeParse(raw);
  return parsed.success ? { ok: true, stored: parsed.data } : { ok: false };
};

/** Adds a failure (newest first, bounded). An unreadable stored list is replaced: it only ever holds diagnostics. */
export const recordExpressionFailure = async (store: KeyValueStore, failure: ExpressionFailure): Promise<StoredExpressionFailures> => {
  const loaded = await loadExpressionFailures(store);
  const previous = loaded.ok ? loaded.stored : { version: 1 as const, total: 0, failures: [] };
  const next: StoredExpressionFailures = { version: 1, total: previous.total + 1, failures: [failure, ...previous.failures].slice(0, MAX_EXPRESSION_FAILURES) };
  await store.set(EXPRESSION_FAILURES_KEY, next);
  return next;
};
