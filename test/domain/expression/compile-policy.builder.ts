import fc from 'fast-check';
import { EDGES, FIELD_KEYS, type EdgeId, type FieldKey, type Policy, RISKS } from '../../../src/domain';
import { arbPolicyVariant } from '../../builders/jira-ticket.builder';
import { CUSTOM_FIELD_IDS, aMappedPolicy } from '../../builders/mapped-policy.builder';
import { CAB_GROUP, CHANGE_CONTROL_GROUP, PEOPLE } from '../../builders/people.builder';

const CUSTOM_KEYS = Object.keys(CUSTOM_FIELD_IDS) as FieldKey[];

/** Account ids in both shapes Atlassian issues: 24 hex digits, or `712020:` and a UUID. */
const arbAccountId = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{24}$/),
  fc.uuid().map((u) => `712020:${u}`),
);

/**
 * Policies an admin could save with every field mapped: custom field ids of any length, the
 * recurring window mapped or not, the implementer on a custom field or on Assignee, any CAB risks,
 * group and member ids, relaxation on or off, window enforcement, extra required fields per edge.
 */
export const arbBudgetPolicy: fc.Arbitrary<Policy> = fc
  .record({
    ids: fc.uniqueArray(fc.integer({ min: 1, max: 99_999_999 }), { minLength: CUSTOM_KEYS.length, maxLength: CUSTOM_KEYS.length }),
    recurringMapped: fc.boolean(),
    implementerOnAssignee: fc.boolean(),
    cabRisks: fc.subarray([...RISKS]),
    cabGroup: fc.option(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0), { nil: null }),
    cabIds: fc.array(arbAccountId, { maxLength: 5 }),
    relaxed: fc.boolean(),
    flagWindow: fc.boolean(),
    /** Who may approve and verify: any group name an admin might type, or the CAB. */
    eligibleGroup: fc.option(fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim().length > 0), { nil: null }),
    eligibleCab: fc.boolean(),
    extra: fc.array(fc.tuple(fc.constantFrom(...EDGES.map((e) => e.id)), fc.subarray([...FIELD_KEYS])), { maxLength: 4 }),
  })
  .map((v) => {
    const fields: Partial<Record<FieldKey, string>> = { ...aMappedPolicy().fields };
    CUSTOM_KEYS.forEach((key, i) => (fields[key] = `customfield_${v.ids[i]}`));
    if (!v.recurringMapped) delete fields.recurringWindow;
    if (v.implementerOnAssignee) fields.implementer = 'assignee';
    const mapped = (key: FieldKey) => fields[key] !== undefined;
    const additionalRequiredFields: Partial<Record<EdgeId, FieldKey[]>> = Object.fromEntries(v.extra.map(([edge, keys]) => [edge, keys.filter(mapped)]));
    return aMappedPolicy({
      fields,
      cab: { requiredForRisks: v.cabRisks, groupName: v.cabGroup, memberAccountIds: v.cabIds },
      lowRiskRelaxation: v.relaxed ? { enabled: true, compensatingControl: 'Weekly CISO review of self-approved low-risk changes' } : { enabled: false },
      windowEnforcement: v.flagWindow ? 'flag' : 'block',
      eligibility: {
        approver: v.eligibleGroup ? { kind: 'group', groupName: v.eligibleGroup.trim() } : { kind: 'anyone' },
        verifier: v.eligibleCab ? { kind: 'cab' } : { kind: 'anyone' },
      },
      additionalRequiredFields,
    });
  });

type PolicyVariant = typeof arbPolicyVariant extends fc.Arbitrary<infer V> ? V : never;

/** The test site's policy (the ticket builders' field ids and people) in one of the generated variants. */
export const policyFor = (v: PolicyVariant): Policy => {
  const fields = { ...aMappedPolicy().fields };
  if (!v.recurringMapped) delete fields.recurringWindow;
  return aMappedPolicy({
    fields,
    cab: { requiredForRisks: v.cabRisks, groupName: v.cabGroup ? CAB_GROUP : null, memberAccountIds: v.cabIds ? [PEOPLE.cab] : [] },
    lowRiskRelaxation: v.relaxed ? { enabled: true, compensatingControl: 'Weekly CISO review of self-approved low-risk changes' } : { enabled: false },
    windowEnforcement: v.flagWindow ? 'flag' : 'block',
    eligibility: ELIGIBILITY[v.eligible],
  });
};

const ELIGIBILITY: Record<PolicyVariant['eligible'], Policy['eligibility']> = {
  anyone: { approver: { kind: 'anyone' }, verifier: { kind: 'anyone' } },
  group: { approver: { kind: 'group', groupName: CHANGE_CONTROL_GROUP }, verifier: { kind: 'group', groupName: CHANGE_CONTROL_GROUP } },
  cab: { approver: { kind: 'cab' }, verifier: { kind: 'cab' } },
};
