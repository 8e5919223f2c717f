import { compileEdge, RuleConfig } from '../../../src/domain/expression';
import { installAppRules } from '../../../sandbox/state/app-rules-install';
import { createSandboxState } from '../../../sandbox/state/sandbox-state';
import { PLACEHOLDER_EXPRESSIONS } from '../../../sandbox/workflow/installed-rules';
import { createWorkflowEngine } from '../../../sandbox/workflow/workflow-engine';
import { at } from '../../builders/clock';
import { SANDBOX_USERS } from '../../builders/sandbox-change.builder';
import { stateRouter } from '../../fakes/sandbox-state-router';

const APPROVE = '21';

const engineFor = (edit: (state: ReturnType<typeof createSandboxState>) => void = () => undefined) => {
  const state = createSandboxState(SANDBOX_USERS);
  edit(state);
  installAppRules(state); // the admin installs the rules for the edited policy
  const engine = createWorkflowEngine({ state, router: () => stateRouter(state).router, clock: () => at(0), log: () => undefined });
  const approve = () => engine.installedRules().find((r) => r.transitionId === APPROVE)!;
  return { state, engine, approve };
};

const config = (overrides: Partial<RuleConfig> = {}): RuleConfig => ({ edge: 'approve', kind: 'condition', part: 1, parts: 1, expression: 'true', policyVersion: 1, ...overrides });

describe('installRuleConfig: what Jira evaluates after an admin saves a rule config', () => {
  it('replaces the placeholder of an unconfigured rule with the saved expression and config', () => {
    const { engine, approve } = engineFor((state) => delete state.policy.fields.approver);
    expect(approve().conditions[0]?.expression).toBe(PLACEHOLDER_EXPRESSIONS.condition);
    const result = engine.installRuleConfig(APPROVE, 'condition', config());
    expect(result.ok).toBe(true);
    expect(approve().conditions).toEqual([expect.objectContaining({ part: 1, expression: 'true', config: config(), source: 'saved', unconfigured: null })]);
  });

  it('saves the config on the rule in the workflow document, in a new document version', () => {
    const { state, engine } = engineFor();
    const before = state.workflow.version;
    const ruleId = engine.installedRules().find((r) => r.transitionId === APPROVE)!.conditions[0]!.ruleId;
    engine.installRuleConfig(APPROVE, 'condition', config({ expression: 'true' }));
    expect(state.workflow.version.versionNumber).toBe(before.versionNumber + 1);
    expect(state.workflow.version.id).not.toBe(before.id);
    const saved = state.workflow.transitions.find((t) => t.id === APPROVE)!.conditions!.conditions!;
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ id: ruleId, ruleKey: 'forge:expression-condition' });
    expect(JSON.parse(saved[0]!.parameters!.config!)).toEqual(config({ expression: 'true' }));
  });

  it('keeps one config per part: saving part 2 keeps part 1; saving part 1 again replaces it', () => {
    const { engine, approve } = engineFor();
    const [part1, part2, part3] = approve().validators;
    expect(approve().validators).toHaveLength(3);
    engine.installRuleConfig(APPROVE, 'validator', config({ kind: 'validator', part: 2, parts: 3, expression: '"two"' }));
    expect(approve().validators.map((v) => v.expression)).toEqual([part1!.expression, '"two"', part3!.expression]);
    engine.installRuleConfig(APPROVE, 'validator', config({ kind: 'validator', part: 1, parts: 3, expression: '"one"' }));
    engine.installRuleConfig(APPROVE, 'validator', config({ kind: 'validator', part: 1, parts: 3, expression: '"uno"' }));
    expect(approve().validators.map((v) => [v.part, v.expression])).toEqual([
      [1, '"uno"'],
      [2, '"two"'],
      [3, part3!.expression],
    ]);
    expect(part2!.source).toBe('compiled');
  });

  it('knows what a saved config checks when it is what the policy compiles to', () => {
    const { state, engine, approve } = engineFor();
    const compiled = compileEdge(state.policy, 'approve', 'validator');
    if (!compiled.ok) throw new Error('approve must compile');
    const rule = compiled.rules[1]!;
    engine.installRuleConfig(APPROVE, 'validator', config({ kind: 'validator', part: 2, parts: 2, expression: rule.expression }));
    expect(approve().validators[1]).toMatchObject({ source: 'saved', checks: rule.checks, expensiveOps: rule.expensiveOps });
  });

  it('refuses an unknown transition and a config of the other kind, changing nothing', () => {
    const { engine } = engineFor();
    const before = JSON.stringify(engine.installedRules());
    expect(engine.installRuleConfig('999', 'condition', config())).toMatchObject({ ok: false, reason: 'unknown-transition' });
    expect(engine.installRuleConfig(APPROVE, 'validator', config())).toMatchObject({ ok: false, reason: 'kind-mismatch' });
    expect(JSON.stringify(engine.installedRules())).toBe(before);
  });

  it('reinstallRules (a policy change) recompiles everything, replacing saved configs', async () => {
    const { engine, approve } = engineFor();
    engine.installRuleConfig(APPROVE, 'condition', config({ expression: 'false' }));
    expect(approve().conditions[0]?.source).toBe('saved');
    await engine.reinstallRules();
    expect(approve().conditions[0]?.source).toBe('compiled');
  });
});
