import { createSandboxState } from '../../../sandbox/state/sandbox-state';
import { adf } from '../../../sandbox/state/jira-json';
import { modifiedFieldsOf, normalizeScreenFields, notOnScreen } from '../../../sandbox/workflow/screen-fields';
import { PEOPLE } from '../../builders/people.builder';
import { fieldId, SANDBOX_USERS } from '../../builders/sandbox-change.builder';

const state = createSandboxState(SANDBOX_USERS);
const id = (key: Parameters<typeof fieldId>[1]) => fieldId(state, key);

describe('normalizeScreenFields', () => {
  it('turns REST input shapes into the shapes the issue holds', () => {
    const result = normalizeScreenFields(state, {
      [id('risk')]: { value: 'Low' },
      [id('changeType')]: { id: '10102' },
      [id('implementer')]: { accountId: PEOPLE.implementer },
      [id('rollbackPlan')]: 'Restore\nthe bundle',
      [id('testPlan')]: adf('Staging'),
      [id('windowStart')]: '2026-03-02T10:00:00Z',
      [id('targetSystems')]: ['api'],
      [id('cabReference')]: 'CAB-1',
      [id('verifier')]: null,
      summary: 'New summary',
    });
    expect(result).toEqual({
      ok: true,
      values: {
        [id('risk')]: expect.objectContaining({ value: 'Low', id: '10200' }),
        [id('changeType')]: expect.objectContaining({ value: 'Emergency', id: '10102' }),
        [id('implementer')]: { accountId: PEOPLE.implementer, displayName: 'Implementer', active: true, emailAddress: 'implementer@example.com', accountType: 'atlassian' },
        [id('rollbackPlan')]: adf('Restore\nthe bundle'),
        [id('testPlan')]: adf('Staging'),
        [id('windowStart')]: '2026-03-02T10:00:00.000+0000',
        [id('targetSystems')]: ['api'],
        [id('cabReference')]: 'CAB-1',
        [id('verifier')]: null,
        summary: 'New summary',
      },
    });
  });

  it("answers Jira's per-field errors", () => {
    const result = normalizeScreenFields(state, {
      status: { id: '1' },
      customfield_1: 'x',
      [id('risk')]: { value: 'Extreme' },
      [id('approver')]: { accountId: 'acc-nobody' },
      [id('targetSystems')]: ['two words'],
      [id('windowEnd')]: 'tomorrow',
      [id('testPlan')]: { type: 'paragraph' },
      summary: ' ',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        status: notOnScreen('status'),
        customfield_1: notOnScreen('customfield_1'),
        [id('risk')]: "Specify a valid 'id' or 'name' for Risk rating",
        [id('approver')]: 'Specify a valid user for Approver.',
        [id('targetSystems')]: "The label 'two words' contains spaces which is invalid.",
        [id('windowEnd')]: expect.stringContaining('Specify a valid date and time for Maintenance window end'),
        [id('testPlan')]: expect.stringContaining('Atlassian Document'),
        summary: 'You must specify a summary of the issue.',
      },
    });
  });
});

describe('modifiedFieldsOf', () => {
  it('gives user fields as bare account ids and leaves out the summary, as Forge does', () => {
    const result = normalizeScreenFields(state, { [id('implementer')]: PEOPLE.outsider, [id('risk')]: { value: 'High' }, [id('approver')]: null, summary: 'S' });
    if (!result.ok) throw new Error('expected valid values');
    expect(modifiedFieldsOf(state, result.values)).toEqual({
      [id('implementer')]: PEOPLE.outsider,
      [id('risk')]: expect.objectContaining({ value: 'High', id: '10202' }),
      [id('approver')]: null,
    });
  });
});
