/**
 * Installs the app's rules on the site's workflow, as the CC8.1 admin page's workflow setup does:
 * the update the app's own setup builder (`buildWorkflowPlan`) plans for the policy and the offered
 * rules, applied the way `POST /rest/api/3/workflows/update` applies it. Seeds the demo site, and
 * backs the engine's `reinstallRules()`.
 */
import { buildWorkflowPlan } from '../../src/setup/build-workflow-plan';
import { forgeRuleOffers } from '../workflow/app-modules';
import type { SandboxState } from './sandbox-state';
import { applyWorkflowUpdate } from './workflow-document';

/** The Forge rules Jira offers on the site's workflow: none in a team-managed project. */
export const offeredRules = (state: SandboxState) => (state.projectStyle === 'classic' ? forgeRuleOffers() : []);

/** Applies the app's plan for `state.policy` to the site's workflow (a new document version when anything changes). */
export const installAppRules = (state: SandboxState): void => {
  const plan = buildWorkflowPlan({ policy: state.policy, policyVersion: state.policy.version, workflow: state.workflow, offers: offeredRules(state) });
  if (plan.view.state === 'unavailable') throw new Error(`The app's workflow setup is unavailable: ${plan.view.message}`);
  if (!plan.update) return;
  const outcome = applyWorkflowUpdate(state, plan.update);
  if (!outcome.ok) throw new Error(`Installing the app's rules failed: ${outcome.errorMessages.join(' ')} ${JSON.stringify(outcome.errors)}`);
};
