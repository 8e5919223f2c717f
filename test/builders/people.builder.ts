import type { Actor } from '../../src/domain';

export const PEOPLE = {
  requester: 'acc-requester',
  implementer: 'acc-implementer',
  approver: 'acc-approver',
  verifier: 'acc-verifier',
  cab: 'acc-cab-member',
  outsider: 'acc-outsider',
} as const;
export type PersonRole = keyof typeof PEOPLE;
export const PERSON_ROLES = Object.keys(PEOPLE) as PersonRole[];

export const CAB_GROUP = 'cab-members';
/** The group of those who may approve and verify, when a policy requires one (issue 15). */
export const CHANGE_CONTROL_GROUP = 'change-control';

/** Each test person's Jira groups: the CAB member is in the CAB; approver, verifier and CAB member in change control. */
export const groupsOf = (role: PersonRole): string[] =>
  role === 'cab' ? [CAB_GROUP, CHANGE_CONTROL_GROUP] : role === 'approver' || role === 'verifier' ? [CHANGE_CONTROL_GROUP] : [];

/** An actor as the validator sees them, with their groups. */
export const anActor = (role: PersonRole): NonNullable<Actor> => ({
  accountId: PEOPLE[role],
  displayName: role,
  active: true,
  groups: groupsOf(role),
});
