/**
 * The dry run of the workflow setup: for the change workflow as Jira has it and the policy, which
 * app rules each lifecycle transition needs, what differs from what is installed, and the
 * `POST /rest/api/3/workflows/update` request that would make it so. Pure: no I/O, no clock.
 *
 * Transitions map to lifecycle edges through their links and the policy's status mapping. Rules of
 * other apps, of this app's other environments (dev/staging/prod on one site) and Jira's own are
 * kept as they are; the app's own rules (found by this environment's extension ARIs) are replaced by
 * the ones the policy compiles to. Conditions always combine with ALL, so an existing ANY group can
 * never OR the app's conditions away. A workflow shared with projects or issue types outside the
 * policy's scope is refused, never changed.
 */
import { createHash } from 'node:crypto';
import { EDGES, findEdge, STATES, type EdgeId, type Policy, type State } from '../domain';
import type { RuleChange, RuleSlot, SetupProblem, TransitionPlan, WorkflowPlanView } from '../shared/admin-contract';
import type { ConditionGroup, ForgeRuleOffer, JiraWorkflow, JiraWorkflowStatus, WorkflowRule, WorkflowStatusUpdate, WorkflowTransition, WorkflowUpdateRequest } from '../jira/workflow-schemas';
import { appRuleOffers, describeMissingOffers, RULE_MODULE_KEYS, SLOT_PLACE, type AppEnvironment, type AppRuleOffers } from './app-rule-modules';
import { sharedWorkflowMessage, type WorkflowSharing } from './workflow-sharing';
import { desiredEdgeRules, type DesiredRule } from './desired-rules';
import { SETUP_PROBLEM_CODES } from './setup-problems';

export interface WorkflowPlanInput {
  policy: Policy;
  /** The stored policy's version (stamped into every rule config). */
  policyVersion: number;
  workflow: JiraWorkflow;
  /** The site's statuses the workflow references, as `POST /workflows` lists them (sent back as the update's top-level `statuses`). */
  statuses: readonly JiraWorkflowStatus[];
  /** The Forge rules Jira offers on this workflow (`GET /workflows/capabilities`). */
  offers: readonly ForgeRuleOffer[];
  /** Where the workflow is used, and the policy's scope. */
  sharing: WorkflowSharing;
  /** This installation's app and environment (Forge runtime); null outside Forge. */
  environment: AppEnvironment | null;
}

/** One compiled expression the planned workflow carries (checked with Jira's analyse before an install). */
export interface PlannedExpression {
  transitionId: string;
  transitionName: string;
  slot: 'condition' | 'validator';
  part: number;
  parts: number;
  expression: string;
}

export interface WorkflowPlan {
  view: WorkflowPlanView;
  /** The update to send; null when the plan is unavailable or nothing changes. */
  update: WorkflowUpdateRequest | null;
  /** Every expression rule of the app on the planned workflow (changed or kept). */
  expressions: PlannedExpression[];
}

const SLOTS = Object.keys(RULE_MODULE_KEYS) as RuleSlot[];

const unavailable = (code: string, message: string): WorkflowPlan => ({ view: { state: 'unavailable', code, message }, update: null, expressions: [] });

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

/** The app rules (this environment's) installed on a transition, by slot, in order. */
export const installedAppRules = (t: WorkflowTransition, ours: AppRuleOffers): Record<RuleSlot, WorkflowRule[]> => {
  const bySlot: Record<RuleSlot, WorkflowRule[]> = { condition: [], validator: [], 'history-gate': [], 'evidence-recorder': [] };
  const conditions: WorkflowRule[] = [];
  const walk = (group: ConditionGroup | null | undefined) => {
    if (!group) return;
    conditions.push(...(group.conditions ?? []));
    for (const nested of group.conditionGroups ?? []) walk(nested);
  };
  walk(t.conditions);
  for (const rule of [...conditions, ...(t.validators ?? []), ...(t.actions ?? [])]) {
    const slot = ours.slotOfAri.get(rule.parameters?.key ?? '');
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

/**
 * The id of a rule the update adds: a name-based UUID (RFC 4122 v5 layout) of the workflow version,
 * transition, slot and part, so a dry run and its apply send the same ids. The document marks a
 * rule's `id` optional and nullable; whether Jira requires one for a new rule is unconfirmed, and a
 * fresh UUID serves either way (Jira keeps or replaces it; the plan matches rules by ARI and part).
 */
export const newRuleId = (workflowVersionId: string, transitionId: string, slot: RuleSlot, part: number): string => {
  const hex = createHash('sha1').update(`cc81-rule\u0000${workflowVersionId}\u0000${transitionId}\u0000${slot}\u0000${part}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

const appRule = (offer: ForgeRuleOffer, want: DesiredRule, existing: WorkflowRule | undefined, newId: string): WorkflowRule => ({
  id: existing?.id ?? newId,
  ruleKey: offer.ruleKey,
  parameters: { ...(existing?.parameters ?? {}), key: offer.id, config: want.config, disabled: 'false' },
});

const isAppRule = (rule: WorkflowRule, ours: AppRuleOffers): boolean => ours.slotOfAri.has(rule.parameters?.key ?? '');

const withoutAppConditions = (group: ConditionGroup | null | undefined, ours: AppRuleOffers): ConditionGroup | null => {
  if (!group) return null;
  const conditions = (group.conditions ?? []).filter((rule) => !isAppRule(rule, ours));
  const groups = (group.conditionGroups ?? []).map((g) => withoutAppConditions(g, ours)).filter((g): g is ConditionGroup => g !== null);
  if (!conditions.length && !groups.length) return null;
  return { operation: group.operation ?? 'ALL', conditions, conditionGroups: groups };
};

/** The transition with the app's rules replaced by `desired`; everything else as it was. */
const rewriteTransition = (t: WorkflowTransition, desired: readonly DesiredRule[], ours: AppRuleOffers, versionId: string): WorkflowTransition => {
  const installed = installedAppRules(t, ours);
  const rulesFor = (slot: RuleSlot): WorkflowRule[] =>
    desired.filter((d) => d.slot === slot).map((d, i) => appRule(ours.bySlot[slot], d, installed[slot][i], newRuleId(versionId, t.id, slot, d.part)));
  const others = withoutAppConditions(t.conditions, ours);
  const mine = rulesFor('condition');
  // Jira's update wants a group (with an operation) even when it is empty, never null.
  let conditions: ConditionGroup;
  if (!others) conditions = { operation: 'ALL', conditions: mine, conditionGroups: [] };
  else if (!mine.length) conditions = others;
  else if (others.operation === 'ALL') conditions = { operation: 'ALL', conditions: [...(others.conditions ?? []), ...mine], conditionGroups: others.conditionGroups ?? [] };
  else conditions = { operation: 'ALL', conditions: mine, conditionGroups: [others] };
  return {
    ...t,
    conditions,
    validators: [...(t.validators ?? []).filter((rule) => !isAppRule(rule, ours)), ...rulesFor('validator'), ...rulesFor('history-gate')],
    actions: [...(t.actions ?? []).filter((rule) => !isAppRule(rule, ours)), ...rulesFor('evidence-recorder')],
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

/** The update's top-level statuses: each status the workflow references, as Jira listed it; null names one Jira did not list. */
const topLevelStatuses = (workflow: JiraWorkflow, statuses: readonly JiraWorkflowStatus[]): { ok: true; statuses: WorkflowStatusUpdate[] } | { ok: false; missing: string[] } => {
  const byRef = new Map(statuses.map((s) => [s.statusReference, s]));
  const missing = workflow.statuses.map((s) => s.statusReference).filter((ref) => !byRef.has(ref));
  if (missing.length) return { ok: false, missing };
  return {
    ok: true,
    statuses: workflow.statuses.map(({ statusReference }) => {
      const s = byRef.get(statusReference)!;
      return { id: s.id, name: s.name, statusReference, statusCategory: s.statusCategory, ...(typeof s.description === 'string' ? { description: s.description } : {}) };
    }),
  };
};

export const buildWorkflowPlan = (input: WorkflowPlanInput): WorkflowPlan => {
  const { policy, policyVersion, workflow, offers } = input;
  const shared = sharedWorkflowMessage(workflow.name, input.sharing);
  if (shared) return unavailable(SETUP_PROBLEM_CODES.workflowShared, shared);
  const found = appRuleOffers(offers, input.environment);
  if (!found.ok) return unavailable(SETUP_PROBLEM_CODES.rulesNotOffered, describeMissingOffers(found, workflow.name, input.environment));
  const ours = found.offers;
  const listed = topLevelStatuses(workflow, input.statuses);
  if (!listed.ok) return unavailable(SETUP_PROBLEM_CODES.statusNotListed, `Jira did not list status ${listed.missing.join(', ')} of workflow "${workflow.name}". Reload this page; if it persists, open the workflow in Jira's editor and publish it once.`);
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
  const expressions: PlannedExpression[] = [];
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
    for (const d of desired) {
      const expression = d.slot === 'condition' || d.slot === 'validator' ? parseConfig(d.config)?.expression : null;
      if (expression) expressions.push({ transitionId: t.id, transitionName: t.name, slot: d.slot as 'condition' | 'validator', part: d.part, parts: d.parts, expression });
    }
    const installed = installedAppRules(t, ours);
    const changes = SLOTS.flatMap((slot) => diffSlot(slot, desired.filter((d) => d.slot === slot), installed[slot], policyVersion));
    for (const d of desired) if (d.unconfigured) problems.push({ code: d.unconfigured.code, transitionId: t.id, message: `${t.name}: ${d.unconfigured.message}` });
    plans.push({ transitionId: t.id, transitionName: t.name, from: [...new Set(from)], to, edges, changes });
    if (changes.every((c) => c.action === 'keep')) return t;
    changed = true;
    return rewriteTransition(t, desired, ours, workflow.version.id);
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
    update: changed
      ? { statuses: listed.statuses, workflows: [{ id: workflow.id, ...(workflow.description ? { description: workflow.description } : {}), version: workflow.version, statuses: statusLayouts(workflow), transitions }] }
      : null,
    expressions,
  };
};
