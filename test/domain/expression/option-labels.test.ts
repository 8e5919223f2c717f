// Issue 16: the site's own option labels ("Critical", "Failed - rolled back") mapped by the policy
// are read the same way by the compiled expressions as by the app's readers.
import { allReadings, optionValueOfLabel, readingsOf, type EdgeId, type Policy } from '../../../src/domain';
import { compileEdge } from '../../../src/domain/expression';
import { runJiraExpression } from '../../../sandbox/jira-expression/interpreter';
import { at } from '../../builders/clock';
import { toExpressionIssue, toExpressionUser, type RawTicket } from '../../builders/jira-ticket.builder';
import { aMappedPolicy } from '../../builders/mapped-policy.builder';
import { PEOPLE, type PersonRole } from '../../builders/people.builder';

const SITE: Policy = aMappedPolicy({
  optionLabels: { risk: { Critical: 'high', Minor: 'low' }, verificationResult: { 'Failed - rolled back': 'failed-rolled-back', Pass: 'passed' }, changeType: { 'Emergency (ECAB)': 'emergency' } },
  cab: { requiredForRisks: ['high'], groupName: null, memberAccountIds: [] },
});

const values = (over: RawTicket['values']): RawTicket => ({
  values: {
    summary: 'Rotate keys',
    justification: 'Expiring',
    testPlan: 'Staging first',
    rollbackPlan: 'Restore',
    implementationEvidence: 'Job 7',
    targetSystems: ['kms'],
    requester: PEOPLE.requester,
    implementer: PEOPLE.implementer,
    approver: PEOPLE.approver,
    verifier: PEOPLE.verifier,
    changeType: 'Normal',
    risk: 'Low',
    cabReference: null,
    verificationResult: 'Pass',
    rollbackOutcome: null,
    windowStart: 1,
    windowEnd: 20,
    ...over,
  },
  evidence: [],
});

/** What the compiled validator of `edge` answers: true, or the messages of the checks that fail. */
const validate = (edge: EdgeId, raw: RawTicket, role: PersonRole): true | string[] => {
  const compiled = compileEdge(SITE, edge, 'validator');
  if (!compiled.ok) throw new Error(compiled.error.message);
  const results = compiled.rules.map((rule) => runJiraExpression(rule.expression, { issue: toExpressionIssue(raw, SITE), user: toExpressionUser(role), __now: at(5) }).value);
  const failed = results.filter((r): r is string => typeof r === 'string');
  return failed.length ? failed : true;
};

describe('the site\'s option labels', () => {
  it('map to the domain values, with the app\'s own labels kept', () => {
    expect(optionValueOfLabel(SITE, 'risk', 'Critical')).toBe('high');
    expect(optionValueOfLabel(SITE, 'risk', 'High')).toBe('high');
    expect(optionValueOfLabel(SITE, 'verificationResult', 'Failed - rolled back')).toBe('failed-rolled-back');
    expect(optionValueOfLabel(SITE, 'verificationResult', 'Failed and rolled back')).toBe('failed-rolled-back');
    expect(optionValueOfLabel(SITE, 'changeType', ' emergency (ecab) ')).toBe('emergency');
    expect(optionValueOfLabel(SITE, 'risk', 'Severe')).toBeNull();
  });

  it('read the way the domain reads them: without outer spaces, in any case, the values themselves too', () => {
    expect(readingsOf(SITE, 'risk', 'high')).toEqual(['high', 'critical']);
    expect(readingsOf(SITE, 'verificationResult', 'failed-rolled-back')).toEqual(['failed and rolled back', 'failed-rolled-back', 'failed - rolled back']);
    expect(allReadings(SITE, 'changeType')).toEqual(['standard', 'normal', 'emergency', 'emergency (ecab)']);
  });

  it("follow the site's mapping where its label is one of the app's own labels for another value", () => {
    const remapped: Policy = { ...SITE, optionLabels: { risk: { high: 'medium' } } };
    expect(optionValueOfLabel(remapped, 'risk', 'HIGH')).toBe('medium');
    expect(readingsOf(remapped, 'risk', 'medium')).toEqual(['medium', 'high']);
    expect(readingsOf(remapped, 'risk', 'high')).toEqual([]);
  });

  it.each<[string, EdgeId, RawTicket['values'], PersonRole, true | RegExp]>([
    ['"CRITICAL" (another case) is a high risk: Approve needs the CAB reference', 'approve', { risk: 'CRITICAL' }, 'approver', /CAB reference/],
    ['" critical " (outer spaces) with the CAB reference: approved', 'approve', { risk: ' critical ', cabReference: 'CAB-9' }, 'approver', true],
    ['"LOW" is a set risk: no CAB needed', 'approve', { risk: 'LOW' }, 'approver', true],
    ['"failed-rolled-back" (the value itself) needs the rollback outcome on Close', 'close', { verificationResult: 'failed-rolled-back' }, 'verifier', /rollback outcome/],
    ['"pass" closes', 'close', { verificationResult: 'pass' }, 'verifier', true],
    ['"EMERGENCY (ECAB)" is an emergency', 'emergencyImplementFromDraft', { changeType: 'EMERGENCY (ECAB)', emergencyJustification: 'INC-1' }, 'implementer', true],
    ['"normal " is no emergency', 'emergencyImplementFromDraft', { changeType: 'normal ', emergencyJustification: 'INC-1' }, 'implementer', /emergency/i],
    ['"Critical" is a high risk: Approve needs the CAB reference', 'approve', { risk: 'Critical' }, 'approver', /Add the CAB reference|CAB reference/],
    ['"Critical" with the CAB reference: approved', 'approve', { risk: 'Critical', cabReference: 'CAB-9' }, 'approver', true],
    ['"Minor" is a set risk (low): no CAB needed', 'approve', { risk: 'Minor' }, 'approver', true],
    ['a label the policy does not know counts as not set', 'approve', { risk: 'Severe' }, 'approver', /Risk rating/],
    ['"Failed - rolled back" needs the rollback outcome on Close', 'close', { verificationResult: 'Failed - rolled back' }, 'verifier', /rollback outcome/],
    ['"Pass" closes', 'close', { verificationResult: 'Pass' }, 'verifier', true],
    ['"Emergency (ECAB)" is an emergency: the emergency shortcut applies', 'emergencyImplementFromDraft', { changeType: 'Emergency (ECAB)', emergencyJustification: 'INC-1' }, 'implementer', true],
  ])('%s', (_name, edge, over, role, expected) => {
    const answer = validate(edge, values(over), role);
    if (expected === true) expect(answer).toBe(true);
    else expect(answer === true ? [] : answer.join(' ')).toMatch(expected);
  });
});
