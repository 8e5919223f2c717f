import { EDGES, FieldKey, fieldLabel, Policy, ruleFields, STATES } from '../domain';

/** Every CC8.1 field the panel needs mapped: the four roles, the change type and whatever the lifecycle rules read. */
export const PANEL_FIELDS: readonly FieldKey[] = [
  ...new Set<FieldKey>(['changeType', 'requester', 'implementer', 'approver', 'verifier', ...EDGES.flatMap((edge) => edge.rules.flatMap(ruleFields))]),
];

/** What an admin still has to map before the panel can judge a change (field labels, then "Status: X"). */
export const missingMappings = (policy: Policy): string[] => [
  ...PANEL_FIELDS.filter((field) => !policy.fields[field]).map(fieldLabel),
  ...STATES.filter((state) => !policy.statuses[state]).map((state) => `Status: ${state}`),
];
