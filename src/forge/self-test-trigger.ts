/**
 * The daily scheduled trigger (`cc81-self-test`): runs the control self-test as the app and keeps
 * the report where the admin page shows it. Never throws: a run that fails is logged by name and
 * the last stored report stays.
 */
import { z } from 'zod';
import { createConfigClient } from '../jira/config-client';
import { countingTransport, type JiraTransport } from '../jira/transport';
import type { AppEnvironment } from '../setup/app-rule-modules';
import { loadExpressionFailures } from '../setup/expression-failures';
import { runSelfTest } from '../setup/run-self-test';
import { SELF_TEST_KEY } from './create-admin-resolver';
import { consoleLogger, type Logger } from '../ports/logger';
import { readCurrentPolicy } from '../policy/policy-history';
import type { LedgerStore } from '../ports/ledger-store';
import { searchMirrors, verifyEvidenceLogs } from '../evidence-log/verify-logs';
import { listUnrecordedSteps, UNRECORDED_LISTED } from '../evidence-log/unrecorded-steps';

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface SelfTestTriggerDeps {
  transport: JiraTransport;
  store: LedgerStore;
  clock: () => Date;
  /** How a 429 is waited out (default a real wait). */
  sleep?: (ms: number) => Promise<void>;
  log?: Logger;
  /** This installation's app and environment (Forge runtime); absent outside Forge. */
  environment?: () => AppEnvironment | null;
}

const LOG_EVENT = 'cc81-self-test';

/** Forge sends `license` only for paid apps; the manifest's `appIsLicensed` filter skips unlicensed sites. */
const TriggerContextSchema = z.object({ license: z.object({ isActive: z.boolean().nullish() }).nullish() }).loose();

export const createSelfTestTrigger =
  (deps: SelfTestTriggerDeps) =>
  async (_request?: unknown, context?: unknown): Promise<{ statusCode: 204 }> => {
    const log = deps.log ?? consoleLogger;
    const counted = countingTransport(deps.transport);
    try {
      const parsed = TriggerContextSchema.safeParse(context ?? {});
      const current = await readCurrentPolicy(deps.store);
      const report = await runSelfTest({
        config: createConfigClient(counted.transport, { now: deps.clock }),
        policy: current.state === 'ok' ? { ok: true, policy: current.loaded.policy, version: current.loaded.version } : { ok: false, errors: current.error.fieldErrors ?? [{ path: '(stored policy)', message: current.error.message }] },
        licensed: parsed.success ? parsed.data.license?.isActive !== false : true,
        trigger: 'scheduled',
        now: deps.clock(),
        restCalls: counted.count,
        environment: deps.environment?.() ?? null,
        expressionFailures: await loadExpressionFailures(deps.store),
        verifyLogs: () => verifyEvidenceLogs(deps.store, { readMirrors: searchMirrors(counted.transport, deps.sleep ?? realSleep), now: deps.clock() }),
        listUnrecorded: () => listUnrecordedSteps(deps.store, UNRECORDED_LISTED),
      });
      await deps.store.set(SELF_TEST_KEY, report);
      log(LOG_EVENT, { outcome: report.ok ? 'ok' : 'findings', failed: report.checks.filter((c) => c.status === 'fail').length, restCalls: counted.count() });
    } catch (error) {
      // A scheduled trigger runs as the app: no user-consent prompt (NeedsAuthenticationError) here.
      log(LOG_EVENT, { outcome: 'error', errorName: error instanceof Error ? error.name : typeof error, restCalls: counted.count() });
    }
    return { statusCode: 204 };
  };
