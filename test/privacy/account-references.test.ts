import { collectAccountIds, ERASED_PREFIX, mentionsAny, rewriteAccounts } from '../../src/privacy/account-references';

const stored = {
  version: 3,
  updatedBy: 'acc-admin',
  policy: { cab: { memberAccountIds: ['acc-cab-1', 'acc-cab-2'], groupName: 'cab' }, fields: { approver: 'customfield_10001' } },
  history: [{ version: 2, updatedBy: { accountId: 'acc-old', displayName: 'Olga Old' }, reason: 'tighten' }],
  export: { createdBy: 'acc-exporter', archivedBy: `${ERASED_PREFIX}x`, roles: [{ named: { accountId: 'acc-impl', displayName: 'Ivan', active: true }, approverAccountId: 'acc-appr' }] },
  html: '<td>Ivan <span class="id">acc-impl</span></td>',
};

describe('collectAccountIds', () => {
  it('finds account ids by property name at any depth, and nothing else', () => {
    expect([...collectAccountIds(stored)].sort()).toEqual(['acc-admin', 'acc-appr', 'acc-cab-1', 'acc-cab-2', 'acc-exporter', 'acc-impl', 'acc-old']);
  });

  it('skips erased tokens, blanks and non-strings', () => {
    expect([...collectAccountIds({ accountId: `${ERASED_PREFIX}t1`, updatedBy: ' ', createdBy: 7, memberAccountIds: [null, '', 'acc-1'] })]).toEqual(['acc-1']);
  });
});

describe('rewriteAccounts', () => {
  it('replaces a closed account everywhere (free text included) with its token and clears its stored name', () => {
    const { value, changes } = rewriteAccounts(stored, { closed: new Map([['acc-impl', `${ERASED_PREFIX}t1`]]), updated: new Set() });
    const out = value as typeof stored;
    expect(out.export.roles[0]!.named).toEqual({ accountId: `${ERASED_PREFIX}t1`, displayName: null, active: true });
    expect(out.html).toBe(`<td>Ivan <span class="id">${ERASED_PREFIX}t1</span></td>`);
    expect(changes).toBe(3);
    expect(JSON.stringify(out)).not.toContain('acc-impl');
    expect(out.policy).toEqual(stored.policy); // the rest is untouched
    expect(stored.export.roles[0]!.named.accountId).toBe('acc-impl'); // the input is not mutated
  });

  it('keeps an updated account\'s id but drops its stored name', () => {
    const { value } = rewriteAccounts(stored, { closed: new Map(), updated: new Set(['acc-old']) });
    expect((value as typeof stored).history[0]!.updatedBy).toEqual({ accountId: 'acc-old', displayName: null });
  });

  it('returns the very same value when nothing applies', () => {
    const result = rewriteAccounts(stored, { closed: new Map([['acc-nobody', 't']]), updated: new Set(['acc-nobody']) });
    expect(result).toEqual({ value: stored, changes: 0 });
    expect(result.value).toBe(stored);
  });
});

describe('mentionsAny', () => {
  it('looks for the ids anywhere in the value', () => {
    expect(mentionsAny(stored, new Set(['acc-impl']))).toBe(true);
    expect(mentionsAny(stored, new Set(['acc-nobody']))).toBe(false);
    expect(mentionsAny(stored, new Set())).toBe(false);
  });
});
