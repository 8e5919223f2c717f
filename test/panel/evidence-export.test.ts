import { DEMO_TICKETS, materialize } from '../../sandbox/demo/demo-tickets';
import { demoUsers } from '../../sandbox/demo/demo-users';
import { createSandboxState } from '../../sandbox/state/sandbox-state';
import { buildPanelView } from '../../src/panel/build-panel-view';
import { escapeHtml, EVIDENCE_JSON_FORMAT, evidenceJson, renderEvidenceHtml } from '../../src/panel/evidence-export';
import { directoryFromChange } from '../../src/panel/user-directory';
import { PanelView, PanelViewSchema } from '../../src/shared/panel-contract';

const NOW = new Date('2026-11-20T12:00:00.000Z');

const selfApprovedView = (): PanelView => {
  const index = DEMO_TICKETS.findIndex((t) => t.summary.startsWith('Self-approved'));
  const { change, history } = materialize(DEMO_TICKETS[index]!, index, NOW);
  const policy = createSandboxState(demoUsers()).policy;
  return buildPanelView({ change, history, policy, policyVersion: 4, users: directoryFromChange(change, history), viewerAccountId: null, now: NOW });
};

describe('evidence export', () => {
  it('renders a printable page with roles, pairs, timeline and findings', () => {
    const html = renderEvidenceHtml(selfApprovedView());
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<title>CC8.1 evidence: CHG-');
    expect(html).toContain('Approved by the implementer');
    expect(html).toContain('APPROVER_IS_IMPLEMENTER');
    expect(html).toContain('Have someone other than the implementer approve the change.');
    expect(html).toContain('@media print');
  });

  it('escapes every value from Jira', () => {
    const view = selfApprovedView();
    const evil = '<script>alert("x")</script>&\'';
    const hostile: PanelView = {
      ...view,
      issueKey: '<b>CHG-1</b>',
      roles: view.roles.map((r) => ({ ...r, named: r.named && { ...r.named, displayName: evil } })),
      findings: view.findings.map((f) => ({ ...f, message: `<img src=x onerror=alert(1)> ${f.message}` })),
      deployments: [
        { at: '2026-11-20T10:00:00.000Z', environment: evil, sha: null, deployer: evil, deployerPerson: null, pipelineName: evil, decision: 'deny', path: 'refused', reasons: [{ code: 'X', message: evil }], notices: [{ code: 'Y', message: evil }] },
      ],
    };
    const html = renderEvidenceHtml(hostile);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>CHG-1</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    expect(html).toContain('&lt;b&gt;CHG-1&lt;/b&gt;');
    expect(escapeHtml('a<b>"c"&\'')).toBe('a&lt;b&gt;&quot;c&quot;&amp;&#39;');
  });

  it('exports JSON that round-trips to the view', () => {
    const view = selfApprovedView();
    const parsed = JSON.parse(evidenceJson(view)) as Record<string, unknown>;
    expect(parsed).toMatchObject({ format: EVIDENCE_JSON_FORMAT, formatVersion: 1, issueKey: view.issueKey });
    expect(PanelViewSchema.parse(parsed)).toEqual(view);
  });
});

/**
 * The page as an auditor reads it, top to bottom: headings and paragraphs as strings, table rows
 * as lists of cell texts (markup dropped, entities decoded). Anything stray between cells or rows
 * shows up in a neighbouring cell or as a line of its own.
 */
const readPage = (html: string): (string | string[])[] =>
  html
    .slice(html.indexOf('<body>') + '<body>'.length, html.indexOf('</body>'))
    .replace(/<\/t[hd]>/g, '\t')
    .replace(/<\/(tr|h1|h2|p)>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[name] ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (line.includes('\t') ? line.split('\t').slice(0, -1) : line));

const ada = { accountId: 'acc-ada', displayName: 'Ada Approver', active: false };
const ivan = { accountId: 'acc-ivan', displayName: 'Ivan Implementer', active: true };
const byIdOnly = { accountId: 'acc-5f3a', displayName: 'acc-5f3a', active: true };

/** A late-approved emergency, written out by hand: every section has rows. */
const EMERGENCY: PanelView = {
  issueKey: 'CHG-42',
  state: 'Closed',
  changeType: 'emergency',
  risk: null,
  roles: [
    { role: 'requester', namedAnyOf: [], namedGroup: null, named: null, namedBy: null, acted: null, actedAt: null },
    { role: 'implementer', namedAnyOf: [], namedGroup: null, named: ivan, namedBy: ivan, acted: ivan, actedAt: '2026-03-02T19:00:00.000Z' },
    { role: 'approver', namedAnyOf: [], namedGroup: null, named: ada, namedBy: ivan, acted: ada, actedAt: '2026-03-06T08:15:30.000Z' },
    { role: 'verifier', namedAnyOf: [], namedGroup: null, named: byIdOnly, namedBy: ivan, acted: byIdOnly, actedAt: '2026-03-06T09:00:00.000Z' },
  ],
  pairs: [
    { pair: 'approver-implementer', verdict: 'ok', message: 'Approved by Ada Approver (inactive), not the implementer' },
    { pair: 'verifier-implementer', verdict: 'conflict', message: 'Verified by acc-5f3a. Verifier field changed after verification' },
  ],
  readiness: [],
  clock: { status: 'satisfied-late', implementedAt: '2026-03-02T19:00:00.000Z', dueAt: '2026-03-05T19:00:00.000Z', approvedAt: '2026-03-06T08:15:30.000Z', approver: ada },
  timeline: [
    { kind: 'transition', at: '2026-03-02T19:00:00.000Z', actor: ivan, text: 'Emergency implement: Draft → Implemented', afterApproval: false },
    { kind: 'post-hoc-approval', at: '2026-03-06T08:15:30.000Z', actor: ada, text: 'Post-hoc approval', afterApproval: false },
    { kind: 'material-change', at: '2026-03-06T08:40:00.000Z', actor: null, text: 'Rollback plan changed after approval', afterApproval: true },
  ],
  findings: [
    { code: 'EMERGENCY_POSTHOC_LATE', severity: 'notice', message: 'Post-hoc approval came after the deadline', fix: 'Record why it was late', at: '2026-03-06T08:15:30.000Z' },
  ],
  recurringWindow: null,
  unrecorded: [],
  deployments: [
    {
      at: '2026-03-02T19:05:00.000Z',
      environment: 'production',
      sha: '9fceb02d0ae598e95dc970b74767f19372d61af8',
      deployer: 'ivan',
      deployerPerson: ivan,
      pipelineName: 'payments-api deploy',
      decision: 'allow',
      path: 'emergency',
      reasons: [],
      notices: [{ code: 'EMERGENCY_DEPLOYMENT', message: 'Deployed before approval' }],
    },
    {
      at: '2026-03-02T18:55:00.000Z',
      environment: 'production',
      sha: null,
      deployer: 'Ivan Implementer',
      deployerPerson: ivan,
      pipelineName: 'payments-api deploy',
      decision: 'deny',
      path: 'refused',
      reasons: [
        { code: 'NOT_APPROVED', message: 'Not approved' },
        { code: 'OUTSIDE_WINDOW', message: 'Outside the window' },
      ],
      notices: [],
    },
    { at: '2026-03-01T08:00:00.000Z', environment: 'qa', sha: 'abcdef1', deployer: 'deploy-bot', deployerPerson: null, pipelineName: 'web', decision: 'allow', path: 'approved', reasons: [], notices: [] },
  ],
  deploymentsAltered: 0,
  generatedAt: '2026-03-09T10:00:00.000Z',
  viewer: null,
  policyVersion: 4,
};

describe('evidence export: what the auditor reads', () => {
  it('every section with its columns and values', () => {
    expect(readPage(renderEvidenceHtml(EMERGENCY))).toEqual([
      'CC8.1 evidence: CHG-42',
      'No exception; 1 notice',
      ['Issue', 'State', 'Change type', 'Risk', 'Policy version', 'Generated'],
      ['CHG-42', 'Closed', 'emergency', '—', '4', '2026-03-09 10:00:00 UTC'],
      'Roles',
      ['Role', 'Named', 'Acted', 'When'],
      ['requester', '—', '—', '—'],
      ['implementer', 'Ivan Implementer acc-ivan', 'Ivan Implementer acc-ivan', '2026-03-02 19:00:00 UTC'],
      ['approver', 'Ada Approver (inactive) acc-ada', 'Ada Approver (inactive) acc-ada', '2026-03-06 08:15:30 UTC'],
      ['verifier', 'acc-5f3a', 'acc-5f3a', '2026-03-06 09:00:00 UTC'],
      'Segregation of duties',
      ['Pair', 'Verdict', 'Detail'],
      ['approver-implementer', 'ok', 'Approved by Ada Approver (inactive), not the implementer'],
      ['verifier-implementer', 'conflict', 'Verified by acc-5f3a. Verifier field changed after verification'],
      'Emergency post-hoc approval',
      ['Status', 'Implemented', 'Due', 'Approved', 'Approver'],
      ['satisfied-late', '2026-03-02 19:00:00 UTC', '2026-03-05 19:00:00 UTC', '2026-03-06 08:15:30 UTC', 'Ada Approver (inactive) acc-ada'],
      'Timeline',
      ['When', 'What', 'Who', 'After approval'],
      ['2026-03-02 19:00:00 UTC', 'Emergency implement: Draft → Implemented', 'Ivan Implementer acc-ivan', ''],
      ['2026-03-06 08:15:30 UTC', 'Post-hoc approval', 'Ada Approver (inactive) acc-ada', ''],
      ['2026-03-06 08:40:00 UTC', 'Rollback plan changed after approval', '—', 'yes'],
      'Deployments',
      ['When', 'Environment', 'Commit', 'Pipeline', 'Deployer', 'Decision', 'Reasons and notices'],
      ['2026-03-02 19:05:00 UTC', 'production', '9fceb02d0ae598e95dc970b74767f19372d61af8', 'payments-api deploy', 'Ivan Implementer acc-ivan as sent: ivan', 'emergency: allowed, post-hoc approval owed', 'notice EMERGENCY_DEPLOYMENT: Deployed before approval'],
      ['2026-03-02 18:55:00 UTC', 'production', '—', 'payments-api deploy', 'Ivan Implementer acc-ivan', 'denied', 'NOT_APPROVED: Not approvedOUTSIDE_WINDOW: Outside the window'],
      ['2026-03-01 08:00:00 UTC', 'qa', 'abcdef1', 'web', 'deploy-bot', 'allowed', ''],
      'Findings',
      ['Severity', 'Code', 'Finding', 'Fix', 'When'],
      ['notice', 'EMERGENCY_POSTHOC_LATE', 'Post-hoc approval came after the deadline', 'Record why it was late', '2026-03-06 08:15:30 UTC'],
    ]);
  });

  it('says so where there is nothing to show', () => {
    const quiet: PanelView = { ...EMERGENCY, changeType: null, risk: null, clock: { status: 'not-needed', implementedAt: null, dueAt: null, approvedAt: null, approver: null }, timeline: [], findings: [], deployments: [] };
    const page = readPage(renderEvidenceHtml(quiet));
    expect(page[1]).toBe('Clean: no findings');
    expect(page[3]).toEqual(['CHG-42', 'Closed', '—', '—', '4', '2026-03-09 10:00:00 UTC']);
    expect(page.slice(page.indexOf('Emergency post-hoc approval'))).toEqual([
      'Emergency post-hoc approval',
      'No post-hoc approval needed.',
      'Timeline',
      'None.',
      'Deployments',
      'No deployment gate calls.',
      'Findings',
      'None.',
    ]);
  });

  it('lists the ticket’s fields after the summary when given, a blank as a dash', () => {
    const page = readPage(renderEvidenceHtml(EMERGENCY, [
      { label: 'Rollback plan', value: 'Restore from backup' },
      { label: 'Recurring window', value: null },
    ]));
    expect(page.slice(4, page.indexOf('Roles'))).toEqual(['Fields', ['Field', 'Value'], ['Rollback plan', 'Restore from backup'], ['Recurring window', '—']]);
  });

  it('opens with the overall verdict, and a ticket page in a pack links back to its index (issue 18)', () => {
    const exception: PanelView = { ...EMERGENCY, findings: [{ code: 'OUTSIDE_WINDOW', severity: 'exception', message: 'Outside.', fix: 'x', at: null }] };
    const html = renderEvidenceHtml(exception, undefined, { indexHref: '../index.html' });
    expect(readPage(html).slice(0, 3)).toEqual(['← All sampled changes (index)', 'CC8.1 evidence: CHG-42', 'Exception: 1 exception']);
    expect(html).toContain('<a href="../index.html">');
    expect(html).toContain('data-verdict="exception"');
  });

  it('warns in red above the deployments when records fail their hash, listed or not (issue 19)', () => {
    const deployments = (view: PanelView) => {
      const page = readPage(renderEvidenceHtml(view));
      return page.slice(page.indexOf('Deployments') + 1, page.indexOf('Findings'));
    };
    expect(deployments({ ...EMERGENCY, deploymentsAltered: 2 })[0]).toBe('2 deployment records fail their integrity hash (altered in app storage) and are not listed.');
    expect(deployments({ ...EMERGENCY, deployments: [], deploymentsAltered: 1 })).toEqual(['1 deployment record fails its integrity hash (altered in app storage) and is not listed.', 'No deployment gate calls.']);
    expect(renderEvidenceHtml({ ...EMERGENCY, deploymentsAltered: 1 })).toContain('<p class="exception">1 deployment record');
    expect(deployments(EMERGENCY)[0]).toEqual(['When', 'Environment', 'Commit', 'Pipeline', 'Deployer', 'Decision', 'Reasons and notices']);
  });

  it('marks a still-pending clock with its times so far', () => {
    const pending: PanelView = { ...EMERGENCY, clock: { status: 'overdue', implementedAt: '2026-03-02T19:00:00.000Z', dueAt: '2026-03-05T19:00:00.000Z', approvedAt: null, approver: null } };
    const page = readPage(renderEvidenceHtml(pending));
    expect(page[page.indexOf('Emergency post-hoc approval') + 2]).toEqual(['overdue', '2026-03-02 19:00:00 UTC', '2026-03-05 19:00:00 UTC', '—', '—']);
  });
});
