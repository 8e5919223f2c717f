import fc from 'fast-check';
import type { JiraWorkflow, WorkflowRule } from '../../src/jira/workflow-schemas';
import { buildWorkflowPlan } from '../../src/setup/build-workflow-plan';
import { slotOfRuleKey } from '../../src/setup/app-rule-modules';
import { aMappedPolicy } from '../builders/mapped-policy.builder';
import { applied, aWorkflow, planContext } from '../builders/workflow.builder';

const context = planContext(aMappedPolicy());
const policies = [aMappedPolicy(), aMappedPolicy({ cab: { requiredForRisks: ['high'], groupName: 'g', memberAccountIds: [] }, windowEnforcement: 'flag' })];

const install = (workflow: JiraWorkflow, policyIndex: number, version: number): JiraWorkflow => {
  const plan = buildWorkflowPlan({ policy: policies[policyIndex]!, policyVersion: version, workflow, ...context });
  return plan.update ? applied(workflow, plan.update.workflows[0]!.transitions) : workflow;
};

const foreign = (n: number): WorkflowRule => ({ ruleKey: 'system:other', parameters: { n: String(n) } });
const allRules = (w: JiraWorkflow): WorkflowRule[] => w.transitions.flatMap((t) => [...(t.conditions?.conditions ?? []), ...(t.conditions?.conditionGroups ?? []).flatMap((g) => g.conditions ?? []), ...(t.validators ?? []), ...(t.actions ?? [])]);

/** A random edit an admin (or an accident) makes to an installed workflow. */
const damage = fc.record({
  transition: fc.nat(),
  kind: fc.constantFrom('drop-validator', 'drop-condition', 'drop-action', 'add-foreign', 'corrupt-config'),
  n: fc.nat(1000),
});

describe('workflow setup properties', () => {
  it('after any damage and any policy, one install makes the plan up to date, and never drops a foreign rule', () => {
    fc.assert(
      fc.property(fc.array(damage, { maxLength: 8 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), (edits, before, after) => {
        let workflow = install(aWorkflow(policies[0]!), before, 1);
        for (const edit of edits) {
          const i = 1 + (edit.transition % (workflow.transitions.length - 1));
          const t = workflow.transitions[i]!;
          const next = { ...t };
          if (edit.kind === 'drop-validator') next.validators = (t.validators ?? []).slice(1);
          if (edit.kind === 'drop-condition') next.conditions = t.conditions ? { ...t.conditions, conditions: (t.conditions.conditions ?? []).slice(1) } : null;
          if (edit.kind === 'drop-action') next.actions = [];
          if (edit.kind === 'add-foreign') next.validators = [...(t.validators ?? []), foreign(edit.n)];
          if (edit.kind === 'corrupt-config') next.validators = (t.validators ?? []).map((v, k) => (k === 0 && v.parameters ? { ...v, parameters: { ...v.parameters, config: '{not json' } } : v));
          workflow = { ...workflow, transitions: workflow.transitions.map((x, k) => (k === i ? next : x)) };
        }
        const foreignBefore = allRules(workflow).filter((r) => slotOfRuleKey(r.parameters?.key) === null);
        const repaired = install(workflow, after, 2);
        const plan = buildWorkflowPlan({ policy: policies[after]!, policyVersion: 2, workflow: repaired, ...context });
        expect(plan.view.state).toBe('ready');
        if (plan.view.state !== 'ready') return;
        const foreignAfter = allRules(repaired).filter((r) => slotOfRuleKey(r.parameters?.key) === null);
        expect(plan.view.upToDate).toBe(true);
        expect(plan.update).toBeNull();
        expect(JSON.stringify(foreignAfter)).toBe(JSON.stringify(foreignBefore));
      }),
      { numRuns: 150 },
    );
  });
});
