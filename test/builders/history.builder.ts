import type { ChangeType, FieldKey, History, HistoryEntry, State } from '../../src/domain';
import { at } from './clock';
import { PEOPLE } from './people.builder';

const actor = (accountId: string | null) => (accountId ? { accountId, displayName: accountId, active: true } : null);

/** Fluent history: `aHistory().move('Draft','Assessment', who, hour).edit('risk','low','high', who, hour).build()`. */
export class HistoryBuilder {
  private readonly entries: HistoryEntry[] = [];

  move(from: State, to: State, by: string | null, hour: number): this {
    this.entries.push({ kind: 'status', from, to, actor: actor(by), at: at(hour) });
    return this;
  }

  edit(field: FieldKey, from: string | null, to: string | null, by: string | null, hour: number): this {
    this.entries.push({ kind: 'field', field, from, to, actor: actor(by), at: at(hour) });
    return this;
  }

  build(): History {
    return [...this.entries];
  }
}

export const aHistory = () => new HistoryBuilder();

/** The compliant history of each path, ending in Closed (hours fit the builder window 10..14). */
export const compliantHistory = (type: ChangeType): History => {
  const h = aHistory();
  if (type === 'standard') {
    h.move('Draft', 'Scheduled', PEOPLE.requester, 1);
  } else if (type === 'emergency') {
    h.move('Draft', 'Implemented', PEOPLE.implementer, 11).move('Implemented', 'Implemented', PEOPLE.approver, 20);
  } else {
    h.move('Draft', 'Assessment', PEOPLE.requester, 1).move('Assessment', 'Approved', PEOPLE.approver, 2).move('Approved', 'Scheduled', PEOPLE.requester, 3);
  }
  if (type !== 'emergency') h.move('Scheduled', 'Implemented', PEOPLE.implementer, 11);
  return h.move('Implemented', 'Closed', PEOPLE.verifier, 30).build();
};
