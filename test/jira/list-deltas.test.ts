// Issue 16: Components come in the changelog one item per component added or removed. Replay walks
// back from today's list, so every edit's entry carries the whole list before and after it, whatever
// order the histories come in.
import { fieldsAt, sortHistory } from '../../src/domain';
import { mapChange } from '../../src/jira/map-change';
import { replayListDeltas } from '../../src/jira/list-deltas';
import { ChangelogSchema, IssueSchema } from '../../src/jira/schemas';
import { completeFields } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aSitePolicy, issueJson, jiraUser, type JiraHistory } from '../fakes/jira-json.builder';

const policy = aSitePolicy({ fields: { ...aSitePolicy().fields, targetSystems: 'components' }, fieldTypes: { targetSystems: 'components' } });

const componentItem = (side: 'from' | 'to', name: string, id: string) => ({
  field: 'Component',
  fieldtype: 'jira',
  fieldId: 'components',
  from: side === 'from' ? id : null,
  fromString: side === 'from' ? name : null,
  to: side === 'to' ? id : null,
  toString: side === 'to' ? name : null,
});

const history = (id: string, hour: number, author: string, items: ReturnType<typeof componentItem>[]): JiraHistory =>
  ({ id, author: jiraUser(author), created: at(hour).toISOString().replace('Z', '+0000'), items }) as JiraHistory;

describe('Components: the changelog names one component per item', () => {
  // Created with [Payments]; hour 2 adds Ledger and removes Payments in one edit; hour 5 adds Edge.
  const histories = [
    history('2', 5, 'acc-implementer', [componentItem('to', 'Edge', '10003')]),
    history('1', 2, 'acc-requester', [componentItem('to', 'Ledger', '10002'), componentItem('from', 'Payments', '10001')]),
  ];
  const issue = issueJson({ state: 'Scheduled', fields: completeFields(), raw: { components: [{ id: '10002', name: 'Ledger' }, { id: '10003', name: 'Edge' }] } });
  const mapped = mapChange({ issue: IssueSchema.parse(issue), histories: histories.map((h) => ChangelogSchema.parse(h)) }, policy);

  it('reads today\'s components as Target systems', () => {
    expect(mapped.change.fields.targetSystems).toEqual(['Ledger', 'Edge']);
  });

  it('turns each edit into the whole list before and after it, walking back from today', () => {
    const entries = sortHistory(mapped.history).filter((e) => e.kind === 'field');
    expect(entries).toEqual([
      expect.objectContaining({ field: 'targetSystems', at: at(2), from: 'Payments', to: 'Ledger', actor: expect.objectContaining({ accountId: 'acc-requester' }) }),
      expect.objectContaining({ field: 'targetSystems', at: at(5), from: 'Ledger', to: 'Edge,Ledger', actor: expect.objectContaining({ accountId: 'acc-implementer' }) }),
    ]);
  });

  it('so the replay sees the value at every step, including the one the issue was created with', () => {
    const sorted = sortHistory(mapped.history);
    expect(fieldsAt(mapped.change.fields, sorted, at(1)).targetSystems).toEqual(['Payments']);
    expect(fieldsAt(mapped.change.fields, sorted, at(3)).targetSystems).toEqual(['Ledger']);
    expect(fieldsAt(mapped.change.fields, sorted, at(6)).targetSystems).toEqual(['Ledger', 'Edge']);
  });

  it('gives the same entries whatever order the deltas come in', () => {
    const deltas = [
      { at: at(5), actor: null, field: 'targetSystems' as const, added: ['Edge'], removed: [] },
      { at: at(2), actor: null, field: 'targetSystems' as const, added: ['Ledger'], removed: [] },
      { at: at(2), actor: null, field: 'targetSystems' as const, added: [], removed: ['Payments'] },
    ];
    const today = () => ['Edge', 'Ledger'];
    const forward = replayListDeltas(deltas, today);
    expect(replayListDeltas([...deltas].reverse(), today)).toEqual(forward);
    expect(forward.map((e) => [e.from, e.to])).toEqual([
      ['Payments', 'Ledger'],
      ['Ledger', 'Edge,Ledger'],
    ]);
  });

  it('a component removed that today\'s list never had, or added and gone again, still replays without loss', () => {
    const deltas = [
      { at: at(1), actor: null, field: 'targetSystems' as const, added: ['Temp'], removed: [] },
      { at: at(3), actor: null, field: 'targetSystems' as const, added: [], removed: ['Temp'] },
    ];
    expect(replayListDeltas(deltas, () => []).map((e) => [e.from, e.to])).toEqual([
      [null, 'Temp'],
      ['Temp', null],
    ]);
  });
});
