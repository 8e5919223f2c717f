/**
 * The Forge runtime shim: runs the app's own workflow handlers (the history gate and the evidence
 * recorder, built with their factories) in process, with REST served by the sandbox router, an
 * in-memory KVS seeded with the sandbox's policy, and the sandbox clock. Counts invocations and
 * REST calls per function. Like the platform, a handler that throws, times out or returns
 * something unexpected never breaks the sandbox: a validator then blocks, a post function is logged.
 */
import type { Policy } from '../../src/domain';
import { createEvidenceRecorder, RecorderOutcome } from '../../src/forge/evidence-recorder';
import { createEvidenceRetry, toForgeConsumerResult } from '../../src/forge/evidence-retry';
import { RECORD_RETRY_QUEUE, type RecordRetryQueue } from '../../src/forge/evidence-retry-queue';
import { createHistoryGate, ValidatorResult } from '../../src/forge/history-gate';
import { createDeploymentGate, type WebTriggerAnswer } from '../../src/forge/deployment-gate';
import type { GateHttpRequest } from '../../src/deployments/gate-auth';
import { readGateRecords } from '../../src/deployments/gate-record';
import { createPostHocSweep, PostHocSweepDeps } from '../../src/forge/posthoc-sweep';
import { createPostHocSweepContinuation } from '../../src/forge/posthoc-sweep-continuation';
import { createSelfTestTrigger } from '../../src/forge/self-test-trigger';
import { EXPORT_QUEUE, type ExportQueue } from '../../src/forge/evidence-export';
import { createEvidenceExportWorker } from '../../src/forge/evidence-export-worker';
import { CONTINUATION_QUEUE, ContinuationQueue } from '../../src/sweep/sweep';
import { consoleLogger, Logger } from '../../src/ports/logger';
import type { JiraTransport } from '../../src/jira/transport';
import type { SandboxRouter } from '../workflow/workflow-port';
import { createForgeEvents, ForgeEvents } from './forge-events';
import {
  functionValidatorPayload,
  PostFunctionCall,
  postFunctionContext,
  postFunctionPayload,
  SANDBOX_INSTALL_CONTEXT,
  scheduledTriggerContext,
  scheduledTriggerPayload,
  ValidatorCall,
  validatorContext,
} from './forge-payloads';
import { createMemoryKvs } from './memory-kvs';
import { routerTransport } from './router-transport';
import { seedPolicy } from './stored-policy';
import { type LedgerStore } from '../../src/ports/ledger-store';
import type { LogEntry } from '../../src/evidence-log/log-record';
import { readEvidenceWithNote } from '../../src/evidence-log/evidence-log';
import { SIGNING_KEY_KEY, type StoredKey } from '../../src/evidence-log/mirror-seal';
import { seedEvidenceLog } from './seed-evidence-log';

/** The manifest's function keys of the workflow handlers the sandbox runs. */
export const SANDBOX_FUNCTIONS = ['history-gate', 'evidence-recorder', 'deployment-gate'] as const;
export type SandboxFunctionKey = (typeof SANDBOX_FUNCTIONS)[number];

/** Forge's limit per validator / post function invocation. */
export const FORGE_INVOCATION_TIMEOUT_MS = 25_000;

export interface ForgeRuntimeDeps {
  /** Getter: the router is usually created after the runtime. */
  router: () => SandboxRouter;
  clock: () => Date;
  /** App storage; default an in-memory KVS. */
  store?: LedgerStore;
  /** Seeded into the store under `cc81:policy` before the first invocation. */
  policy?: Policy;
  /** Receives the handlers' and the shim's log lines (ids only). Default: console. */
  log?: Logger;
  timeoutMs?: number;
  /**
   * The scheduled trigger handlers by function key; default the app's own (`posthoc-sweep`:
   * `postHocSweep`). Tests inject others.
   */
  scheduledHandlers?: Partial<Record<ScheduledFunctionKey, ScheduledHandler>>;
  /**
   * How the app's sweep waits out a 429 (default a real wait). Tests and benchmarks inject one
   * that only counts the simulated time.
   */
  sleep?: (ms: number) => Promise<void>;
  /**
   * The app's evidence log for tickets imported with a history (the sandbox state's
   * `appEvidence`): entries added since the last read of app storage are written before it.
   */
  appEvidence?: () => readonly LogEntry[];
  /** The app's mirror-sealing key as the sandbox's imported tickets were sealed with (written to app storage at start). */
  signingKey?: StoredKey;
  /** Monotonic ms for the sweep's time budget (default `performance.now`). */
  elapsed?: () => number;
  /** The sweep's time budget (default 45 s of the 55 s limit). */
  sweepBudgetMs?: number;
  /** The sweep's search page size (default 1000). */
  sweepPageSize?: number;
  /** The sweep's worker pool size (default 8). */
  sweepConcurrency?: number;
  /** Continuations per trigger run (default 20). */
  sweepMaxContinuations?: number;
}

/** The manifest's consumers: queue key → function key. */
export const CONSUMERS = { [CONTINUATION_QUEUE]: 'sweep-continuation', [EXPORT_QUEUE]: 'evidence-export-worker', [RECORD_RETRY_QUEUE]: 'evidence-retry' } as const;

/** Which app-storage operation a fault applies to. */
export type StoreOperation = 'get' | 'set' | 'setIfAbsent' | 'list' | 'delete';
/** Decides, per operation and key, whether app storage fails it (a KVS 429 or 500): return the error to throw, or null. */
export type StoreFault = (operation: StoreOperation, key: string) => Error | null;

/** The manifest's scheduled triggers: function key → module key. */
export const SCHEDULED_TRIGGERS = { 'posthoc-sweep': 'cc81-posthoc-sweep', 'self-test': 'cc81-self-test' } as const;
export type ScheduledFunctionKey = keyof typeof SCHEDULED_TRIGGERS;

/** A scheduled trigger function: Forge calls it with `(request, context)`. */
export type ScheduledHandler = (request: unknown, context: unknown) => unknown;

/** Forge's limit for a scheduled trigger without `timeoutSeconds` (55 s). */
export const SCHEDULED_TRIGGER_TIMEOUT_MS = 55_000;

/** One scheduled trigger invocation, as the sandbox records it. */
export interface TriggerInvocation {
  function: ScheduledFunctionKey;
  moduleKey: string;
  at: string;
  /** The handler's return value (JSON copy); null when it failed. */
  result: unknown;
  /** The error's name when the handler threw or timed out. */
  errorName: string | null;
  /** Forge wants `{ statusCode }` back (else it records 424); false when the handler returned something else. */
  validResponse: boolean;
}

export interface FunctionStats {
  invocations: number;
  /** REST calls the function made, over all its invocations. */
  restCalls: number;
  /** Invocations that threw, timed out or returned an unexpected value. */
  failures: number;
}

/** Called after every write to the app's KVS, with the key and a JSON copy of the value. */
export type StoreListener = (key: string, value: unknown) => void;

export interface ForgeRuntime {
  readonly store: LedgerStore;
  /** Tells `listener` about every write to the app's KVS from now on (the sandbox's pages follow the stored policy). Returns an unsubscribe function. */
  onStoreSet(listener: StoreListener): () => void;
  /** `forgeTransport('app')`: REST as the app. */
  asApp(): JiraTransport;
  /** The evidence export's queue (`cc81-evidence-export`), consumed in process. */
  readonly exportQueue: ExportQueue;
  /** `forgeTransport('user')` for `accountId`. */
  asUser(accountId: string): JiraTransport;
  /** (Re)stores the policy the handlers load. */
  seedPolicy(policy: Policy, updatedBy?: string | null): Promise<void>;
  /** Invokes the function validator with a Forge payload and context; never throws (blocks instead). */
  invokeValidator(key: 'history-gate', payload: unknown, context: unknown): Promise<ValidatorResult>;
  /** Invokes the post function; never throws. `null` when it failed (see the log). */
  invokePostFunction(key: 'evidence-recorder', payload: unknown, context: unknown): Promise<RecorderOutcome | null>;
  /** The history gate for one transition, payload and context built as Forge builds them. */
  runHistoryGate(call: ValidatorCall): Promise<ValidatorResult>;
  /** The deployment gate web trigger, as Forge calls it; a failed invocation answers 500 as the platform does. */
  invokeWebTrigger(key: 'deployment-gate', request: GateHttpRequest): Promise<WebTriggerAnswer>;
  /** A web trigger's URL on this sandbox (`webTrigger.getUrl`): set once the server listens. */
  webTriggerUrl(moduleKey: string): string | null;
  setBaseUrl(url: string): void;
  /** The evidence recorder for one transition, payload built as Forge builds it. */
  runEvidenceRecorder(call: PostFunctionCall): Promise<RecorderOutcome | null>;
  /** Invocations per function since creation or the last reset. */
  invocations(): Record<SandboxFunctionKey, number>;
  stats(): Record<SandboxFunctionKey, FunctionStats>;
  resetStats(): void;
  /**
   * Fires a scheduled trigger the way the platform does: the function gets Forge's request
   * (`{ context: { cloudId, moduleKey }, contextToken }`) and context (no user principal). Never
   * throws; the invocation is recorded (see `triggerInvocations`).
   */
  runScheduledTrigger(key: ScheduledFunctionKey): Promise<TriggerInvocation>;
  /** The scheduled trigger invocations so far, oldest first (copies). */
  triggerInvocations(): TriggerInvocation[];
  /** The in-process async events queue (`@forge/events`). */
  readonly events: ForgeEvents;
  /** Makes app storage fail the operations `fault` picks, as KVS does on a 429 or 500 (null: no faults). */
  setStoreFault(fault: StoreFault | null): void;
}

const LOG_EVENT = 'sandbox-forge-invocation';

/** What a validator that did not answer properly shows (Forge's behaviour on throw/timeout is undocumented; the sandbox fails closed). */
export const validatorFailureMessage = (key: string): string =>
  `The CC8.1 ${key} did not answer, so this transition is blocked. Try again; if it keeps failing, ask a Jira admin to check the app's logs.`;

const isValidatorResult = (value: unknown): value is ValidatorResult =>
  !!value &&
  typeof value === 'object' &&
  ((value as { result?: unknown }).result === true ||
    ((value as { result?: unknown }).result === false && typeof (value as { errorMessage?: unknown }).errorMessage === 'string'));

class InvocationTimeout extends Error {
  constructor(ms: number) {
    super(`invocation exceeded ${ms} ms`);
    this.name = 'InvocationTimeout';
  }
}

const withTimeout = async <T>(work: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new InvocationTimeout(ms)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

const emptyStats = (): Record<SandboxFunctionKey, FunctionStats> => ({
  'history-gate': { invocations: 0, restCalls: 0, failures: 0 },
  'evidence-recorder': { invocations: 0, restCalls: 0, failures: 0 },
  'deployment-gate': { invocations: 0, restCalls: 0, failures: 0 },
});

export const createForgeRuntime = (deps: ForgeRuntimeDeps): ForgeRuntime => {
  const inner = deps.store ?? createMemoryKvs();
  const listeners = new Set<StoreListener>();
  const notify = (key: string, value: unknown) => {
    const copy = value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
    for (const listener of listeners) {
      try {
        listener(key, copy);
      } catch (error) {
        log(LOG_EVENT, { event: 'store-listener-failed', key, errorName: error instanceof Error ? error.name : typeof error });
      }
    }
  };
  // Imported tickets' log entries reach app storage before anything reads it.
  let seeded = 0;
  let seeding: Promise<void> = Promise.resolve();
  const syncEvidence = (): Promise<void> => {
    const all = deps.appEvidence?.() ?? [];
    if (all.length <= seeded) return seeding;
    const batch = all.slice(seeded);
    seeded = all.length;
    seeding = seeding.then(async () => {
      try {
        log(LOG_EVENT, { event: 'evidence-log-seeded', records: await seedEvidenceLog(inner, batch) });
      } catch (error) {
        // A ticket without its log fails closed at the gate; this line says why.
        log(LOG_EVENT, { event: 'evidence-log-seed-failed', errorName: error instanceof Error ? error.name : typeof error });
      }
    });
    return seeding;
  };
  let storeFault: StoreFault | null = null;
  const check = (operation: StoreOperation, key: string) => {
    const error = storeFault?.(operation, key);
    if (error) throw error;
  };
  // The app's handlers write through this wrapper, so the sandbox sees each write once it is stored.
  const store: LedgerStore = {
    get: async (key) => {
      await syncEvidence();
      check('get', key);
      return inner.get(key);
    },
    set: async (key, value) => {
      check('set', key);
      await inner.set(key, value);
      notify(key, value);
    },
    setIfAbsent: async (key, value) => {
      check('setIfAbsent', key);
      const outcome = await inner.setIfAbsent(key, value);
      if (outcome === 'written') notify(key, value);
      return outcome;
    },
    listByPrefix: async (prefix) => {
      await syncEvidence();
      check('list', prefix);
      return inner.listByPrefix(prefix);
    },
    delete: async (key) => {
      check('delete', key);
      await inner.delete(key);
    },
    listPage: async (prefix, cursor, limit) => {
      await syncEvidence();
      check('list', prefix);
      return inner.listPage(prefix, cursor, limit);
    },
  };
  const log = deps.log ?? consoleLogger;
  const timeoutMs = deps.timeoutMs ?? FORGE_INVOCATION_TIMEOUT_MS;
  let stats = emptyStats();
  let ready: Promise<void> = Promise.all([
    deps.policy ? seedPolicy(store, deps.policy, deps.clock()) : undefined,
    deps.signingKey ? inner.set(SIGNING_KEY_KEY, deps.signingKey) : undefined,
  ]).then(() => undefined);

  const asApp = () => routerTransport(deps.router, { asApp: true });
  const countedAsApp = (key: SandboxFunctionKey): JiraTransport => {
    const inner = asApp();
    return (request) => {
      stats[key].restCalls += 1;
      return inner(request);
    };
  };

  /** Runs one invocation: waits for seeding, counts it, applies the time limit, catches everything. */
  const invoke = async <T>(key: SandboxFunctionKey, run: () => Promise<T>, accept: (value: T) => boolean): Promise<{ ok: true; value: T } | { ok: false }> => {
    stats[key].invocations += 1;
    const restBefore = stats[key].restCalls;
    try {
      await ready;
      const value = await withTimeout(run(), timeoutMs);
      if (!accept(value)) throw new TypeError('unexpected return value');
      log(LOG_EVENT, { function: key, outcome: 'returned', restCalls: stats[key].restCalls - restBefore });
      return { ok: true, value };
    } catch (error) {
      stats[key].failures += 1;
      log(LOG_EVENT, { function: key, outcome: 'failed', errorName: error instanceof Error ? error.name : typeof error, restCalls: stats[key].restCalls - restBefore });
      return { ok: false };
    }
  };

  const invokeValidator: ForgeRuntime['invokeValidator'] = async (key, payload, context) => {
    const gate = createHistoryGate({ transport: countedAsApp(key), store, clock: deps.clock, log, ...(deps.sleep ? { sleep: deps.sleep } : {}) });
    const answer = await invoke(key, () => gate(payload, context), isValidatorResult);
    return answer.ok ? answer.value : { result: false, errorMessage: validatorFailureMessage(key) };
  };

  const invokeWebTrigger: ForgeRuntime['invokeWebTrigger'] = async (key, request) => {
    const gate = createDeploymentGate({ transport: countedAsApp(key), store, clock: deps.clock, log });
    const isAnswer = (v: WebTriggerAnswer) => !!v && typeof v.statusCode === 'number' && typeof v.body === 'string';
    const answer = await invoke(key, () => gate(request), isAnswer);
    return answer.ok ? answer.value : { statusCode: 500, headers: { 'Content-Type': ['application/json'] }, body: JSON.stringify({ error: { code: 'INVOCATION_FAILED', message: 'The web trigger failed.' } }) };
  };
  let baseUrl: string | null = null;

  const events = createForgeEvents({ clock: deps.clock, log, installContext: SANDBOX_INSTALL_CONTEXT });
  // The recorder's retry queue and its consumer, as production wires them over `@forge/events`.
  const retryQueue: RecordRetryQueue = {
    push: async (event, delayInSeconds) => {
      await events.push(RECORD_RETRY_QUEUE, { body: { ...event }, delayInSeconds });
    },
  };
  const invokePostFunction: ForgeRuntime['invokePostFunction'] = async (key, payload) => {
    const recorder = createEvidenceRecorder({ transport: countedAsApp(key), store, clock: deps.clock, log, retryQueue });
    const answer = await invoke(key, () => recorder(payload), (value) => !!value && typeof value === 'object' && 'outcome' in value);
    return answer.ok ? answer.value : null;
  };
  const evidenceRetry = createEvidenceRetry({ transport: asApp(), store, clock: deps.clock, log });
  events.registerConsumer(RECORD_RETRY_QUEUE, async (event) => {
    await ready;
    return toForgeConsumerResult(await withTimeout(evidenceRetry(event), FORGE_INVOCATION_TIMEOUT_MS));
  });

  // The continuation queue port over the sandbox's events queue (production: `new Queue({ key })`).
  const continuationQueue: ContinuationQueue = {
    push: async (event) => {
      await events.push(CONTINUATION_QUEUE, { body: { ...event } });
    },
  };
  // The app's own sweep, built as production builds it but over the sandbox's REST, KVS, clock and queue.
  const sweepDeps: PostHocSweepDeps = {
    transport: asApp(),
    store,
    clock: deps.clock,
    sleep: deps.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    ...(deps.elapsed ? { elapsed: deps.elapsed } : {}),
    ...(deps.sweepBudgetMs !== undefined ? { budgetMs: deps.sweepBudgetMs } : {}),
    ...(deps.sweepPageSize !== undefined ? { pageSize: deps.sweepPageSize } : {}),
    ...(deps.sweepConcurrency !== undefined ? { concurrency: deps.sweepConcurrency } : {}),
    ...(deps.sweepMaxContinuations !== undefined ? { maxContinuations: deps.sweepMaxContinuations } : {}),
    queue: continuationQueue,
    log,
  };
  const sweep = createPostHocSweep(sweepDeps);
  const continuation = createPostHocSweepContinuation(sweepDeps);
  // The consumer module: the platform delivers the event (`AsyncEvent`) and a context; it waits for seeding like any invocation.
  events.registerConsumer(CONTINUATION_QUEUE, async (event) => {
    await ready;
    await withTimeout(continuation(event), SCHEDULED_TRIGGER_TIMEOUT_MS);
  });
  // The evidence export's queue and consumer, as production wires them over `@forge/events`.
  const exportQueue: ExportQueue = {
    push: async (event, delayInSeconds) => {
      await events.push(EXPORT_QUEUE, { body: { ...event }, ...(delayInSeconds ? { delayInSeconds } : {}) });
    },
  };
  const exportWorker = createEvidenceExportWorker({ transport: asApp(), store, evidenceLog: (issueId) => readEvidenceWithNote(store, issueId), gateRecords: (issueId) => readGateRecords(store, issueId), clock: deps.clock, sleep: sweepDeps.sleep, queue: exportQueue, log, ...(deps.elapsed ? { elapsed: deps.elapsed } : {}) });
  events.registerConsumer(EXPORT_QUEUE, async (event) => {
    await ready;
    await withTimeout(exportWorker(event), SCHEDULED_TRIGGER_TIMEOUT_MS);
  });
  const selfTest = createSelfTestTrigger({ transport: asApp(), store, clock: deps.clock, log });
  const scheduledHandlers: Record<ScheduledFunctionKey, ScheduledHandler> = { 'posthoc-sweep': sweep, 'self-test': selfTest, ...deps.scheduledHandlers };
  const triggerLog: TriggerInvocation[] = [];

  const runScheduledTrigger: ForgeRuntime['runScheduledTrigger'] = async (key) => {
    const moduleKey = SCHEDULED_TRIGGERS[key];
    const at = deps.clock().toISOString();
    let invocation: TriggerInvocation;
    try {
      await ready;
      const value = await withTimeout(Promise.resolve(scheduledHandlers[key](scheduledTriggerPayload(moduleKey), scheduledTriggerContext())), SCHEDULED_TRIGGER_TIMEOUT_MS);
      const result = value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
      const validResponse = !!result && typeof result === 'object' && typeof (result as { statusCode?: unknown }).statusCode === 'number';
      invocation = { function: key, moduleKey, at, result, errorName: null, validResponse };
      log(LOG_EVENT, { function: key, outcome: 'returned', trigger: moduleKey, validResponse });
    } catch (error) {
      const errorName = error instanceof Error ? error.name : typeof error;
      invocation = { function: key, moduleKey, at, result: null, errorName, validResponse: false };
      log(LOG_EVENT, { function: key, outcome: 'failed', trigger: moduleKey, errorName });
    }
    triggerLog.push(invocation);
    return JSON.parse(JSON.stringify(invocation)) as TriggerInvocation;
  };

  return {
    store,
    onStoreSet: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    asApp,
    exportQueue,
    setStoreFault: (fault) => {
      storeFault = fault;
    },
    asUser: (accountId) => routerTransport(deps.router, { asAccountId: accountId }),
    seedPolicy: (policy, updatedBy = null) => {
      ready = ready.then(() => seedPolicy(store, policy, deps.clock(), updatedBy));
      return ready;
    },
    invokeValidator,
    invokePostFunction,
    invokeWebTrigger,
    webTriggerUrl: (moduleKey) => (baseUrl ? `${baseUrl}/x1/${moduleKey}` : null),
    setBaseUrl: (url) => {
      baseUrl = url;
    },
    runHistoryGate: (call) => invokeValidator('history-gate', functionValidatorPayload(call), validatorContext(call.accountId)),
    runEvidenceRecorder: (call) => invokePostFunction('evidence-recorder', postFunctionPayload(call), postFunctionContext()),
    invocations: () => ({ 'history-gate': stats['history-gate'].invocations, 'evidence-recorder': stats['evidence-recorder'].invocations, 'deployment-gate': stats['deployment-gate'].invocations }),
    stats: () => JSON.parse(JSON.stringify(stats)) as Record<SandboxFunctionKey, FunctionStats>,
    resetStats: () => {
      stats = emptyStats();
    },
    runScheduledTrigger,
    triggerInvocations: () => JSON.parse(JSON.stringify(triggerLog)) as TriggerInvocation[],
    events,
  };
};
