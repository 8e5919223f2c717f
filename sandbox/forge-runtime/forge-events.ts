/**
 * An in-process stand-in for Forge's async events (`@forge/events`: `new Queue({ key }).push(...)`
 * and `consumer` modules), with the platform's per-push limits: at most 50 events, at most 200 KB
 * of combined payload, a delay of 0 to 900 seconds. Events wait until their delay has passed on
 * the runtime's clock, then go to the consumer registered for the queue: on a timer (`start`) or
 * when a test or the sandbox drains the queue (`drain`). A consumer that throws is logged and the
 * event is dropped. A consumer that returns an `InvocationError` (its JSON `{ _retry: true,
 * retryOptions: { retryAfter } }`) gets the event again after `retryAfter` seconds, with
 * `retryContext.retryCount` one higher, at most MAX_EVENT_RETRIES times.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../src/ports/logger';

/** Forge's async events limits per push request (developer.atlassian.com, "Async events limits"). */
export const EVENT_LIMITS = { maxEventsPerPush: 50, maxPayloadBytes: 200 * 1024, maxDelayInSeconds: 900 } as const;

/** What `@forge/events` throws, by name, so a caller can tell the limits apart. */
export class EventsLimitError extends Error {
  constructor(
    override readonly name: 'TooManyEventsError' | 'PayloadTooBigError' | 'InvalidPushSettingsError' | 'NoEventsToPushError' | 'InvalidQueueNameError',
    message: string,
  ) {
    super(message);
  }
}

export type EventBody = Record<string, unknown>;

/** Retries the stand-in grants per event (the app's consumers ask for at most 4). */
export const MAX_EVENT_RETRIES = 4;

/** One event to push: a body, with its own delay optionally (Forge 2.x `PushEvent`). */
export interface PushEvent {
  body: EventBody;
  delayInSeconds?: number;
}

export interface PushSettings {
  /** Applies to every event that has no delay of its own. */
  delayInSeconds?: number;
}

/** What a consumer receives (the `event` argument of a consumer function). */
export interface DeliveredEvent {
  queueName: string;
  jobId: string;
  eventId: string;
  body: EventBody;
  /** Present on a retry (Forge's `AsyncEvent.retryContext`). */
  retryContext?: { retryCount: number; retryReason: string; retryData?: unknown };
}

export type EventConsumer = (event: DeliveredEvent, context: { installContext: string }) => unknown;

export interface QueuedEvent extends DeliveredEvent {
  /** Epoch ms from which the event may be delivered. */
  dueAt: number;
}

export interface DrainResult {
  delivered: number;
  failed: number;
  /** Deliveries whose consumer asked for a retry (queued again unless retries ran out). */
  retried: number;
  /** Due events of queues with no consumer, left queued. */
  undeliverable: number;
}

export interface ForgeEvents {
  /** `new Queue({ key }).push(events, settings)`: validates the limits, queues, returns the job id. */
  push(queueKey: string, events: PushEvent | PushEvent[] | EventBody | EventBody[], settings?: PushSettings): Promise<{ jobId: string }>;
  /** Registers the consumer of a queue (the manifest's `consumer` module). One per queue. */
  registerConsumer(queueKey: string, consumer: EventConsumer): void;
  /** Delivers every event that is due now (or every event, `{ all: true }`, ignoring delays). */
  drain(options?: { all?: boolean }): Promise<DrainResult>;
  /** Copies of the queued events, in push order. */
  pending(): QueuedEvent[];
  /** Delivers due events every `intervalMs` (unref'd timer); returns a stop function. */
  start(intervalMs?: number): () => void;
}

export interface ForgeEventsDeps {
  clock: () => Date;
  log: Logger;
  installContext: string;
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,50}$/;

const isPushEvent = (value: unknown): value is PushEvent =>
  !!value && typeof value === 'object' && 'body' in value && !!(value as { body?: unknown }).body && typeof (value as { body?: unknown }).body === 'object';

const normalize = (events: PushEvent | PushEvent[] | EventBody | EventBody[]): PushEvent[] =>
  (Array.isArray(events) ? events : [events]).map((event) => (isPushEvent(event) ? event : { body: event as EventBody }));

/** The retry an `InvocationError` asks for (read from its JSON, as the platform reads it), or null. */
const retryRequestOf = (value: unknown): { retryAfter: number; retryReason: string; retryData?: unknown } | null => {
  if (!value || typeof value !== 'object') return null;
  const json = JSON.parse(JSON.stringify(value)) as { _retry?: unknown; retryOptions?: { retryAfter?: unknown; retryReason?: unknown; retryData?: unknown } };
  if (json._retry !== true) return null;
  const after = typeof json.retryOptions?.retryAfter === 'number' && json.retryOptions.retryAfter > 0 ? json.retryOptions.retryAfter : 1;
  return { retryAfter: after, retryReason: typeof json.retryOptions?.retryReason === 'string' ? json.retryOptions.retryReason : 'FUNCTION_RETRY_REQUEST', retryData: json.retryOptions?.retryData };
};

const checkDelay = (delay: number | undefined): void => {
  if (delay === undefined) return;
  if (!Number.isInteger(delay) || delay < 0 || delay > EVENT_LIMITS.maxDelayInSeconds) {
    throw new EventsLimitError('InvalidPushSettingsError', `Delay in seconds must be between 0 and ${EVENT_LIMITS.maxDelayInSeconds}.`);
  }
};

export const createForgeEvents = (deps: ForgeEventsDeps): ForgeEvents => {
  const queued: QueuedEvent[] = [];
  const consumers = new Map<string, EventConsumer>();
  let draining: Promise<DrainResult> = Promise.resolve({ delivered: 0, failed: 0, retried: 0, undeliverable: 0 });

  const push: ForgeEvents['push'] = async (queueKey, input, settings = {}) => {
    if (!QUEUE_NAME.test(queueKey)) throw new EventsLimitError('InvalidQueueNameError', `Invalid queue name '${queueKey}': use letters, digits, _ and -.`);
    const events = normalize(input);
    if (events.length === 0) throw new EventsLimitError('NoEventsToPushError', 'No events pushed.');
    if (events.length > EVENT_LIMITS.maxEventsPerPush) {
      throw new EventsLimitError('TooManyEventsError', `Too many events pushed: ${events.length} (at most ${EVENT_LIMITS.maxEventsPerPush} per push).`);
    }
    checkDelay(settings.delayInSeconds);
    events.forEach((event) => checkDelay(event.delayInSeconds));
    const bytes = Buffer.byteLength(JSON.stringify(events.map((event) => event.body)), 'utf8');
    if (bytes > EVENT_LIMITS.maxPayloadBytes) {
      throw new EventsLimitError('PayloadTooBigError', `The pushed events are ${bytes} bytes, over the ${EVENT_LIMITS.maxPayloadBytes}-byte limit per push.`);
    }
    const jobId = randomUUID();
    const now = deps.clock().getTime();
    for (const event of events) {
      const delay = event.delayInSeconds ?? settings.delayInSeconds ?? 0;
      // A JSON copy: the consumer never sees the pusher's objects (Forge serializes them too).
      queued.push({ queueName: queueKey, jobId, eventId: randomUUID(), body: JSON.parse(JSON.stringify(event.body)) as EventBody, dueAt: now + delay * 1000 });
    }
    deps.log('sandbox-forge-events', { event: 'pushed', queue: queueKey, count: events.length, bytes });
    return { jobId };
  };

  const deliverDue = async (all: boolean): Promise<DrainResult> => {
    const result: DrainResult = { delivered: 0, failed: 0, retried: 0, undeliverable: 0 };
    // Events pushed by a consumer while draining are delivered too, when due (a chain of pushes).
    for (;;) {
      const now = deps.clock().getTime();
      const index = queued.findIndex((event) => (all || event.dueAt <= now) && consumers.has(event.queueName));
      if (index < 0) break;
      const event = queued.splice(index, 1)[0]!;
      const delivered: DeliveredEvent = { queueName: event.queueName, jobId: event.jobId, eventId: event.eventId, body: event.body, ...(event.retryContext ? { retryContext: event.retryContext } : {}) };
      try {
        const answer = retryRequestOf(await consumers.get(delivered.queueName)!(delivered, { installContext: deps.installContext }));
        result.delivered += 1;
        if (answer) {
          result.retried += 1;
          const retryCount = (event.retryContext?.retryCount ?? 0) + 1;
          if (retryCount <= MAX_EVENT_RETRIES) {
            queued.push({ ...event, retryContext: { retryCount, retryReason: answer.retryReason, ...(answer.retryData !== undefined ? { retryData: answer.retryData } : {}) }, dueAt: deps.clock().getTime() + answer.retryAfter * 1000 });
          } else deps.log('sandbox-forge-events', { event: 'retries-exhausted', queue: delivered.queueName });
        }
      } catch (error) {
        result.failed += 1;
        deps.log('sandbox-forge-events', { event: 'consumer-failed', queue: delivered.queueName, errorName: error instanceof Error ? error.name : typeof error });
      }
    }
    const now = deps.clock().getTime();
    result.undeliverable = queued.filter((event) => (all || event.dueAt <= now) && !consumers.has(event.queueName)).length;
    return result;
  };

  const drain: ForgeEvents['drain'] = (options = {}) => {
    draining = draining.then(() => deliverDue(options.all === true));
    return draining;
  };

  return {
    push,
    registerConsumer: (queueKey, consumer) => {
      if (consumers.has(queueKey)) throw new Error(`Queue ${queueKey} already has a consumer.`);
      consumers.set(queueKey, consumer);
    },
    drain,
    pending: () => queued.map((event) => JSON.parse(JSON.stringify(event)) as QueuedEvent),
    start: (intervalMs = 1_000) => {
      const timer = setInterval(() => void drain(), intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
};
