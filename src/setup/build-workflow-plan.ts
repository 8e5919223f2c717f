/**
 * The dry run of the workflow setup: for the change workflow as Jira has it and the policy, which
 * app rules each lifecycle transition needs, what differs from what is installed, and the
 * `POST /rest/api/3/workflows/update` request that would make it so. Pure: no I/O, no clock.
 *
 * Transitions map to lifecycle edges through their links and the policy's status mapping. Rules of
 * other apps and Jira's own are kept as they are; the app's own rules (found by module key) are
 * replaced by the ones the policy compiles to. Conditions always combine with ALL, so an existing
 * ANY group can never OR the app's conditions away.
 */
import { EDGES, findEdge, STATES, type EdgeId, type Policy, type State } from '../domain';
import type { RuleChange, RuleSlot, SetupProblem, TransitionPlan, WorkflowPlanView } from '../shared/admin-contract';
import type { ConditionGroup, ForgeRuleOffer, JiraWorkflow, WorkflowRule, WorkflowTransition, WorkflowUpdateRequest } from '../jira/workflow-schemas';
import { offerFor, RULE_MODULE_KEYS, slotOfRuleKey, SLOT_PLACE } from './app-rule-modules';
import { desiredEdgeRules, type DesiredRule } from './desired-rules';
import { SETUP_PROBLEM_CODES } from './setup-problems';

export interface WorkflowPlanInput {
  policy: Policy;
  /** The stored policy's version (stamped into every rule config). */
  policyVersion: number;
  workflow: JiraWorkflow;
  /** The Forge rules Jira offers on this workflow (`GET /workflows/capabilities`). */
  offers: readonly ForgeRuleOffer[];
}

export interface WorkflowPlan {
  view: WorkflowPlanView;
  /** The update to send; null when the plan is unavailable or nothing changes. */
  update: WorkflowUpdateRequest | null;
}

const SLOTS = Object.keys(RULE_MODULE_KEYS) as RuleSlot[];

const unavailable = (code: string, message: string): WorkflowPlan => ({ view: { state: 'unavailable', code, message }, update: null });

/** status id → lifecycle state, from the policy. */
export const statesByStatusId = (policy: Policy): Map<string, State> =>
  new Map(STATES.flatMap((state) => (policy.statuses[state] ? [[policy.statuses[state]!, state] as const] : [])));

/** The lifecycle edges a transition serves (one per link that maps to an edge) and the links that map to none. */
export const edgesOfTransition = (t: WorkflowTransition, states: ReadonlyMap<string, State>): { edges: EdgeId[]; from: State[]; strayFrom: string[] } => {
  const to = states.get(t.toStatusReference);
  const edges: EdgeId[] = [];
  const from: State[] = [];
  const strayFrom: string[] = [];
  for (const link of t.links ?? []) {
    const source = link.fromStatusReference ? states.get(link.fromStatusReference) : undefined;
    const edge = source && to ? findEdge(source, to) : undefined;
    if (source) from.push(source);
    if (edge) edges.push(edge.id);
    else strayFrom.push(link.fromStatusReference ?? '(any)');
  }
  return { edges: [...new Set(edges)], from, strayFrom };
};

/** The app rules installed on a transition, by slot, in order. */
export const installedAppRules = (t: WorkflowTransition): Record<RuleSlot, WorkflowRule[]> => {
  const bySlot: Record<RuleSlot, WorkflowRule[]> = { condition: [], validator: [], 'history-gate': [], 'evidence-recorder': [] };
  const conditions: WorkflowRule[] = [];
  const walk = (group: ConditionGroup | null | undefined) => {
    if (!group) return;
    conditions.push(...(group.conditions ?? []));
    for (const nested of group.conditionGroups ?? []) walk(nested);
  };
  walk(t.conditions);
  for (const rule of [...conditions, ...(t.validators ?? []), ...(t.actions ?? [])]) {
    const slot = slotOfRuleKey(rule.parameters?.key);
    if (slot && SLOT_PLACE[slot] === placeOf(t, rule)) bySlot[slot].push(rule);
  }
  return bySlot;
};

const placeOf = (t: WorkflowTransition, rule: WorkflowRule): 'conditions' | 'validators' | 'actions' =>
  (t.validators ?? []).includes(rule) ? 'validators' : (t.actions ?? []).includes(rule) ? 'actions' : 'conditions';

interface ParsedConfig {
  part: number;
  policyVersion: number | null;
  expression: string | null;
}

const parseConfig = (raw: string | undefined): ParsedConfig | null => {
  if (raw === undefined) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (!value || typeof value !== 'object') return null;
    const record = value as Record<string, unknown>;
    return {
      part: typeof record.part === 'number' ? record.part : 1,
      policyVersion: typeof record.policyVersion === 'number' ? record.policyVersion : null,
      expression: typeof record.expression === 'string' ? record.expression : null,
    };
  } catch {
    return null;
  }
};

/** What changes for one slot: desired parts vs installed rules of that slot. */
const diffSlot = (slot: RuleSlot, desired: readonly DesiredRule[], installed: readonly WorkflowRule[], policyVersion: number): RuleChange[] => {
  const changes: RuleChange[] = [];
  const used = new Set<WorkflowRule>();
  for (const want of desired) {
    const matchIndex = installed.findIndex((rule) => !used.has(rule) && (parseConfig(rule.parameters?.config)?.part ?? 1) === want.part);
    const base = { slot, part: want.part, parts: want.parts, checks: want.unconfigured ? [`Blocked until fixed: ${want.unconfigured.message}`] : want.checks };
    if (matchIndex < 0) {
      changes.push({ ...base, action: 'add', reason: null });
      continue;
    }
    const have = installed[matchIndex]!;
    used.add(have);
    const haveConfig = have.parameters?.config;
    if (have.parameters?.disabled === 'true') {
      changes.push({ ...base, action: 'update', reason: 'It is disabled, so Jira does not run it.' });
      continue;
    }
    if (haveConfig === want.config) {
      changes.push({ ...base, action: 'keep', reason: null });
      continue;
    }
    const parsed = parseConfig(haveConfig);
    const wantParsed = parseConfig(want.config);
    let reason: string;
    if (!parsed) reason = 'Its saved configuration is missing or unreadable.';
    else if (parsed.expression === wantParsed?.expression && parsed.policyVersion !== policyVersion)
      reason = `Same checks; compiled for policy v${parsed.policyVersion ?? '?'}, the policy is now v${policyVersion}.`;
    else if (parsed.policyVersion !== policyVersion) reason = `Stale: compiled for policy v${parsed.policyVersion ?? '?'}; policy v${policyVersion} checks differ.`;
    else reason = 'Its checks differ from what the policy compiles to (edited by hand?).';
    changes.push({ ...base, action: 'update', reason });
  }
  for (const extra of installed) {
    if (used.has(extra)) continue;
    const parsed = parseConfig(extra.parameters?.config);
    changes.push({ action: 'remove', slot, part: parsed?.part ?? 1, parts: parsed?.part ?? 1, checks: [], reason: 'The policy no longer needs this rule here.' });
  }
  return changes;
};

const appRule = (offer: ForgeRuleOffer, want: DesiredRule, existing: WorkflowRule | undefined): WorkflowRule => ({
  ...(existing?.id ? { id: existing.id } : {}),
  ruleKey: offer.ruleKey,
  parameters: { ...(existing?.parameters ?? {}), key: offer.id, config: want.config, disabled: 'false' },
});

const isAppRule = (rule: WorkflowRule): boolean => slotOfRuleKey(rule.parameters?.key) !== null;

const withoutAppConditions = (group: ConditionGroup | null | undefined): ConditionGroup | null => {
  if (!group) return null;
  const conditions = (group.conditions ?? []).filter((rule) => !isAppRule(rule));
  const groups = (group.conditionGroups ?? []).map(withoutAppConditions).filter((g): g is ConditionGroup => g !== null);
  if (!conditions.length && !groups.length) return null;
  return { operation: group.operation ?? 'ALL', conditions, conditionGroups: groups };
};

/** The transition with the app's rules replaced by `desired`; everything else as it was. */
const rewriteTransition = (t: WorkflowTransition, desired: readonly DesiredRule[], offers: readonly ForgeRuleOffer[]): WorkflowTransition => {
  const installed = installedAppRules(t);
  const rulesFor = (slot: RuleSlot): WorkflowRule[] => {
    const offer = offerFor(offers, slot)!;
    return desired.filter((d) => d.slot === slot).map((d, i) => appRule(offer, d, installed[slot][i]));
  };
  const others = withoutAppConditions(t.conditions);
  const ours = rulesFor('condition');
  // Jira's update wants a group (with an operation) even when it is empty, never null.
  let conditions: ConditionGroup;
  if (!others) conditions = { operation: 'ALL', conditions: ours, conditionGroups: [] };
  else if (!ours.length) conditions = others;
  else if (others.operation === 'ALL') conditions = { operation: 'ALL', conditions: [...(others.conditions ?? []), ...ours], conditionGroups: others.conditionGroups ?? [] };
  else conditions = { operation: 'ALL', conditions: ours, conditionGroups: [others] };
  return {
    ...t,
    conditions,
    validators: [...(t.validators ?? []).filter((rule) => !isAppRule(rule)), ...rulesFor('validator'), ...rulesFor('history-gate')],
    actions: [...(t.actions ?? []).filter((rule) => !isAppRule(rule)), ...rulesFor('evidence-recorder')],
  };
};

/** Jira's update takes the workflow's statuses as layouts with properties (never null). */
const statusLayouts = (workflow: JiraWorkflow) =>
  workflow.statuses.map((s) => ({ statusReference: s.statusReference, properties: s.properties ?? {}, ...(s.layout ? { layout: s.layout } : {}) }));

const sameRules = (a: readonly DesiredRule[], b: readonly DesiredRule[]): boolean =>
  a.length === b.length && a.every((rule, i) => rule.slot === b[i]!.slot && rule.part === b[i]!.part && JSON.stringify(withoutEdge(rule.config)) === JSON.stringify(withoutEdge(b[i]!.config)));

const withoutEdge = (config: string): unknown => {
  const parsed = parseConfig(config);
  return parsed ? { ...parsed } : config;
};

export const buildWorkflowPlan = (input: WorkflowPlanInput): WorkflowPlan => {
  const { policy, policyVersion, workflow, offers } = input;
  const missingOffers = SLOTS.filter((slot) => !offerFor(offers, slot));
  if (missingOffers.length) {
    return unavailable(
      SETUP_PROBLEM_CODES.rulesNotOffered,
      `Jira does not offer the app's ${missingOffers.map((s) => RULE_MODULE_KEYS[s]).join(', ')} on workflow "${workflow.name}". Check that the app is installed and licensed on this site, and that the project is company-managed.`,
    );
  }
  const unmapped = STATES.filter((state) => !policy.statuses[state]);
  if (unmapped.length) return unavailable(SETUP_PROBLEM_CODES.statusesUnmapped, `Map ${unmapped.join(', ')} to Jira statuses first (Lifecycle states, above).`);
  const inWorkflow = new Set(workflow.statuses.map((s) => s.statusReference));
  const absent = STATES.filter((state) => !inWorkflow.has(policy.statuses[state]!));
  if (absent.length) {
    return unavailable(SETUP_PROBLEM_CODES.statusNotInWorkflow, `Workflow "${workflow.name}" has no status mapped to ${absent.join(', ')}. Map those states to statuses of this workflow, or add the statuses to it.`);
  }

  const states = statesByStatusId(policy);
  const problems: SetupProblem[] = [];
  const plans: TransitionPlan[] = [];
  const served = new Set<EdgeId>();
  let changed = false;
  const transitions = workflow.transitions.map((t) => {
    const to = states.get(t.toStatusReference) ?? null;
    if (t.type === 'INITIAL') return t;
    if (t.type === 'GLOBAL') {
      if (to) problems.push({ code: SETUP_PROBLEM_CODES.globalTransition, transitionId: t.id, message: `"${t.name}" is a global transition: it moves a change to ${to} from any status, skipping the lifecycle's checks. Delete it, or replace it with transitions from specific statuses.` });
      return t;
    }
    const { edges, from, strayFrom } = edgesOfTransition(t, states);
    for (const stray of strayFrom) {
      const source = states.get(stray);
      problems.push({
        code: SETUP_PROBLEM_CODES.notInLifecycle,
        transitionId: t.id,
        message: `"${t.name}" goes ${source ?? `from status ${stray}`} → ${to ?? `status ${t.toStatusReference}`}, which is not a CC8.1 lifecycle step. Delete that link, or remap the statuses.`,
      });
    }
    if (!edges.length) return t;
    edges.forEach((e) => served.add(e));
    const wanted = edges.map((e) => desiredEdgeRules(policy, policyVersion, e));
    if (!wanted.every((w) => sameRules(w, wanted[0]!))) {
      problems.push({ code: SETUP_PROBLEM_CODES.sharedTransition, transitionId: t.id, message: `"${t.name}" serves ${edges.join(', ')}, which need different rules. Give each lifecycle step its own transition.` });
      return t;
    }
    const desired = wanted[0]!;
    const installed = installedAppRules(t);
    const changes = SLOTS.flatMap((slot) => diffSlot(slot, desired.filter((d) => d.slot === slot), installed[slot], policyVersion));
    for (const d of desired) if (d.unconfigured) problems.push({ code: d.unconfigured.code, transitionId: t.id, message: `${t.name}: ${d.unconfigured.message}` });
    plans.push({ transitionId: t.id, transitionName: t.name, from: [...new Set(from)], to, edges, changes });
    if (changes.every((c) => c.action === 'keep')) return t;
    changed = true;
    return rewriteTransition(t, desired, offers);
  });
  for (const edge of EDGES.filter((e) => !served.has(e.id))) {
    problems.push({ code: SETUP_PROBLEM_CODES.edgeMissing, transitionId: null, message: `The workflow has no transition for "${edge.name}" (${edge.from} → ${edge.to}); users cannot take that step.` });
  }
  const changedTransitions = plans.filter((p) => p.changes.some((c) => c.action !== 'keep')).length;
  return {
    view: {
      state: 'ready',
      workflow: { id: workflow.id, name: workflow.name, versionId: workflow.version.id, versionNumber: workflow.version.versionNumber },
      policyVersion,
      transitions: plans,
      problems,
      changedTransitions,
      upToDate: !changed,
    },
    update: changed ? { workflows: [{ id: workflow.id, ...(workflow.description ? { description: workflow.description } : {}), version: workflow.version, statuses: statusLayouts(workflow), transitions }] } : null,
  };
};
