import { createSearchClient } from '../../src/jira/search';
import type { JiraResponse, JiraTransport } from '../../src/jira/transport';
import { emergencyTicket, importTickets } from '../../sandbox/demo/bulk-import';
import { RateLimitedError } from '../../src/shared/app-error';
import { planAction, runPostHocSweep } from '../../src/sweep/sweep';
import { stateKey } from '../../src/sweep/posthoc-index';
import { sweepSandbox, T0 } from './sweep-fixture';

const response = (status: number, body: unknown, headers: Record<string, string> = {}): JiraResponse => ({
  status,
  header: (name) => headers[name] ?? null,
  json: async () => body,
});

describe('planAction', () => {
  const clock = { implementedAt: T0, implementerAccountId: 'a', dueAt: T0, warnAt: T0 };
  it('acts once per rung of the ladder', () => {
    expect(planAction({ status: 'pending', ...clock }, null)).toBe('none');
    expect(planAction({ status: 'warning', ...clock }, null)).toBe('warn');
    expect(planAction({ status: 'warning', ...clock }, { warnedAt: T0.toISOString() })).toBe('none');
    expect(planAction({ status: 'overdue', overdueByMs: 1, ...clock }, { warnedAt: T0.toISOString() })).toBe('flag');
    expect(planAction({ status: 'overdue', overdueByMs: 1, ...clock }, { flaggedAt: T0.toISOString() })).toBe('none');
    const late = { status: 'satisfied-late' as const, approvedAt: T0, approverAccountId: 'b', lateByMs: 5, ...clock };
    expect(planAction(late, { flaggedAt: T0.toISOString() })).toBe('record-late');
    expect(planAction(late, { lateRecordedAt: T0.toISOString(), resolvedAt: T0.toISOString() })).toBe('none');
    expect(planAction({ status: 'satisfied-on-time', approvedAt: T0, approverAccountId: 'b', ...clock }, null)).toBe('resolve');
    expect(planAction({ status: 'not-needed' }, null)).toBe('resolve');
  });
});

describe('the search client', () => {
  it('retries a 429 after Retry-After, then throws RateLimitedError with retryAfterSeconds when retries run out', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const limited: JiraTransport = async () => {
      calls += 1;
      return response(429, {}, { 'Retry-After': '3' });
    };
    const client = createSearchClient(limited, { retries: 2, sleep: async (ms) => void sleeps.push(ms) });
    const error = await client.searchJql('project = CHG', { fields: ['status'], maxResults: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(3);
    expect(calls).toBe(3);
    expect(sleeps).toEqual([3000, 3000]);
  });

  it('rejects a malformed search page', async () => {
    const client = createSearchClient(async () => response(200, { issues: [{ id: 1 }] }), { sleep: async () => undefined });
    await expect(client.searchJql('x', { fields: [], maxResults: 1 })).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
  });
});

describe('a mirror write Jira refuses', () => {
  it('loses nothing: the state is in KVS, and the next run rewrites the mirror without commenting again', async () => {
    const f = await sweepSandbox();
    try {
      const [issue] = importTickets(f.state, [emergencyTicket(100)], T0);
      const inner = f.sandbox.runtime.asApp();
      let failProperty = true;
      const flaky: JiraTransport = async (request) => {
        if (failProperty && request.method === 'PUT' && request.path.includes('/properties/')) return response(500, {});
        return inner(request);
      };
      const deps = { transport: flaky, store: f.sandbox.runtime.store, clock: () => T0, sleep: async () => undefined, log: () => undefined };
      const first = await runPostHocSweep(deps);
      expect(first).toMatchObject({ flagged: 1, errors: 0 });
      expect(issue!.comments).toHaveLength(1);
      expect(issue!.properties['cc81.posthoc']).toBeUndefined();
      expect(await f.sandbox.runtime.store.get(stateKey(issue!.id))).toMatchObject({ status: 'overdue', flaggedAt: T0.toISOString() });

      failProperty = false;
      const second = await runPostHocSweep(deps);
      expect(second).toMatchObject({ errors: 0, flagged: 0 });
      expect(issue!.comments).toHaveLength(1);
      expect(issue!.properties['cc81.posthoc']).toEqual(await f.sandbox.runtime.store.get(stateKey(issue!.id)));
      expect(issue!.properties['cc81.posthoc']).toMatchObject({ flaggedAt: T0.toISOString(), status: 'overdue' });
    } finally {
      await f.close();
    }
  });
});
