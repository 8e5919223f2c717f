import { JSM_VERIFICATION_GROUP } from '../state/jsm-site';
import type { SandboxUser } from '../state/sandbox-state';

const user = (accountId: string, displayName: string, email: string, groups: string[] = [], active = true): SandboxUser => ({
  accountId,
  displayName,
  emailAddress: email,
  active,
  groups: ['jira-users', ...groups],
  timeZone: 'Europe/London',
});

/** One person per role, plus a deactivated former employee who still appears in old history. */
export const DEMO_USERS = {
  requester: user('5b10a2844c20165700ede21g', 'Rita Requester', 'rita.requester@example.com'),
  implementer: user('5b10a2844c20165700ede22h', 'Ivan Implementer', 'ivan.implementer@example.com'),
  approver: user('5b10a2844c20165700ede23i', 'Ada Approver', 'ada.approver@example.com'),
  verifier: user('5b10a2844c20165700ede24j', 'Vera Verifier', 'vera.verifier@example.com', [JSM_VERIFICATION_GROUP]),
  cab: user('5b10a2844c20165700ede25k', 'Carl CAB', 'carl.cab@example.com', ['cab-members', JSM_VERIFICATION_GROUP]),
  compliance: user('5b10a2844c20165700ede26l', 'Colette Compliance', 'colette.compliance@example.com', ['compliance']),
  admin: user('5b10a2844c20165700ede27m', 'Adam Admin', 'adam.admin@example.com', ['jira-administrators', 'site-admins']),
  former: user('5b10a2844c20165700ede28n', 'Former user', 'former.user@example.com', [], false),
} as const;

export type DemoRole = keyof typeof DEMO_USERS;
export const demoUsers = (): SandboxUser[] => Object.values(DEMO_USERS).map((u) => ({ ...u, groups: [...u.groups] }));
