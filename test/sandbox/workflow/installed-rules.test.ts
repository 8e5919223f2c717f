import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { EDGES, EdgeId } from '../../../src/domain';
import { createSandboxState, SandboxState } from '../../../sandbox/state/sandbox-state';
import { installAppRules } from '../../../sandbox/state/app-rules-install';
import { MODULE_OFFER_TEXT, MODULES } from '../../../sandbox/workflow/app-modules';
import { workflowTransitionsOf } from '../../../sandbox/workflow/cc81-workflow';
import { loadPolicy } from '../../../src/policy/policy-store';
import { InstalledTransitionRules, PLACEHOLDER_EXPRESSIONS, transitionRulesOf } from '../../../sandbox/workflow/installed-rules';
import { createWorkflowEngine } from '../../../sandbox/workflow/workflow-engine';
import { evaluateValidatorRule } from '../../../sandbox/workflow/rule-evaluation';
import { buildIssue, jiraUser } from '../../../sandbox/jira-expression/object-model';
import { at } from '../../builders/clock';
import { SANDBOX_USERS } from '../../builders/sandbox-change.builder';
import { stateRouter } from '../../fakes/sandbox-state-router';

/** The rules the engine reads off the site's workflow document. */
const rulesOf = (site: SandboxState): InstalledTransitionRules[] => workflowTransitionsOf(site).map((t) => transitionRulesOf(t, site.policy));

const state = createSandboxState(SANDBOX_USERS);
const workflow = workflowTransitionsOf(state);
const rules = rulesOf(state);
const byEdge = (edge: EdgeId) => rules.find((r) => r.edge === edge)!;
const edgesWith = (pick: (r: (typeof rules)[number]) => unknown[]) => rules.filter((r) => pick(r).length > 0).map((r) => r.edge);
const withoutIds = (list: InstalledTransitionRules[]) => JSON.parse(JSON.stringify(list, (key, value: unknown) => (key === 'ruleId' ? undefined : value))) as unknown;

describe('the CC8.1 workflow document', () => {
  it('has Create into Draft, then one DIRECTED transition per lifecycle edge, with stable unique ids, edge names and the state statuses', () => {
    const [create, ...lifecycle] = workflow;
    expect(create).toMatchObject({ id: '1', name: 'Create', type: 'INITIAL', isInitial: true, edge: null, from: [], to: { name: 'Draft' } });
    expect(lifecycle.map((t) => t.edge?.id)).toEqual(EDGES.map((e) => e.id));
    expect(lifecycle.map((t) => t.id)).toEqual(EDGES.map((_, i) => String(i * 10 + 11)));
    for (const t of lifecycle) {
      expect(t.type).toBe('DIRECTED');
      expect(t.name).toBe(t.edge!.name);
      expect([t.from.map((s) => s.name), t.to.name]).toEqual([[t.edge!.from], t.edge!.to]);
      expect(state.statuses).toContain(t.from[0]);
      // Status references are the status ids.
      expect(t.document.links).toEqual([{ fromStatusReference: t.from[0]!.id }]);
      expect(t.document.toStatusReference).toBe(t.to.id);
    }
    expect(workflow.filter((t) => t.isLooped).map((t) => t.edge?.id)).toEqual(['postHocApprove']);
    expect(lifecycle.filter((t) => !t.hasScreen).map((t) => t.edge?.id)).toEqual(['sendBack', 'reassess', 'reschedule']);
    expect(state.workflow.statuses.map((s) => s.statusReference)).toEqual(state.statuses.map((s) => s.id));
  });

  it('names every app rule by its module ARI and keeps its config as a JSON string, as the workflows API does', () => {
    const approve = state.workflow.transitions.find((t) => t.id === '21')!;
    const condition = approve.conditions!.conditions![0]!;
    expect(condition).toMatchObject({ ruleKey: 'forge:expression-condition', parameters: { key: `ari:cloud:ecosystem::extension/sandbox-app/sandbox/static/${MODULES.condition}` } });
    expect(JSON.parse(condition.parameters!.config!)).toMatchObject({ edge: 'approve', kind: 'condition', part: 1 });
    expect(approve.actions!.map((r) => r.parameters!.key)).toEqual([`ari:cloud:ecosystem::extension/sandbox-app/sandbox/static/${MODULES.evidenceRecorder}`]);
    expect(approve.conditions!.operation).toBe('ALL');
  });
});

describe('installed rules', () => {
  it('puts the history gate on Approve, Mark implemented, Close and Post-hoc approve, and (the sandbox maps a recurring window field) on both ways to schedule', () => {
    expect(edgesWith((r) => r.functionValidators).sort()).toEqual(['approve', 'close', 'implement', 'postHocApprove', 'schedule', 'standardSchedule']);
    for (const edge of ['approve', 'close', 'implement', 'postHocApprove', 'schedule', 'standardSchedule'] as const) {
      expect(byEdge(edge).functionValidators).toEqual([{ module: 'cc81-history-gate', function: 'history-gate', ruleId: expect.any(String), configuration: {} }]);
    }
  });

  it('puts the evidence recorder on approve, post-hoc approve, every move into Implemented, and close', () => {
    expect(edgesWith((r) => r.postFunctions).sort()).toEqual(
      ['approve', 'close', 'emergencyImplementFromAssessment', 'emergencyImplementFromDraft', 'implement', 'postHocApprove'].sort(),
    );
  });

  it('installs conditions where someone must be hidden, and validators wherever an edge requires something', () => {
    expect(edgesWith((r) => r.conditions).sort()).toEqual(
      ['approve', 'close', 'emergencyImplementFromAssessment', 'emergencyImplementFromDraft', 'implement', 'postHocApprove', 'standardSchedule'].sort(),
    );
    // Every edge but the three back edges requires something (README lifecycle table).
    const requiresNothing = ['sendBack', 'reassess', 'reschedule'];
    expect(edgesWith((r) => r.validators).sort()).toEqual(EDGES.map((e) => e.id).filter((id) => !requiresNothing.includes(id)).sort());
  });

  it('installs every compiled part with the config the rule page saves', () => {
    for (const r of rules) {
      for (const rule of [...r.conditions, ...r.validators]) {
        expect(rule.unconfigured).toBeNull();
        expect(rule.config).toEqual({ edge: r.edge, kind: rule.kind, part: rule.part, parts: rule.parts, expression: rule.expression, policyVersion: state.policy.version });
        expect(rule.configValue).toEqual(rule.config);
        expect(rule.module).toBe(rule.kind === 'condition' ? 'cc81-transition-condition' : 'cc81-transition-validator');
        expect(rule.checks.length).toBeGreaterThan(0);
      }
    }
    expect(withoutIds(rulesOf(createSandboxState(SANDBOX_USERS)))).toEqual(withoutIds(rules)); // deterministic: same policy, same rules
    expect(rules.every((r) => r.ignored.length === 0)).toBe(true);
  });

  it('splits into parts when the length budget needs it, and installs them all', () => {
    const long = createSandboxState(SANDBOX_USERS, { additionalRequiredFields: { close: ['testPlan', 'rollbackPlan', 'implementationEvidence', 'cabReference', 'targetSystems', 'summary'] } });
    const close = rulesOf(long).find((r) => r.edge === 'close')!;
    expect(close.validators.length).toBeGreaterThan(1);
    expect(close.validators.map((v) => `${v.part}/${v.parts}`)).toEqual(close.validators.map((_, i) => `${i + 1}/${close.validators.length}`));
  });

  it('installs a fail-closed rule where the policy cannot compile one: the condition hides, the validator blocks and says why', () => {
    const unmapped = createSandboxState(SANDBOX_USERS);
    delete unmapped.policy.fields.approver;
    installAppRules(unmapped);
    const approve = rulesOf(unmapped).find((r) => r.edge === 'approve')!;
    expect(approve.conditions).toEqual([expect.objectContaining({ expression: 'false', config: expect.objectContaining({ edge: 'approve', kind: 'condition' }), broken: null })]);
    expect(approve.validators).toHaveLength(1);
    const verdict = evaluateValidatorRule(approve.validators[0]!, 'Approve', { issue: buildIssue({}), user: jiraUser('acc-1'), now: at(0) });
    expect(verdict).toMatchObject({ pass: false, message: expect.stringMatching(/Map Approver/) });
  });

  it('runs the manifest placeholder for an app rule saved without a config (added in the editor, never configured)', () => {
    const site = createSandboxState(SANDBOX_USERS);
    const approve = site.workflow.transitions.find((t) => t.id === '21')!;
    delete approve.conditions!.conditions![0]!.parameters!.config;
    const rule = rulesOf(site).find((r) => r.edge === 'approve')!.conditions[0]!;
    expect(rule).toMatchObject({ expression: PLACEHOLDER_EXPRESSIONS.condition, config: null, unconfigured: { code: 'NOT_CONFIGURED' } });
  });

  it("uses the manifest's own placeholder expressions", () => {
    const manifest = parse(readFileSync(resolve(__dirname, '../../../manifest.yml'), 'utf8')) as {
      modules: Record<string, { key: string; expression?: string }[]>;
    };
    expect(manifest.modules['jira:workflowCondition']!.find((m) => m.key === 'cc81-transition-condition')?.expression).toBe(PLACEHOLDER_EXPRESSIONS.condition);
    expect(manifest.modules['jira:workflowValidator']!.find((m) => m.key === 'cc81-transition-validator')?.expression).toBe(PLACEHOLDER_EXPRESSIONS.validator);
  });

  it('offers the four modules with the names and descriptions of the manifest', () => {
    const manifest = parse(readFileSync(resolve(__dirname, '../../../manifest.yml'), 'utf8')) as { modules: Record<string, { key: string; name?: string; description?: string }[]> };
    const declared = Object.values(manifest.modules).flat();
    for (const [slot, key] of Object.entries(MODULES)) {
      const module = declared.find((m) => m.key === key);
      expect({ key, name: module?.name, description: module?.description }).toEqual({ key, name: MODULE_OFFER_TEXT[slot as keyof typeof MODULES].name, description: MODULE_OFFER_TEXT[slot as keyof typeof MODULES].description });
    }
  });

  it('a rule the policy cannot compile hides the transition in the engine once reinstalled', async () => {
    const unmapped = createSandboxState(SANDBOX_USERS);
    delete unmapped.policy.fields.approver;
    const engine = createWorkflowEngine({ state: unmapped, router: () => stateRouter(unmapped).router, clock: () => at(0), log: () => undefined });
    await engine.reinstallRules();
    expect(engine.installedRules()).toEqual(engine.workflowTransitions().map((t) => transitionRulesOf(t, unmapped.policy)));
    const approve = engine.installedRules().find((r) => r.edge === 'approve')!;
    expect(approve.conditions.map((c) => c.expression)).toEqual(['false']);
  });
});

describe('reinstalling after a policy change', () => {
  it('recompiles from state.policy and stores the new policy where the handlers read it', async () => {
    const changed = createSandboxState(SANDBOX_USERS);
    const engine = createWorkflowEngine({ state: changed, router: () => stateRouter(changed).router, clock: () => at(0), log: () => undefined });
    const implementChecks = () => engine.installedRules().find((r) => r.edge === 'implement')!.validators.flatMap((v) => v.checks);
    expect(implementChecks()).toContain('inside the window (block or flag)');
    changed.policy = { ...changed.policy, version: changed.policy.version + 1, windowEnforcement: 'flag' };
    await engine.reinstallRules();
    expect(implementChecks()).not.toContain('inside the window (block or flag)');
    expect(engine.installedRules().find((r) => r.edge === 'implement')!.validators[0]?.config?.policyVersion).toBe(changed.policy.version);
    expect((await loadPolicy(engine.runtime.store)).policy.windowEnforcement).toBe('flag');
  });
});
