/**
 * The audit applies the low-risk relaxation only to a change that was low risk when it was approved,
 * and only when the policy enables it. Expected codes are written out here.
 */
import { auditChange, type Risk } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory } from '../builders/history.builder';
import { PEOPLE } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

const relaxation = { enabled: true, compensatingControl: 'Weekly CISO review of low-risk self-approvals' };

/** The approver approves, then implements; the risk may be edited after the approval (hour 5). */
const selfApproved = (riskThen: Risk, riskNow: Risk) => {
  const history = aHistory()
    .move('Draft', 'Assessment', PEOPLE.requester, 1)
    .move('Assessment', 'Approved', PEOPLE.approver, 2)
    .move('Approved', 'Scheduled', PEOPLE.requester, 3);
  if (riskThen !== riskNow) history.edit('risk', riskThen, riskNow, PEOPLE.requester, 5);
  history.move('Scheduled', 'Implemented', PEOPLE.approver, 11).move('Implemented', 'Closed', PEOPLE.verifier, 30);
  return { change: aChange({ state: 'Closed', risk: riskNow }), history: history.build() };
};

const sodCodes = (riskThen: Risk, riskNow: Risk, enabled: boolean) => {
  const { change, history } = selfApproved(riskThen, riskNow);
  const policy = aPolicy(enabled ? { lowRiskRelaxation: relaxation } : {});
  return auditChange(change, history, policy, at(200))
    .filter((f) => f.code === 'SOD_RELAXATION_USED' || f.code === 'APPROVER_IS_IMPLEMENTER')
    .map((f) => [f.code, f.edge, f.at]);
};

describe('audit: the low-risk relaxation', () => {
  it.each([
    { riskThen: 'low', riskNow: 'low', enabled: true, code: 'SOD_RELAXATION_USED' },
    { riskThen: 'low', riskNow: 'low', enabled: false, code: 'APPROVER_IS_IMPLEMENTER' },
    { riskThen: 'medium', riskNow: 'medium', enabled: true, code: 'APPROVER_IS_IMPLEMENTER' },
    { riskThen: 'high', riskNow: 'high', enabled: true, code: 'APPROVER_IS_IMPLEMENTER' },
    { riskThen: 'high', riskNow: 'high', enabled: false, code: 'APPROVER_IS_IMPLEMENTER' },
    // Lowering the risk afterwards does not turn an exception into a relaxation.
    { riskThen: 'high', riskNow: 'low', enabled: true, code: 'APPROVER_IS_IMPLEMENTER' },
    // Raising it afterwards does not take back a relaxation that applied when it was approved.
    { riskThen: 'low', riskNow: 'high', enabled: true, code: 'SOD_RELAXATION_USED' },
  ] as { riskThen: Risk; riskNow: Risk; enabled: boolean; code: string }[])(
    'approved at $riskThen risk (now $riskNow), relaxation enabled $enabled: $code',
    ({ riskThen, riskNow, enabled, code }) => {
      expect(sodCodes(riskThen, riskNow, enabled)).toEqual([[code, 'approve', at(2)]]);
    },
  );
});
