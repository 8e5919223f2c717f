/**
 * Runs the control self-test against Jira: reads the project, statuses, fields, the change
 * workflow and the Forge rules Jira offers, then judges them (`evaluateSelfTest`). A read Jira
 * refuses does not abort the run: what depended on it fails with the reason, so the report always
 * says whether the control can be trusted.
 */
import type { Policy, PolicyFieldError } from '../domain';
import type { ConfigClient } from '../jira/config-client';
import type { SelfTestReport } from '../shared/admin-contract';
import { isAppError } from '../shared/app-error';
import type { AppEnvironment } from './app-rule-modules';
import type { LoadedExpressionFailures } from './expression-failures';
import type { UnrecordedReading } from '../evidence-log/unrecorded-steps';
import { evaluateSelfTest, type SelfTestInput } from './self-test-checks';
import type { EvidenceLogCheck } from '../evidence-log/verify-logs';

export interface SelfTestRunInput {
  config: ConfigClient;
  policy: { ok: true; policy: Policy; version: number } | { ok: false; errors: PolicyFieldError[] };
  licensed: boolean;
  trigger: SelfTestReport['trigger'];
  now: Date;
  /** REST calls made so far by this run (read after the run). */
  restCalls: () => number;
  /** This installation's app and environment (Forge runtime); null or absent outside Forge. */
  environment?: AppEnvironment | null;
  /** The failures Jira reported for the app's expressions (KVS); absent: not checked. */
  expressionFailures?: LoadedExpressionFailures | null;
  /** Verifies a page of the evidence logs (`verifyEvidenceLogs`); absent: not checked. */
  verifyLogs?: () => Promise<EvidenceLogCheck>;
  /** Lists the steps the recorder could not write (`listUnrecordedSteps`); absent: not checked. */
  listUnrecorded?: () => Promise<{ readings: UnrecordedReading[]; more: boolean }>;
}

type Reads = NonNullable<SelfTestInput['readFailures']>;

/** A read's value, or null with the reason in words (the reason names the endpoint, never data). Platform errors and bugs propagate. */
const read = async <T>(what: keyof Reads, fn: () => Promise<T>, failures: Reads): Promise<T | null> => {
  try {
    return await fn();
  } catch (error) {
    if (!isAppError(error)) throw error;
    failures[what] = `Could not read ${what} from Jira (${error.message}). Run the self-test again; if it keeps failing, check the app's access.`;
    return null;
  }
};

/** An app-storage read of the self-test: its answer, `{ error }` naming what failed, or null when not asked for. */
const readStorage = async <T>(read: (() => Promise<T>) | undefined): Promise<T | { error: string } | null> => {
  if (!read) return null;
  try {
    return await read();
  } catch (error) {
    return { error: error instanceof Error ? error.name : 'unknown error' };
  }
};

export const runSelfTest = async (input: SelfTestRunInput): Promise<SelfTestReport> => {
  const { config } = input;
  const failures: Reads = {};
  const scope = input.policy.ok ? input.policy.policy.scope : null;
  const statuses = await read('statuses', () => config.listStatuses(), failures);
  const fields = await read('fields', () => config.listFields(), failures);
  let project: SelfTestInput['project'];
  let workflow: SelfTestInput['workflow'];
  let workflowStatuses: SelfTestInput['workflowStatuses'] = [];
  let usage: SelfTestInput['usage'] = null;
  let offers: SelfTestInput['offers'] = null;
  if (scope) {
    project = await read('project', () => config.getProject(scope.projectId), failures);
    const found = await read('workflow', () => config.readWorkflow(scope.projectId, scope.issueTypeId), failures);
    workflow = found?.workflow ?? null;
    workflowStatuses = found?.statuses ?? [];
    if (workflow) {
      const id = workflow.id;
      usage = await read('usage', () => config.workflowUsage(id, scope.projectId), failures);
      offers = await read('offers', () => config.forgeRuleOffers(id), failures);
    }
  }
  const evidenceLogs = await readStorage(input.verifyLogs);
  const unrecordedSteps = await readStorage(input.listUnrecorded);
  return evaluateSelfTest({
    evidenceLogs,
    unrecordedSteps,
    licensed: input.licensed,
    policy: input.policy,
    project,
    statuses,
    fields,
    workflow,
    workflowStatuses,
    usage,
    offers,
    environment: input.environment ?? null,
    expressionFailures: input.expressionFailures ?? null,
    readFailures: failures,
    trigger: input.trigger,
    restCalls: input.restCalls(),
    now: input.now,
  });
};
