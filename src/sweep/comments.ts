/** The sweep's comments, in Atlassian Document Format, with @mentions of the people who must act. */
import { groupOf, namedPeople, type Change, type Policy } from '../domain';
import type { AdfNode } from '../jira/schemas';

interface Person {
  accountId: string | null;
  displayName: string | null;
  active: boolean | null;
}

const text = (value: string): AdfNode => ({ type: 'text', text: value });
const mention = (accountId: string, displayName: string | null): AdfNode => ({ type: 'mention', attrs: { id: accountId, text: `@${displayName ?? accountId}` } });
const paragraph = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
// ADF's root: `version` is a top-level property of the doc node (ADF JSON schema), not an attribute.
const doc = (...content: AdfNode[]): AdfNode => ({ type: 'doc', version: 1, content }) as AdfNode;

/** A person as mention + text, or a clear note when the account is missing or deactivated. */
const personNodes = (role: string, person: Person | null): AdfNode[] => {
  if (!person?.accountId) return [text(`The ${role} is not named on this ticket (field empty or user removed).`)];
  const nodes = [text(`${role[0]!.toUpperCase()}${role.slice(1)}: `), mention(person.accountId, person.displayName)];
  if (person.active === false) nodes.push(text(' (this account is deactivated; someone else must act)'));
  return [...nodes, text('. ')];
};

const approverNodes = (change: Change, policy: Policy): AdfNode[] => {
  const approver = namedPeople(change.fields.approver)[0] ?? null;
  const cab = policy.cab.groupName ? `the CAB (${policy.cab.groupName})` : 'a CAB member';
  const cabMembers = policy.cab.memberAccountIds.map((id) => mention(id, null));
  const cabNodes: AdfNode[] = [text(`Otherwise ${cab} can approve`), ...(cabMembers.length ? [text(': '), ...cabMembers.flatMap((m, i) => (i ? [text(', '), m] : [m]))] : []), text('.')];
  const group = groupOf(change.fields, 'approver');
  const others = namedPeople(change.fields.approver).slice(1);
  const named = group !== null
    ? [text(`Approver: any member of the group "${group}". `)]
    : [
        ...personNodes('approver', approver ? { accountId: approver.accountId, displayName: approver.displayName ?? null, active: approver.active ?? null } : null),
        ...others.flatMap((p) => [text('or '), mention(p.accountId, p.displayName ?? null), text('. ')]),
      ];
  return [...named, ...cabNodes];
};

const implementerOf = (change: Change, fallbackAccountId: string | null): Person | null => {
  const field = namedPeople(change.fields.implementer)[0];
  if (field) return { accountId: field.accountId, displayName: field.displayName ?? null, active: field.active ?? null };
  return fallbackAccountId ? { accountId: fallbackAccountId, displayName: null, active: null } : null;
};

export const warningComment = (change: Change, policy: Policy, dueAt: Date, implementerAccountId: string | null): AdfNode =>
  doc(
    paragraph(text(`CC8.1: this emergency change still needs post-hoc approval. It is due by ${dueAt.toISOString()}.`)),
    paragraph(...personNodes('implementer', implementerOf(change, implementerAccountId))),
    paragraph(...approverNodes(change, policy)),
  );

export const overdueComment = (change: Change, policy: Policy, dueAt: Date, implementerAccountId: string | null): AdfNode =>
  doc(
    paragraph(text(`CC8.1: post-hoc approval of this emergency change is OVERDUE (it was due by ${dueAt.toISOString()}). The ticket is flagged cc81-posthoc-overdue.`)),
    paragraph(...approverNodes(change, policy)),
    paragraph(...personNodes('implementer', implementerOf(change, implementerAccountId))),
  );

export const lateApprovalComment = (dueAt: Date, approvedAt: Date, approverAccountId: string): AdfNode =>
  doc(
    paragraph(
      text(`CC8.1: post-hoc approval recorded at ${approvedAt.toISOString()} by `),
      mention(approverAccountId, null),
      text(`, after the deadline of ${dueAt.toISOString()}. It stays in the evidence as a late-approval exception.`),
    ),
  );

/** Differences listed in a comment at most (the panel and the audit list them all). */
export const TAMPER_COMMENT_MAX = 10;

export const tamperComment = (differences: readonly string[]): AdfNode =>
  doc(
    paragraph(
      text(
        `CC8.1: the evidence shown on this issue (property cc81.evidence) does not match the app's own log, which no Jira user can edit. The ticket is flagged cc81-evidence-tampered, and the CC8.1 panel and the audit report EVIDENCE_TAMPERED. Decisions are taken from the app's log only.`,
      ),
    ),
    {
      type: 'bulletList',
      content: [...differences.slice(0, TAMPER_COMMENT_MAX), ...(differences.length > TAMPER_COMMENT_MAX ? [`and ${differences.length - TAMPER_COMMENT_MAX} more (see the CC8.1 panel)`] : [])].map(
        (d) => ({ type: 'listItem', content: [paragraph(text(d))] }) as AdfNode,
      ),
    } as AdfNode,
  );
