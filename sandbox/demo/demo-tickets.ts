import { withRecurringWindows } from '../../src/schedule/recurring-window';
import { Change, ChangeFields, ChangeType, FieldKey, FindingCode, History, Risk, State, stateIndex } from '../../src/domain';
import { DEMO_USERS, DemoRole } from './demo-users';

type Who = DemoRole | null;
type Step = readonly ['move', State, State, Who, number] | readonly ['edit', FieldKey, string | null, string | null, Who, number];

export interface DemoTicket {
  summary: string;
  type: ChangeType;
  risk: Risk;
  state: State;
  /** Maintenance window, in hours before now (negative: in the future). */
  window: readonly [number, number];
  fields?: Partial<ChangeFields>;
  steps: readonly Step[];
  /** The finding codes `auditChange` reports for this ticket, as the app reads it (the demo's answer key). */
  expected: readonly FindingCode[];
  /** A recurring window instead of the fixed one: first start in hours before now, the RRULE and its DURATION. */
  recurring?: { startHoursAgo: number; rule: string; duration: string };
  /** What a user with Edit issues did to the `cc81.evidence` mirror after the app wrote it (`tamper-mirror.ts`). */
  tamper?: MirrorTamper;
}

/**
 * - `forge-post-hoc`: adds a post-hoc approval by the CAB member, 10 h after the implementation;
 * - `drop-implementation`: removes the record of the move into Implemented;
 * - `rewrite-approver`: names the approver as the one who approved, instead of who did.
 */
export type MirrorTamper = 'forge-post-hoc' | 'drop-implementation' | 'rewrite-approver';

const TAMPER_FOUND: Record<MirrorTamper, string> = {
  'forge-post-hoc': "a post-hoc approval is on the issue but not in the app's log",
  'drop-implementation': "the implementation is in the app's log but was removed from the issue",
  'rewrite-approver': 'the approval was altered on the issue (accountId)',
};

const id = (role: DemoRole) => DEMO_USERS[role].accountId;
const user = (role: DemoRole) => ({ accountId: id(role), displayName: DEMO_USERS[role].displayName, active: DEMO_USERS[role].active });
const mv = (from: State, to: State, who: Who, hoursAgo: number): Step => ['move', from, to, who, hoursAgo];
const ed = (field: FieldKey, from: string | null, to: string | null, who: Who, hoursAgo: number): Step => ['edit', field, from, to, who, hoursAgo];

/** The normal path up to a state, in hours before now, starting at `start`. */
const normalPath = (upTo: State, start: number, implementedAt = start - 30): Step[] => {
  const all: Step[] = [
    mv('Draft', 'Assessment', 'requester', start),
    mv('Assessment', 'Approved', 'approver', start - 4),
    mv('Approved', 'Scheduled', 'requester', start - 6),
    mv('Scheduled', 'Implemented', 'implementer', implementedAt),
    mv('Implemented', 'Closed', 'verifier', implementedAt - 6),
  ];
  return all.slice(0, stateIndex(upTo));
};

export const DEMO_TICKETS: readonly DemoTicket[] = [
  // Compliant tickets in every state and on every path.
  { summary: 'Rotate TLS certificates on the edge proxies', type: 'normal', risk: 'medium', state: 'Closed', window: [300, 290], steps: normalPath('Closed', 340, 296), expected: [] },
  { summary: 'Upgrade PostgreSQL 15 to 16 on the billing cluster', type: 'normal', risk: 'high', state: 'Closed', window: [200, 190], steps: normalPath('Closed', 260, 195), expected: [] },
  { summary: 'Add index to orders.created_at', type: 'standard', risk: 'low', state: 'Closed', window: [150, 140], steps: [mv('Draft', 'Scheduled', 'requester', 160), mv('Scheduled', 'Implemented', 'implementer', 145), mv('Implemented', 'Closed', 'verifier', 130)], expected: [] },
  { summary: 'Hotfix: payment webhook signature check', type: 'emergency', risk: 'high', state: 'Closed', window: [100, 95], steps: [mv('Draft', 'Implemented', 'implementer', 100), mv('Implemented', 'Implemented', 'approver', 80), mv('Implemented', 'Closed', 'verifier', 70)], expected: [] },
  { summary: 'Enable HSTS preload on www', type: 'normal', risk: 'low', state: 'Draft', window: [-48, -50], fields: { implementer: null, testPlan: null, rollbackPlan: null }, steps: [], expected: [] },
  { summary: 'Increase Kafka retention to 14 days', type: 'normal', risk: 'medium', state: 'Assessment', window: [-48, -52], steps: normalPath('Assessment', 20), expected: [] },
  { summary: 'Rename S3 bucket for audit logs', type: 'normal', risk: 'low', state: 'Approved', window: [-24, -26], steps: normalPath('Approved', 30), expected: [] },
  { summary: 'Patch OpenSSH on bastion hosts', type: 'normal', risk: 'medium', state: 'Scheduled', window: [2, -46], steps: normalPath('Scheduled', 40), expected: [] },
  { summary: 'Rotate API keys for the CRM integration', type: 'standard', risk: 'low', state: 'Scheduled', window: [1, -47], steps: [mv('Draft', 'Scheduled', 'requester', 5)], expected: [] },
  { summary: 'Emergency: block abusive IP range at the WAF', type: 'emergency', risk: 'medium', state: 'Implemented', window: [10, 9], steps: [mv('Draft', 'Implemented', 'implementer', 10)], expected: [] },
  { summary: 'Emergency: restart stuck queue consumers', type: 'emergency', risk: 'low', state: 'Implemented', window: [55, 54], steps: [mv('Draft', 'Assessment', 'requester', 56), mv('Assessment', 'Implemented', 'implementer', 55)], expected: [] },
  { summary: 'Move cron jobs to the new scheduler', type: 'normal', risk: 'medium', state: 'Implemented', window: [30, 20], steps: normalPath('Implemented', 60, 25), expected: [] },
  { summary: 'Decommission legacy FTP server', type: 'normal', risk: 'medium', state: 'Closed', window: [-10, -12], fields: { cancellationReason: 'Superseded by CHG-7' }, steps: [mv('Draft', 'Assessment', 'requester', 50), mv('Assessment', 'Closed', 'requester', 45)], expected: [] },
  { summary: 'Tune JVM heap for search nodes', type: 'normal', risk: 'medium', state: 'Assessment', window: [-30, -32], steps: [mv('Draft', 'Assessment', 'requester', 40), mv('Assessment', 'Draft', 'approver', 38), mv('Draft', 'Assessment', 'requester', 30)], expected: [] },
  { summary: 'Upgrade Kubernetes node pool', type: 'normal', risk: 'high', state: 'Scheduled', window: [1, -23], steps: [...normalPath('Scheduled', 60), mv('Scheduled', 'Approved', 'requester', 40), mv('Approved', 'Scheduled', 'requester', 39)], expected: [] },
  { summary: 'Fix DNS TTL for status page', type: 'emergency', risk: 'low', state: 'Closed', window: [400, 399], steps: [mv('Draft', 'Implemented', 'former', 400), mv('Implemented', 'Implemented', 'cab', 380), mv('Implemented', 'Closed', 'verifier', 370)], fields: { implementer: user('former') }, expected: [] },

  // One ticket per finding code.
  { summary: 'Resize Redis cache (justification added late)', type: 'normal', risk: 'medium', state: 'Closed', window: [500, 490], fields: {}, steps: [...normalPath('Closed', 520, 495), ed('justification', null, 'Cache evictions during peak', 'requester', 519)], expected: ['MISSING_FIELD'] },
  { summary: 'Legacy import: firewall rule change', type: 'normal', risk: 'medium', state: 'Closed', window: [600, 590], steps: [mv('Draft', 'Approved', 'approver', 610), mv('Approved', 'Scheduled', 'requester', 605), mv('Scheduled', 'Implemented', 'implementer', 595), mv('Implemented', 'Closed', 'verifier', 585)], expected: ['SKIPPED_STATE'] },
  { summary: 'Self-approved: logging level change', type: 'normal', risk: 'medium', state: 'Closed', window: [700, 690], fields: { approver: user('implementer') }, steps: [mv('Draft', 'Assessment', 'requester', 720), mv('Assessment', 'Approved', 'implementer', 716), mv('Approved', 'Scheduled', 'requester', 714), mv('Scheduled', 'Implemented', 'implementer', 695), mv('Implemented', 'Closed', 'verifier', 680)], expected: ['APPROVER_IS_IMPLEMENTER'] },
  { summary: 'Self-verified: load balancer weights', type: 'normal', risk: 'medium', state: 'Closed', window: [800, 790], fields: { verifier: user('implementer') }, steps: [...normalPath('Implemented', 820, 795), mv('Implemented', 'Closed', 'implementer', 780)], expected: ['VERIFIER_IS_IMPLEMENTER'] },
  { summary: 'Approved by the wrong person: SSO config', type: 'normal', risk: 'medium', state: 'Closed', window: [900, 890], steps: [mv('Draft', 'Assessment', 'requester', 920), mv('Assessment', 'Approved', 'compliance', 916), mv('Approved', 'Scheduled', 'requester', 914), mv('Scheduled', 'Implemented', 'implementer', 895), mv('Implemented', 'Closed', 'verifier', 880)], expected: ['APPROVAL_ACTOR_MISMATCH'] },
  { summary: 'Approved after the fact: CDN purge rules', type: 'normal', risk: 'medium', state: 'Approved', window: [1000, 990], steps: [mv('Draft', 'Assessment', 'requester', 1010), mv('Assessment', 'Implemented', 'implementer', 995), mv('Implemented', 'Assessment', 'requester', 990), mv('Assessment', 'Approved', 'approver', 980)], expected: ['APPROVAL_AFTER_IMPLEMENTATION', 'NOT_APPROVED', 'SKIPPED_STATE'] },
  { summary: 'Rollback plan edited after approval: queue migration', type: 'normal', risk: 'medium', state: 'Closed', window: [1100, 1090], steps: [...normalPath('Closed', 1120, 1095), ed('rollbackPlan', 'Drain and switch back', 'Switch back', 'requester', 1110)], expected: ['CHANGED_AFTER_APPROVAL'] },
  { summary: 'High risk without CAB: core router firmware', type: 'normal', risk: 'high', state: 'Closed', window: [1200, 1190], fields: { cabReference: null }, steps: normalPath('Closed', 1220, 1195), expected: ['CAB_MISSING'] },
  { summary: 'Implemented outside the window: DB failover test', type: 'normal', risk: 'medium', state: 'Closed', window: [1300, 1296], steps: normalPath('Closed', 1320, 1290), expected: ['OUTSIDE_WINDOW'] },
  { summary: 'Emergency with no post-hoc approval: disk full on app01', type: 'emergency', risk: 'high', state: 'Implemented', window: [120, 119], steps: [mv('Draft', 'Implemented', 'implementer', 120)], expected: ['EMERGENCY_POSTHOC_MISSING'] },
  { summary: 'Emergency approved late: revoke leaked token', type: 'emergency', risk: 'high', state: 'Closed', window: [300, 299], steps: [mv('Draft', 'Implemented', 'implementer', 300), mv('Implemented', 'Implemented', 'approver', 210), mv('Implemented', 'Closed', 'verifier', 200)], expected: ['EMERGENCY_POSTHOC_LATE'] },
  { summary: 'Failed verification, rollback undocumented: search reindex', type: 'normal', risk: 'medium', state: 'Closed', window: [1400, 1390], fields: { verificationResult: 'failed-rolled-back', rollbackOutcome: null }, steps: normalPath('Closed', 1420, 1395), expected: ['ROLLBACK_UNDOCUMENTED'] },
  { summary: 'High-risk standard change: schema migration', type: 'standard', risk: 'high', state: 'Closed', window: [1500, 1490], steps: [mv('Draft', 'Scheduled', 'requester', 1510), mv('Scheduled', 'Implemented', 'implementer', 1495), mv('Implemented', 'Closed', 'verifier', 1480)], expected: ['STANDARD_RISK_TOO_HIGH'] },
  { summary: 'Closed by the requester: feature flag cleanup', type: 'normal', risk: 'low', state: 'Closed', window: [1700, 1690], steps: [...normalPath('Implemented', 1720, 1695), mv('Implemented', 'Closed', 'requester', 1680)], expected: ['VERIFICATION_ACTOR_MISMATCH'] },
  { summary: 'Implemented by someone else: TLS ciphers', type: 'normal', risk: 'medium', state: 'Closed', window: [1600, 1590], steps: [...normalPath('Implemented', 1620, 1595).slice(0, 3), mv('Scheduled', 'Implemented', 'cab', 1595), mv('Implemented', 'Closed', 'verifier', 1580)], expected: ['IMPLEMENTATION_ACTOR_MISMATCH'] },

  // Evidence a user edited after the app wrote it: the app's log and seal still tell.
  { summary: 'Post-hoc approval typed into the evidence: cache stampede fix', type: 'emergency', risk: 'high', state: 'Implemented', window: [150, 149], steps: [mv('Draft', 'Implemented', 'implementer', 150)], tamper: 'forge-post-hoc', expected: ['EMERGENCY_POSTHOC_MISSING', 'EVIDENCE_TAMPERED'] },
  { summary: 'Implementation record deleted from the evidence: log shipping', type: 'normal', risk: 'medium', state: 'Closed', window: [1800, 1790], steps: normalPath('Closed', 1820, 1795), tamper: 'drop-implementation', expected: ['EVIDENCE_TAMPERED'] },
  { summary: 'Approver rewritten in the evidence: VPN split tunnel', type: 'normal', risk: 'medium', state: 'Closed', window: [1900, 1890], fields: { approver: user('implementer') }, steps: [mv('Draft', 'Assessment', 'requester', 1920), mv('Assessment', 'Approved', 'implementer', 1916), mv('Approved', 'Scheduled', 'requester', 1914), mv('Scheduled', 'Implemented', 'implementer', 1895), mv('Implemented', 'Closed', 'verifier', 1880)], tamper: 'rewrite-approver', expected: ['APPROVER_IS_IMPLEMENTER', 'EVIDENCE_TAMPERED'] },

  // Reclassified after the fact (issue 15): judged as it was implemented.
  { summary: 'Emergency retyped as Normal after the fact: payment gateway hotfix', type: 'normal', risk: 'high', state: 'Implemented', window: [130, 129], fields: { emergencyJustification: 'INC-1204 card payments failing' }, steps: [mv('Draft', 'Implemented', 'implementer', 130), ed('changeType', 'emergency', 'normal', 'implementer', 128)], expected: ['EMERGENCY_POSTHOC_MISSING', 'RECLASSIFIED_AFTER_IMPLEMENTATION'] },
  // Three people (issue 15): the approver also verified.
  { summary: 'Approved and verified by one person: WAF rule tuning', type: 'normal', risk: 'medium', state: 'Closed', window: [2000, 1990], fields: { verifier: user('approver') }, steps: [...normalPath('Implemented', 2020, 1995), mv('Implemented', 'Closed', 'approver', 1985)], expected: ['APPROVER_IS_VERIFIER'] },
  // Self-nomination (issue 15): the requester named herself approver, then approved.
  { summary: 'Approver self-named: CDN cache rules', type: 'normal', risk: 'medium', state: 'Closed', window: [2100, 2090], fields: { approver: user('requester') }, steps: [ed('approver', id('approver'), id('requester'), 'requester', 2122), mv('Draft', 'Assessment', 'requester', 2120), mv('Assessment', 'Approved', 'requester', 2116), mv('Approved', 'Scheduled', 'requester', 2114), mv('Scheduled', 'Implemented', 'implementer', 2095), mv('Implemented', 'Closed', 'verifier', 2085)], expected: ['SELF_NOMINATED'] },
  // Issue 15: the approver replaced after Submit, and the new one approved without a new Submit.
  // Recurring windows (issue 15): read as RFC 5545, implemented inside one occurrence, and outside every one.
  { summary: 'Weekly patch window: OS updates on the bastion hosts', type: 'normal', risk: 'medium', state: 'Closed', window: [0, 0], recurring: { startHoursAgo: 2400, rule: 'FREQ=WEEKLY', duration: 'PT4H' }, steps: normalPath('Closed', 1950, 2400 - 3 * 168 - 1), expected: [] },
  { summary: 'Rebuilt three days after its weekly window: search index', type: 'normal', risk: 'medium', state: 'Closed', window: [0, 0], recurring: { startHoursAgo: 2500, rule: 'FREQ=WEEKLY', duration: 'PT2H' }, steps: normalPath('Closed', 2000, 2500 - 3 * 168 - 72), expected: ['OUTSIDE_WINDOW'] },
  { summary: 'Approver replaced after Submit: DNS TTL change', type: 'normal', risk: 'medium', state: 'Closed', window: [2200, 2190], fields: {}, steps: [mv('Draft', 'Assessment', 'requester', 2220), ed('approver', id('compliance'), id('approver'), 'requester', 2218), mv('Assessment', 'Approved', 'approver', 2216), mv('Approved', 'Scheduled', 'requester', 2214), mv('Scheduled', 'Implemented', 'implementer', 2195), mv('Implemented', 'Closed', 'verifier', 2185)], expected: ['APPROVER_CHANGED_AFTER_SUBMIT'] },
];

const LATER: Partial<Record<State, FieldKey[]>> = {
  Draft: ['implementationEvidence', 'verificationResult', 'rollbackOutcome', 'approver', 'verifier'],
  Assessment: ['implementationEvidence', 'verificationResult', 'rollbackOutcome', 'verifier'],
  Approved: ['implementationEvidence', 'verificationResult', 'rollbackOutcome'],
  Scheduled: ['implementationEvidence', 'verificationResult', 'rollbackOutcome'],
  Implemented: ['verificationResult', 'rollbackOutcome'],
};

/** The domain record and history of a demo ticket, placed relative to `now`. */
export const materialize = (ticket: DemoTicket, index: number, now: Date): { change: Change; history: History } => {
  const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
  const earliest = Math.max(...ticket.steps.map((s) => s[s.length - 1] as number), 1);
  const fields: ChangeFields = {
    summary: ticket.summary,
    justification: 'Needed to keep the service within its SLOs; see linked ticket.',
    changeType: ticket.type,
    risk: ticket.risk,
    requester: user('requester'),
    implementer: user('implementer'),
    approver: user('approver'),
    verifier: user('verifier'),
    cabReference: ticket.risk === 'low' ? null : `CAB-${2026_11_00 + index}`,
    targetSystems: ['prod-eu-1', `svc-${index}`],
    windowStart: ago(ticket.window[0]),
    windowEnd: ago(ticket.window[1]),
    recurringWindow: null,
    testPlan: 'Run in staging; smoke tests and dashboards green for 30 minutes.',
    rollbackPlan: 'Redeploy the previous release with the deploy pipeline.',
    implementationEvidence: `Deploy job #${4400 + index} output attached.`,
    verificationResult: 'passed',
    rollbackOutcome: null,
    standardTemplate: ticket.type === 'standard' ? 'STD-007 routine low-risk change' : null,
    emergencyJustification: ticket.type === 'emergency' ? `INC-${900 + index}` : null,
    cancellationReason: null,
  };
  for (const key of LATER[ticket.state] ?? []) fields[key] = null as never;
  if (ticket.recurring) {
    const start = ago(ticket.recurring.startHoursAgo).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    Object.assign(fields, { windowStart: null, windowEnd: null, recurringWindow: `DTSTART:${start} RRULE:${ticket.recurring.rule} DURATION:${ticket.recurring.duration}` });
  }
  Object.assign(fields, ticket.fields);
  const history: History = ticket.steps.map((s) =>
    s[0] === 'move'
      ? { kind: 'status', from: s[1], to: s[2], actor: s[3] ? user(s[3]) : null, at: ago(s[4]) }
      : { kind: 'field', field: s[1], from: s[2], to: s[3], actor: s[4] ? user(s[4]) : null, at: ago(s[5]) },
  );
  // What the app finds comparing the tampered mirror with its log (the domain record carries it as `integrity`).
  const integrity = ticket.tamper ? { integrity: { differences: [TAMPER_FOUND[ticket.tamper]] } } : {};
  // Every demo ticket was filed by the requester.
  const change: Change = { key: `CHG-${index + 1}`, state: ticket.state, createdAt: ago(earliest + 1), creatorAccountId: id('requester'), fields, evidence: [], ...integrity };
  // As the app reads it: a recurring window's occurrences at each step (the adapter's RFC 5545 reading).
  return { change: withRecurringWindows(change, history, now), history };
};
