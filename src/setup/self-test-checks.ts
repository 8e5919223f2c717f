/**
 * The control self-test's verdicts, from what Jira says about the site: is the CC8.1 control
 * still in force? Pure; `run-self-test.ts` reads Jira and calls this. Every failure carries a
 * plain fix. A check that cannot run because an earlier one failed is `skipped`, never `pass`.
 */
import type { EvidenceLogCheck } from '../evidence-log/verify-logs';
import { fieldLabel, getEdge, STATES, type FieldKey, type Policy, type PolicyFieldError } from '../domain';
import type { StatusJson } from '../jira/config-client';
import type { FieldDetails, ForgeRuleOffer, JiraWorkflow, JiraWorkflowStatus, ProjectJson } from '../jira/workflow-schemas';
import type { UnrecordedReading } from '../evidence-log/unrecorded-steps';
import { SELF_TEST_CHECKS, type SelfTestCheck, type SelfTestCheckId, type SelfTestReport } from '../shared/admin-contract';
import { appRuleOffers, describeMissingOffers, type AppEnvironment } from './app-rule-modules';
import { buildWorkflowPlan } from './build-workflow-plan';
import type { ExpressionFailure, LoadedExpressionFailures } from './expression-failures';
import { sharedWorkflowMessage } from './workflow-sharing';
import { suitableFieldKeys } from './field-suitability';
import { SETUP_PROBLEM_CODES } from './setup-problems';
import { PANEL_FIELDS } from '../panel/panel-fields';

export interface SelfTestInput {
  licensed: boolean;
  policy: { ok: true; policy: Policy; version: number } | { ok: false; errors: PolicyFieldError[] };
  /** undefined: not looked up (no scope); null: Jira has no such project. */
  project: ProjectJson | null | undefined;
  statuses: readonly StatusJson[] | null;
  fields: readonly FieldDetails[] | null;
  workflow: JiraWorkflow | null | undefined;
  /** The statuses the workflow references, as Jira listed them with it. */
  workflowStatuses?: readonly JiraWorkflowStatus[];
  /** Where the workflow is used (null: not read). */
  usage?: { projectIds: readonly string[]; issueTypeIds: readonly string[] } | null;
  offers: readonly ForgeRuleOffer[] | null;
  /** This installation's app and environment; null outside Forge. */
  environment?: AppEnvironment | null;
  /** What Jira reported through `avi:jira:failed:expression` (null: not read). */
  expressionFailures?: LoadedExpressionFailures | null;
  /** The evidence logs verified this run (null: not checked); `error`: app storage could not be read. */
  evidenceLogs?: EvidenceLogCheck | { error: string } | null;
  /** Steps the recorder could not write (null: not read); `error`: app storage could not be read. */
  unrecordedSteps?: { readings: UnrecordedReading[]; more: boolean } | { error: string } | null;
  /** Reads Jira refused, by what was read: the checks that needed them fail with this reason. */
  readFailures?: Partial<Record<'statuses' | 'fields' | 'project' | 'workflow' | 'usage' | 'offers', string>>;
  trigger: SelfTestReport['trigger'];
  restCalls: number;
  now: Date;
}

const TITLES: Record<SelfTestCheckId, string> = {
  licensed: 'The app is licensed',
  'policy-readable': 'The stored policy is readable',
  'scope-set': 'A project and issue type are chosen',
  'company-managed': 'The project is company-managed',
  'statuses-exist': 'Every lifecycle state maps to an existing status',
  'fields-exist': 'Every CC8.1 field maps to an existing field of the right type',
  'workflow-found': "The change workflow is found",
  'workflow-dedicated': 'The change workflow is used by the change issue type only',
  'rules-offered': "Jira offers the app's workflow rules",
  'lifecycle-transitions': 'Every lifecycle step has a transition',
  'rules-current': "Every lifecycle transition carries the app's current rules",
  'no-bypass': 'No transition bypasses the lifecycle',
  'expression-failures': 'Jira evaluated every CC8.1 rule without errors (last 7 days)',
  'evidence-log': "The app's evidence logs are intact (hash chains verified)",
  'evidence-recording': 'Every lifecycle step reached the evidence log (none waiting for a retry or lost)',
};

const unrecordedLine = ({ key, step }: UnrecordedReading): string => {
  if (!step) return `Unreadable note ${key}.`;
  const what = `${step.edge ? `"${getEdge(step.edge).name}"` : 'A step'} on ${step.issueKey}${step.issueId ? ` (issue id ${step.issueId})` : ''}, taken ${step.at}`;
  return step.state === 'retrying'
    ? `${what}: retrying (${step.attempts} attempt${step.attempts === 1 ? '' : 's'}, last error ${step.lastErrorCode}).`
    : `${what}: lost after ${step.attempts} attempts (last error ${step.lastErrorCode}).`;
};

const evidenceRecordingVerdict = (check: SelfTestInput['unrecordedSteps']): Verdict => {
  if (!check) return skipped('The steps waiting for the evidence log were not read.');
  if ('error' in check) return fail([`The app's storage could not be read (${check.error}).`], RETRY);
  if (!check.readings.length) return pass();
  const lines = [...check.readings.slice(0, MAX_DAMAGED_LINES).map(unrecordedLine), ...(check.readings.length > MAX_DAMAGED_LINES || check.more ? ['…and more.'] : [])];
  if (check.readings.every((r) => r.step?.state === 'retrying')) {
    return warn(lines, 'Writing these steps to the evidence log failed (Jira or app storage refused); the app retries each a few times over the next half hour. Run the self-test again later.');
  }
  return fail(
    lines,
    "These steps are not in the app's evidence log: every retry failed. The issue history still shows each status change, so the checks and the audit still see them, but a post-hoc approval shows nowhere else. Record each as an exception on its ticket; a repeat means Jira or app storage keeps refusing the app (check Forge's status page and the app's logs).",
  );
};

/** Damaged logs listed at most (the panel and the audit report each one on its ticket). */
const MAX_DAMAGED_LINES = 10;

const evidenceLogVerdict = (check: SelfTestInput['evidenceLogs']): Verdict => {
  if (!check) return skipped('The evidence logs were not read.');
  if ('error' in check) return fail([`The app's storage could not be read (${check.error}).`], RETRY);
  const scope = `${check.verified} issue log${check.verified === 1 ? '' : 's'} verified${check.reachedEnd ? '' : '; the next runs verify the rest'}.`;
  const key = check.key
    ? `Evidence key (give it to auditors for cc81 audit --evidence-key): ${check.key.publicKey} (key id ${check.key.keyId}).`
    : 'No evidence key yet: the app creates it when it records the first lifecycle step.';
  const mirrors = 'compared' in check.mirrors ? `${check.mirrors.compared} evidence mirror${check.mirrors.compared === 1 ? '' : 's'} compared with the logs.` : `The mirrors were not compared: ${check.mirrors.notCompared}.`;
  const found = [...check.damaged.map((d) => `Issue id ${d.issueId}: ${d.problems.join('; ')}.`), ...check.tampered.map((t) => `Issue id ${t.issueId}: ${t.differences.join('; ')}.`)];
  if (!found.length) return { status: 'pass', details: [scope, mirrors, key], fix: null };
  const more = found.length > MAX_DAMAGED_LINES ? [`…and ${found.length - MAX_DAMAGED_LINES} more.`] : [];
  if (!check.damaged.length) {
    return fail(
      [scope, mirrors, ...found.slice(0, MAX_DAMAGED_LINES), ...more, key],
      "Someone edited the evidence shown on these issues (the cc81.evidence property). Decisions never use it, and the panel and the audit report EVIDENCE_TAMPERED on each. Ask who changed it (the issue's history does not show property edits; Jira's audit log may), and keep the tickets as they are.",
    );
  }
  return fail(
    [scope, mirrors, ...found.slice(0, MAX_DAMAGED_LINES), ...more, key],
    "Something other than the app changed its storage, or a write was lost. The panel and the audit report EVIDENCE_TAMPERED on these issues, and decisions ignore the records that do not verify. Keep the evidence as it is and contact support; do not reinstall the app (that would not restore the records).",
  );
};

/** Failures newer than this count in the self-test. */
export const EXPRESSION_FAILURE_WINDOW_DAYS = 7;
const MAX_FAILURE_LINES = 5;

const failureLine = (f: ExpressionFailure): string => {
  const rule = f.moduleKey ?? 'a CC8.1 rule';
  const where = [f.workflowName ? `workflow "${f.workflowName}"` : f.workflowId ? `workflow ${f.workflowId}` : null, f.transitionId ? `transition ${f.transitionId}` : null, f.issueId ? `issue id ${f.issueId}` : null].filter(Boolean).join(', ');
  return `${f.at}: ${rule}${f.ruleId ? ` (rule ${f.ruleId})` : ''}${where ? ` on ${where}` : ''}: ${f.errors.join(' ')}`;
};

const REINSTALL = 'Open Workflow setup on this page, review the dry run, and click "Install / refresh rules".';

type Verdict = Omit<SelfTestCheck, 'id' | 'title'>;
const pass = (): Verdict => ({ status: 'pass', details: [], fix: null });
const skipped = (why: string): Verdict => ({ status: 'skipped', details: [why], fix: null });
const fail = (details: string[], fix: string): Verdict => ({ status: 'fail', details, fix });
const warn = (details: string[], fix: string): Verdict => ({ status: 'warn', details, fix });

const RETRY = 'Run the self-test again; if Jira keeps refusing, check that the app is installed and has its permissions.';

export const evaluateSelfTest = (input: SelfTestInput): SelfTestReport => {
  const v = {} as Record<SelfTestCheckId, Verdict>;
  const failed = input.readFailures ?? {};
  v.licensed = input.licensed ? pass() : fail(['The app has no active license on this site; the admin page is read-only.'], 'Renew or start the CC8.1 Change Control subscription in Jira settings → Apps → Manage apps.');

  const policy = input.policy.ok ? input.policy.policy : null;
  v['policy-readable'] = input.policy.ok
    ? pass()
    : fail(
        input.policy.errors.map((e) => `${e.path}: ${e.message}`),
        'Open the CC8.1 admin page: it shows what is wrong. Save a corrected policy (the unreadable one is archived, not lost). Until then every CC8.1 rule blocks.',
      );
  const noPolicy = 'Needs a readable policy.';
  const scope = policy?.scope ?? null;
  v['scope-set'] = !policy ? skipped(noPolicy) : scope ? pass() : fail(['No project and issue type are chosen for change tickets.'], 'Pick the project and issue type on the admin page and save.');
  const noScope = 'Needs a project and issue type.';

  if (!scope) v['company-managed'] = skipped(noScope);
  else if (failed.project) v['company-managed'] = fail([failed.project], RETRY);
  else if (input.project === null || input.project === undefined) v['company-managed'] = fail([`Project ${scope.projectKey} (id ${scope.projectId}) was not found.`], 'Pick an existing project on the admin page and save.');
  else if (input.project.style === 'next-gen' || input.project.simplified === true)
    v['company-managed'] = fail([`${input.project.key} is a team-managed project: Forge workflow rules do not run there.`], 'Move change tickets to a company-managed project, then pick it on the admin page.');
  else v['company-managed'] = pass();

  if (policy && failed.statuses) v['statuses-exist'] = fail([failed.statuses], RETRY);
  else if (!policy || !input.statuses) v['statuses-exist'] = skipped(policy ? 'Jira did not list its statuses.' : noPolicy);
  else {
    const ids = new Set(input.statuses.map((s) => s.id));
    const problems = STATES.flatMap((state) => {
      const id = policy.statuses[state];
      if (!id) return [`${state} is not mapped to a status.`];
      return ids.has(id) ? [] : [`${state} is mapped to status ${id}, which no longer exists.`];
    });
    v['statuses-exist'] = problems.length ? fail(problems, 'Map each lifecycle state to an existing status on the admin page and save, then refresh the rules.') : pass();
  }

  if (policy && failed.fields) v['fields-exist'] = fail([failed.fields], RETRY);
  else if (!policy || !input.fields) v['fields-exist'] = skipped(policy ? 'Jira did not list its fields.' : noPolicy);
  else {
    const byId = new Map(input.fields.map((f) => [f.id, f]));
    const problems: string[] = [];
    for (const [key, id] of Object.entries(policy.fields) as [FieldKey, string | undefined][]) {
      if (!id) continue;
      const field = byId.get(id);
      if (!field) problems.push(`${fieldLabel(key)} is mapped to ${id}, which no longer exists.`);
      else if (!suitableFieldKeys(field).includes(key)) problems.push(`${fieldLabel(key)} is mapped to "${field.name}" (${id}), whose type cannot hold it.`);
    }
    for (const key of PANEL_FIELDS) if (!policy.fields[key]) problems.push(`${fieldLabel(key)} is not mapped.`);
    v['fields-exist'] = problems.length ? fail(problems, 'Map the fields on the admin page (or click "Create recommended fields") and save, then refresh the rules.') : pass();
  }

  if (!scope) v['workflow-found'] = skipped(noScope);
  else if (failed.workflow) v['workflow-found'] = fail([failed.workflow], RETRY);
  else if (!input.workflow) v['workflow-found'] = fail([`Jira returned no workflow for ${scope.projectKey} / ${scope.issueTypeName}.`], 'Check the project\'s workflow scheme maps the change issue type to a workflow.');
  else v['workflow-found'] = pass();

  const workflow = input.workflow ?? null;
  const environment = input.environment ?? null;
  const sharing = scope && input.usage ? { scope, projectIds: input.usage.projectIds, issueTypeIds: input.usage.issueTypeIds } : null;
  const sharedMessage = workflow && sharing ? sharedWorkflowMessage(workflow.name, sharing) : null;
  if (!workflow || !scope) v['workflow-dedicated'] = skipped('Needs the workflow.');
  else if (failed.usage) v['workflow-dedicated'] = fail([failed.usage], RETRY);
  else if (!sharing) v['workflow-dedicated'] = skipped('Jira did not say where the workflow is used.');
  else v['workflow-dedicated'] = sharedMessage ? fail([sharedMessage], `Give ${scope.projectKey} / ${scope.issueTypeName} its own copy of the workflow (see above), then install the rules on the copy from the admin page.`) : pass();

  if (workflow && failed.offers) v['rules-offered'] = fail([failed.offers], RETRY);
  else if (!workflow || !input.offers) v['rules-offered'] = skipped('Needs the workflow.');
  else {
    const found = appRuleOffers(input.offers, environment);
    v['rules-offered'] = found.ok
      ? pass()
      : fail([describeMissingOffers(found, workflow.name, environment)], 'Reinstall the CC8.1 app (Jira settings → Apps → Manage apps) and check that the project is company-managed.');
  }

  const plan =
    policy && workflow && input.offers && input.policy.ok && sharing && !sharedMessage
      ? buildWorkflowPlan({ policy, policyVersion: input.policy.version, workflow, statuses: input.workflowStatuses ?? [], offers: input.offers, sharing, environment })
      : null;
  if (!plan) {
    const why = sharedMessage ? 'The workflow is shared: the setup does not plan changes to it.' : 'Needs a readable policy, the workflow and the app\'s rules.';
    v['lifecycle-transitions'] = skipped(why);
    v['rules-current'] = skipped(why);
    v['no-bypass'] = skipped(why);
  } else if (plan.view.state === 'unavailable') {
    v['lifecycle-transitions'] = fail([plan.view.message], plan.view.code === SETUP_PROBLEM_CODES.statusesUnmapped || plan.view.code === SETUP_PROBLEM_CODES.statusNotInWorkflow ? 'Fix the status mapping on the admin page, then refresh the rules.' : RETRY);
    v['rules-current'] = skipped('The rules cannot be planned until the statuses are mapped.');
    v['no-bypass'] = skipped('Transitions cannot be matched to lifecycle steps until the statuses are mapped.');
  } else {
    const problems = plan.view.problems;
    const missingEdges = problems.filter((p) => p.code === SETUP_PROBLEM_CODES.edgeMissing).map((p) => p.message);
    v['lifecycle-transitions'] = missingEdges.length ? warn(missingEdges, 'Add the missing transitions to the workflow (Jira settings → Issues → Workflows), then refresh the rules.') : pass();

    const stale = plan.view.transitions.flatMap((t) =>
      t.changes.filter((c) => c.action !== 'keep').map((c) => `${t.transitionName} (${t.transitionId}): ${c.slot}${c.parts > 1 ? ` part ${c.part}` : ''} ${c.action === 'add' ? 'is missing' : c.action === 'remove' ? 'should be removed' : 'is out of date'}${c.reason ? ` — ${c.reason}` : ''}`),
    );
    const shared = problems.filter((p) => p.code === SETUP_PROBLEM_CODES.sharedTransition).map((p) => p.message);
    const unbuilt = problems.filter((p) => p.code === 'FIELD_NOT_MAPPED' || p.code === 'OVER_BUDGET').map((p) => p.message);
    v['rules-current'] = stale.length || shared.length || unbuilt.length ? fail([...stale, ...shared, ...unbuilt], REINSTALL) : pass();

    const bypass = problems.filter((p) => p.code === SETUP_PROBLEM_CODES.globalTransition || p.code === SETUP_PROBLEM_CODES.notInLifecycle).map((p) => p.message);
    v['no-bypass'] = bypass.length
      ? fail(bypass, 'Edit the workflow (Jira settings → Issues → Workflows): delete global transitions and transitions that are not CC8.1 lifecycle steps, then run the self-test again.')
      : pass();
  }

  const failures = input.expressionFailures ?? null;
  if (!failures) v['expression-failures'] = skipped('The failures Jira reported were not read.');
  else if (!failures.ok) v['expression-failures'] = warn(['The stored list of expression failures is unreadable; the next failure Jira reports replaces it.'], 'Nothing to do unless it persists; then reinstall the rules from the admin page.');
  else {
    const since = input.now.getTime() - EXPRESSION_FAILURE_WINDOW_DAYS * 24 * 3_600_000;
    const recent = failures.stored.failures.filter((f) => Date.parse(f.at) >= since);
    const more = recent.length > MAX_FAILURE_LINES ? [`…and ${recent.length - MAX_FAILURE_LINES} more.`] : [];
    v['expression-failures'] = recent.length
      ? fail(
          [...recent.slice(0, MAX_FAILURE_LINES).map(failureLine), ...more],
          'Jira could not evaluate these CC8.1 rules, so it hid (conditions) or blocked (validators) those transitions. Check that every mapped field still exists (Fields, above), then open Workflow setup and click "Install / refresh rules" to reinstall rules compiled for the current fields. If failures continue, send the rule ids above to support.',
        )
      : pass();
  }

  v['evidence-log'] = evidenceLogVerdict(input.evidenceLogs);
  v['evidence-recording'] = evidenceRecordingVerdict(input.unrecordedSteps);

  const checks = SELF_TEST_CHECKS.map((id) => ({ id, title: TITLES[id], ...v[id] }));
  return { ranAt: input.now.toISOString(), trigger: input.trigger, ok: checks.every((c) => c.status === 'pass' || c.status === 'warn'), checks, restCalls: input.restCalls };
};
