import { createFaultController, faultPlanFromEnv, NO_FAULTS } from '../../../sandbox/server';
import { bodyOf, createSite } from './server-fixture';

describe('fault plan from the environment', () => {
  it('reads SANDBOX_LATENCY_MS, SANDBOX_429_RATE, SANDBOX_RETRY_AFTER, SANDBOX_500_RATE and SANDBOX_FAULT_SEED', () => {
    expect(faultPlanFromEnv({})).toEqual(NO_FAULTS);
    expect(
      faultPlanFromEnv({ SANDBOX_LATENCY_MS: '25', SANDBOX_429_RATE: '0.1', SANDBOX_RETRY_AFTER: '7', SANDBOX_500_RATE: '0.05', SANDBOX_FAULT_SEED: '42', OTHER: 'x' }),
    ).toEqual({ latencyMs: 25, rate429: 0.1, retryAfterSeconds: 7, rate500: 0.05, seed: 42 });
  });

  it.each([
    [{ SANDBOX_429_RATE: 'lots' }, 'SANDBOX_429_RATE'],
    [{ SANDBOX_429_RATE: '1.5' }, 'SANDBOX_429_RATE'],
    [{ SANDBOX_LATENCY_MS: '-1' }, 'SANDBOX_LATENCY_MS'],
    [{ SANDBOX_RETRY_AFTER: '1.5' }, 'SANDBOX_RETRY_AFTER'],
    [{ SANDBOX_429_RATE: '0.6', SANDBOX_500_RATE: '0.6' }, 'SANDBOX_500_RATE'],
  ])('refuses %j naming %s', (env, name) => {
    expect(() => faultPlanFromEnv(env)).toThrow(new RegExp(`^Invalid sandbox fault settings: ${name}: `));
  });
});

describe('fault controller', () => {
  const draws = (seed: number, n: number) => {
    const faults = createFaultController({ ...NO_FAULTS, rate429: 0.2, rate500: 0.1, seed });
    return Array.from({ length: n }, () => faults.draw());
  };

  it('is deterministic for a seed and differs between seeds', () => {
    expect(draws(7, 200)).toEqual(draws(7, 200));
    expect(draws(7, 200)).not.toEqual(draws(8, 200));
  });

  it('injects close to the configured rates', () => {
    const sample = draws(3, 10_000);
    const share = (kind: string) => sample.filter((d) => d === kind).length / sample.length;
    expect(share('429')).toBeGreaterThan(0.18);
    expect(share('429')).toBeLessThan(0.22);
    expect(share('500')).toBeGreaterThan(0.08);
    expect(share('500')).toBeLessThan(0.12);
  });

  it('restarts the sequence when the plan changes, and refuses rates over 1 together', () => {
    const faults = createFaultController({ ...NO_FAULTS, rate429: 0.5, seed: 1 });
    const first = Array.from({ length: 20 }, () => faults.draw());
    faults.update({ seed: 1 });
    expect(Array.from({ length: 20 }, () => faults.draw())).toEqual(first);
    expect(faults.update({ rate500: 0.6 })).toEqual({ error: 'rate429 + rate500 must be at most 1' });
    expect(faults.plan().rate500).toBe(0);
  });
});

describe('fault injection in the router', () => {
  it('answers 429 with Retry-After and RateLimit-Reason in Jira’s shape', async () => {
    const site = createSite({ faults: { ...NO_FAULTS, rate429: 1, retryAfterSeconds: 9 } });
    const response = await site.call('GET', '/rest/api/3/myself', { as: 'app' });
    expect(response).toEqual({
      status: 429,
      headers: { 'Retry-After': '9', 'RateLimit-Reason': 'jira-burst-based' },
      body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
    });
  });

  it('answers 500 in Jira’s shape, and changes nothing', async () => {
    const site = createSite();
    const issue = await site.create();
    await site.call('PUT', '/sandbox/admin/faults', { body: { rate500: 1 } });
    const response = await site.call('PUT', `/rest/api/3/issue/${issue.key}`, { body: { fields: { summary: 'never' } } });
    expect(response).toEqual({ status: 500, headers: {}, body: { errorMessages: ['Internal server error'], errors: {} } });
    expect(issue.fields.summary).toBe('A change');
  });

  it('adds the configured latency to every Jira request, not to admin requests', async () => {
    const waits: number[] = [];
    const site = createSite({ faults: { ...NO_FAULTS, latencyMs: 120 }, sleep: async (ms) => void waits.push(ms) });
    await site.call('GET', '/rest/api/3/myself');
    await site.call('GET', '/rest/api/3/field');
    await site.call('GET', '/sandbox/admin/stats');
    expect(waits).toEqual([120, 120]);
  });

  it('really waits with the default sleep', async () => {
    const site = createSite();
    await site.call('PUT', '/sandbox/admin/faults', { body: { latencyMs: 60 } });
    const started = Date.now();
    await site.call('GET', '/rest/api/3/myself');
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('never faults the admin endpoints', async () => {
    const site = createSite({ faults: { ...NO_FAULTS, rate429: 1 } });
    for (let i = 0; i < 20; i += 1) expect((await site.call('GET', '/sandbox/admin/faults')).status).toBe(200);
    expect((await site.call('PUT', '/sandbox/admin/faults', { body: { rate429: 0 } })).status).toBe(200);
    expect((await site.call('GET', '/rest/api/3/myself')).status).toBe(200);
  });

  it('faults a deterministic subset of requests for a seed', async () => {
    const statuses = async () => {
      const site = createSite({ faults: { ...NO_FAULTS, rate429: 0.3, rate500: 0.1, seed: 99 } });
      const out: number[] = [];
      for (let i = 0; i < 50; i += 1) out.push((await site.call('GET', '/rest/api/3/myself')).status);
      return out;
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 500]));
  });
});

describe('admin endpoints', () => {
  it('GET and PUT /sandbox/admin/faults read and change the plan (partial updates)', async () => {
    const site = createSite();
    expect(bodyOf(await site.call('GET', '/sandbox/admin/faults'))).toEqual(NO_FAULTS);
    const updated = await site.call('PUT', '/sandbox/admin/faults', { body: { rate429: 0.25, retryAfterSeconds: 3 } });
    expect(updated).toEqual({ status: 200, headers: {}, body: { ...NO_FAULTS, rate429: 0.25, retryAfterSeconds: 3 } });
    expect(bodyOf(await site.call('GET', '/sandbox/admin/faults'))).toMatchObject({ rate429: 0.25 });
  });

  it.each([
    [{ rate429: 2 }, 'rate429'],
    [{ latencyMs: 'slow' }, 'latencyMs'],
    [{ unknown: 1 }, '(body)'],
  ])('PUT refuses %j with 400 naming %s', async (body, path) => {
    const site = createSite();
    const response = await site.call('PUT', '/sandbox/admin/faults', { body });
    expect(response.status).toBe(400);
    expect(Object.keys(bodyOf<{ errors: object }>(response).errors)).toEqual([path]);
    expect(bodyOf(await site.call('GET', '/sandbox/admin/faults'))).toEqual(NO_FAULTS);
  });

  it('counts requests per route and status, and faults; DELETE resets', async () => {
    const site = createSite({ faults: { ...NO_FAULTS, latencyMs: 1 }, sleep: async () => undefined });
    const issue = await site.create();
    await site.call('GET', `/rest/api/3/issue/${issue.key}`);
    await site.call('GET', '/rest/api/3/issue/CHG-99');
    await site.call('GET', '/rest/api/3/nope');
    await site.call('PUT', '/sandbox/admin/faults', { body: { rate429: 1 } });
    await site.call('GET', '/rest/api/3/myself');
    expect(bodyOf(await site.call('GET', '/sandbox/admin/stats'))).toEqual({
      total: 5,
      byRoute: { 'POST /rest/api/3/issue': 1, 'GET /rest/api/3/issue/{issueIdOrKey}': 2, unmatched: 1, 'GET /rest/api/3/myself': 1 },
      byStatus: { '201': 1, '200': 1, '404': 2, '429': 1 },
      faults: { latency: 5, rate429: 1, rate500: 0 },
    });
    expect((await site.call('DELETE', '/sandbox/admin/stats')).status).toBe(204);
    expect(bodyOf(await site.call('GET', '/sandbox/admin/stats'))).toMatchObject({ total: 0, byRoute: {} });
    expect(site.router.stats.snapshot().total).toBe(0);
  });

  it('answers unknown admin resources 404 and wrong methods 405', async () => {
    const site = createSite();
    expect((await site.call('GET', '/sandbox/admin/nothing')).status).toBe(404);
    expect((await site.call('POST', '/sandbox/admin/faults', { body: {} })).status).toBe(405);
  });
});
