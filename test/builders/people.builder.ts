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

/** An actor as the validator sees them; the CAB member carries the CAB group. */
export const anActor = (role: PersonRole): NonNullable<Actor> => ({
  accountId: PEOPLE[role],
  displayName: role,
  active: true,
  groups: role === 'cab' ? [CAB_GROUP] : [],
});
