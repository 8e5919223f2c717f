// Panel views as the resolver would answer them (PanelView), for the component tests.
import type { PanelResponse, PanelView } from '../../../src/shared/panel-contract';
import type { Loaded } from '../../../static/issue-panel/src/panel-model';

const person = (accountId: string, displayName: string, active = true) => ({ accountId, displayName, active });

export const PEOPLE = {
  requester: person('acc-req', 'Rita Requester'),
  implementer: person('acc-imp', 'Ivan Implementer'),
  approver: person('acc-app', 'Ada Approver'),
  verifier: person('acc-ver', 'Vera Verifier'),
  former: person('acc-gone', 'Former user', false),
};

const NOT_NEEDED: PanelView['clock'] = { status: 'not-needed', implementedAt: null, dueAt: null, approvedAt: null, approver: null };

export const conflictView = (): PanelView => ({
  issueKey: 'CHG-12',
  state: 'Closed',
  changeType: 'normal',
  risk: 'medium',
  roles: [
    { role: 'requester', namedAnyOf: [], namedGroup: null, named: PEOPLE.requester, namedBy: PEOPLE.requester, acted: PEOPLE.requester, actedAt: '2026-11-01T09:00:00.000Z' },
    { role: 'implementer', namedAnyOf: [], namedGroup: null, named: PEOPLE.implementer, namedBy: PEOPLE.requester, acted: PEOPLE.implementer, actedAt: '2026-11-02T10:00:00.000Z' },
    { role: 'approver', namedAnyOf: [], namedGroup: null, named: PEOPLE.implementer, namedBy: PEOPLE.implementer, acted: PEOPLE.implementer, actedAt: '2026-11-01T12:00:00.000Z' },
    { role: 'verifier', namedAnyOf: [], namedGroup: null, named: PEOPLE.verifier, namedBy: PEOPLE.requester, acted: PEOPLE.verifier, actedAt: '2026-11-03T08:00:00.000Z' },
  ],
  pairs: [
    { pair: 'approver-implementer', verdict: 'conflict', message: 'Approved by the implementer' },
    { pair: 'verifier-implementer', verdict: 'ok', message: 'Verified by someone other than the implementer' },
    { pair: 'approver-verifier', verdict: 'conflict', message: 'Verified by an approver' },
  ],
  readiness: [],
  clock: NOT_NEEDED,
  timeline: [
    { kind: 'transition', at: '2026-11-01T09:00:00.000Z', actor: PEOPLE.requester, text: 'Draft → Assessment', afterApproval: false },
    { kind: 'transition', at: '2026-11-01T12:00:00.000Z', actor: PEOPLE.implementer, text: 'Assessment → Approved', afterApproval: false },
    { kind: 'material-change', at: '2026-11-01T15:00:00.000Z', actor: PEOPLE.former, text: 'Rollback plan changed', afterApproval: true },
    { kind: 'transition', at: '2026-11-02T10:00:00.000Z', actor: PEOPLE.implementer, text: 'Scheduled → Implemented', afterApproval: false },
  ],
  findings: [
    {
      code: 'APPROVER_IS_IMPLEMENTER',
      severity: 'exception',
      message: 'The change was approved by its implementer.',
      fix: 'Have a different approver review and re-approve the change.',
      at: '2026-11-01T12:00:00.000Z',
    },
  ],
  recurringWindow: null,
  unrecorded: [],
  deployments: [],
  deploymentsAltered: 0,
  generatedAt: '2026-11-20T12:00:00.000Z',
  viewer: { accountId: 'acc-col', displayName: 'Colette Compliance', active: true },
  policyVersion: 3,
});

export const greenView = (): PanelView => ({
  ...conflictView(),
  issueKey: 'CHG-3',
  roles: [
    { role: 'requester', namedAnyOf: [], namedGroup: null, named: PEOPLE.requester, namedBy: PEOPLE.requester, acted: PEOPLE.requester, actedAt: '2026-11-01T09:00:00.000Z' },
    { role: 'implementer', namedAnyOf: [], namedGroup: null, named: PEOPLE.implementer, namedBy: PEOPLE.requester, acted: PEOPLE.implementer, actedAt: '2026-11-02T10:00:00.000Z' },
    { role: 'approver', namedAnyOf: [], namedGroup: null, named: PEOPLE.approver, namedBy: PEOPLE.requester, acted: PEOPLE.approver, actedAt: '2026-11-01T12:00:00.000Z' },
    { role: 'verifier', namedAnyOf: [], namedGroup: null, named: PEOPLE.verifier, namedBy: PEOPLE.requester, acted: PEOPLE.verifier, actedAt: '2026-11-03T08:00:00.000Z' },
  ],
  pairs: [
    { pair: 'approver-implementer', verdict: 'ok', message: 'Approved by someone other than the implementer' },
    { pair: 'verifier-implementer', verdict: 'ok', message: 'Verified by someone other than the implementer' },
  ],
  timeline: [
    { kind: 'transition', at: '2026-11-01T12:00:00.000Z', actor: PEOPLE.approver, text: 'Assessment → Approved', afterApproval: false },
    { kind: 'transition', at: '2026-11-02T10:00:00.000Z', actor: PEOPLE.implementer, text: 'Scheduled → Implemented', afterApproval: false },
  ],
  findings: [],
});

/** Implemented at 10:00Z on 20 Nov, due 24 h later; tests run the clock at 21 Nov 13:30Z (3 h 30 min overdue). */
export const overdueView = (): PanelView => ({
  ...greenView(),
  issueKey: 'CHG-20',
  state: 'Implemented',
  changeType: 'emergency',
  risk: 'high',
  roles: [
    { role: 'requester', namedAnyOf: [], namedGroup: null, named: PEOPLE.requester, namedBy: PEOPLE.requester, acted: null, actedAt: null },
    { role: 'implementer', namedAnyOf: [], namedGroup: null, named: PEOPLE.implementer, namedBy: PEOPLE.requester, acted: PEOPLE.implementer, actedAt: '2026-11-20T10:00:00.000Z' },
    { role: 'approver', namedAnyOf: [], namedGroup: null, named: null, namedBy: null, acted: null, actedAt: null },
    { role: 'verifier', namedAnyOf: [], namedGroup: null, named: null, namedBy: null, acted: null, actedAt: null },
  ],
  pairs: [
    { pair: 'approver-implementer', verdict: 'pending', message: 'Not approved yet' },
    { pair: 'verifier-implementer', verdict: 'pending', message: 'Not verified yet' },
  ],
  readiness: [
    { edge: 'postHocApprove', name: 'Post-hoc approve', to: 'Implemented', allowed: false, missing: ['Approver'], reasons: ['Only the named approver or a CAB member may approve.'], status: 'needs' },
    { edge: 'close', name: 'Close', to: 'Closed', allowed: false, missing: ['Verification result', 'Verifier'], reasons: ['An unapproved emergency change needs its post-hoc approval first.'], status: 'needs' },
  ],
  clock: { status: 'overdue', implementedAt: '2026-11-20T10:00:00.000Z', dueAt: '2026-11-21T10:00:00.000Z', approvedAt: null, approver: null },
  timeline: [{ kind: 'transition', at: '2026-11-20T10:00:00.000Z', actor: PEOPLE.implementer, text: 'Draft → Implemented', afterApproval: false }],
  findings: [
    { code: 'EMERGENCY_POSTHOC_MISSING', severity: 'exception', message: 'No post-hoc approval for this emergency change.', fix: 'An approver who did not implement it approves it post hoc.', at: null },
  ],
});

export const OVERDUE_NOW = Date.parse('2026-11-21T13:30:00.000Z');

export const ok = (data: PanelResponse): Loaded => ({ ok: true, data });
export const okView = (view: PanelView): Loaded => ok({ status: 'ok', view });

/** Three gate calls on CHG-20, newest first (as the server sends them): an emergency let through, then a denied call, then one with no commit by an unnamed deployer. */
export const DEPLOYMENTS: PanelView['deployments'] = [
  {
    at: '2026-11-20T10:05:00.000Z',
    environment: 'production',
    sha: '9fceb02d0ae598e95dc970b74767f19372d61af8',
    deployer: 'ivan',
    deployerPerson: PEOPLE.implementer,
    pipelineName: 'payments-api deploy',
    decision: 'allow',
    path: 'emergency',
    reasons: [],
    notices: [{ code: 'EMERGENCY_DEPLOYMENT', message: 'Emergency change deployed before approval: post-hoc approval is due by 2026-11-21T10:00:00.000Z.' }],
  },
  {
    at: '2026-11-20T09:40:00.000Z',
    environment: 'staging',
    sha: 'abcdef1234567',
    deployer: 'deploy-bot',
    deployerPerson: null,
    pipelineName: 'web deploy',
    decision: 'deny',
    path: 'refused',
    reasons: [
      { code: 'NOT_APPROVED', message: 'CHG-20 is not approved.' },
      { code: 'OUTSIDE_WINDOW', message: 'Outside the change window.' },
    ],
    notices: [],
  },
  {
    at: '2026-11-19T08:00:00.000Z',
    environment: 'qa',
    sha: null,
    deployer: 'deploy-bot',
    deployerPerson: PEOPLE.former,
    pipelineName: 'web deploy',
    decision: 'allow',
    path: 'approved',
    reasons: [],
    notices: [],
  },
];

export const deploymentsView = (altered = 0): PanelView => ({ ...overdueView(), deployments: DEPLOYMENTS, deploymentsAltered: altered });
