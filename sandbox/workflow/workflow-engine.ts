/**
 * The sandbox's workflow engine: Jira's side of the CC8.1 workflow. It shows a user the
 * transitions whose installed conditions pass, and performs a transition the way Jira does:
 * conditions again, then every validator (the compiled expressions on the strict interpreter, the
 * history gate through the Forge shim), then the status change and the screen edits in one
 * changelog history authored by the user, then the post functions (the evidence recorder).
 */
import { randomUUID } from 'node:crypto';
import { parsePolicy } from '../../src/domain';
import type { RuleConfig, RuleKind } from '../../src/domain/expression';
import { consoleLogger, Logger } from '../../src/ports/logger';
import { POLICY_KEY, StoredPolicySchema } from '../../src/policy/policy-store';
import type { WorkflowRule } from '../../src/jira/workflow-schemas';
import { createForgeRuntime, ForgeRuntime } from '../forge-runtime/forge-runtime';
import { jiraUser, JiraUser } from '../jira-expression/object-model';
import { installAppRules } from '../state/app-rules-install';
import { applyFieldChanges, SandboxIssue, SandboxState, SandboxUser } from '../state/sandbox-state';
import { applyWorkflowUpdate, workflowStatusesJson } from '../state/workflow-document';
import { MODULE_ARIS, RULE_KEY_OF } from './app-modules';
import { currentStatusId, statusJson, WorkflowTransition, workflowTransitionsOf } from './cc81-workflow';
import { expressionIssueOf } from './expression-issue';
import { InstalledConditionGroup, InstalledTransitionRules, transitionRulesOf } from './installed-rules';
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
  /** The workflow's transitions, derived from the workflow document (`state.workflow`) as it is now. */
  workflowTransitions(): readonly WorkflowTransition[];
  /** The rules each transition of the document carries now (INITIAL included), as the engine runs them. */
  installedRules(): readonly InstalledTransitionRules[];
  /**
   * After a policy change: installs the app's rules for `state.policy` on the workflow document
   * (what the admin page's workflow setup does) and stores the policy where the app reads it.
   * Replaces configs saved with `installRuleConfig`.
   */
  reinstallRules(): Promise<void>;
  /**
   * What Jira does when an admin adds or updates the CC8.1 condition / validator on a transition
   * and the rule config page's `onConfigure` returned `config`: the config is saved on the rule in
   * the workflow document (a new document version), and from then on Jira evaluates its
   * `expression` with `config` as the `config` variable. One config per part: it replaces the rule
   * of the same part (or the placeholder), other parts stay. The caller validates `config`
   * (RuleConfigSchema); this checks it fits the rule.
   */
  installRuleConfig(transitionId: string, kind: RuleKind, config: RuleConfig): InstallRuleConfigResult;
}

export type InstallRuleConfigResult =
  | { ok: true; rules: InstalledTransitionRules }
  | { ok: false; reason: 'unknown-transition' | 'kind-mismatch'; message: string };

const LOG_EVENT = 'sandbox-workflow';

export const CANNOT_TRANSITION = "You can't do this transition.";
export const invalidTransition = (transitionId: string): string => `Transition id '${transitionId}' is not valid for this issue.`;

const refused = (status: 400, errorMessages: string[], errors: Record<string, string> = {}): TransitionOutcome => ({
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
  const runtime = deps.runtime ?? createForgeRuntime({ router: deps.router, clock, log, appEvidence: () => state.appEvidence, signingKey: state.appSigningKey });
  /** The configs rule config pages saved (`installRuleConfig`), by rule id, for `source`. */
  const savedConfigs = new Map<string, string>();

  // Derived from the document and the policy; recomputed whenever either object is replaced.
  let derivedFrom: { workflow: SandboxState['workflow']; policy: SandboxState['policy'] } | null = null;
  let transitions: WorkflowTransition[] = [];
  let installed: InstalledTransitionRules[] = [];
  let rulesById = new Map<string, InstalledTransitionRules>();
  let loggedVersion: string | null = null;
  const derive = () => {
    if (derivedFrom && derivedFrom.workflow === state.workflow && derivedFrom.policy === state.policy) return;
    derivedFrom = { workflow: state.workflow, policy: state.policy };
    const newVersion = loggedVersion !== state.workflow.version.id;
    loggedVersion = state.workflow.version.id;
    transitions = workflowTransitionsOf(state);
    installed = transitions.map((t) => transitionRulesOf(t, state.policy, savedConfigs));
    rulesById = new Map(installed.map((rules) => [rules.transitionId, rules]));
    for (const rules of newVersion ? installed : []) {
      for (const rule of rules.ignored) log(LOG_EVENT, { event: 'rule-ignored', transitionId: rules.transitionId, where: rule.where, ruleKey: rule.ruleKey, key: rule.key });
    }
  };
  const current = () => {
    derive();
    return { transitions, installed, rulesById };
  };

  // The pages and screens follow the policy the app stores (the admin page saves it through KVS).
  runtime.onStoreSet((key, value) => {
    if (key !== POLICY_KEY) return;
    const envelope = StoredPolicySchema.safeParse(value);
    const parsed = envelope.success ? parsePolicy(envelope.data.policy) : null;
    if (parsed?.ok) {
      state.policy = parsed.policy;
      log(LOG_EVENT, { event: 'policy-followed', version: parsed.policy.version });
    } else {
      log(LOG_EVENT, { event: 'stored-policy-unreadable', kept: state.policy.version });
    }
  });
  const seed = (policy = state.policy) =>
    runtime.seedPolicy(policy).catch((error: unknown) => {
      // Handlers will fail closed on the unreadable store; this line says why.
      log(LOG_EVENT, { event: 'policy-seed-failed', errorName: error instanceof Error ? error.name : typeof error });
    });
  if (state.initialStoredPolicy) void seed(state.initialStoredPolicy);

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

  const conditionsPass = (t: WorkflowTransition, issue: SandboxIssue, context: RuleContext): boolean => {
    const rules = current().rulesById.get(t.id)!;
    const group = (g: InstalledConditionGroup): boolean => {
      const verdicts = [
        ...g.conditions.map((rule) => () => {
          const verdict = evaluateConditionRule(rule, context);
          if (!verdict.shown && verdict.error) {
            log(LOG_EVENT, { event: 'condition-error', issueKey: issue.key, transitionId: t.id, edge: t.edge?.id ?? null, part: rule.part, ...verdict.error });
          }
          return verdict.shown;
        }),
        ...g.conditionGroups.map((nested) => () => group(nested)),
      ];
      if (!verdicts.length) return true;
      return g.operation === 'ANY' ? verdicts.some((run) => run()) : verdicts.every((run) => run());
    };
    return group({ operation: rules.conditionOperation, conditions: rules.conditions, conditionGroups: rules.conditionGroups });
  };

  const hasConditions = (rules: InstalledTransitionRules): boolean => {
    const any = (g: Pick<InstalledConditionGroup, 'conditions' | 'conditionGroups'>): boolean => g.conditions.length > 0 || g.conditionGroups.some(any);
    return any(rules);
  };

  const transitionJson = (t: WorkflowTransition): TransitionJson => ({
    id: t.id,
    name: t.name,
    to: statusJson(t.to),
    hasScreen: t.hasScreen,
    isGlobal: t.isGlobal,
    isInitial: false,
    isAvailable: true,
    isConditional: hasConditions(current().rulesById.get(t.id)!),
    isLooped: t.isLooped,
  });

  const availableFrom = (t: WorkflowTransition, statusId: string | null): boolean => !t.isInitial && t.from.some((s) => s.id === statusId);

  const transitionsFor = async (issue: SandboxIssue, user: SandboxUser): Promise<TransitionJson[]> => {
    const statusId = currentStatusId(issue.fields);
    const context: RuleContext = { issue: expressionIssueOf(issue, {}, { users: state.users }), user: expressionUserOf(user), now: clock() };
    return current().transitions.filter((t) => availableFrom(t, statusId) && conditionsPass(t, issue, context)).map(transitionJson);
  };

  const perform = async (issue: SandboxIssue, transitionId: string, user: SandboxUser, fields: Record<string, unknown>): Promise<TransitionOutcome> => {
    const ids = { issueKey: issue.key, transitionId, accountId: user.accountId };
    const statusId = currentStatusId(issue.fields);
    const t = current().transitions.find((candidate) => candidate.id === transitionId);
    if (!t || !availableFrom(t, statusId)) {
      log(LOG_EVENT, { ...ids, outcome: 'invalid-transition' });
      return refused(400, [invalidTransition(transitionId)]);
    }
    const rules = current().rulesById.get(t.id)!;
    const edge = t.edge?.id ?? null;
    const from = t.from.find((s) => s.id === statusId)!;
    const now = clock();
    const actor = expressionUserOf(user);
    const original = expressionIssueOf(issue, {}, { users: state.users });
    if (!conditionsPass(t, issue, { issue: original, user: actor, now })) {
      log(LOG_EVENT, { ...ids, edge, outcome: 'hidden' });
      return refused(400, [CANNOT_TRANSITION]);
    }
    const screen = normalizeScreenFields(state, fields);
    if (!screen.ok) {
      log(LOG_EVENT, { ...ids, edge, outcome: 'invalid-fields', fields: Object.keys(screen.errors).join(',') });
      return refused(400, [], screen.errors);
    }

    const messages: string[] = [];
    const context: RuleContext = { issue: expressionIssueOf(issue, screen.values, { users: state.users }), originalIssue: original, user: actor, now };
    for (const rule of rules.validators) {
      const verdict = evaluateValidatorRule(rule, t.edge?.name ?? t.name, context);
      if (verdict.pass) continue;
      messages.push(verdict.message);
      if (verdict.error) log(LOG_EVENT, { ...ids, event: 'validator-error', edge, part: rule.part, ...verdict.error });
    }
    for (const rule of rules.functionValidators) {
      const result = await runtime.runHistoryGate({
        issueKey: issue.key,
        fromStatusId: from.id,
        toStatusId: t.to.id,
        modifiedFields: modifiedFieldsOf(state, screen.values),
        accountId: user.accountId,
        configuration: rule.configuration,
      });
      if (!result.result) messages.push(result.errorMessage);
      log(LOG_EVENT, { ...ids, event: 'function-validator', function: rule.function, result: result.result });
    }
    if (messages.length) {
      log(LOG_EVENT, { ...ids, edge, outcome: 'blocked', messages: messages.length });
      return refused(400, [...new Set(messages)]);
    }

    const patch: Record<string, unknown> = from.id === t.to.id ? { ...screen.values } : { status: statusJson(t.to), ...screen.values };
    const history = applyFieldChanges(state, issue, patch, user, now);
    log(LOG_EVENT, { ...ids, edge, outcome: 'transitioned', historyId: history?.id ?? null });

    for (const rule of rules.postFunctions) {
      const outcome = await runtime.runEvidenceRecorder({
        issueKey: issue.key,
        issueId: issue.id,
        fromStatusId: from.id,
        toStatusId: t.to.id,
        executionId: executionId(),
        transitionId: t.id,
        transitionName: t.name,
        accountId: user.accountId,
        changelog: history ? (JSON.parse(JSON.stringify({ id: history.id, items: history.items })) as unknown) : null,
        configuration: rule.configuration,
      });
      log(LOG_EVENT, { ...ids, event: 'post-function', function: rule.function, outcome: outcome?.outcome ?? 'failed' });
    }
    return { ok: true };
  };

  /** Saves `config` on the transition's app rule of that kind and part, in a new document version. */
  const installRuleConfig: SandboxWorkflowEngine['installRuleConfig'] = (transitionId, kind, config) => {
    const index = state.workflow.transitions.findIndex((t) => t.id === transitionId);
    if (index < 0 || !current().rulesById.has(transitionId)) {
      return { ok: false, reason: 'unknown-transition', message: `The CC8.1 workflow has no transition ${transitionId}.` };
    }
    if (config.kind !== kind) {
      return { ok: false, reason: 'kind-mismatch', message: `This config was compiled for a ${config.kind}; it cannot be saved on the ${kind}.` };
    }
    const slot = kind === 'condition' ? 'condition' : 'validator';
    const existing = current().rulesById.get(transitionId)!;
    const installedRules = kind === 'condition' ? existing.conditions : existing.validators;
    // The rule this config replaces: the same part, else a placeholder or broken rule (one without a readable config).
    const target = installedRules.find((rule) => rule.config?.part === config.part) ?? installedRules.find((rule) => rule.config === null);
    const ruleId = target?.ruleId ?? randomUUID();
    const saved: WorkflowRule = { id: ruleId, ruleKey: RULE_KEY_OF[slot], parameters: { key: MODULE_ARIS[slot], config: JSON.stringify(config) } };
    const replace = (rules: readonly WorkflowRule[] | null | undefined): WorkflowRule[] => {
      const list = [...(rules ?? [])];
      const at = target ? list.findIndex((rule) => rule.id === target.ruleId) : -1;
      if (at >= 0) list[at] = saved;
      else list.push(saved);
      return list;
    };
    const document = state.workflow.transitions[index]!;
    const updatedTransition =
      kind === 'condition'
        ? { ...document, conditions: { operation: document.conditions?.operation ?? 'ALL', conditionGroups: document.conditions?.conditionGroups ?? [], conditions: replace(document.conditions?.conditions) } }
        : { ...document, validators: replace(document.validators) };
    const { id, version, statuses } = state.workflow;
    const outcome = applyWorkflowUpdate(state, {
      statuses: workflowStatusesJson(state, state.workflow),
      workflows: [
        {
          id,
          version: { ...version },
          statuses: statuses.map((s) => ({ statusReference: s.statusReference, properties: { ...(s.properties ?? {}) } })),
          transitions: state.workflow.transitions.map((t, i) => (i === index ? updatedTransition : t)),
        },
      ],
    });
    if (!outcome.ok) throw new Error(`Saving the rule config failed: ${outcome.errorMessages.join(' ')}`); // unreachable: built from the current document
    savedConfigs.set(ruleId, saved.parameters!.config!);
    derivedFrom = null;
    log(LOG_EVENT, { event: 'rule-config-installed', transitionId, kind, edge: config.edge, part: config.part, parts: config.parts, policyVersion: config.policyVersion });
    return { ok: true, rules: current().rulesById.get(transitionId)! };
  };

  return {
    runtime,
    workflowTransitions: () => current().transitions,
    installedRules: () => current().installed,
    reinstallRules: async () => {
      installAppRules(state);
      await seed();
    },
    installRuleConfig,
    transitionsFor,
    transition: (issue, transitionId, user, fields) => withIssueLock(issue.id, () => perform(issue, transitionId, user, fields ?? {})),
  };
};
