/**
 * The sweep's comments as a Jira user reads them: who is @mentioned (account id and the name shown),
 * who is missing or deactivated, and who else can approve. The ADF is rendered to plain text here,
 * mention nodes as their `@name`; assertions pick out the parts that carry meaning.
 */
import type { UserRef } from '../../src/domain';
import type { AdfNode } from '../../src/jira/schemas';
import { lateApprovalComment, overdueComment, warningComment } from '../../src/sweep/comments';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aPolicy } from '../builders/policy.builder';

const DUE = at(72);
const IAN: UserRef = { accountId: 'acc-ian', displayName: 'Ian Implementer', active: true };
const ALICE: UserRef = { accountId: 'acc-alice', displayName: 'Alice Approver', active: true };

/** What Jira shows: text as is, a mention as its `@name`. Any other node type is a broken comment. */
const read = (node: AdfNode): string => {
  switch (node.type) {
    case 'doc':
      return (node.content ?? []).map(read).join('\n');
    case 'paragraph':
      return (node.content ?? []).map(read).join('');
    case 'text':
      return node.text ?? '';
    case 'mention':
      return String(node.attrs?.text);
    default:
      throw new Error(`unexpected ADF node "${node.type}"`);
  }
};
const paragraphs = (doc: AdfNode): string[] => (doc.content ?? []).map(read);
/** Who is notified: the mention nodes' account ids and the names shown. */
const mentions = (node: AdfNode): { id: unknown; text: unknown }[] =>
  node.type === 'mention' ? [{ id: node.attrs?.id, text: node.attrs?.text }] : (node.content ?? []).flatMap(mentions);

const emergency = (fields: { implementer?: UserRef | null; approver?: UserRef | null } = {}) =>
  aChange({ type: 'emergency', state: 'Implemented', fields: { implementer: IAN, approver: ALICE, ...fields } });
const policy = (groupName: string | null, memberAccountIds: string[]) => aPolicy({ cab: { requiredForRisks: ['medium', 'high'], groupName, memberAccountIds } });
const noCab = policy(null, []);

describe('the warning comment', () => {
  it('says post-hoc approval is due and by when, then names the implementer and the approver', () => {
    const doc = warningComment(emergency(), noCab, DUE, null);
    expect(doc).toMatchObject({ type: 'doc', version: 1 });
    const [intro, implementer, approver] = paragraphs(doc);
    expect(intro).toContain('post-hoc approval');
    expect(intro).toContain(DUE.toISOString());
    expect(implementer).toContain('Implementer: @Ian Implementer');
    expect(approver).toContain('Approver: @Alice Approver');
    expect(mentions(doc)).toEqual([
      { id: 'acc-ian', text: '@Ian Implementer' },
      { id: 'acc-alice', text: '@Alice Approver' },
    ]);
  });

  // The implementer paragraph, by what is known about the implementer.
  it.each([
    { name: 'named, active', field: IAN, fallback: null, shows: /^Implementer: @Ian Implementer\.\s*$/, mention: { id: 'acc-ian', text: '@Ian Implementer' } },
    { name: 'active unknown', field: { ...IAN, active: null }, fallback: null, shows: /^Implementer: @Ian Implementer\.\s*$/, mention: { id: 'acc-ian', text: '@Ian Implementer' } },
    { name: 'no display name', field: { accountId: 'acc-ian', displayName: null, active: true }, fallback: null, shows: /^Implementer: @acc-ian\.\s*$/, mention: { id: 'acc-ian', text: '@acc-ian' } },
    {
      name: 'deactivated',
      field: { ...IAN, active: false },
      fallback: null,
      shows: /^Implementer: @Ian Implementer \(this account is deactivated; someone else must act\)\.\s*$/,
      mention: { id: 'acc-ian', text: '@Ian Implementer' },
    },
    { name: 'field empty, implementer known from the changelog', field: null, fallback: 'acc-from-changelog', shows: /^Implementer: @acc-from-changelog\.\s*$/, mention: { id: 'acc-from-changelog', text: '@acc-from-changelog' } },
    { name: 'field empty, nobody known', field: null, fallback: null, shows: /^The implementer is not named on this ticket/, mention: null },
  ])('implementer $name', ({ field, fallback, shows, mention }) => {
    const doc = warningComment(emergency({ implementer: field }), noCab, DUE, fallback);
    const implementer = paragraphs(doc)[1]!;
    expect(implementer).toMatch(shows);
    if (!shows.source.includes('deactivated')) expect(implementer).not.toContain('deactivated');
    expect(mentions(doc).filter((m) => m.id !== 'acc-alice')).toEqual(mention ? [mention] : []);
  });

  // The approver paragraph: the named approver, then who else can approve.
  it.each([
    { name: 'approver named, CAB group with two members', approver: ALICE, cab: policy('Emergency CAB', ['acc-c1', 'acc-c2']), reads: ['Approver: @Alice Approver.', 'Otherwise the CAB (Emergency CAB) can approve: @acc-c1, @acc-c2.'] },
    { name: 'CAB members without a group', approver: ALICE, cab: policy(null, ['acc-c1']), reads: ['Approver: @Alice Approver.', 'Otherwise a CAB member can approve: @acc-c1.'] },
    { name: 'CAB group without listed members', approver: ALICE, cab: policy('Emergency CAB', []), reads: ['Otherwise the CAB (Emergency CAB) can approve.'] },
    { name: 'no approver named', approver: null, cab: policy(null, []), reads: ['The approver is not named on this ticket', 'Otherwise a CAB member can approve.'] },
    { name: 'approver deactivated', approver: { ...ALICE, active: false }, cab: policy(null, []), reads: ['Approver: @Alice Approver (this account is deactivated; someone else must act).'] },
  ])('$name', ({ approver, cab, reads }) => {
    const doc = warningComment(emergency({ approver }), cab, DUE, null);
    const paragraph = paragraphs(doc)[2]!;
    for (const part of reads) expect(paragraph).toContain(part);
    // Approver first, then the CAB: one readable sentence each.
    if (approver) expect(paragraph).toMatch(/\.\s+Otherwise/);
    const cabMentions = cab.cab.memberAccountIds.map((id) => ({ id, text: `@${id}` }));
    const approverMention = approver ? [{ id: approver.accountId, text: `@${approver.displayName}` }] : [];
    expect(mentions(doc).filter((m) => m.id !== 'acc-ian')).toEqual([...approverMention, ...cabMentions]);
  });
});

describe('the overdue comment', () => {
  it('says OVERDUE, when it was due and which label flags it, then names the approver (with the CAB) and the implementer', () => {
    const doc = overdueComment(emergency(), policy('Emergency CAB', ['acc-c1']), DUE, null);
    const [intro, approver, implementer] = paragraphs(doc);
    expect(intro).toContain('OVERDUE');
    expect(intro).toContain(DUE.toISOString());
    expect(intro).toContain('cc81-posthoc-overdue');
    expect(approver).toContain('Approver: @Alice Approver.');
    expect(approver).toContain('the CAB (Emergency CAB) can approve: @acc-c1.');
    expect(implementer).toContain('Implementer: @Ian Implementer.');
    expect(mentions(doc).map((m) => m.id)).toEqual(['acc-alice', 'acc-c1', 'acc-ian']);
  });
});

describe('the late-approval comment', () => {
  it('records when and by whom it was approved, the deadline missed, and that the exception stays', () => {
    const approvedAt = at(80);
    const doc = lateApprovalComment(DUE, approvedAt, 'acc-alice');
    const [only, ...rest] = paragraphs(doc);
    expect(rest).toEqual([]);
    expect(only).toContain(`post-hoc approval recorded at ${approvedAt.toISOString()} by @acc-alice`);
    expect(only).toContain(`after the deadline of ${DUE.toISOString()}`);
    expect(only).toContain('late-approval exception');
    expect(mentions(doc)).toEqual([{ id: 'acc-alice', text: '@acc-alice' }]);
  });
});
