import { Policy } from '../../src/domain';
import { missingMappings, PANEL_FIELDS } from '../../src/panel/panel-fields';
import { aMappedPolicy } from '../builders/mapped-policy.builder';
import { aPolicy } from '../builders/policy.builder';

/** The labels an admin sees for every field the panel needs mapped, beyond the three system fields mapped by default. */
const CUSTOM_FIELD_LABELS = [
  'Change type',
  'Implementer',
  'Approver',
  'Verifier',
  'Risk rating',
  'Target systems',
  'Test plan',
  'Rollback plan',
  'CAB reference',
  'Maintenance window start',
  'Maintenance window end',
  'Implementation evidence',
  'Verification result',
  'Rollback outcome',
  'Standard change template',
  'Emergency justification',
  'Cancellation reason',
];
const STATUS_LINES = ['Status: Draft', 'Status: Assessment', 'Status: Approved', 'Status: Scheduled', 'Status: Implemented', 'Status: Closed'];

const withoutField = (policy: Policy, field: keyof Policy['fields']): Policy => ({ ...policy, fields: Object.fromEntries(Object.entries(policy.fields).filter(([key]) => key !== field)) });
const withoutStatus = (policy: Policy, state: keyof Policy['statuses']): Policy => ({
  ...policy,
  statuses: Object.fromEntries(Object.entries(policy.statuses).filter(([key]) => key !== state)),
});

describe('missingMappings: what an admin still has to map', () => {
  it('nothing once every field and status is mapped', () => {
    expect(missingMappings(aMappedPolicy())).toEqual([]);
  });

  it('a fresh policy: every custom field by its label, then every status', () => {
    const missing = missingMappings(aPolicy());
    const fields = missing.filter((m) => !m.startsWith('Status: '));
    expect(missing).toEqual([...fields, ...STATUS_LINES]);
    expect([...fields].sort()).toEqual([...CUSTOM_FIELD_LABELS].sort());
  });

  it.each<[string, Policy, string[]]>([
    ['one field', withoutField(aMappedPolicy(), 'approver'), ['Approver']],
    ['a system field', withoutField(aMappedPolicy(), 'summary'), ['Summary']],
    ['one status', withoutStatus(aMappedPolicy(), 'Scheduled'), ['Status: Scheduled']],
    ['a field and a status: the field first', withoutStatus(withoutField(aMappedPolicy(), 'rollbackPlan'), 'Draft'), ['Rollback plan', 'Status: Draft']],
    ['the recurring window, which no rule needs: nothing', withoutField(aMappedPolicy(), 'recurringWindow'), []],
  ])('names exactly what is unmapped: %s', (_, policy, expected) => {
    expect(missingMappings(policy)).toEqual(expected);
  });

  it('the panel reads every CC8.1 field but the recurring window, each listed once', () => {
    expect(PANEL_FIELDS).toHaveLength(new Set(PANEL_FIELDS).size);
    expect([...PANEL_FIELDS].sort()).toEqual(
      [
        'summary', 'justification', 'changeType', 'risk', 'requester', 'implementer', 'approver', 'verifier', 'cabReference', 'targetSystems',
        'windowStart', 'windowEnd', 'testPlan', 'rollbackPlan', 'implementationEvidence', 'verificationResult', 'rollbackOutcome',
        'standardTemplate', 'emergencyJustification', 'cancellationReason',
      ].sort(),
    );
  });
});
