/**
 * The Forge runtime shim: runs the app's own workflow handlers (the history gate and the evidence
 * recorder, built with their factories) in process, with REST served by the sandbox router, an
 * in-memory KVS seeded with the sandbox's policy, and the sandbox clock. Counts invocations and
 * REST calls per function. Like the platform, a handler that throws, times out or returns
 * something unexpected never breaks the sandbox: a validator then blocks, a post function is logged.
 */
import type { Policy } from '../../domain';
import { createEvidenceRecorder, RecorderOutcome } from '../../forge/evidence-recorder';
import { createHistoryGate, ValidatorResult } from '../../forge/history-gate';
import { consoleLogger, Logger } from '../../forge/log';
import type { KeyValueStore } from '../../forge/policy-store';
import type { JiraTransport } from '../../jira/transport';
import type { SandboxRouter } from '../workflow/workflow-port';
import { functionValidatorPayload, PostFunctionCall, postFunctionContext, postFunctionPayload, ValidatorCall, validatorContext } from './forge-payloads';
import { createMemoryKvs } from './memory-kvs';
import { routerTransport } from './router-transport';
import { seedPolicy } from './stored-policy';

/** The manifest's function keys of the workflow handlers the sandbox runs. */
export const SANDBOX_FUNCTIONS = ['history-gate', 'evidence-recorder'] as const;
export type SandboxFunctionKey = (typeof SANDBOX_FUNCTIONS)[number];

/** Forge's limit per validator / post function invocation. */
export const FORGE_INVOCATION_TIMEOUT_MS = 25_000;

export interface ForgeRuntimeDeps {
  /** Getter: the router is usually created after the runtime. */
  router: () => SandboxRouter;
  clock: () => Date;
  /** App storage; default an in-memory KVS. */
  store?: KeyValueStore;
  /** Seeded into the store under `cc81:policy` before the first invocation. */
  policy?: Policy;
  /** Receives the handlers' and the shim's log lines (ids only). Default: console. */
  log?: Logger;
  timeoutMs?: number;
}

export interface FunctionStats {
  invocations: number;
  /** REST calls the function made, over all its invocations. */
  restCalls: number;
  /** Invocations that threw, timed out or returned an unexpected value. */
  failures: number;
}

export interface ForgeRuntime {
  readonly store: KeyValueStore;
  /** `forgeTransport('app')`: REST as the app. */
  asApp(): JiraTransport;
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
  /** The evidence recorder for one transition, payload built as Forge builds it. */
  runEvidenceRecorder(call: PostFunctionCall): Promise<RecorderOutcome | null>;
  /** Invocations per function since creation or the last reset. */
  invocations(): Record<SandboxFunctionKey, number>;
  stats(): Record<SandboxFunctionKey, FunctionStats>;
  resetStats(): void;
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
});

export const createForgeRuntime = (deps: ForgeRuntimeDeps): ForgeRuntime => {
  const store = deps.store ?? createMemoryKvs();
  const log = deps.log ?? consoleLogger;
  const timeoutMs = deps.timeoutMs ?? FORGE_INVOCATION_TIMEOUT_MS;
  let stats = emptyStats();
  let ready: Promise<void> = deps.policy ? seedPolicy(store, deps.policy, deps.clock()) : Promise.resolve();

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
    const gate = createHistoryGate({ transport: countedAsApp(key), store, clock: deps.clock, log });
    const answer = await invoke(key, () => gate(payload, context), isValidatorResult);
    return answer.ok ? answer.value : { result: false, errorMessage: validatorFailureMessage(key) };
  };

  const invokePostFunction: ForgeRuntime['invokePostFunction'] = async (key, payload) => {
    const recorder = createEvidenceRecorder({ transport: countedAsApp(key), store, clock: deps.clock, log });
    const answer = await invoke(key, () => recorder(payload), (value) => !!value && typeof value === 'object' && 'outcome' in value);
    return answer.ok ? answer.value : null;
  };

  return {
    store,
    asApp,
    asUser: (accountId) => routerTransport(deps.router, { asAccountId: accountId }),
    seedPolicy: (policy, updatedBy = null) => {
      ready = ready.then(() => seedPolicy(store, policy, deps.clock(), updatedBy));
      return ready;
    },
    invokeValidator,
    invokePostFunction,
    runHistoryGate: (call) => invokeValidator('history-gate', functionValidatorPayload(call), validatorContext(call.accountId)),
    runEvidenceRecorder: (call) => invokePostFunction('evidence-recorder', postFunctionPayload(call), postFunctionContext()),
    invocations: () => ({ 'history-gate': stats['history-gate'].invocations, 'evidence-recorder': stats['evidence-recorder'].invocations }),
    stats: () => JSON.parse(JSON.stringify(stats)) as Record<SandboxFunctionKey, FunctionStats>,
    resetStats: () => {
      stats = emptyStats();
    },
  };
};
