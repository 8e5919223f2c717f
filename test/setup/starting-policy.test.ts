// Issue 16: the starting policy's choices, and what it leaves to the auditor.
import { proposeMapping, proposeOptionLabels, startingPolicy } from '../../src/setup/starting-policy';
import type { FieldDetails } from '../../src/jira/workflow-schemas';

const T = 'com.atlassian.jira.plugin.system.customfieldtypes:';
const field = (id: number, name: string, type: string): FieldDetails => ({ id: `customfield_${id}`, name, custom: true, schema: { type: 'any', custom: `${T}${type}` } });
const statuses = ['Draft', 'Under review', 'Approved', 'Scheduled', 'Implemented', 'Done'].map((name, i) => ({ id: String(i + 1), name }));

describe('proposeMapping', () => {
  it('takes the one field named like a CC8.1 field that can hold it, and records its Jira type', () => {
    const proposal = proposeMapping({ fields: [field(1, 'Approvers', 'multiuserpicker'), field(2, 'Risk', 'radiobuttons'), field(3, 'Start date', 'datepicker')], statuses, projects: [] }, null);
    expect(proposal.policy.fields).toMatchObject({ approver: 'customfield_1', risk: 'customfield_2' });
    expect(proposal.policy.fieldTypes).toEqual({ approver: 'multiuser' });
    expect(proposal.optionFields).toEqual([{ field: 'risk', fieldId: 'customfield_2' }]);
    // "Start date" is not a name the app takes for the window: left to decide.
    expect(proposal.undecided.find((u) => u.path === 'fields.windowStart')?.problem).toMatch(/no field named like Maintenance window start/);
    expect(proposal.policy.statuses).toEqual({ Draft: '1', Assessment: '2', Approved: '3', Scheduled: '4', Implemented: '5', Closed: '6' });
  });

  it('never picks between two candidates, nor a field of a type that cannot hold the CC8.1 field', () => {
    const proposal = proposeMapping({ fields: [field(1, 'Approver', 'userpicker'), field(2, 'approver', 'userpicker'), field(3, 'Implementer', 'multicheckboxes')], statuses: [], projects: [] }, null);
    expect(proposal.policy.fields).not.toHaveProperty('approver');
    expect(proposal.policy.fields).not.toHaveProperty('implementer');
    const problems = Object.fromEntries(proposal.undecided.map((u) => [u.path, u.problem]));
    expect(problems['fields.approver']).toBe('several fields are named "approver" and can hold Approver: "Approver" (customfield_1), "approver" (customfield_2); pick one');
    expect(problems['fields.implementer']).toBe('"Implementer" (customfield_3) cannot hold Implementer (wrong type); map another field or create one on the admin page');
    expect(problems['statuses.Draft']).toMatch(/no status named like Draft/);
  });

  it('a field is used once: "Verification" radio buttons are the result, not the verifier', () => {
    const proposal = proposeMapping({ fields: [field(1, 'Verification', 'radiobuttons'), field(2, 'Verification team', 'grouppicker')], statuses: [], projects: [] }, null);
    expect(proposal.policy.fields).toMatchObject({ verifier: 'customfield_2', verificationResult: 'customfield_1' });
  });

  it.each<[string, string | null, { key: string; issueTypes: { id: string; name: string }[] }[], RegExp | object]>([
    ['the project\'s Change issue type', 'chg', [{ key: 'CHG', issueTypes: [{ id: '1', name: 'Task' }, { id: '2', name: 'Change request' }] }], { projectKey: 'CHG', issueTypeId: '2', issueTypeName: 'Change request' }],
    ['no project given', null, [], /no --project given/],
    ['an unknown project', 'OPS', [{ key: 'CHG', issueTypes: [] }], /no project OPS on this site/],
    ['no issue type named like Change', 'CHG', [{ key: 'CHG', issueTypes: [{ id: '1', name: 'Task' }] }], /project CHG has no issue type named like "Change" \(Task\)/],
  ])('scope: %s', (_name, key, projects, expected) => {
    const proposal = proposeMapping({ fields: [], statuses: [], projects: projects.map((p, i) => ({ id: String(100 + i), name: p.key, ...p })) }, key);
    if (expected instanceof RegExp) expect(proposal.undecided.find((u) => u.path === 'scope')?.problem).toMatch(expected);
    else expect(proposal.policy.scope).toMatchObject(expected);
  });
});

describe('proposeOptionLabels', () => {
  it('maps the labels the app does not know to their likeliest value, and leaves the rest to decide', () => {
    expect(proposeOptionLabels('risk', ['Low', 'Medium', 'High', 'Critical', 'Whatever'])).toEqual({
      mapped: { Critical: 'high' },
      undecided: [{ path: 'optionLabels.risk', problem: '"Whatever" could not be placed; map it to one of low, medium, high, or disable the option' }],
    });
  });

  it('maps a label the app cannot read as written, though it looks like one of its own (inner spaces)', () => {
    expect(proposeOptionLabels('verificationResult', ['PASSED', ' failed and rolled back ', 'Failed  and rolled back'])).toEqual({
      mapped: { 'Failed  and rolled back': 'failed-rolled-back' },
      undecided: [],
    });
  });

  it('the starting policy is checked with the app\'s own schema: a problem there is listed too', () => {
    const mapping = proposeMapping({ fields: [], statuses, projects: [] }, null);
    const result = startingPolicy(mapping, { risk: { Critical: 'catastrophic' } } as never);
    expect(result.undecided.some((u) => u.path.startsWith('optionLabels.risk'))).toBe(true);
  });
});
