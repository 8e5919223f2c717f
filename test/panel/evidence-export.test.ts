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
