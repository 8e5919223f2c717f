/**
 * Runs the control self-test against Jira: reads the project, statuses, fields, the change
 * workflow and the Forge rules Jira offers, then judges them (`evaluateSelfTest`). A read Jira
 * refuses does not abort the run: what depended on it fails with the reason, so the report always
 * says whether the control can be trusted.
 */
import type { Policy, PolicyFieldError } from '../domain';
import type { ConfigClient } from '../jira/config-client';
import type { SelfTestReport } from '../shared/admin-contract';
import { evaluateSelfTest, type SelfTestInput } from './self-test-checks';

export interface SelfTestRunInput {
  config: ConfigClient;
  policy: { ok: true; policy: Policy; version: number } | { ok: false; errors: PolicyFieldError[] };
  licensed: boolean;
  trigger: SelfTestReport['trigger'];
  now: Date;
  /** REST calls made so far by this run (read after the run). */
  restCalls: () => number;
}

type Reads = NonNullable<SelfTestInput['readFailures']>;

/** A read's value, or null with the reason in words (the reason names the endpoint, never data). */
const read = async <T>(what: keyof Reads, fn: () => Promise<T>, failures: Reads): Promise<T | null> => {
  try {
    return await fn();
  } catch (error) {
    failures[what] = `Could not read ${what} from Jira (${error instanceof Error ? error.message : 'unknown error'}). Run the self-test again; if it keeps failing, check the app's access.`;
    return null;
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
  let offers: SelfTestInput['offers'] = null;
  if (scope) {
    project = await read('project', () => config.getProject(scope.projectId), failures);
    const found = await read('workflow', () => config.readWorkflow(scope.projectId, scope.issueTypeId), failures);
    workflow = found?.workflow ?? null;
    if (workflow) offers = await read('offers', () => config.forgeRuleOffers(workflow!.id), failures);
  }
  return evaluateSelfTest({ licensed: input.licensed, policy: input.policy, project, statuses, fields, workflow, offers, readFailures: failures, trigger: input.trigger, restCalls: input.restCalls(), now: input.now });
};
