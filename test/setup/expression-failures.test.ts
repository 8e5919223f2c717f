import { EXPRESSION_FAILURES_KEY, failureFromEvent, loadExpressionFailures, MAX_EXPRESSION_FAILURES, recordExpressionFailure } from '../../src/setup/expression-failures';
import { createFailedExpressionTrigger } from '../../src/forge/failed-expression-trigger';
import type { LogFields } from '../../src/ports/logger';
import { at } from '../builders/clock';
import { MemoryStore } from '../fakes/fake-jira';

const anEvent = (overrides: Record<string, unknown> = {}) => ({
  eventType: 'avi:jira:failed:expression',
  extensionId: 'ari:cloud:ecosystem::extension/app-1/env-1/static/cc81-transition-validator',
  workflowId: 'wf-1',
  workflowName: 'CHG: Change workflow',
  validatorId: 'rule-7',
  expression: 'issue.customfield_10040.value == "Secret summary text"',
  errorMessages: ['Evaluation failed: "issue.customfield_10040" - Unrecognized property', 'x'.repeat(1000)],
  context: { issue: { id: 10042, key: 'CHG-7', fields: { summary: 'Secret summary text' } }, project: { id: '10000', key: 'CHG' }, transition: { id: '21', name: 'Approve' } },
  ...overrides,
});

describe('failed-expression records', () => {
  it('keeps ids and Jira\'s (clipped) error, never the expression or issue content', () => {
    const failure = failureFromEvent(anEvent(), at(1))!;
    expect(failure).toEqual({
      at: at(1).toISOString(),
      moduleKey: 'cc81-transition-validator',
      environmentId: 'env-1',
      workflowId: 'wf-1',
      workflowName: 'CHG: Change workflow',
      ruleId: 'rule-7',
      transitionId: '21',
      issueId: '10042',
      projectId: '10000',
      errors: ['Evaluation failed: "issue.customfield_10040" - Unrecognized property', expect.stringMatching(/^x{299}…$/)],
    });
    expect(JSON.stringify(failure)).not.toMatch(/Secret summary text|CHG-7/);
  });

  it('records what it can of a sparse payload, and ignores another event', () => {
    expect(failureFromEvent({ eventType: 'avi:jira:failed:expression' }, at(1))).toEqual(expect.objectContaining({ moduleKey: null, workflowId: null, errors: ['Jira sent no error message.'] }));
    expect(failureFromEvent({ ...anEvent(), workflowId: { not: 'an id' }, errorMessages: 'oops' }, at(1))).toEqual(expect.objectContaining({ workflowId: null, errors: ['Jira sent no error message.'] }));
    expect(failureFromEvent(anEvent({ eventType: 'avi:jira:updated:issue' }), at(1))).toBeNull();
    expect(failureFromEvent('nonsense', at(1))).toBeNull();
  });

  it('keeps the newest first, at most MAX_EXPRESSION_FAILURES, counting every one', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < MAX_EXPRESSION_FAILURES + 5; i++) await recordExpressionFailure(store, failureFromEvent(anEvent({ validatorId: `r-${i}` }), at(i))!);
    const loaded = await loadExpressionFailures(store);
    if (!loaded.ok) throw new Error('unreadable');
    expect(loaded.stored.total).toBe(MAX_EXPRESSION_FAILURES + 5);
    expect(loaded.stored.failures).toHaveLength(MAX_EXPRESSION_FAILURES);
    expect(loaded.stored.failures[0]!.ruleId).toBe(`r-${MAX_EXPRESSION_FAILURES + 4}`);
  });

  it('reports an unreadable stored list, and replaces it with the next failure', async () => {
    const store = new MemoryStore();
    store.values.set(EXPRESSION_FAILURES_KEY, { version: 9 });
    expect(await loadExpressionFailures(store)).toEqual({ ok: false });
    await recordExpressionFailure(store, failureFromEvent(anEvent(), at(1))!);
    expect(await loadExpressionFailures(store)).toEqual({ ok: true, stored: expect.objectContaining({ total: 1 }) });
  });
});

describe('the avi:jira:failed:expression trigger', () => {
  const setup = () => {
    const store = new MemoryStore();
    const logs: LogFields[] = [];
    const trigger = createFailedExpressionTrigger({ store, clock: () => at(2), log: (_event, fields) => logs.push(fields) });
    return { store, logs, trigger };
  };

  it('records the failure for the self-test and logs ids only', async () => {
    const { store, logs, trigger } = setup();
    await trigger(anEvent());
    const loaded = await loadExpressionFailures(store);
    expect(loaded.ok && loaded.stored.failures.map((f) => f.ruleId)).toEqual(['rule-7']);
    expect(logs).toEqual([expect.objectContaining({ outcome: 'recorded', ruleId: 'rule-7', issueId: '10042', total: 1 })]);
    expect(JSON.stringify(logs)).not.toMatch(/Unrecognized|Secret/);
  });

  it('never throws: a storage failure is logged by name', async () => {
    const { logs } = setup();
    const broken = createFailedExpressionTrigger({
      store: { get: async () => undefined, set: async () => Promise.reject(new TypeError('kvs down')) },
      clock: () => at(2),
      log: (_event, fields) => logs.push(fields),
    });
    await expect(broken(anEvent())).resolves.toBeUndefined();
    expect(logs).toEqual([expect.objectContaining({ outcome: 'error', errorName: 'TypeError' })]);
  });

  it('ignores a payload that is not the event', async () => {
    const { store, logs, trigger } = setup();
    await trigger({ eventType: 'avi:jira:created:issue' });
    expect(store.values.size).toBe(0);
    expect(logs).toEqual([expect.objectContaining({ outcome: 'ignored' })]);
  });
});
