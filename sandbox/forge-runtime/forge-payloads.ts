/**
 * Forge-shaped payloads and contexts for the workflow handlers, as the platform sends them
 * (FORGE-NOTES.md "Workflow modules"; src/forge/workflow-payloads.ts parses them).
 */

/** The site the sandbox pretends to be, as an installation context ARI. */
export const SANDBOX_INSTALL_CONTEXT = 'ari:cloud:jira::site/00000000-0000-4000-8000-000000005a9d';

export interface ValidatorCall {
  issueKey: string;
  fromStatusId: string;
  toStatusId: string;
  /** Transition-screen edits by field id, as Forge sends them (user fields as bare account ids). */
  modifiedFields: Record<string, unknown>;
  /** The acting user. */
  accountId: string;
  configuration?: unknown;
}

export interface PostFunctionCall {
  issueKey: string;
  issueId: string;
  fromStatusId: string;
  toStatusId: string;
  executionId: string;
  transitionId: string;
  transitionName: string;
  /** The acting user. */
  accountId: string;
  /** The changelog entry the transition wrote; null when it wrote none. */
  changelog: unknown;
  configuration?: unknown;
}

/** `{ issue: { key }, transition: { from: { id }, to: { id }, modifiedFields }, configuration }`. */
export const functionValidatorPayload = (call: ValidatorCall) => ({
  issue: { key: call.issueKey },
  transition: { from: { id: call.fromStatusId }, to: { id: call.toStatusId }, modifiedFields: call.modifiedFields },
  configuration: call.configuration ?? {},
});

/** The invocation context of a function validator: the acting user in both places Forge may put it. */
export const validatorContext = (accountId: string) => ({
  principal: { accountId },
  accountId,
  installContext: SANDBOX_INSTALL_CONTEXT,
});

/** `{ issue: { key, id }, transition: { from, to, executionId, transitionId, transitionName }, atlassianId, changelog, configuration }`. */
export const postFunctionPayload = (call: PostFunctionCall) => ({
  issue: { key: call.issueKey, id: call.issueId },
  transition: {
    from: { id: call.fromStatusId },
    to: { id: call.toStatusId },
    executionId: call.executionId,
    transitionId: call.transitionId,
    transitionName: call.transitionName,
  },
  atlassianId: call.accountId,
  changelog: call.changelog,
  configuration: call.configuration ?? {},
});

export const postFunctionContext = () => ({ installContext: SANDBOX_INSTALL_CONTEXT });

/** The site's cloud id (the UUID in the installation context). */
export const SANDBOX_CLOUD_ID = SANDBOX_INSTALL_CONTEXT.slice(SANDBOX_INSTALL_CONTEXT.lastIndexOf('/') + 1);

/** The request a scheduled trigger function receives: `{ context: { cloudId, moduleKey }, contextToken }`. */
export const scheduledTriggerPayload = (moduleKey: string) => ({
  context: { cloudId: SANDBOX_CLOUD_ID, moduleKey },
  // Opaque to apps; the sandbox's is not a real token.
  contextToken: `sandbox-context-token.${moduleKey}`,
});

/** A scheduled trigger runs without a user: the context has the installation only. */
export const scheduledTriggerContext = () => ({ installContext: SANDBOX_INSTALL_CONTEXT });
