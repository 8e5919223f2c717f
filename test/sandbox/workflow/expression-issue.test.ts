import { compileEdge } from '../../../src/domain/expression';
import { evaluateJiraExpression } from '../../../sandbox/jira-expression/interpreter';
import { JiraIssue, JiraMap, JiraRichText, JiraUser } from '../../../sandbox/jira-expression/object-model';
import { adf } from '../../../sandbox/state/jira-json';
import { createSandboxState } from '../../../sandbox/state/sandbox-state';
import { expressionIssueOf } from '../../../sandbox/workflow/expression-issue';
import { expressionUserOf } from '../../../sandbox/workflow/workflow-engine';
import { at } from '../../builders/clock';
import { PEOPLE } from '../../builders/people.builder';
import { createChange, fieldId, screen, SANDBOX_USERS, userOf } from '../../builders/sandbox-change.builder';

const state = createSandboxState(SANDBOX_USERS);
const issue = createChange(
  state,
  {
    summary: 'Rotate certificates',
    justification: 'They expire\nnext week',
    changeType: 'normal',
    risk: 'high',
    implementer: PEOPLE.implementer,
    targetSystems: ['edge-proxy', 'cdn'],
    windowStart: at(10),
    testPlan: 'Staging first',
  },
  'cab',
  at(0),
);
issue.properties['cc81.evidence'] = { version: 1, records: [{ edge: 'approve', accountId: PEOPLE.approver }] };
const run = (expression: string, screenFields: Record<string, unknown> = {}) =>
  evaluateJiraExpression(expression, { issue: expressionIssueOf(issue, screenFields, { users: state.users }), user: expressionUserOf(userOf(state, 'approver')) });

describe('expressionIssueOf', () => {
  it('presents custom fields exactly as REST JSON: option and user maps, ADF maps, date-time strings, label lists', () => {
    expect(run(`issue.${fieldId(state, 'risk')}.value`)).toBe('High');
    expect(run(`issue.${fieldId(state, 'risk')}.id`)).toBe('10202');
    expect(run(`issue.${fieldId(state, 'implementer')}.accountId`)).toBe(PEOPLE.implementer);
    expect(run(`new RichText(issue.${fieldId(state, 'testPlan')}).plainText`)).toBe('Staging first');
    expect(run(`issue.${fieldId(state, 'windowStart')}`)).toBe('2026-03-02T18:00:00.000+0000');
    expect(run(`issue.${fieldId(state, 'targetSystems')}.join(',')`)).toBe('edge-proxy,cdn');
    expect(run(`issue.${fieldId(state, 'verifier')}`)).toBeNull();
    const built = expressionIssueOf(issue);
    expect(built.customFields.get(fieldId(state, 'risk'))).toBeInstanceOf(JiraMap);
  });

  it('presents system fields as typed objects: summary String, description RichText, reporter User with groups', () => {
    expect(run('issue.summary')).toBe('Rotate certificates');
    expect(run('issue.description.plainText')).toBe('They expire\nnext week');
    expect(run('issue.reporter.accountId')).toBe(PEOPLE.cab);
    expect(run("issue.reporter.groups.includes('cab-members')")).toBe(true);
    const built = expressionIssueOf(issue, {}, { users: state.users });
    expect(built.systemFields.get('description')).toBeInstanceOf(JiraRichText);
    expect(built.systemFields.get('reporter')).toBeInstanceOf(JiraUser);
    expect(built.systemFields.get('key')).toBe(issue.key);
  });

  it('exposes entity properties as stored', () => {
    expect(run("issue.properties['cc81.evidence'].records.map(r => r.accountId).join(',')")).toBe(PEOPLE.approver);
    expect(run("issue.properties['missing']")).toBeNull();
  });

  it('overrides stored values with the transition-screen values, without touching the issue', () => {
    const edits = screen(state, { risk: 'low', rollbackPlan: 'Restore', summary: 'Rotate all certificates' });
    expect(run(`issue.${fieldId(state, 'risk')}.value`, edits)).toBe('Low');
    expect(run(`new RichText(issue.${fieldId(state, 'rollbackPlan')}).plainText`, edits)).toBe('Restore');
    expect(run('issue.summary', edits)).toBe('Rotate all certificates');
    expect(issue.fields[fieldId(state, 'risk')]).toMatchObject({ value: 'High' });
    expect(run('issue.description.plainText', { description: adf('New text') })).toBe('New text');
  });

  it('runs a compiled validator to the same verdict the stored fields imply', () => {
    const compiled = compileEdge(state.policy, 'approve', 'validator');
    if (!compiled.ok) throw new Error(compiled.error.message);
    const [rule] = compiled.rules;
    const verdict = (screenFields: Record<string, unknown>) =>
      evaluateJiraExpression(rule!.expression, { issue: expressionIssueOf(issue, screenFields, { users: state.users }), user: expressionUserOf(userOf(state, 'approver')), __now: at(1) });
    expect(verdict({})).toBe('Fill in Rollback plan, Approver to Approve.');
    expect(verdict(screen(state, { rollbackPlan: 'Restore', approver: PEOPLE.approver, cabReference: 'CAB-9' }))).toBe(true);
  });

  it('is an Issue the interpreter accepts even for an issue without description or reporter', () => {
    const bare = createChange(state, {}, 'requester', at(0));
    delete bare.fields.reporter;
    const built: JiraIssue = expressionIssueOf(bare);
    expect(evaluateJiraExpression('issue.description == null && issue.reporter == null && issue.summary == \'\'', { issue: built })).toBe(true);
  });
});
