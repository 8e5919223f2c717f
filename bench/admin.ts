/*
 * Admin page benchmark: `npm run bench:admin`. On the sandbox's bare site, the admin's path from a
 * bare project to an enforced workflow, through the app's real admin resolver: REST calls and
 * invocations per action (one resolver call is one invocation), and the CPU time of the workflow
 * dry run on the installed workflow. Prints figures; asserts nothing.
 */
import { STATES } from '../src/domain';
import { createAdminResolver } from '../src/forge/create-admin-resolver';
import { loadPolicy } from '../src/policy/policy-store';
import { countingTransport } from '../src/jira/transport';
import { DEMO_USERS } from '../sandbox/demo/demo-users';
import { sandboxPlanContext } from '../sandbox/state/app-rules-install';
import { startSandbox } from '../sandbox/start-sandbox';
import { buildWorkflowPlan } from '../src/setup/build-workflow-plan';
import { RESOLVER_KEYS } from '../src/shared/resolver-keys';
import type { AdminResult, AdminState, WorkflowPlanView } from '../src/shared/admin-contract';
import { fmt, median, timeRuns } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 51);
/** What each action reads and writes (admin check = `mypermissions` as the user). */
const CALLS: Record<string, string> = {
  getAdminState: 'admin check, projects, statuses, fields (+ workflow, its project and issue-type usages, capabilities once a scope is saved)',
  createRecommendedFields: 'admin check, fields, a create per field (+ context, options read, options create per select list), then the state',
  savePolicy: 'admin check, fields, statuses, then the state (projects, workflow, usages, capabilities; lists read once)',
  planWorkflowSetup: 'admin check, workflow, project and issue-type usages, capabilities, projects',
  applyWorkflowSetup: 'admin check, workflow, usages, capabilities, projects, expression/analyse (20 expressions a call), one workflows/update, then the state',
  runSelfTest: 'admin check, statuses, fields, project, workflow, project and issue-type usages, capabilities',
};

const main = async () => {
  const quiet = () => undefined;
  const sandbox = await startSandbox({ port: 0, site: 'bare', triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: quiet, forgeRuntime: { log: quiet } });
  const id = DEMO_USERS.admin.accountId;
  const rows: [string, number, number][] = [];
  const invoke = async <T = AdminState>(key: string, payload: unknown = {}): Promise<T> => {
    const user = countingTransport(sandbox.runtime.asUser(id));
    const app = countingTransport(sandbox.runtime.asApp());
    const handler = createAdminResolver({ userTransport: user.transport, appTransport: app.transport, store: sandbox.runtime.store, clock: () => new Date(), exportQueue: sandbox.runtime.exportQueue, log: quiet });
    const started = performance.now();
    const result = (await handler({ call: { functionKey: key, payload }, context: {} }, { principal: { accountId: id } })) as AdminResult<T>;
    rows.push([key, user.count() + app.count(), performance.now() - started]);
    if (!result.ok) throw new Error(`${key}: ${result.error.message}`);
    return result.data;
  };
  const K = RESOLVER_KEYS.admin;
  let state = await invoke(K.getAdminState);
  state = (await invoke<{ state: AdminState }>(K.createRecommendedFields, { baseVersion: 0 })).state;
  if (state.policy.state !== 'saved') throw new Error('no policy');
  const project = state.site.projects[0]!;
  const statuses = Object.fromEntries(STATES.map((s) => [s, state.site.statuses.find((x) => x.name === s)!.id]));
  const scope = { projectId: project.id, projectKey: project.key, issueTypeId: project.issueTypes[0]!.id, issueTypeName: project.issueTypes[0]!.name };
  state = await invoke(K.savePolicy, { policy: { ...state.policy.policy, scope, statuses }, baseVersion: state.policy.version });
  const plan = await invoke<WorkflowPlanView>(K.planWorkflowSetup);
  if (plan.state !== 'ready') throw new Error(plan.message);
  await invoke(K.applyWorkflowSetup, { workflowVersionId: plan.workflow.versionId, policyVersion: plan.policyVersion });
  await invoke(K.runSelfTest);

  // CPU of the pure parts, on the installed workflow (the self-test rebuilds the same plan).
  const { policy, version } = await loadPolicy(sandbox.runtime.store);
  const planMs = median(timeRuns(RUNS, 5, () => void buildWorkflowPlan({ policy, policyVersion: version, ...sandboxPlanContext(sandbox.state) })));
  const transitions = sandbox.state.workflow.transitions.length;
  await sandbox.close();

  console.log(`admin path on the bare site (${transitions} transitions); one resolver call = one invocation`);
  console.log('action                      REST calls  wall ms  what it calls');
  for (const [key, calls, ms] of rows) console.log(`${key.padEnd(26)}${String(calls).padStart(11)}${fmt(ms, 0)}  ${CALLS[key] ?? ''}`);
  console.log(`\nworkflow dry run (buildWorkflowPlan, ${transitions} transitions), median of ${RUNS}: ${planMs.toFixed(2)} ms`);
  console.log('(no baseline: issue 7 names none; every action is one invocation, far inside the 25 s limit)');
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
