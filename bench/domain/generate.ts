import type { Change, ChangeType, FieldKey, History } from '../../src/domain';
import { aChange } from '../../test/builders/change.builder';
import { HistoryBuilder } from '../../test/builders/history.builder';
import { PEOPLE } from '../../test/builders/people.builder';
import { seededRandom } from '../stats';

export interface Ticket {
  change: Change;
  history: History;
}

const RISK_VALUES = ['low', 'medium', 'high'] as const;
const EDITABLE: FieldKey[] = ['summary', 'justification', 'testPlan', 'rollbackPlan', 'targetSystems', 'cabReference', 'risk'];

/** `count` tickets with about `entriesPerTicket` history entries each, across all paths and some violations. */
export const generateTickets = (count: number, entriesPerTicket = 20, seed = 81): Ticket[] => {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const people = Object.values(PEOPLE);
  return Array.from({ length: count }, (_, i) => {
    const roll = rnd();
    const type: ChangeType = roll < 0.6 ? 'normal' : roll < 0.8 ? 'standard' : 'emergency';
    const h = new HistoryBuilder();
    let hour = 0.5;
    const next = () => (hour += 0.5 + rnd());
    const edits = (n: number) => {
      for (let k = 0; k < n; k += 1) {
        const field = pick(EDITABLE);
        // An option field only ever holds one of its options.
        const value = (j: number) => (field === 'risk' ? RISK_VALUES[j % RISK_VALUES.length]! : `v${j}`);
        h.edit(field, value(k), value(k + 1), pick(people), next());
      }
    };
    // A fifth of the tickets carry a violation: a wrong approver or verifier.
    const approver = rnd() < 0.1 ? PEOPLE.implementer : PEOPLE.approver;
    const verifier = rnd() < 0.1 ? pick(people) : PEOPLE.verifier;
    let transitions = 0;
    if (type === 'standard') {
      h.move('Draft', 'Scheduled', PEOPLE.requester, next());
      transitions = 1;
    } else if (type === 'emergency') {
      h.move('Draft', 'Implemented', PEOPLE.implementer, 11);
      hour = 11;
      h.move('Implemented', 'Implemented', approver, rnd() < 0.8 ? next() : 11 + 80);
      transitions = 2;
    } else {
      h.move('Draft', 'Assessment', PEOPLE.requester, next()).move('Assessment', 'Approved', approver, next()).move('Approved', 'Scheduled', PEOPLE.requester, next());
      transitions = 3;
    }
    edits(Math.max(0, entriesPerTicket - transitions - 2));
    if (type !== 'emergency') h.move('Scheduled', 'Implemented', PEOPLE.implementer, 10 + rnd() * 5);
    h.move('Implemented', 'Closed', verifier, 100 + rnd() * 10);
    const risk = type === 'standard' ? 'low' : pick(['low', 'medium', 'high'] as const);
    return { change: aChange({ key: `CHG-${i + 1}`, state: 'Closed', type, risk }), history: h.build() };
  });
};
