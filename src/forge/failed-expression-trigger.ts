/**
 * The `avi:jira:failed:expression` trigger (`cc81-failed-expression`): Jira could not evaluate one
 * of the app's expression rules, so it hid or blocked a transition. Records the failure (ids and
 * Jira's error text, never issue content) for the self-test. Never throws: an event that cannot be
 * recorded is logged by name.
 */
import { consoleLogger, type Logger } from '../ports/logger';
import type { KeyValueStore } from '../ports/key-value-store';
import { failureFromEvent, recordExpressionFailure } from '../setup/expression-failures';

export interface FailedExpressionTriggerDeps {
  store: KeyValueStore;
  clock: () => Date;
  log?: Logger;
}

const LOG_EVENT = 'cc81-failed-expression';

export const createFailedExpressionTrigger =
  (deps: FailedExpressionTriggerDeps) =>
  async (event?: unknown): Promise<void> => {
    const log = deps.log ?? consoleLogger;
    const failure = failureFromEvent(event, deps.clock());
    if (!failure) {
      log(LOG_EVENT, { outcome: 'ignored', reason: 'not a failed-expression event' });
      return;
    }
    try {
      const stored = await recordExpressionFailure(deps.store, failure);
      log(LOG_EVENT, { outcome: 'recorded', moduleKey: failure.moduleKey, environmentId: failure.environmentId, workflowId: failure.workflowId, ruleId: failure.ruleId, issueId: failure.issueId, total: stored.total });
    } catch (error) {
      log(LOG_EVENT, { outcome: 'error', errorName: error instanceof Error ? error.name : typeof error, moduleKey: failure.moduleKey, ruleId: failure.ruleId });
    }
  };
