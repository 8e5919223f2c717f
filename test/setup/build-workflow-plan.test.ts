import { getEdge, type EdgeId } from '../../src/domain';
import { compileEdge } from '../../src/domain/expression';
import { appRuleOffers, type AppRuleOffers } from '../../src/setup/app-rule-modules';
import { buildWorkflowPlan, installedAppRules, newRuleId, type WorkflowPlanInput } from '../../src/setup/build-workflow-plan';
import { desiredEdgeRules } from '../../src/setup/desired-rules';
import type { JiraWorkflow, WorkflowRule, WorkflowTransition } from '../../src/jira/workflow-schemas';
import { aMappedPolicy, STATUS_IDS } from '../builders/mapped-policy.builder';
import { anOfferList, applied, APP_ARI, APP_ENVIRONMENT, aSharing, aWorkflow, OTHER_ENV_ARI, planContext, workflowStatusList } from '../builders/workflow.builder';
import { checkAgainst, findOperation, requestSchema } from '../fakes/openapi';

const policy = aMappedPolicy();
const input = (overrides: Partial<WorkflowPlanInput> = {}): WorkflowPlanInput => ({ policy, policyVersion: 3, workflow: aWorkflow(policy), ...planContext(policy), ...overrides });
const ours = (): AppRuleOffers => {
  const found = appRuleOffers(anOfferList(), APP_ENVIRONMENT);
  if (!found.ok) throw new Error('the builder offers every module');
  return found.offers;
};

/** Every rule on a transition, wherever it sits. */
const rulesOf = (t: WorkflowTransition): WorkflowRule[] => {
  const walk = (g: WorkflowTransition['conditions']): WorkflowRule[] => (g ? [...(g.conditions ?? []), ...(g.conditionGroups ?? []).flatMap(walk)] : []);
  return [...walk(t.conditions), ...(t.validators ?? []), ...(t.actions ?? [])];
};

const ready = (plan: ReturnType<typeof buildWorkflowPlan>) => {
  if (plan.view.state !== 'ready') throw new Error(`plan unavailable: ${plan.view.message}`);
  return plan.view;
};

/** Installs the plan's update and returns the resulting workflow. */
const install = (i: WorkflowPlanInput): JiraWorkflow => {
  const plan = buildWorkflowPlan(i);
  if (!plan.update) return i.workflow;
  return applied(i.workflow, plan.update.workflows[0]!.transitions);
};

const transitionOf = (workflow: JiraWorkflow, edge: EdgeId): WorkflowTransition => workflow.transitions.find((t) => t.name === getEdge(edge).name && t.toStatusReference === STATUS_IDS[getEdge(edge).to])!;

describe('buildWorkflowPlan', () => {
  it('on a bare workflow adds every rule each lifecycle edge needs, and nothing on the initial transition', () => {
    const plan = buildWorkflowPlan(input());
    const view = ready(plan);
    expect(view.upToDate).toBe(false);
    expect(view.transitions).toHaveLength(16); // the 16 edges of the README lifecycle table
    for (const t of view.transitions) {
      const desired = desiredEdgeRules(policy, 3, t.edges[0]!);
      expect(t.changes.map((c) => [c.action, c.slot, c.part])).toEqual(desired.map((d) => ['add', d.slot, d.part]));
    }
    const update = plan.update!.workflows[0]!;
    expect(update.version).toEqual({ id: 'v-1', versionNumber: 1 });
    expect(update.transitions.find((t) => t.type === 'INITIAL')).toEqual(aWorkflow(policy).transitions[0]);
  });

  it('installs the compiled expressions as RuleConfig JSON under the offered ARIs, conditions combined with ALL', () => {
    const workflow = install(input());
    const approve = transitionOf(workflow, 'approve');
    const conditions = approve.conditions!.conditions!;
    expect(approve.conditions!.operation).toBe('ALL');
    const compiled = compileEdge(policy, 'approve', 'condition');
    if (!compiled.ok) throw new Error('approve condition does not compile');
    expect(conditions.map((c) => JSON.parse(c.parameters!.config!).expression)).toEqual(compiled.rules.map((r) => r.expression));
    expect(conditions.every((c) => c.ruleKey === 'forge:expression-condition' && c.parameters!.key === `${APP_ARI}/cc81-transition-condition`)).toBe(true);
    const implement = transitionOf(workflow, 'implement');
    expect(implement.validators!.map((v) => v.parameters!.key)).toContain(`${APP_ARI}/cc81-history-gate`);
    expect(implement.actions!.map((a) => a.parameters!.key)).toEqual([`${APP_ARI}/cc81-evidence-recorder`]);
  });

  it('is idempotent: after installing, the plan is up to date and sends nothing', () => {
    const workflow = install(input());
    const again = buildWorkflowPlan(input({ workflow }));
    expect(ready(again).upToDate).toBe(true);
    expect(ready(again).changedTransitions).toBe(0);
    expect(again.update).toBeNull();
    expect(ready(again).transitions.every((t) => t.changes.every((c) => c.action === 'keep'))).toBe(true);
  });

  it('marks rules stale after a policy change and refreshes only what changed, keeping rule ids', () => {
    const workflow = install(input());
    const withIds: JiraWorkflow = { ...workflow, transitions: workflow.transitions.map((t) => ({ ...t, validators: (t.validators ?? []).map((v, i) => ({ ...v, id: `${t.id}-v${i}` })) })) };
    const changed = aMappedPolicy({ cab: { requiredForRisks: ['high'], groupName: 'cab', memberAccountIds: [] } });
    const plan = buildWorkflowPlan(input({ policy: changed, policyVersion: 4, workflow: withIds }));
    const view = ready(plan);
    const approve = view.transitions.find((t) => t.edges.includes('approve'))!;
    expect(approve.changes.filter((c) => c.action === 'update').length).toBeGreaterThan(0);
    expect(approve.changes.find((c) => c.action === 'update')!.reason).toMatch(/policy v3/);
    const next = applied(withIds, plan.update!.workflows[0]!.transitions);
    const approveValidators = transitionOf(next, 'approve').validators!;
    expect(approveValidators[0]!.id).toBe(`${transitionOf(withIds, 'approve').id}-v0`);
    expect(ready(buildWorkflowPlan(input({ policy: changed, policyVersion: 4, workflow: next }))).upToDate).toBe(true);
  });

  it('restores a deleted rule and removes a rule the policy no longer needs', () => {
    const workflow = install(input());
    const close = transitionOf(workflow, 'close');
    const broken: JiraWorkflow = {
      ...workflow,
      transitions: workflow.transitions.map((t) => (t.id === close.id ? { ...t, validators: t.validators!.slice(1) } : t.id === transitionOf(workflow, 'sendBack').id ? { ...t, actions: close.actions } : t)),
    };
    const view = ready(buildWorkflowPlan(input({ workflow: broken })));
    expect(view.transitions.find((t) => t.transitionId === close.id)!.changes.filter((c) => c.action === 'add')).toHaveLength(1);
    expect(view.transitions.find((t) => t.edges.includes('sendBack'))!.changes).toEqual([expect.objectContaining({ action: 'remove', slot: 'evidence-recorder' })]);
    expect(view.changedTransitions).toBe(2);
  });

  it('keeps other apps\' rules and wraps an ANY group so it cannot OR the app\'s conditions away', () => {
    const foreign = { ruleKey: 'system:check-permission', parameters: { permissionKey: 'ADMINISTER_PROJECTS' } };
    const base = aWorkflow(policy);
    const approveId = transitionOf(base, 'approve').id;
    const workflow: JiraWorkflow = {
      ...base,
      transitions: base.transitions.map((t) => (t.id === approveId ? { ...t, conditions: { operation: 'ANY' as const, conditions: [foreign] }, validators: [foreign], actions: [foreign] } : t)),
    };
    const next = install(input({ workflow }));
    const approve = transitionOf(next, 'approve');
    expect(approve.conditions!.operation).toBe('ALL');
    expect(approve.conditions!.conditionGroups).toEqual([{ operation: 'ANY', conditions: [foreign], conditionGroups: [] }]);
    expect(approve.validators![0]).toEqual(foreign);
    expect(approve.actions![0]).toEqual(foreign);
    expect(installedAppRules(approve, ours()).condition.length).toBeGreaterThan(0);
  });

  it('reports a global transition and a link outside the lifecycle, and leaves them alone', () => {
    const global: WorkflowTransition = { id: '901', name: 'Approve now', type: 'GLOBAL', toStatusReference: STATUS_IDS.Approved!, links: [] };
    const stray: WorkflowTransition = { id: '902', name: 'Fast track', type: 'DIRECTED', toStatusReference: STATUS_IDS.Scheduled!, links: [{ fromStatusReference: STATUS_IDS.Assessment! }] };
    const plan = buildWorkflowPlan(input({ workflow: aWorkflow(policy, [global, stray]) }));
    const view = ready(plan);
    expect(view.problems.map((p) => [p.code, p.transitionId])).toEqual(expect.arrayContaining([['GLOBAL_TRANSITION', '901'], ['NOT_IN_LIFECYCLE', '902']]));
    expect(plan.update!.workflows[0]!.transitions.find((t) => t.id === '901')).toEqual(global);
    expect(view.problems.find((p) => p.transitionId === '902')!.message).toMatch(/Assessment → Scheduled, which is not a CC8.1 lifecycle step/);
    expect(view.transitions.find((t) => t.transitionId === '902')).toBeUndefined();
  });

  it('refuses a transition shared by edges that need different rules', () => {
    const shared: WorkflowTransition = { id: '903', name: 'Move on', type: 'DIRECTED', toStatusReference: STATUS_IDS.Implemented!, links: [{ fromStatusReference: STATUS_IDS.Scheduled! }, { fromStatusReference: STATUS_IDS.Draft! }] };
    const view = ready(buildWorkflowPlan(input({ workflow: aWorkflow(policy, [shared]) })));
    expect(view.problems).toContainEqual(expect.objectContaining({ code: 'SHARED_TRANSITION', transitionId: '903' }));
    expect(view.transitions.find((t) => t.transitionId === '903')).toBeUndefined();
  });

  it('installs fail-closed rules when a field the edge needs is not mapped', () => {
    const partial = aMappedPolicy({ fields: { summary: 'summary', justification: 'description', requester: 'reporter' } });
    const plan = buildWorkflowPlan(input({ policy: partial }));
    const view = ready(plan);
    expect(view.problems.some((p) => p.code === 'FIELD_NOT_MAPPED')).toBe(true);
    const submit = transitionOf(applied(aWorkflow(partial), plan.update!.workflows[0]!.transitions), 'submit');
    const config = JSON.parse(submit.validators![0]!.parameters!.config!);
    expect(JSON.parse(config.expression)).toMatch(/is blocked: its CC8.1 rule could not be built/);
  });

  it.each([
    ['a module Jira does not offer', { offers: anOfferList(['condition', 'validator', 'evidence-recorder']) }, 'RULES_NOT_OFFERED'],
    ['an unmapped status', { policy: aMappedPolicy({ statuses: { Draft: '10000' } }) }, 'STATUSES_UNMAPPED'],
  ] as const)('is unavailable with %s', (_name, overrides, code) => {
    const plan = buildWorkflowPlan(input(overrides as Partial<WorkflowPlanInput>));
    expect(plan.view).toEqual(expect.objectContaining({ state: 'unavailable', code }));
    expect(plan.update).toBeNull();
  });

  it('reports a lifecycle edge with no transition', () => {
    const base = aWorkflow(policy);
    const view = ready(buildWorkflowPlan(input({ workflow: { ...base, transitions: base.transitions.filter((t) => t.name !== getEdge('reassess').name) } })));
    expect(view.problems).toContainEqual(expect.objectContaining({ code: 'EDGE_MISSING', message: expect.stringContaining('Re-assess') }));
  });

  it.each([
    ['another project', { projectIds: ['10001'] }, /used by project OPS\b/],
    ['another issue type of the project', { issueTypeIds: ['10006'] }, /used by Bug in CHG/],
  ])('refuses a workflow shared with %s, and says to make a dedicated copy', (_name, extra, names) => {
    const sharing = { ...aSharing(extra), projectKeys: new Map([['10001', 'OPS']]), issueTypeNames: new Map([['10006', 'Bug']]) };
    const plan = buildWorkflowPlan(input({ sharing }));
    expect(plan.view).toEqual({ state: 'unavailable', code: 'WORKFLOW_SHARED', message: expect.stringMatching(names) });
    expect(plan.view.state === 'unavailable' && plan.view.message).toMatch(/copy "Change workflow".*assign the copy to the Change issue type only/);
    expect(plan.update).toBeNull();
    expect(plan.expressions).toEqual([]);
  });

  it('sends the full update request: top-level statuses for every status the workflow uses, conforming to the OpenAPI document', () => {
    const update = buildWorkflowPlan(input()).update!;
    expect(update.statuses.map((st) => st.statusReference)).toEqual(update.workflows[0]!.statuses.map((st) => st.statusReference));
    expect(update.statuses).toEqual(workflowStatusList(policy).map(({ id, name, statusReference, statusCategory }) => ({ id, name, statusReference, statusCategory })));
    const op = findOperation('POST', '/rest/api/3/workflows/update')!;
    expect(checkAgainst(requestSchema(op)!, update)).toEqual([]);
    // The check bites: without the top-level statuses' required fields the document refuses it.
    expect(checkAgainst(requestSchema(op)!, { ...update, statuses: [{ statusReference: 'x' }] }).map((d) => d.path)).toEqual(['$.statuses[0].name', '$.statuses[0].statusCategory']);
  });

  it('is unavailable when Jira did not list a status the workflow uses (the update could not name it)', () => {
    const plan = buildWorkflowPlan(input({ statuses: workflowStatusList(policy).slice(1) }));
    expect(plan.view).toEqual(expect.objectContaining({ state: 'unavailable', code: 'STATUS_NOT_LISTED' }));
  });

  it('gives every new rule a stable, unique UUID and keeps the ids Jira gave installed rules', () => {
    const first = buildWorkflowPlan(input()).update!;
    const ids = first.workflows[0]!.transitions.flatMap(rulesOf).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(20);
    expect(ids.every((id) => typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(buildWorkflowPlan(input()).update!.workflows[0]!.transitions.flatMap(rulesOf).map((r) => r.id)).toEqual(ids);
    expect(newRuleId('v-2', '21', 'condition', 1)).not.toBe(newRuleId('v-1', '21', 'condition', 1));
  });

  it("leaves the same app's rules of another environment (dev/staging/prod on one site) untouched, as foreign rules", () => {
    const otherEnv = { appId: APP_ENVIRONMENT.appId, environmentId: 'env-2' };
    const bothOffered = [...anOfferList(), ...anOfferList(undefined, OTHER_ENV_ARI)];
    // The other environment installed its rules (for an older policy) first.
    const theirs = buildWorkflowPlan(input({ policyVersion: 1, offers: bothOffered, environment: otherEnv }));
    const withTheirs = applied(aWorkflow(policy), theirs.update!.workflows[0]!.transitions);
    const theirRules = withTheirs.transitions.flatMap(rulesOf);
    expect(theirRules.every((r) => r.parameters!.key!.startsWith(OTHER_ENV_ARI))).toBe(true);

    const plan = buildWorkflowPlan(input({ workflow: withTheirs, offers: bothOffered }));
    const view = ready(plan);
    expect(view.transitions.flatMap((t) => t.changes).every((c) => c.action === 'add')).toBe(true);
    const after = applied(withTheirs, plan.update!.workflows[0]!.transitions);
    const afterRules = after.transitions.flatMap(rulesOf);
    expect(afterRules.filter((r) => r.parameters!.key!.startsWith(OTHER_ENV_ARI))).toEqual(theirRules);
    expect(afterRules.filter((r) => r.parameters!.key!.startsWith(APP_ARI)).length).toBe(theirRules.length);
    // Installed, this environment is up to date; the other one's rules are still there.
    expect(ready(buildWorkflowPlan(input({ workflow: after, offers: bothOffered }))).upToDate).toBe(true);
  });

  it('refuses rather than guesses when several environments offer the rules and its own is unknown, or its own is not offered', () => {
    const bothOffered = [...anOfferList(), ...anOfferList(undefined, OTHER_ENV_ARI)];
    const unknown = buildWorkflowPlan(input({ offers: bothOffered, environment: null }));
    expect(unknown.view).toEqual(expect.objectContaining({ state: 'unavailable', code: 'RULES_NOT_OFFERED', message: expect.stringMatching(/Several installations of the app/) }));
    expect(ready(buildWorkflowPlan(input({ environment: null }))).upToDate).toBe(false);
    const notOurs = buildWorkflowPlan(input({ offers: anOfferList(undefined, OTHER_ENV_ARI) }));
    expect(notOurs.view).toEqual(expect.objectContaining({ state: 'unavailable', code: 'RULES_NOT_OFFERED', message: expect.stringMatching(/environment env-1/) }));
  });

  it('lists every compiled expression of the planned workflow for Jira to analyse', () => {
    const plan = buildWorkflowPlan(input());
    const approve = compileEdge(policy, 'approve', 'validator');
    if (!approve.ok) throw new Error('approve validator does not compile');
    const approveId = transitionOf(aWorkflow(policy), 'approve').id;
    expect(plan.expressions.filter((e) => e.transitionId === approveId && e.slot === 'validator').map((e) => e.expression)).toEqual(approve.rules.map((r) => r.expression));
    expect(new Set(plan.expressions.map((e) => e.slot))).toEqual(new Set(['condition', 'validator']));
  });
});
