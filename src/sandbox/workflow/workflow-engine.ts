/**
 * The sandbox's workflow engine: Jira's side of the CC8.1 workflow. It shows a user the
 * transitions whose installed conditions pass, and performs a transition the way Jira does:
 * conditions again, then every validator (the compiled expressions on the strict interpreter, the
 * history gate through the Forge shim), then the status change and the screen edits in one
 * changelog history authored by the user, then the post functions (the evidence recorder).
 */
import { randomUUID } from 'node:crypto';
import { consoleLogger, Logger } from '../../forge/log';
import { createForgeRuntime, ForgeRuntime } from '../forge-runtime/forge-runtime';
import { jiraUser, JiraUser } from '../jira-expression/object-model';
import { applyFieldChanges, SandboxIssue, SandboxState, SandboxUser } from '../state/sandbox-state';
import { cc81Workflow, currentStatusId, statusJson, WorkflowTransition } from './cc81-workflow';
import { expressionIssueOf } from './expression-issue';
import type { RuleConfig, RuleKind } from '../../domain/expression';
import { installRules, InstalledTransitionRules, savedExpressionRule, withSavedRule } from './installed-rules';
import { evaluateConditionRule, evaluateValidatorRule, RuleContext } from './rule-evaluation';
import { modifiedFieldsOf, normalizeScreenFields } from './screen-fields';
import type { JiraErrorBody, SandboxRouter, SandboxWorkflow, TransitionJson, TransitionOutcome } from './workflow-port';

export interface WorkflowEngineDeps {
  state: SandboxState;
  /** Getter: the router is created with (after) the engine. */
  router: () => SandboxRouter;
  /** The Forge shim running the app's handlers; default one over `router`, seeded with the state's policy. */
  runtime?: ForgeRuntime;
  clock: () => Date;
  log?: Logger;
  /** Post function execution ids; default random UUIDs (unique across sandbox restarts). */
  executionId?: () => string;
}

export interface SandboxWorkflowEngine extends SandboxWorkflow {
  readonly runtime: ForgeRuntime;
  /** The workflow's transitions (one per lifecycle edge). */
  workflowTransitions(): readonly WorkflowTransition[];
  /** The rules installed per transition, compiled at construction (or the last `reinstallRules`). */
  installedRules(): readonly InstalledTransitionRules[];
  /**
   * After a policy change: recompile every rule from `state.policy` and store the policy where the
   * app reads it. Replaces configs saved with `installRuleConfig`.
   */
  reinstallRules(): Promise<void>;
  /**
   * What Jira does when an admin adds or updates the CC8.1 condition / validator on a transition
   * and the rule config page's `onConfigure` returned `config`: from then on Jira evaluates the
   * saved `expression` (with `config` as the `config` variable) instead of the installed one. One
   * config per part: it replaces the rule of the same part (or the placeholder, part 1), other
   * parts stay. The caller validates `config` (RuleConfigSchema); this checks it fits the rule.
   */
  installRuleConfig(transitionId: string, kind: RuleKind, config: RuleConfig): InstallRuleConfigResult;
}

export type InstallRuleConfigResult =
  | { ok: true; rules: InstalledTransitionRules }
  | { ok: false; reason: 'unknown-transition' | 'kind-mismatch'; message: string };

const LOG_EVENT = 'sandbox-workflow';

export const CANNOT_TRANSITION = "You can't do this transition.";
export const invalidTransition = (transitionId: string): string => `Transition id '${transitionId}' is not valid for this issue.`;

const refused = (status: 400 | 404, errorMessages: string[], errors: Record<string, string> = {}): TransitionOutcome => ({
  ok: false,
  status,
  body: { errorMessages, errors } satisfies JiraErrorBody,
});

/** The acting user as a Jira expression `User`. */
export const expressionUserOf = (user: SandboxUser): JiraUser =>
  jiraUser(user.accountId, { displayName: user.displayName, active: user.active, groups: user.groups });

export const createWorkflowEngine = (deps: WorkflowEngineDeps): SandboxWorkflowEngine => {
  const { state, clock } = deps;
  const log = deps.log ?? consoleLogger;
  const executionId = deps.executionId ?? randomUUID;
  const runtime = deps.runtime ?? createForgeRuntime({ router: deps.router, clock, log });
  let transitions = cc81Workflow(state);
  let installed = installRules(state.policy, transitions);
  let rulesById = new Map(installed.map((rules) => [rules.transitionId, rules]));
  const seed = () =>
    runtime.seedPolicy(state.policy).catch((error: unknown) => {
      // Handlers will fail closed on the unreadable store; this line says why.
      log(LOG_EVENT, { event: 'policy-seed-failed', errorName: error instanceof Error ? error.name : typeof error });
    });
  void seed();

  /** Jira serializes transitions of one issue. */
  const locks = new Map<string, Promise<unknown>>();
  const withIssueLock = <T>(issueId: string, work: () => Promise<T>): Promise<T> => {
    const previous = locks.get(issueId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    locks.set(issueId, settled);
    void settled.then(() => {
      if (locks.get(issueId) === settled) locks.delete(issueId);
    });
    return next;
  };

  const conditionsPass = (t: WorkflowTransition, issue: SandboxIssue, context: RuleContext): boolean =>
    rulesById.get(t.id)!.conditions.every((rule) => {
      const verdict = evaluateConditionRule(rule, context);
      if (!verdict.shown && verdict.error) {
        log(LOG_EVENT, { event: 'condition-error', issueKey: issue.key, transitionId: t.id, edge: t.edge.id, part: rule.part, ...verdict.error });
      }
      return verdict.shown;
    });

  const transitionJson = (t: WorkflowTransition): TransitionJson => ({
    id: t.id,
    name: t.name,
    to: statusJson(t.to),
    hasScreen: t.hasScreen,
    isGlobal: false,
    isInitial: false,
    isAvailable: true,
    isConditional: rulesById.get(t.id)!.conditions.length > 0,
    isLooped: t.isLooped,
  });

  const transitionsFor = async (issue: SandboxIssue, user: SandboxUser): Promise<TransitionJson[]> => {
    const statusId = currentStatusId(issue.fields);
    const context: RuleContext = { issue: expressionIssueOf(issue, {}, { users: state.users }), user: expressionUserOf(user), now: clock() };
    return transitions.filter((t) => t.from.id === statusId && conditionsPass(t, issue, context)).map(transitionJson);
  };

  const perform = async (issue: SandboxIssue, transitionId: string, user: SandboxUser, fields: Record<string, unknown>): Promise<TransitionOutcome> => {
    const ids = { issueKey: issue.key, transitionId, accountId: user.accountId };
    const statusId = currentStatusId(issue.fields);
    const t = transitions.find((candidate) => candidate.id === transitionId);
    if (!t || t.from.id !== statusId) {
      log(LOG_EVENT, { ...ids, outcome: 'invalid-transition' });
      return refused(404, [invalidTransition(transitionId)]);
    }
    const rules = rulesById.get(t.id)!;
    const now = clock();
    const actor = expressionUserOf(user);
    const original = expressionIssueOf(issue, {}, { users: state.users });
    if (!conditionsPass(t, issue, { issue: original, user: actor, now })) {
      log(LOG_EVENT, { ...ids, edge: t.edge.id, outcome: 'hidden' });
      return refused(400, [CANNOT_TRANSITION]);
    }
    const screen = normalizeScreenFields(state, fields);
    if (!screen.ok) {
      log(LOG_EVENT, { ...ids, edge: t.edge.id, outcome: 'invalid-fields', fields: Object.keys(screen.errors).join(',') });
      return refused(400, [], screen.errors);
    }

    const messages: string[] = [];
    const context: RuleContext = { issue: expressionIssueOf(issue, screen.values, { users: state.users }), originalIssue: original, user: actor, now };
    for (const rule of rules.validators) {
      const verdict = evaluateValidatorRule(rule, t.edge.name, context);
      if (verdict.pass) continue;
      messages.push(verdict.message);
      if (verdict.error) log(LOG_EVENT, { ...ids, event: 'validator-error', edge: t.edge.id, part: rule.part, ...verdict.error });
    }
    for (const rule of rules.functionValidators) {
      const result = await runtime.runHistoryGate({
        issueKey: issue.key,
        fromStatusId: t.from.id,
        toStatusId: t.to.id,
        modifiedFields: modifiedFieldsOf(state, screen.values),
        accountId: user.accountId,
        configuration: {},
      });
      if (!result.result) messages.push(result.errorMessage);
      log(LOG_EVENT, { ...ids, event: 'function-validator', function: rule.function, result: result.result });
    }
    if (messages.length) {
      log(LOG_EVENT, { ...ids, edge: t.edge.id, outcome: 'blocked', messages: messages.length });
      return refused(400, [...new Set(messages)]);
    }

    const patch: Record<string, unknown> = t.isLooped ? { ...screen.values } : { status: statusJson(t.to), ...screen.values };
    const history = applyFieldChanges(state, issue, patch, user, now);
    log(LOG_EVENT, { ...ids, edge: t.edge.id, outcome: 'transitioned', historyId: history?.id ?? null });

    for (const rule of rules.postFunctions) {
      const outcome = await runtime.runEvidenceRecorder({
        issueKey: issue.key,
        issueId: issue.id,
        fromStatusId: t.from.id,
        toStatusId: t.to.id,
        executionId: executionId(),
        transitionId: t.id,
        transitionName: t.name,
        accountId: user.accountId,
        changelog: history ? (JSON.parse(JSON.stringify({ id: history.id, items: history.items })) as unknown) : null,
        configuration: {},
      });
      log(LOG_EVENT, { ...ids, event: 'post-function', function: rule.function, outcome: outcome?.outcome ?? 'failed' });
    }
    return { ok: true };
  };

  return {
    runtime,
    workflowTransitions: () => transitions,
    installedRules: () => installed,
    reinstallRules: async () => {
      transitions = cc81Workflow(state);
      installed = installRules(state.policy, transitions);
      rulesById = new Map(installed.map((rules) => [rules.transitionId, rules]));
      await seed();
    },
    installRuleConfig: (transitionId, kind, config) => {
      const current = rulesById.get(transitionId);
      if (!current) return { ok: false, reason: 'unknown-transition', message: `The CC8.1 workflow has no transition ${transitionId}.` };
      if (config.kind !== kind) {
        return { ok: false, reason: 'kind-mismatch', message: `This config was compiled for a ${config.kind}; it cannot be saved on the ${kind}.` };
      }
      const rule = savedExpressionRule(state.policy, config);
      const key = kind === 'condition' ? 'conditions' : 'validators';
      const updated: InstalledTransitionRules = { ...current, [key]: withSavedRule(current[key], rule) };
      installed = installed.map((rules) => (rules.transitionId === transitionId ? updated : rules));
      rulesById = new Map(installed.map((rules) => [rules.transitionId, rules]));
      log(LOG_EVENT, { event: 'rule-config-installed', transitionId, kind, edge: config.edge, part: config.part, parts: config.parts, policyVersion: config.policyVersion });
      return { ok: true, rules: updated };
    },
    transitionsFor,
    transition: (issue, transitionId, user, fields) => withIssueLock(issue.id, () => perform(issue, transitionId, user, fields ?? {})),
  };
};
