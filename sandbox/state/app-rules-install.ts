/**
 * Installs the app's rules on the site's workflow, as the CC8.1 admin page's workflow setup does:
 * the update the app's own setup builder (`buildWorkflowPlan`) plans for the policy and the offered
 * rules, applied the way `POST /rest/api/3/workflows/update` applies it. Seeds the demo site, and
 * backs the engine's `reinstallRules()`.
 */
import { buildWorkflowPlan, type WorkflowPlanInput } from '../../src/setup/build-workflow-plan';
import { forgeRuleOffers, SANDBOX_APP_ID, SANDBOX_ENVIRONMENT_ID } from '../workflow/app-modules';
import type { SandboxState } from './sandbox-state';
import { applyWorkflowUpdate, workflowStatusesJson } from './workflow-document';

/** The Forge rules Jira offers on the site's workflow: none in a team-managed project. */
export const offeredRules = (state: SandboxState) => (state.projectStyle === 'classic' ? forgeRuleOffers() : []);

/** What the app's setup reads from the sandbox's Jira besides the policy: statuses, offers, usage, this environment. */
export const sandboxPlanContext = (state: SandboxState): Omit<WorkflowPlanInput, 'policy' | 'policyVersion'> => ({
  workflow: state.workflow,
  statuses: workflowStatusesJson(state, state.workflow),
  offers: offeredRules(state),
  sharing: {
    scope: { projectId: state.project.id, projectKey: state.project.key, issueTypeId: state.issueType.id, issueTypeName: state.issueType.name },
    projectIds: [state.project.id, ...(state.workflowAlsoUsedBy?.projectIds ?? [])],
    issueTypeIds: [state.issueType.id, ...(state.workflowAlsoUsedBy?.issueTypeIds ?? [])],
  },
  environment: { appId: SANDBOX_APP_ID, environmentId: SANDBOX_ENVIRONMENT_ID },
});

/** Applies the app's plan for `state.policy` to the site's workflow (a new document version when anything changes). */
export const installAppRules = (state: SandboxState): void => {
  const plan = buildWorkflowPlan({ policy: state.policy, policyVersion: state.policy.version, ...sandboxPlanContext(state) });
  if (plan.view.state === 'unavailable') throw new Error(`The app's workflow setup is unavailable: ${plan.view.message}`);
  if (!plan.update) return;
  const outcome = applyWorkflowUpdate(state, plan.update);
  if (!outcome.ok) throw new Error(`Installing the app's rules failed: ${outcome.errorMessages.join(' ')} ${JSON.stringify(outcome.errors)}`);
};
