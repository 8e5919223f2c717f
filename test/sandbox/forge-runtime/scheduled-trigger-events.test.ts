import { createForgeEvents, DeliveredEvent, EVENT_LIMITS, EventsLimitError } from '../../../sandbox/forge-runtime/forge-events';
import { SANDBOX_CLOUD_ID, SANDBOX_INSTALL_CONTEXT } from '../../../sandbox/forge-runtime/forge-payloads';
import { createForgeRuntime, ScheduledHandler } from '../../../sandbox/forge-runtime/forge-runtime';
import { LAST_RUN_KEY } from '../../../src/sweep/sweep';
import { createSandboxState } from '../../../sandbox/state/sandbox-state';
import { at } from '../../builders/clock';
import { SANDBOX_USERS } from '../../builders/sandbox-change.builder';
import { stateRouter } from '../../fakes/sandbox-state-router';

const quiet = () => undefined;

const runtimeWith = (handler?: ScheduledHandler) => {
  const state = createSandboxState(SANDBOX_USERS);
  return createForgeRuntime({
    router: () => stateRouter(state).router,
    clock: () => at(12),
    policy: state.policy,
    log: quiet,
    ...(handler ? { scheduledHandlers: { 'posthoc-sweep': handler } } : {}),
  });
};

describe('scheduled triggers in the Forge runtime shim', () => {
  it("runs the app's post-hoc sweep with the runtime's transport, store and clock, and records it", async () => {
    const runtime = runtimeWith();
    const invocation = await runtime.runScheduledTrigger('posthoc-sweep');
    expect(invocation).toEqual({ function: 'posthoc-sweep', moduleKey: 'cc81-posthoc-sweep', at: at(12).toISOString(), result: { statusCode: 204 }, errorName: null, validResponse: true });
    expect(runtime.triggerInvocations()).toEqual([invocation]);
    // The run summary lands in the runtime's KVS, stamped with the runtime's clock.
    expect(await runtime.store.get(LAST_RUN_KEY)).toMatchObject({ startedAt: at(12).toISOString(), finishedAt: at(12).toISOString() });
  });

  it('passes { context: { cloudId, moduleKey }, contextToken } and a context without a user principal', async () => {
    const calls: unknown[][] = [];
    const runtime = runtimeWith(async (...args) => {
      calls.push(args);
      return { statusCode: 204 };
    });
    await runtime.runScheduledTrigger('posthoc-sweep');
    await runtime.runScheduledTrigger('posthoc-sweep');
    expect(calls).toHaveLength(2);
    const [request, context] = calls[0]!;
    expect(request).toEqual({ context: { cloudId: SANDBOX_CLOUD_ID, moduleKey: 'cc81-posthoc-sweep' }, contextToken: expect.any(String) });
    expect(context).toEqual({ installContext: SANDBOX_INSTALL_CONTEXT });
    expect(SANDBOX_INSTALL_CONTEXT.endsWith(SANDBOX_CLOUD_ID)).toBe(true);
    expect(runtime.triggerInvocations()).toHaveLength(2);
  });

  it('records a handler that throws or answers without a statusCode, and never throws itself', async () => {
    const throwing = runtimeWith(async () => {
      throw new RangeError('boom');
    });
    await expect(throwing.runScheduledTrigger('posthoc-sweep')).resolves.toMatchObject({ result: null, errorName: 'RangeError', validResponse: false });
    const sloppy = runtimeWith(() => 'done');
    await expect(sloppy.runScheduledTrigger('posthoc-sweep')).resolves.toMatchObject({ result: 'done', errorName: null, validResponse: false });
  });
});

describe('the in-process async events queue', () => {
  const setup = () => {
    let now = at(12).getTime();
    const events = createForgeEvents({ clock: () => new Date(now), log: quiet, installContext: SANDBOX_INSTALL_CONTEXT });
    const delivered: DeliveredEvent[] = [];
    return { events, delivered, advance: (seconds: number) => (now += seconds * 1000) };
  };

  it('delivers pushed events to the queue consumer once due, as JSON copies, with job and event ids', async () => {
    const { events, delivered, advance } = setup();
    const contexts: unknown[] = [];
    events.registerConsumer('sweep', (event, context) => {
      delivered.push(event);
      contexts.push(context);
    });
    const body = { issueKey: 'CHG-1' };
    const { jobId } = await events.push('sweep', [{ body }, { body: { issueKey: 'CHG-2' }, delayInSeconds: 60 }]);
    body.issueKey = 'mutated';
    expect(await events.drain()).toEqual({ delivered: 1, failed: 0, retried: 0, undeliverable: 0 });
    expect(delivered).toEqual([{ queueName: 'sweep', jobId, eventId: expect.any(String), body: { issueKey: 'CHG-1' } }]);
    expect(contexts).toEqual([{ installContext: SANDBOX_INSTALL_CONTEXT }]);
    expect(events.pending()).toHaveLength(1);
    advance(59);
    expect((await events.drain()).delivered).toBe(0);
    advance(1);
    expect((await events.drain()).delivered).toBe(1);
    expect(delivered.map((e) => e.body.issueKey)).toEqual(['CHG-1', 'CHG-2']);
  });

  it('applies the push-wide delay, and drain({ all: true }) ignores delays', async () => {
    const { events, delivered } = setup();
    events.registerConsumer('q', (event) => void delivered.push(event));
    await events.push('q', { body: { n: 1 } }, { delayInSeconds: 900 });
    expect((await events.drain()).delivered).toBe(0);
    expect((await events.drain({ all: true })).delivered).toBe(1);
  });

  it('accepts bare bodies too (Forge 1.x style)', async () => {
    const { events, delivered } = setup();
    events.registerConsumer('q', (event) => void delivered.push(event));
    await events.push('q', [{ n: 1 }, { n: 2 }]);
    await events.drain();
    expect(delivered.map((e) => e.body)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it(`refuses more than ${EVENT_LIMITS.maxEventsPerPush} events per push, and accepts exactly that many`, async () => {
    const { events } = setup();
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ body: { i } }));
    await expect(events.push('q', many(51))).rejects.toMatchObject({ name: 'TooManyEventsError' });
    await expect(events.push('q', many(50))).resolves.toEqual({ jobId: expect.any(String) });
    await expect(events.push('q', [])).rejects.toMatchObject({ name: 'NoEventsToPushError' });
  });

  it('refuses a push over 200 KB of payload, and accepts one just under', async () => {
    const { events } = setup();
    const big = 'x'.repeat(EVENT_LIMITS.maxPayloadBytes);
    await expect(events.push('q', { body: { big } })).rejects.toBeInstanceOf(EventsLimitError);
    await expect(events.push('q', { body: { big } })).rejects.toMatchObject({ name: 'PayloadTooBigError' });
    const fits = 'x'.repeat(EVENT_LIMITS.maxPayloadBytes - 100);
    await expect(events.push('q', { body: { fits } })).resolves.toBeDefined();
    expect(events.pending()).toHaveLength(1);
  });

  it.each([901, -1, 1.5])('refuses a delay of %s seconds (0 to 900)', async (delayInSeconds) => {
    const { events } = setup();
    await expect(events.push('q', { body: {} }, { delayInSeconds })).rejects.toMatchObject({ name: 'InvalidPushSettingsError' });
    await expect(events.push('q', { body: {}, delayInSeconds })).rejects.toMatchObject({ name: 'InvalidPushSettingsError' });
    expect(events.pending()).toHaveLength(0);
  });

  it('refuses an invalid queue name; leaves events of a queue without consumer queued; counts a failing consumer', async () => {
    const { events } = setup();
    await expect(events.push('no spaces', { body: {} })).rejects.toMatchObject({ name: 'InvalidQueueNameError' });
    await events.push('orphan', { body: {} });
    expect(await events.drain()).toEqual({ delivered: 0, failed: 0, retried: 0, undeliverable: 1 });
    events.registerConsumer('failing', () => {
      throw new Error('nope');
    });
    await events.push('failing', { body: {} });
    expect(await events.drain()).toMatchObject({ delivered: 0, failed: 1 });
    expect(() => events.registerConsumer('failing', () => undefined)).toThrow(/already has a consumer/);
  });

  it('delivers events a consumer pushes while draining (a chain), and on a timer', async () => {
    const { events, delivered } = setup();
    events.registerConsumer('chain', async (event) => {
      delivered.push(event);
      const n = event.body.n as number;
      if (n < 3) await events.push('chain', { body: { n: n + 1 } });
    });
    await events.push('chain', { body: { n: 1 } });
    expect((await events.drain()).delivered).toBe(3);
    await events.push('chain', { body: { n: 3 } });
    const stop = events.start(10);
    try {
      await new Promise((resolve) => setTimeout(resolve, 60));
    } finally {
      stop();
    }
    expect(delivered).toHaveLength(4);
  });

  it('is part of the runtime', async () => {
    const runtime = runtimeWith();
    const seen: unknown[] = [];
    runtime.events.registerConsumer('q', (event) => void seen.push(event.body));
    await runtime.events.push('q', { body: { ok: true } });
    await runtime.events.drain();
    expect(seen).toEqual([{ ok: true }]);
  });
});
