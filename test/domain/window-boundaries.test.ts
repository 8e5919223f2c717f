/**
 * The maintenance window set on Schedule: Mark implemented must happen inside it, both ends
 * included (DESIGN "inside the window (policy: block or flag)"). The same instants are judged by
 * the enforcement (evaluateTransition) and by the audit replaying the changelog.
 */
import { History, auditChange, evaluateTransition } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { PEOPLE, anActor } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

// The builder's window: hours 10 to 14 after T0.
const START = at(10).getTime();
const END = at(14).getTime();

const ROWS = [
  { name: 'start −1 min', t: START - 60_000, inside: false },
  { name: 'start −1 ms', t: START - 1, inside: false },
  { name: 'the start', t: START, inside: true },
  { name: 'start +1 ms', t: START + 1, inside: true },
  { name: 'mid-window', t: at(12).getTime(), inside: true },
  { name: 'end −1 ms', t: END - 1, inside: true },
  { name: 'the end', t: END, inside: true },
  { name: 'end +1 ms', t: END + 1, inside: false },
  { name: 'end +1 min', t: END + 60_000, inside: false },
];
const ENFORCEMENTS = ['block', 'flag'] as const;
const cases = ENFORCEMENTS.flatMap((enforcement) => ROWS.map((row) => ({ ...row, enforcement })));

/** What each enforcement does with an implementation outside the window. */
const EXPECTED = {
  block: (inside: boolean) => ({ allowed: inside, reasons: inside ? [] : ['OUTSIDE_WINDOW'], notices: [] }),
  flag: (inside: boolean) => ({ allowed: true, reasons: [], notices: inside ? [] : ['OUTSIDE_WINDOW'] }),
};

describe('evaluateTransition: Mark implemented at the window boundaries', () => {
  it.each(cases)('$enforcement: at $name (inside: $inside)', ({ t, inside, enforcement }) => {
    for (const type of ['normal', 'standard'] as const) {
      const change = aChange({ state: 'Scheduled', type, risk: 'low' });
      const verdict = evaluateTransition(change, 'implement', anActor('implementer'), aPolicy({ windowEnforcement: enforcement }), new Date(t));
      expect({ allowed: verdict.allowed, reasons: verdict.reasons.map((r) => r.code), notices: verdict.notices.map((n) => n.code) }).toEqual(EXPECTED[enforcement](inside));
    }
  });
});

describe('auditChange: an implementation recorded at the window boundaries', () => {
  const normalPath = (implementedMs: number): History => [
    { kind: 'status', from: 'Draft', to: 'Assessment', actor: { accountId: PEOPLE.requester }, at: at(1) },
    { kind: 'status', from: 'Assessment', to: 'Approved', actor: { accountId: PEOPLE.approver }, at: at(2) },
    { kind: 'status', from: 'Approved', to: 'Scheduled', actor: { accountId: PEOPLE.requester }, at: at(3) },
    { kind: 'status', from: 'Scheduled', to: 'Implemented', actor: { accountId: PEOPLE.implementer }, at: new Date(implementedMs) },
    { kind: 'status', from: 'Implemented', to: 'Closed', actor: { accountId: PEOPLE.verifier }, at: at(30) },
  ];
  const standardPath = (implementedMs: number): History => [
    { kind: 'status', from: 'Draft', to: 'Scheduled', actor: { accountId: PEOPLE.requester }, at: at(1) },
    ...normalPath(implementedMs).slice(3),
  ];

  it.each(cases)('$enforcement: implemented at $name (inside: $inside)', ({ t, inside, enforcement }) => {
    for (const [type, history] of [['normal', normalPath(t)], ['standard', standardPath(t)]] as const) {
      const findings = auditChange(aChange({ state: 'Closed', type, risk: 'low' }), history, aPolicy({ windowEnforcement: enforcement }), at(200));
      expect(findings.map((f) => [f.code, f.edge, f.at])).toEqual(inside ? [] : [['OUTSIDE_WINDOW', 'implement', new Date(t)]]);
    }
  });

  it('judges the window as it was when the change was implemented, not as it was moved later', () => {
    // Implemented 1 ms after the end; the window is moved afterwards to cover that instant.
    const history: History = [
      ...normalPath(END + 1),
      { kind: 'field', field: 'windowEnd', from: at(14).toISOString(), to: at(16).toISOString(), actor: { accountId: PEOPLE.requester }, at: at(20) },
    ];
    const change = aChange({ state: 'Closed', fields: { windowEnd: at(16) } });
    const outside = auditChange(change, history, aPolicy(), at(200)).filter((f) => f.code === 'OUTSIDE_WINDOW');
    expect(outside.map((f) => f.at)).toEqual([new Date(END + 1)]);
  });
});
