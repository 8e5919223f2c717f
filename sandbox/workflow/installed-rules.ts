/**
 * The app's rules as the workflow document carries them, per transition, read the way Jira reads
 * them: a rule whose `parameters.key` is the app's condition / validator module ARI runs
 * `JSON.parse(parameters.config).expression` with the parsed config as `config`; without a saved
 * config it runs the manifest's placeholder (fails closed); a config that is not JSON or has no
 * expression fails closed with a message to reinstall the rules. The history gate and the evidence
 * recorder modules run the app's functions. Other apps' and system rules are listed as ignored.
 */
import type { EdgeId, Policy } from '../../src/domain';
import { CompileErrorCode, compileEdge, RuleConfig, RuleConfigSchema, RuleKind } from '../../src/domain/expression';
import type { WorkflowRule } from '../../src/jira/workflow-schemas';
import type { SandboxFunctionKey } from '../forge-runtime/forge-runtime';
import { MODULES, ModuleSlot, slotOfAri } from './app-modules';
import type { WorkflowTransition } from './cc81-workflow';

export { MODULES } from './app-modules';

/** The manifest's placeholder expressions, which run until an admin saves a compiled rule. */
export const PLACEHOLDER_EXPRESSIONS: Record<RuleKind, string> = {
  condition: 'false',
  validator: '"This CC8.1 rule is not configured yet. A Jira admin must edit this validator, pick the lifecycle step it guards, and save."',
};

export const brokenConfigMessage = (transitionName: string): string =>
  `The CC8.1 rule on ${transitionName} has a saved configuration the app cannot read, so this transition is blocked. A Jira admin must reinstall the rules from the CC8.1 admin page (Workflow setup).`;

export const NOT_CONFIGURED = 'NOT_CONFIGURED' as const;

export interface InstalledExpressionRule {
  module: typeof MODULES.condition | typeof MODULES.validator;
  kind: RuleKind;
  /** The rule's id in the workflow document (null only before Jira assigned one). */
  ruleId: string | null;
  /** What Jira evaluates: the saved config's expression, or the manifest placeholder ('' when the config is broken). */
  expression: string;
  /** The saved config, when it is a CC8.1 RuleConfig; null otherwise. */
  config: RuleConfig | null;
  /** The `config` variable the expression sees (the parsed saved config); null without one. */
  configValue: unknown;
  part: number;
  parts: number;
  checks: string[];
  expensiveOps: number;
  /** Why the rule runs the placeholder (the compile error the config page would show); null when configured. */
  unconfigured: { code: CompileErrorCode | typeof NOT_CONFIGURED; message: string } | null;
  /** Set when the saved config is not JSON or has no expression: the rule fails closed. */
  broken: { message: string } | null;
  /** `saved`: a rule config page saved it (`installRuleConfig`); `compiled`: the app's workflow setup installed it. Absent on placeholders and broken rules. */
  source?: 'compiled' | 'saved';
}

export interface InstalledFunctionRule {
  module: typeof MODULES.historyGate | typeof MODULES.evidenceRecorder;
  ruleId: string | null;
  /** The manifest function that runs. */
  function: SandboxFunctionKey;
  /** The saved config, parsed (`configuration` in the function's payload); {} without one. */
  configuration: unknown;
}

export interface InstalledConditionGroup {
  operation: 'ALL' | 'ANY';
  conditions: InstalledExpressionRule[];
  conditionGroups: InstalledConditionGroup[];
}

/** A rule the sandbox does not run: another app's or a system rule, an app module in the wrong place, or a disabled one. */
export interface IgnoredRule {
  where: 'condition' | 'validator' | 'action';
  ruleKey: string;
  key: string | null;
  reason: 'not-the-app' | 'misplaced' | 'disabled';
}

export interface InstalledTransitionRules {
  transitionId: string;
  transitionName: string;
  type: WorkflowTransition['type'];
  /** The lifecycle edge the transition performs; null when it performs none (e.g. a global transition). */
  edge: EdgeId | null;
  /** The one status it leaves from; null for a global transition or one with several links. */
  from: { id: string; name: string } | null;
  fromStatuses: { id: string; name: string }[];
  to: { id: string; name: string };
  /** How the root condition group combines its conditions and nested groups. */
  conditionOperation: 'ALL' | 'ANY';
  conditions: InstalledExpressionRule[];
  conditionGroups: InstalledConditionGroup[];
  validators: InstalledExpressionRule[];
  functionValidators: InstalledFunctionRule[];
  postFunctions: InstalledFunctionRule[];
  ignored: IgnoredRule[];
}

const MODULE_OF: Record<RuleKind, InstalledExpressionRule['module']> = { condition: MODULES.condition, validator: MODULES.validator };

/** What the rule checks, when its expression is what `policy` compiles to for its edge. */
const knownChecks = (policy: Policy, config: RuleConfig): { checks: string[]; expensiveOps: number } => {
  const compiled = compileEdge(policy, config.edge, config.kind);
  const same = compiled.ok ? compiled.rules.find((rule) => rule.expression === config.expression) : undefined;
  return { checks: same ? [...same.checks] : [], expensiveOps: same?.expensiveOps ?? 0 };
};

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
};

interface ReadContext {
  policy: Policy;
  transition: WorkflowTransition;
  /** Configs rule config pages saved, by rule id (`installRuleConfig`). */
  savedConfigs: ReadonlyMap<string, string>;
}

export const expressionRuleOf = (rule: WorkflowRule, kind: RuleKind, ctx: ReadContext): InstalledExpressionRule => {
  const base = { module: MODULE_OF[kind], kind, ruleId: rule.id ?? null, part: 1, parts: 1, checks: [], expensiveOps: 0 };
  const raw = rule.parameters?.config;
  if (raw === undefined || raw === '') {
    const edge = ctx.transition.edge;
    const compiled = edge ? compileEdge(ctx.policy, edge.id, kind) : null;
    const unconfigured: InstalledExpressionRule['unconfigured'] =
      compiled && !compiled.ok
        ? compiled.error
        : { code: NOT_CONFIGURED, message: 'No saved configuration: the manifest placeholder runs and fails closed. Install the rules from the CC8.1 admin page.' };
    return { ...base, expression: PLACEHOLDER_EXPRESSIONS[kind], config: null, configValue: null, unconfigured, broken: null };
  }
  const parsed = parseJson(raw);
  const expression = parsed.ok && parsed.value && typeof parsed.value === 'object' ? (parsed.value as { expression?: unknown }).expression : undefined;
  if (!parsed.ok || typeof expression !== 'string' || !expression.trim()) {
    return { ...base, expression: '', config: null, configValue: null, unconfigured: null, broken: { message: brokenConfigMessage(ctx.transition.name) } };
  }
  const config = RuleConfigSchema.safeParse(parsed.value);
  const known = config.success ? knownChecks(ctx.policy, config.data) : { checks: [], expensiveOps: 0 };
  return {
    ...base,
    ...(config.success ? { part: config.data.part, parts: config.data.parts } : {}),
    ...known,
    expression,
    config: config.success ? config.data : null,
    configValue: parsed.value,
    unconfigured: null,
    broken: null,
    source: rule.id && ctx.savedConfigs.get(rule.id) === raw ? 'saved' : 'compiled',
  };
};

const functionRuleOf = (rule: WorkflowRule, slot: 'historyGate' | 'evidenceRecorder'): InstalledFunctionRule => {
  const raw = rule.parameters?.config;
  const parsed = raw ? parseJson(raw) : { ok: false as const };
  return {
    module: MODULES[slot],
    ruleId: rule.id ?? null,
    function: slot === 'historyGate' ? 'history-gate' : 'evidence-recorder',
    configuration: parsed.ok ? parsed.value : {},
  };
};

const ignoredOf = (rule: WorkflowRule, where: IgnoredRule['where']): IgnoredRule => ({
  where,
  ruleKey: rule.ruleKey,
  key: rule.parameters?.key ?? null,
  reason: slotOfAri(rule.parameters?.key) === null ? 'not-the-app' : isDisabled(rule) ? 'disabled' : 'misplaced',
});

const isDisabled = (rule: WorkflowRule): boolean => rule.parameters?.disabled === 'true';

/** The app module slot a rule runs in, or null when the sandbox does not run it. */
const runnableSlot = (rule: WorkflowRule): ModuleSlot | null => (isDisabled(rule) ? null : slotOfAri(rule.parameters?.key));

type DocumentGroup = NonNullable<WorkflowTransition['document']['conditions']>;

const groupOf = (group: DocumentGroup | null | undefined, ctx: ReadContext, ignored: IgnoredRule[]): InstalledConditionGroup => {
  const conditions: InstalledExpressionRule[] = [];
  for (const rule of group?.conditions ?? []) {
    if (runnableSlot(rule) === 'condition') conditions.push(expressionRuleOf(rule, 'condition', ctx));
    else ignored.push(ignoredOf(rule, 'condition'));
  }
  return { operation: group?.operation ?? 'ALL', conditions, conditionGroups: (group?.conditionGroups ?? []).map((g) => groupOf(g, ctx, ignored)) };
};

const byPart = (rules: InstalledExpressionRule[]): InstalledExpressionRule[] => [...rules].sort((a, b) => a.part - b.part);

/** The rules a transition of the document carries, as the engine runs them. */
export const transitionRulesOf = (transition: WorkflowTransition, policy: Policy, savedConfigs: ReadonlyMap<string, string> = new Map()): InstalledTransitionRules => {
  const ctx: ReadContext = { policy, transition, savedConfigs };
  const ignored: IgnoredRule[] = [];
  const root = groupOf(transition.document.conditions, ctx, ignored);
  const validators: InstalledExpressionRule[] = [];
  const functionValidators: InstalledFunctionRule[] = [];
  for (const rule of transition.document.validators ?? []) {
    const slot = runnableSlot(rule);
    if (slot === 'validator') validators.push(expressionRuleOf(rule, 'validator', ctx));
    else if (slot === 'historyGate') functionValidators.push(functionRuleOf(rule, slot));
    else ignored.push(ignoredOf(rule, 'validator'));
  }
  const postFunctions: InstalledFunctionRule[] = [];
  for (const rule of transition.document.actions ?? []) {
    if (runnableSlot(rule) === 'evidenceRecorder') postFunctions.push(functionRuleOf(rule, 'evidenceRecorder'));
    else ignored.push(ignoredOf(rule, 'action'));
  }
  const status = (s: { id: string; name: string }) => ({ id: s.id, name: s.name });
  return {
    transitionId: transition.id,
    transitionName: transition.name,
    type: transition.type,
    edge: transition.edge?.id ?? null,
    from: transition.type === 'DIRECTED' && transition.from.length === 1 ? status(transition.from[0]!) : null,
    fromStatuses: transition.from.map(status),
    to: status(transition.to),
    conditionOperation: root.operation,
    conditions: byPart(root.conditions),
    conditionGroups: root.conditionGroups,
    validators: byPart(validators),
    functionValidators,
    postFunctions,
    ignored,
  };
};
