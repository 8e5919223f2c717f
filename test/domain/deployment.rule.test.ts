import { changeKeysIn, DeploymentSchema, deploymentFindings, judgeDeployment, postHocStatus, sameCommit, wasImplemented, type History, type State } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory } from '../builders/history.builder';
import { PEOPLE } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

/** Approved at 2, scheduled at 3; the window is hours 10..14. */
const approvedAndScheduled = () => aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).move('Assessment', 'Approved', PEOPLE.approver, 2).move('Approved', 'Scheduled', PEOPLE.requester, 3);

const judge = (state: State, history: History, hour: number, deployer: string | null = null, policy = aPolicy()) =>
  judgeDeployment(aChange({ state }), history, policy, { deployerAccountId: deployer }, at(hour));
const codes = (j: { reasons: { code: string }[] }) => j.reasons.map((r) => r.code);

describe('judgeDeployment (the gate)', () => {
  it.each([
    ['Scheduled, inside the window', 'Scheduled' as State, approvedAndScheduled().build(), 11, null, true, []],
    ['Scheduled, before the window', 'Scheduled' as State, approvedAndScheduled().build(), 9, null, false, ['OUTSIDE_WINDOW']],
    ['Scheduled, a second after the window ends', 'Scheduled' as State, approvedAndScheduled().build(), 14.0003, null, false, ['OUTSIDE_WINDOW']],
    ['Implemented (a second environment), inside the window', 'Implemented' as State, approvedAndScheduled().move('Scheduled', 'Implemented', PEOPLE.implementer, 10.5).build(), 11, null, true, []],
    ['in Assessment', 'Assessment' as State, aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).build(), 11, null, false, ['NOT_APPROVED']],
    ['in Draft', 'Draft' as State, [], 11, null, false, ['NOT_APPROVED']],
    ['approved by the implementer', 'Scheduled' as State, aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).move('Assessment', 'Approved', PEOPLE.implementer, 2).move('Approved', 'Scheduled', PEOPLE.requester, 3).build(), 11, null, false, ['APPROVER_IS_IMPLEMENTER']],
    ['re-assessed since approval (no standing approval)', 'Approved' as State, approvedAndScheduled().move('Scheduled', 'Approved', PEOPLE.requester, 4).move('Approved', 'Assessment', PEOPLE.requester, 5).move('Assessment', 'Approved', PEOPLE.implementer, 6).build(), 11, null, false, ['APPROVER_IS_IMPLEMENTER']],
    ['target systems changed after approval', 'Scheduled' as State, approvedAndScheduled().edit('targetSystems', 'edge-proxy', 'edge-proxy, cdn', PEOPLE.requester, 4).build(), 11, null, false, ['CHANGED_AFTER_APPROVAL']],
    ['deployed by the approver', 'Scheduled' as State, approvedAndScheduled().build(), 11, PEOPLE.approver, false, ['DEPLOYER_IS_APPROVER']],
    ['deployed by the implementer', 'Scheduled' as State, approvedAndScheduled().build(), 11, PEOPLE.implementer, true, []],
    ['closed', 'Closed' as State, approvedAndScheduled().move('Scheduled', 'Implemented', PEOPLE.implementer, 10.5).move('Implemented', 'Closed', PEOPLE.verifier, 10.7).build(), 11, null, false, ['CHANGE_CLOSED']],
  ])('a normal change %s', (_name, state, history, hour, deployer, allowed, expected) => {
    const j = judge(state, history, hour, deployer);
    expect({ allowed: j.allowed, codes: codes(j), path: j.path }).toEqual({ allowed, codes: expected, path: allowed ? 'approved' : 'refused' });
  });

  it('under a flagging policy, outside the window is let through with a notice', () => {
    const j = judge('Scheduled', approvedAndScheduled().build(), 16, null, aPolicy({ windowEnforcement: 'flag' }));
    expect({ allowed: j.allowed, notices: j.notices.map((n) => n.code) }).toEqual({ allowed: true, notices: ['OUTSIDE_WINDOW'] });
  });

  it('judges the type and window as they were at the deployment, not as edited later', () => {
    const history = approvedAndScheduled().edit('changeType', 'normal', 'emergency', PEOPLE.requester, 20).build();
    const change = aChange({ state: 'Draft', type: 'emergency' });
    // At hour 11 the change was normal (and in Draft per this judgement's state): not approved, no emergency pass.
    expect(codes(judgeDeployment(change, history, aPolicy(), { deployerAccountId: null }, at(11)))).toEqual(['NOT_APPROVED']);
  });

  describe('emergency', () => {
    const emergency = (state: State) => aChange({ state, type: 'emergency' });
    it.each(['Draft', 'Assessment', 'Implemented'] as State[])('an unapproved emergency in %s goes out and starts the clock once', (state) => {
      const history = state === 'Implemented' ? [] : [];
      const first = judgeDeployment(emergency(state), history, aPolicy(), { deployerAccountId: null }, at(5));
      expect(first).toMatchObject({ allowed: true, path: 'emergency', startsPostHocClock: true });
      const again = judgeDeployment(emergency(state), history, aPolicy(), { deployerAccountId: null }, at(6), [at(5)]);
      expect(again).toMatchObject({ allowed: true, path: 'emergency', startsPostHocClock: false });
    });

    it('an emergency already implemented by the shortcut owes its approval from then: no new clock', () => {
      const history = aHistory().move('Draft', 'Implemented', PEOPLE.implementer, 3).build();
      expect(judgeDeployment(emergency('Implemented'), history, aPolicy(), { deployerAccountId: null }, at(5))).toMatchObject({ path: 'emergency', startsPostHocClock: false });
    });

    it('an approved, scheduled emergency is judged as any approved change', () => {
      const j = judgeDeployment(emergency('Scheduled'), approvedAndScheduled().build(), aPolicy(), { deployerAccountId: null }, at(11));
      expect(j).toMatchObject({ allowed: true, path: 'approved', startsPostHocClock: false });
    });
  });
});

describe('judgeDeployment: what it says, and its edges', () => {
  it('names the change, the state and the people in its reasons', () => {
    const approverDeploys = judge('Scheduled', approvedAndScheduled().build(), 11, PEOPLE.approver);
    expect(approverDeploys.reasons).toEqual([{ code: 'DEPLOYER_IS_APPROVER', message: 'The deployer approved CHG-1: someone other than an approver must deploy it.', people: [{ role: 'approver', accountId: PEOPLE.approver }] }]);
    expect(judge('Assessment', [], 11).reasons.map((r) => r.message)).toEqual(['CHG-1 is in Assessment: it must be approved (by someone other than the implementer) before it is deployed.']);
    expect(judge('Closed', [], 11).reasons.map((r) => r.message)).toEqual(['CHG-1 is closed: a closed change covers no new deployment. Raise a new change.']);
    const emergency = aChange({ state: 'Draft', type: 'emergency' });
    const first = judgeDeployment(emergency, [], aPolicy(), { deployerAccountId: null }, at(5));
    expect(first.notices.map((n) => n.message)).toEqual(['Emergency deployment of CHG-1: it needs a post-hoc approval by someone other than the implementer within 72 hours from now.']);
    const again = judgeDeployment(emergency, [], aPolicy(), { deployerAccountId: null }, at(5), [at(5)]);
    expect([again.startsPostHocClock, again.notices.map((n) => n.message)]).toEqual([false, ['Emergency deployment of CHG-1: its post-hoc approval is already due within 72 hours of the first one.']]);
  });

  it('counts an approval at the very instant of the deployment', () => {
    const approvedNow = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).move('Assessment', 'Approved', PEOPLE.approver, 2).build();
    expect(judge('Approved', approvedNow, 2, null, aPolicy({ windowEnforcement: 'flag' })).allowed).toBe(true);
    expect(deploymentFindings(aChange({ state: 'Approved' }), approvedNow, aPolicy(), { at: at(2), deployerAccountId: null }).map((f) => f.code)).toEqual(['DEPLOYED_OUTSIDE_WINDOW']);
  });

  it('an emergency change implemented on its approval is judged as approved, not as an emergency', () => {
    const history = approvedAndScheduled().move('Scheduled', 'Implemented', PEOPLE.implementer, 10.5).build();
    const j = judgeDeployment(aChange({ state: 'Implemented', type: 'emergency' }), history, aPolicy(), { deployerAccountId: null }, at(11));
    expect([j.path, j.startsPostHocClock]).toEqual(['approved', false]);
  });

  it('keeps SHAs in lower case, and tells an implemented history from one that is not', () => {
    expect(DeploymentSchema.parse({ at: at(1), environment: 'prod', sha: 'ABCDEF1', deployer: 'ci', deployerAccountId: null, changeKeys: [] }).sha).toBe('abcdef1');
    expect(wasImplemented(approvedAndScheduled().move('Scheduled', 'Implemented', PEOPLE.implementer, 11).build())).toBe(true);
    expect(wasImplemented(approvedAndScheduled().build())).toBe(false);
  });
});

describe('deploymentFindings (reconciliation)', () => {
  const closed = approvedAndScheduled().move('Scheduled', 'Implemented', PEOPLE.implementer, 12).move('Implemented', 'Closed', PEOPLE.verifier, 30).build();
  it.each([
    ['inside the window, after approval', 11, null, []],
    ['before approval', 1.5, null, ['DEPLOYED_BEFORE_APPROVAL']],
    ['outside the window', 16, null, ['DEPLOYED_OUTSIDE_WINDOW']],
    ['by the approver', 11, PEOPLE.approver, ['DEPLOYER_IS_APPROVER']],
    ['after the change was closed', 31, null, ['DEPLOYED_BEFORE_APPROVAL']],
  ])('a deployment %s', (_name, hour, deployer, expected) => {
    const found = deploymentFindings(aChange({ state: 'Closed' }), closed, aPolicy({ windowEnforcement: 'flag' }), { at: at(hour), deployerAccountId: deployer });
    expect(found.map((f) => f.code)).toEqual(expected);
  });

  it('an edit between approval and the deployment is reported at that deployment only', () => {
    const history = approvedAndScheduled().edit('rollbackPlan', 'a', 'b', PEOPLE.requester, 10.5).move('Scheduled', 'Implemented', PEOPLE.implementer, 12).build();
    expect(deploymentFindings(aChange({ state: 'Implemented' }), history, aPolicy(), { at: at(10.2), deployerAccountId: null })).toEqual([]);
    expect(deploymentFindings(aChange({ state: 'Implemented' }), history, aPolicy(), { at: at(11), deployerAccountId: null }).map((f) => f.code)).toEqual(['DEPLOYED_AFTER_CHANGE']);
  });
});

describe('postHocStatus with emergency deployments', () => {
  const change = aChange({ state: 'Draft', type: 'emergency' });
  it('starts the clock at the first emergency deployment', () => {
    const status = postHocStatus(change, [], aPolicy(), at(10), [at(8), at(5)]);
    expect(status).toMatchObject({ status: 'pending', implementedAt: at(5), dueAt: at(5 + 72) });
  });
  it('is met by an approval after the deployment by someone other than the implementer', () => {
    const history = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 6).move('Assessment', 'Approved', PEOPLE.approver, 7).build();
    expect(postHocStatus(change, history, aPolicy(), at(10), [at(5)])).toMatchObject({ status: 'satisfied-on-time', approverAccountId: PEOPLE.approver });
  });
  it('is not met by an approval before the deployment, nor by the implementer', () => {
    const early = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).move('Assessment', 'Approved', PEOPLE.approver, 2).build();
    expect(postHocStatus(change, early, aPolicy(), at(10), [at(5)]).status).toBe('pending');
    const byImplementer = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 6).move('Assessment', 'Approved', PEOPLE.implementer, 7).build();
    expect(postHocStatus(change, byImplementer, aPolicy(), at(80), [at(5)]).status).toBe('overdue');
  });
  it('an implementation at the instant of the first deployment keeps the clock (and its implementer); an approval at that instant counts', () => {
    const implemented = aHistory().move('Draft', 'Implemented', PEOPLE.implementer, 5).build();
    expect(postHocStatus(change, implemented, aPolicy(), at(10), [at(5)])).toMatchObject({ implementedAt: at(5), implementerAccountId: PEOPLE.implementer });
    const approvedThen = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 4).move('Assessment', 'Approved', PEOPLE.approver, 5).build();
    expect(postHocStatus(change, approvedThen, aPolicy(), at(10), [at(5)]).status).toBe('satisfied-on-time');
  });

  it('ignores deployments after now, and a later implementation does not restart the clock', () => {
    expect(postHocStatus(change, [], aPolicy(), at(4), [at(5)]).status).toBe('not-needed');
    const implemented = aHistory().move('Draft', 'Implemented', PEOPLE.implementer, 9).build();
    expect(postHocStatus(change, implemented, aPolicy(), at(10), [at(5)])).toMatchObject({ implementedAt: at(5) });
    expect(postHocStatus(change, implemented, aPolicy(), at(10), [at(9.5)])).toMatchObject({ implementedAt: at(9) });
  });
});

describe('changeKeysIn and sameCommit', () => {
  it.each([
    [['feature/CHG-12-retry'], ['CHG-12']],
    [['[OPS-7] fix', 'Refs CHG-12, CHG-12 and OPS-7'], ['OPS-7', 'CHG-12']],
    [['chg-12 lower case is no key', 'X-0 neither'], []],
    // Shaped like a key: the gate keeps only its change project's keys from such texts.
    [['Fix UTF-8 decoding'], ['UTF-8']],
    [['ABCDEFGHIJK-1 is too long a project key'], []],
    [[null, undefined, ''], []],
  ])('%j → %j', (texts, keys) => expect(changeKeysIn(...texts)).toEqual(keys));

  it.each([
    ['abcdef1', 'abcdef1234567890', true],
    ['abcdef1234', 'abcdef1', true],
    ['abcdef2', 'abcdef1234', false],
    [null, 'abcdef1', false],
  ])('%s ~ %s: %s', (a, b, same) => expect(sameCommit(a, b)).toBe(same));
});
