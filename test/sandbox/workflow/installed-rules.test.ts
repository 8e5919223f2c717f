import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { EDGES, EdgeId } from '../../../src/domain';
import { createSandboxState } from '../../../src/sandbox/state/sandbox-state';
import { cc81Workflow } from '../../../src/sandbox/workflow/cc81-workflow';
import { loadPolicy } from '../../../src/forge/policy-store';
import { installRules, PLACEHOLDER_EXPRESSIONS } from '../../../src/sandbox/workflow/installed-rules';
import { createWorkflowEngine } from '../../../src/sandbox/workflow/workflow-engine';
import { at } from '../../builders/clock';
import { SANDBOX_USERS } from '../../builders/sandbox-change.builder';
import { stateRouter } from '../../fakes/sandbox-state-router';

const state = createSandboxState(SANDBOX_USERS);
const workflow = cc81Workflow(state);
const rules = installRules(state.policy, workflow);
const byEdge = (edge: EdgeId) => rules.find((r) => r.edge === edge)!;
const edgesWith = (pick: (r: (typeof rules)[number]) => unknown[]) => rules.filter((r) => pick(r).length > 0).map((r) => r.edge);

describe('the CC8.1 workflow', () => {
  it('has one transition per lifecycle edge, with stable unique ids, edge names and the state statuses', () => {
    expect(workflow.map((t) => t.edge.id)).toEqual(EDGES.map((e) => e.id));
    expect(workflow.map((t) => t.id)).toEqual(EDGES.map((_, i) => String(i * 10 + 11)));
    for (const t of workflow) {
      expect(t.name).toBe(t.edge.name);
      expect([t.from.name, t.to.name]).toEqual([t.edge.from, t.edge.to]);
      expect(state.statuses).toContain(t.from);
    }
    expect(workflow.filter((t) => t.isLooped).map((t) => t.edge.id)).toEqual(['postHocApprove']);
    expect(workflow.filter((t) => !t.hasScreen).map((t) => t.edge.id)).toEqual(['sendBack', 'reassess', 'reschedule']);
  });
});

describe('installed rules', () => {
  it('puts the history gate on Mark implemented only', () => {
    expect(edgesWith((r) => r.functionValidators)).toEqual(['implement']);
    expect(byEdge('implement').functionValidators).toEqual([{ module: 'cc81-history-gate', function: 'history-gate' }]);
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
    expect(edgesWith((r) => r.validators).sort()).toEqual(EDGES.filter((e) => e.rules.length > 0).map((e) => e.id).sort());
  });

  it('installs every compiled part with the config the rule page saves', () => {
    for (const r of rules) {
      for (const rule of [...r.conditions, ...r.validators]) {
        expect(rule.unconfigured).toBeNull();
        expect(rule.config).toEqual({ edge: r.edge, kind: rule.kind, part: rule.part, parts: rule.parts, expression: rule.expression, policyVersion: state.policy.version });
        expect(rule.module).toBe(rule.kind === 'condition' ? 'cc81-transition-condition' : 'cc81-transition-validator');
      }
    }
    expect(installRules(state.policy, workflow)).toEqual(rules); // deterministic: same policy, same rules
  });

  it('splits into parts when the length budget needs it, and installs them all', () => {
    const long = createSandboxState(SANDBOX_USERS, { additionalRequiredFields: { close: ['testPlan', 'rollbackPlan', 'implementationEvidence', 'cabReference', 'targetSystems', 'summary'] } });
    const close = installRules(long.policy, cc81Workflow(long)).find((r) => r.edge === 'close')!;
    expect(close.validators.length).toBeGreaterThan(1);
    expect(close.validators.map((v) => `${v.part}/${v.parts}`)).toEqual(close.validators.map((_, i) => `${i + 1}/${close.validators.length}`));
  });

  it("leaves a rule the config page cannot compile unconfigured, running the manifest's placeholder (fails closed)", () => {
    const unmapped = createSandboxState(SANDBOX_USERS);
    delete unmapped.policy.fields.approver;
    const approve = installRules(unmapped.policy, cc81Workflow(unmapped)).find((r) => r.edge === 'approve')!;
    expect(approve.conditions).toEqual([expect.objectContaining({ expression: PLACEHOLDER_EXPRESSIONS.condition, config: null, unconfigured: expect.objectContaining({ code: 'FIELD_NOT_MAPPED' }) })]);
    expect(approve.validators).toEqual([expect.objectContaining({ expression: PLACEHOLDER_EXPRESSIONS.validator, config: null })]);
  });

  it("uses the manifest's own placeholder expressions", () => {
    const manifest = parse(readFileSync(resolve(__dirname, '../../../manifest.yml'), 'utf8')) as {
      modules: Record<string, { key: string; expression?: string }[]>;
    };
    expect(manifest.modules['jira:workflowCondition']!.find((m) => m.key === 'cc81-transition-condition')?.expression).toBe(PLACEHOLDER_EXPRESSIONS.condition);
    expect(manifest.modules['jira:workflowValidator']!.find((m) => m.key === 'cc81-transition-validator')?.expression).toBe(PLACEHOLDER_EXPRESSIONS.validator);
  });

  it('an unconfigured rule hides the transition and blocks with the placeholder message in the engine', async () => {
    const unmapped = createSandboxState(SANDBOX_USERS);
    delete unmapped.policy.fields.approver;
    const engine = createWorkflowEngine({ state: unmapped, router: () => stateRouter(unmapped).router, clock: () => at(0), log: () => undefined });
    expect(engine.installedRules()).toEqual(installRules(unmapped.policy, engine.workflowTransitions()));
    const approve = engine.installedRules().find((r) => r.edge === 'approve')!;
    expect(approve.conditions[0]?.unconfigured?.message).toMatch(/Map Approver/);
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
