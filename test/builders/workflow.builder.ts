import { EDGES, STATES, type Policy } from '../../src/domain';
import type { ForgeRuleOffer, JiraWorkflow, JiraWorkflowStatus, WorkflowTransition } from '../../src/jira/workflow-schemas';
import type { AppEnvironment } from '../../src/setup/app-rule-modules';
import type { WorkflowSharing } from '../../src/setup/workflow-sharing';
import { RULE_MODULE_KEYS } from '../../src/setup/app-rule-modules';
import type { RuleSlot } from '../../src/shared/admin-contract';

export const APP_ARI = 'ari:cloud:ecosystem::extension/app-1/env-1/static';
/** The installation `APP_ARI` belongs to; OTHER_ENV_ARI is the same app's other environment on the site. */
export const APP_ENVIRONMENT: AppEnvironment = { appId: 'app-1', environmentId: 'env-1' };
export const OTHER_ENV_ARI = 'ari:cloud:ecosystem::extension/app-1/env-2/static';
export const CHANGE_SCOPE = { projectId: '10000', projectKey: 'CHG', issueTypeId: '10005', issueTypeName: 'Change' };

const RULE_TYPE: Record<RuleSlot, ForgeRuleOffer['ruleType']> = { condition: 'Condition', validator: 'Validator', 'history-gate': 'Validator', 'evidence-recorder': 'Function' };
const RULE_KEY: Record<RuleSlot, string> = {
  condition: 'forge:expression-condition',
  validator: 'forge:expression-validator',
  'history-gate': 'forge:expression-validator',
  'evidence-recorder': 'forge:workflow-post-function',
};

/** The Forge rules Jira offers for the app's four modules. */
export const anOfferList = (slots: readonly RuleSlot[] = Object.keys(RULE_MODULE_KEYS) as RuleSlot[], ari = APP_ARI): ForgeRuleOffer[] =>
  slots.map((slot) => ({ id: `${ari}/${RULE_MODULE_KEYS[slot]}`, ruleKey: RULE_KEY[slot], ruleType: RULE_TYPE[slot], name: RULE_MODULE_KEYS[slot] }));

/** The workflow's statuses as `POST /workflows` lists them beside it (named after the lifecycle states). */
export const workflowStatusList = (policy: Policy): JiraWorkflowStatus[] =>
  STATES.map((state) => ({ id: policy.statuses[state]!, name: state, statusReference: policy.statuses[state]!, statusCategory: state === 'Draft' ? 'TODO' : state === 'Closed' ? 'DONE' : 'IN_PROGRESS' }));

/** The workflow used by the change issue type only (`extra` adds other projects or issue types). */
export const aSharing = (extra: { projectIds?: string[]; issueTypeIds?: string[] } = {}): WorkflowSharing => ({
  scope: CHANGE_SCOPE,
  projectIds: [CHANGE_SCOPE.projectId, ...(extra.projectIds ?? [])],
  issueTypeIds: [CHANGE_SCOPE.issueTypeId, ...(extra.issueTypeIds ?? [])],
});

/** Everything a plan needs besides the policy, its version and the workflow: a dedicated workflow on this environment. */
export const planContext = (policy: Policy) => ({ statuses: workflowStatusList(policy), offers: anOfferList(), sharing: aSharing(), environment: APP_ENVIRONMENT });

/** A company-managed workflow with one directed transition per lifecycle edge, no rules, for the policy's statuses. */
export const aWorkflow = (policy: Policy, extra: WorkflowTransition[] = []): JiraWorkflow => ({
  id: 'wf-1',
  name: 'Change workflow',
  scope: { type: 'GLOBAL' },
  statuses: STATES.map((s) => ({ statusReference: policy.statuses[s]!, properties: {} })),
  transitions: [
    { id: '1', name: 'Create', type: 'INITIAL', toStatusReference: policy.statuses.Draft!, links: [], validators: [], actions: [] },
    ...EDGES.map((edge, i) => ({
      id: String((i + 1) * 10 + 1),
      name: edge.name,
      type: 'DIRECTED' as const,
      toStatusReference: policy.statuses[edge.to]!,
      links: [{ fromStatusReference: policy.statuses[edge.from]!, fromPort: 0, toPort: 1 }],
      validators: [],
      actions: [],
    })),
    ...extra,
  ],
  version: { id: 'v-1', versionNumber: 1 },
});

/** The workflow after an update request was applied (what Jira would answer). */
export const applied = (workflow: JiraWorkflow, transitions: WorkflowTransition[]): JiraWorkflow => ({
  ...workflow,
  transitions,
  version: { id: `${workflow.version.id}+`, versionNumber: workflow.version.versionNumber + 1 },
});
