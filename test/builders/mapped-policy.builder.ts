import { FIELD_KEYS, FieldKey, Policy, PolicyInput, STATES } from '../../src/domain';
import { aPolicy } from './policy.builder';

/** Custom field ids for every CC8.1 field except the system-mapped ones. */
export const CUSTOM_FIELD_IDS: Partial<Record<FieldKey, string>> = Object.fromEntries(
  FIELD_KEYS.filter((k) => !['summary', 'justification', 'requester'].includes(k)).map((k, i) => [k, `customfield_${10040 + i}`]),
);

export const STATUS_IDS = Object.fromEntries(STATES.map((s, i) => [s, String(10000 + i)]));

/** A policy with every field and status mapped, as an admin would configure it. */
export const aMappedPolicy = (overrides: PolicyInput = {}): Policy =>
  aPolicy({ fields: { summary: 'summary', justification: 'description', requester: 'reporter', ...CUSTOM_FIELD_IDS }, statuses: STATUS_IDS, ...overrides });
