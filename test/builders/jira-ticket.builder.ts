import fc from 'fast-check';
import {
  Actor,
  CHANGE_TYPES,
  Change,
  ChangeFields,
  EvidenceRecord,
  FIELD_DEFS,
  FieldKey,
  OPTION_LABELS,
  OptionField,
  Policy,
  RISKS,
  STATES,
} from '../../src/domain';
import { EVIDENCE_PROPERTY_KEY } from '../../src/domain';
import { buildIssue, jiraDate, jiraOption, jiraRichText, jiraUser } from '../../sandbox/jira-expression/object-model';
import { at } from './clock';
import { groupsOf, PEOPLE, PersonRole } from './people.builder';

/** A ticket as raw Jira-side values, before either representation (domain or expression) is built. */
export interface RawTicket {
  values: Partial<Record<FieldKey, string | string[] | number | null>>;
  evidence: EvidenceRecord[];
}

const person = fc.constantFrom(...Object.values(PEOPLE));
const text = fc.constantFrom(null, '', '   ', 'Documented step by step');

const arbValue = (field: FieldKey): fc.Arbitrary<string | string[] | number | null> => {
  switch (FIELD_DEFS[field].jira) {
    case 'string':
    case 'richtext':
      return text;
    case 'option':
      return fc.constantFrom(null, 'Not a known option', ...Object.values(OPTION_LABELS[field as OptionField]));
    case 'user':
      return fc.option(person, { nil: null });
    case 'labels':
      return fc.constantFrom(null, [], ['  '], ['edge-proxy'], ['edge-proxy', 'cdn']);
    case 'datetime':
      return fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }); // hours after T0
  }
};

const arbEvidence: fc.Arbitrary<EvidenceRecord[]> = fc.array(
  fc.record({
    from: fc.constantFrom(...STATES),
    to: fc.constantFrom('Implemented', 'Implemented', 'Closed', 'Approved'),
    accountId: fc.option(person, { nil: null }),
    at: fc.integer({ min: 0, max: 30 }).map(at),
  }),
  { maxLength: 4 },
) as fc.Arbitrary<EvidenceRecord[]>;

export const arbRawTicket: fc.Arbitrary<RawTicket> = fc.record({
  values: fc.record(Object.fromEntries((Object.keys(FIELD_DEFS) as FieldKey[]).map((f) => [f, arbValue(f)])) as { [K in FieldKey]: fc.Arbitrary<string | string[] | number | null> }),
  evidence: arbEvidence,
});

export const arbActorRole = fc.option(fc.constantFrom<PersonRole>('requester', 'implementer', 'approver', 'verifier', 'cab', 'outsider'), { nil: null });

export const arbPolicyVariant = fc.record({
  cabRisks: fc.subarray([...RISKS]),
  cabGroup: fc.boolean(),
  cabIds: fc.boolean(),
  relaxed: fc.boolean(),
  flagWindow: fc.boolean(),
  recurringMapped: fc.boolean(),
  /** Who may approve and verify (issue 15): anyone named, the change-control group, or CAB members. */
  eligible: fc.constantFrom<'anyone' | 'group' | 'cab'>('anyone', 'anyone', 'group', 'cab'),
});

/** As the app's readers do: the label without outer spaces, in any case. */
const domainOption = (field: OptionField, label: string): string | null => {
  const entry = Object.entries(OPTION_LABELS[field]).find(([, l]) => l.toLowerCase() === label.trim().toLowerCase());
  return entry ? entry[0] : null;
};

/** The domain record the adapter would build from the ticket (unmapped fields are never read). */
export const toDomainChange = (raw: RawTicket, state: Change['state'], policy: Policy): Change => {
  const fields: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(raw.values) as [FieldKey, RawTicket['values'][FieldKey]][]) {
    if (value === null || value === undefined || !policy.fields[field]) fields[field] = null;
    else if (FIELD_DEFS[field].jira === 'option') fields[field] = domainOption(field as OptionField, String(value));
    else if (FIELD_DEFS[field].jira === 'user') fields[field] = { accountId: String(value) };
    else if (FIELD_DEFS[field].jira === 'datetime') fields[field] = at(Number(value));
    else fields[field] = value;
  }
  return { key: 'CHG-1', state, createdAt: at(0), fields: fields as ChangeFields, evidence: raw.evidence };
};

/** The `issue` a Jira expression sees for the same ticket, with the policy's field ids. */
export const toExpressionIssue = (raw: RawTicket, policy: Policy) => {
  const customFields: Record<string, unknown> = {};
  let summary = '';
  let description: ReturnType<typeof jiraRichText> | null = null;
  let reporter: ReturnType<typeof jiraUser> | null = null;
  for (const [field, value] of Object.entries(raw.values) as [FieldKey, RawTicket['values'][FieldKey]][]) {
    const id = policy.fields[field];
    if (!id) continue;
    const jiraValue =
      value === null || value === undefined
        ? null
        : FIELD_DEFS[field].jira === 'richtext'
          ? jiraRichText(String(value))
          : FIELD_DEFS[field].jira === 'option'
            ? jiraOption(String(value), 10_001)
            : FIELD_DEFS[field].jira === 'user'
              ? jiraUser(String(value))
              : FIELD_DEFS[field].jira === 'datetime'
                ? jiraDate(at(Number(value)))
                : value;
    if (id === 'summary') summary = typeof value === 'string' ? value : '';
    else if (id === 'description') description = jiraValue as typeof description;
    else if (id === 'reporter') reporter = jiraValue as typeof reporter;
    else customFields[id] = jiraValue;
  }
  const properties = {
    [EVIDENCE_PROPERTY_KEY]: { version: 1, records: raw.evidence.map((r) => ({ from: r.from, to: r.to, accountId: r.accountId, at: r.at.toISOString() })) },
  };
  return buildIssue({ summary, description, reporter, customFields, properties });
};

export const toExpressionUser = (role: PersonRole | null) => (role ? jiraUser(PEOPLE[role], { groups: groupsOf(role) }) : null);

export const toDomainActor = (role: PersonRole | null): Actor => (role ? { accountId: PEOPLE[role], groups: groupsOf(role) } : null);

export { CHANGE_TYPES };
