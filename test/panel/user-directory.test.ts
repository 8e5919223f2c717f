import { Change, History } from '../../src/domain';
import { directoryFromChange, personOf, unnamedAccounts, withUsers } from '../../src/panel/user-directory';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { PEOPLE } from '../builders/people.builder';

type JiraUser = { accountId: string; displayName?: string | null; active?: boolean | null };

/** A changelog of status moves, one per author, in the order given. */
const authoredBy = (...actors: (JiraUser | null)[]): History =>
  actors.map((actor, i) => ({ kind: 'status', from: 'Draft', to: 'Assessment', actor, at: at(i + 1) }));

/** A change whose user fields are the given ones (the others empty). */
const naming = (fields: Partial<Record<'requester' | 'implementer' | 'approver' | 'verifier', JiraUser>>): Change =>
  aChange({ fields: { requester: null, implementer: null, approver: null, verifier: null, ...fields } });

const shown = (change: Change, history: History, accountId: string) => personOf(directoryFromChange(change, history), accountId);

describe('directoryFromChange: who is who, from the issue and its changelog', () => {
  it.each<[string, Change, History, { displayName: string; active: boolean }]>([
    ['a changelog author by name', naming({}), authoredBy({ accountId: PEOPLE.approver, displayName: 'Ada Approver', active: true }), { displayName: 'Ada Approver', active: true }],
    ['a name without an active flag: active', naming({}), authoredBy({ accountId: PEOPLE.approver, displayName: 'Ada Approver' }), { displayName: 'Ada Approver', active: true }],
    ['a deactivated account without a name: by its id, inactive', naming({}), authoredBy({ accountId: PEOPLE.approver, active: false }), { displayName: PEOPLE.approver, active: false }],
    [
      'a later blank name keeps the known one',
      naming({}),
      authoredBy({ accountId: PEOPLE.approver, displayName: 'Ada Approver', active: true }, { accountId: PEOPLE.approver, displayName: '   ', active: true }),
      { displayName: 'Ada Approver', active: true },
    ],
    [
      'a later entry without an active flag keeps the known one',
      naming({}),
      authoredBy({ accountId: PEOPLE.approver, displayName: 'Ada Approver', active: false }, { accountId: PEOPLE.approver, displayName: 'Ada Approver' }),
      { displayName: 'Ada Approver', active: false },
    ],
    [
      'the issue’s user field wins over the changelog (reactivated, renamed)',
      naming({ approver: { accountId: PEOPLE.approver, displayName: 'Ada Lovelace', active: true } }),
      authoredBy({ accountId: PEOPLE.approver, displayName: 'Ada Approver', active: false }),
      { displayName: 'Ada Lovelace', active: true },
    ],
  ])('%s', (_, change, history, expected) => {
    expect(shown(change, history, PEOPLE.approver)).toEqual({ accountId: PEOPLE.approver, ...expected });
  });

  it('covers every role field and every changelog author', () => {
    const change = naming({
      requester: { accountId: PEOPLE.requester, displayName: 'Rita Requester', active: true },
      implementer: { accountId: PEOPLE.implementer, displayName: 'Ivan Implementer', active: true },
      approver: { accountId: PEOPLE.approver, displayName: 'Ada Approver', active: true },
      verifier: { accountId: PEOPLE.verifier, displayName: 'Vera Verifier', active: false },
    });
    const directory = directoryFromChange(change, authoredBy(null, { accountId: PEOPLE.cab, displayName: 'Carl CAB', active: true }));
    expect(Object.fromEntries(directory)).toEqual({
      [PEOPLE.requester]: { displayName: 'Rita Requester', active: true },
      [PEOPLE.implementer]: { displayName: 'Ivan Implementer', active: true },
      [PEOPLE.approver]: { displayName: 'Ada Approver', active: true },
      [PEOPLE.verifier]: { displayName: 'Vera Verifier', active: false },
      [PEOPLE.cab]: { displayName: 'Carl CAB', active: true },
    });
  });

  it('an account that comes with neither name nor active flag adds nothing: it is shown as Unknown user (never by its id), not claimed inactive', () => {
    const directory = directoryFromChange(naming({}), authoredBy({ accountId: PEOPLE.outsider }));
    expect(directory.has(PEOPLE.outsider)).toBe(false);
    expect(personOf(directory, PEOPLE.outsider)).toEqual({ accountId: PEOPLE.outsider, displayName: 'Unknown user', active: true });
  });
});

describe('personOf', () => {
  const directory = new Map([[PEOPLE.approver, { displayName: 'Ada Approver', active: false }]]);

  it.each<[string, string | null | undefined, ReturnType<typeof personOf>]>([
    ['a known account: its name and active flag', PEOPLE.approver, { accountId: PEOPLE.approver, displayName: 'Ada Approver', active: false }],
    ['an unknown account: Unknown user, active (never its raw id)', PEOPLE.outsider, { accountId: PEOPLE.outsider, displayName: 'Unknown user', active: true }],
    ['no account (anonymous)', null, null],
    ['no account (absent)', undefined, null],
    ['an empty account id', '', null],
  ])('%s', (_, accountId, expected) => {
    expect(personOf(directory, accountId)).toEqual(expected);
  });
});

describe('unnamedAccounts and withUsers: people only the app log names are looked up once each', () => {
  it('lists the log\'s and history\'s accounts with no name, once each, and names them from the lookup; a missing account is a Former user', () => {
    const change = { ...naming({}), evidence: [{ from: 'Implemented' as const, to: 'Implemented' as const, accountId: PEOPLE.cab, at: new Date(0) }, { from: 'Implemented' as const, to: 'Implemented' as const, accountId: PEOPLE.cab, at: new Date(1) }] };
    const history = authoredBy({ accountId: PEOPLE.outsider });
    const directory = directoryFromChange(change, history);
    expect(unnamedAccounts(directory, change, history).sort()).toEqual([PEOPLE.cab, PEOPLE.outsider].sort());
    const named = withUsers(directory, new Map([[PEOPLE.cab, { accountId: PEOPLE.cab, displayName: 'Carl CAB', active: true }], [PEOPLE.outsider, null]]));
    expect(personOf(named, PEOPLE.cab)).toEqual({ accountId: PEOPLE.cab, displayName: 'Carl CAB', active: true });
    expect(personOf(named, PEOPLE.outsider)).toEqual({ accountId: PEOPLE.outsider, displayName: 'Former user', active: false });
    expect(unnamedAccounts(named, change, history)).toEqual([]);
  });
});
