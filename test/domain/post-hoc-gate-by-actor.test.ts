// Post-hoc approval before Close is judged by the history gate alone (issue 14), from the steps
// Jira and the app's log record, with the implementer field and the actors deliberately disagreeing.
import { evaluateHistoryGate } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory } from '../builders/history.builder';
import { anActor, PEOPLE } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

const { implementer: IMPL, approver: APPR, outsider: OUT, requester: REQ } = PEOPLE;
type Step = ['implemented', 'Draft' | 'Assessment' | 'Scheduled', string | null] | ['postHoc', string | null];
const implemented = (from: 'Draft' | 'Assessment' | 'Scheduled', by: string | null): Step => ['implemented', from, by];
const postHoc = (by: string | null): Step => ['postHoc', by];

/** Closing an emergency change: who implemented (field and steps) and who approved post hoc. Independent expectations. */
const POST_HOC: { row: string; implementerField: string; steps: Step[]; expected: boolean }[] = [
  { row: 'approved post hoc by someone else', implementerField: IMPL, steps: [implemented('Draft', IMPL), postHoc(APPR)], expected: true },
  { row: 'approved post hoc by the named implementer', implementerField: IMPL, steps: [implemented('Draft', OUT), postHoc(IMPL)], expected: false },
  { row: 'approved post hoc by the named implementer, who did not move it', implementerField: APPR, steps: [implemented('Draft', IMPL), postHoc(APPR)], expected: false },
  { row: 'approved post hoc by one who implemented', implementerField: IMPL, steps: [implemented('Draft', IMPL), implemented('Assessment', REQ), postHoc(REQ)], expected: false },
  { row: 'approved post hoc by nobody identifiable', implementerField: IMPL, steps: [implemented('Draft', IMPL), postHoc(null)], expected: false },
  { row: 'implemented after a pre-approval only', implementerField: IMPL, steps: [implemented('Scheduled', IMPL)], expected: true },
  { row: 'implemented once after a pre-approval, once by a shortcut', implementerField: IMPL, steps: [implemented('Scheduled', IMPL), implemented('Draft', IMPL)], expected: false },
  { row: 'no implementation on record', implementerField: IMPL, steps: [], expected: false },
  { row: 'named outsider approved post hoc', implementerField: OUT, steps: [implemented('Draft', IMPL), postHoc(OUT)], expected: false },
  { row: 'named outsider, approved post hoc by someone else', implementerField: OUT, steps: [implemented('Draft', IMPL), postHoc(APPR)], expected: true },
];

describe('the gate\'s post-hoc approval check at Close, where the implementer field and the actors disagree', () => {
  it.each(POST_HOC)('$row', ({ implementerField, steps, expected }) => {
    const change = aChange({ state: 'Implemented', type: 'emergency', fields: { implementer: { accountId: implementerField } } });
    const history = aHistory();
    steps.forEach((step, i) => {
      if (step[0] === 'implemented') history.move(step[1], 'Implemented', step[2], 2 + i * 0.1);
      else history.move('Implemented', 'Implemented', step[1], 3 + i * 0.1);
    });
    const verdict = evaluateHistoryGate(change, 'close', anActor('verifier'), aPolicy(), at(5), history.build());
    expect(verdict.reasons.filter((r) => r.code === 'EMERGENCY_POSTHOC_MISSING').length === 0).toBe(expected);
  });
});
