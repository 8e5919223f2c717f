/**
 * Whether a workflow is the CC8.1 scope's own: the workflows API updates a workflow everywhere it
 * is used, so installing the app's rules on a workflow shared with other projects or issue types
 * would gate (and record evidence for) work outside the policy's scope. Pure.
 */
export interface WorkflowSharing {
  scope: { projectId: string; projectKey: string; issueTypeId: string; issueTypeName: string };
  /** Every project using the workflow (`/workflow/{id}/projectUsages`). */
  projectIds: readonly string[];
  /** The issue types using it in the scope's project (`/workflow/{id}/project/{projectId}/issueTypeUsages`). */
  issueTypeIds: readonly string[];
  /** Names for the message, by id, where known. */
  projectKeys?: ReadonlyMap<string, string>;
  issueTypeNames?: ReadonlyMap<string, string>;
}

const list = (names: readonly string[]): string => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/** The refusal in words when the workflow is used outside the scope; null when it is the scope's own. */
export const sharedWorkflowMessage = (workflowName: string, sharing: WorkflowSharing): string | null => {
  const { scope } = sharing;
  const otherProjects = sharing.projectIds.filter((id) => id !== scope.projectId).map((id) => sharing.projectKeys?.get(id) ?? id);
  const otherTypes = sharing.issueTypeIds.filter((id) => id !== scope.issueTypeId).map((id) => sharing.issueTypeNames?.get(id) ?? `issue type ${id}`);
  if (!otherProjects.length && !otherTypes.length) return null;
  const uses = [
    ...(otherProjects.length ? [`${otherProjects.length === 1 ? 'project' : 'projects'} ${list(otherProjects)}`] : []),
    ...(otherTypes.length ? [`${list(otherTypes)} in ${scope.projectKey}`] : []),
  ];
  return (
    `Workflow "${workflowName}" is shared: besides ${scope.projectKey} / ${scope.issueTypeName} it is used by ${uses.join(' and by ')}. ` +
    `Installing the CC8.1 rules on it would gate those tickets too, so the setup will not change it. ` +
    `Make a dedicated copy for ${scope.issueTypeName} tickets: in Jira settings → Work items (Issues) → Workflows, copy "${workflowName}"; ` +
    `then in ${scope.projectKey}'s workflow scheme assign the copy to the ${scope.issueTypeName} issue type only, and publish. Then reload this page and install the rules.`
  );
};
