import type { PanelView } from '../../../src/shared/panel-contract';
import { adminPageUrl, buildPrintableHtml, clockSummary, formatDuration, formatTime, formatTimesIn, panelSummary, personLabel, readinessVerdict, readPanelResult, viewerTimeZone } from '../../../static/issue-panel/src/panel-model';
import { conflictView, greenView, OVERDUE_NOW, overdueView } from './fixtures';

describe('panel-model', () => {
  it('formats durations with the two largest units', () => {
    expect(formatDuration(30_000)).toBe('less than a minute');
    expect(formatDuration(5 * 60_000)).toBe('5 min');
    expect(formatDuration(-(3 * 3_600_000 + 30 * 60_000))).toBe('3 h 30 min');
    expect(formatDuration(2 * 86_400_000 + 3_600_000 + 60_000)).toBe('2 d 1 h');
  });

  it("uses the context's time zone when valid, else the fallback", () => {
    expect(viewerTimeZone({ timezone: 'Asia/Tokyo' }, 'UTC')).toBe('Asia/Tokyo');
    expect(viewerTimeZone({ timezone: 'Not/AZone' }, 'UTC')).toBe('UTC');
    expect(viewerTimeZone(null, 'Europe/Paris')).toBe('Europe/Paris');
    expect(formatTime('2026-11-21T10:00:00.000Z', { timeZone: 'Asia/Tokyo' })).toMatch(/21 Nov 2026, 19:00/);
  });

  it('summarises the emergency clock before and after the due time', () => {
    const clock = overdueView().clock;
    expect(clockSummary(clock, OVERDUE_NOW, { timeZone: 'UTC' }).headline).toBe('Post-hoc approval overdue by 3 h 30 min');
    expect(clockSummary({ ...clock, status: 'warning' }, Date.parse('2026-11-21T08:00:00Z'), { timeZone: 'UTC' }).headline).toBe('Post-hoc approval due in 2 h');
    const late = clockSummary({ ...clock, status: 'satisfied-late', approvedAt: '2026-11-21T12:00:00Z', approver: { accountId: 'a', displayName: 'Ada', active: true } }, OVERDUE_NOW, { timeZone: 'UTC' });
    expect(late.headline).toBe('Approved late by Ada');
    expect(late.detail).toContain('2 h after it was due');
  });

  it('marks former users', () => {
    expect(personLabel({ accountId: 'x', displayName: 'Old Name', active: false })).toBe('Former user (Old Name, deactivated)');
    expect(personLabel(null)).toBe('Nobody yet');
  });

  it('reads resolver answers, and refuses shapes it does not know', () => {
    expect(readPanelResult({ ok: false, error: { code: 'X', message: 'boom' } })).toEqual({ ok: false, error: { code: 'X', message: 'boom' } });
    expect(readPanelResult({ ok: true, data: { status: 'weird' } }).ok).toBe(false);
    expect(readPanelResult(undefined).ok).toBe(false);
  });

  it('links the admin page from the context', () => {
    expect(adminPageUrl({ siteUrl: 'https://a.net/', localId: 'ari:cloud:ecosystem::extension/abc/def/static/k' })).toBe('https://a.net/jira/settings/apps/abc/def');
    expect(adminPageUrl({})).toBe('/jira/settings/apps');
  });
});

describe('panelSummary: the worst of the ticket at a glance (issue 18)', () => {
  const FORMAT = { timeZone: 'Europe/Berlin', locale: 'en-GB' };
  const green = greenView();
  it.each<[string, PanelView, 'danger' | 'warning' | 'ok', RegExp]>([
    ['an overdue emergency, with no finding yet', { ...overdueView(), findings: [] }, 'danger', /^Exception: 1 exception/],
    ['a late post-hoc approval', { ...green, clock: { ...green.clock, status: 'satisfied-late' } }, 'danger', /^Exception/],
    ['a change after approval in the timeline', { ...green, timeline: [{ ...green.timeline[0]!, afterApproval: true }] }, 'danger', /^Exception/],
    ['an exception of any code', { ...green, findings: [{ code: 'OUTSIDE_WINDOW', severity: 'exception', message: 'Implemented at 2026-11-20T10:00:00.000Z, outside the window.', fix: 'x', at: null }] }, 'danger', /^Exception: 1 exception/],
    ['a notice only', { ...green, findings: [{ code: 'SOD_RELAXATION_USED', severity: 'notice', message: 'Relaxed.', fix: 'x', at: null }] }, 'warning', /^Needs attention: 1 notice/],
    ['a finding from before the cut-over', { ...green, findings: [{ code: 'CAB_MISSING', severity: 'notice', beforeEnforcement: true, message: 'No CAB.', fix: 'x', at: null }] }, 'warning', /^Needs attention/],
    ['a conflict in the making', { ...green, state: 'Assessment', pairs: [{ pair: 'approver-implementer', verdict: 'warning', message: 'Not approved yet. The named approver is also the implementer' }] }, 'warning', /action needed/],
    ['a clean Closed ticket', green, 'ok', /^Clean: no findings, the change control evidence is complete$/],
    ['a clean open ticket', { ...green, state: 'Scheduled' }, 'ok', /^No findings so far$/],
  ])('%s → %s', (_name, view, tone, headline) => {
    const summary = panelSummary(view, FORMAT);
    expect(summary.tone).toBe(tone);
    expect(summary.headline).toMatch(headline);
    expect(summary.detail ?? '').not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('formats the times inside messages, never raw ISO', () => {
    expect(formatTimesIn('Approved at 2026-11-20T10:00:00.000Z, due 2026-11-23T10:00:00+00:00.', FORMAT)).toBe(`Approved at ${formatTime('2026-11-20T10:00:00.000Z', FORMAT)}, due ${formatTime('2026-11-23T10:00:00+00:00', FORMAT)}.`);
  });

  it.each<[string, 'can' | 'needs' | 'blocked' | 'not-you' | 'done', string]>([
    ['can', 'can', 'You can do this now'],
    ['needs fields', 'needs', 'Needs: Test plan'],
    ['blocked by the ticket', 'blocked', 'Blocked'],
    ['for someone else', 'not-you', 'Not available to you'],
    ['already done', 'done', 'Done'],
  ])('readiness %s', (_name, status, label) => {
    expect(readinessVerdict({ edge: 'approve', name: 'Approve', to: 'Approved', allowed: status === 'can', missing: status === 'needs' ? ['Test plan'] : [], reasons: [], status }).label).toBe(label);
  });
});

describe('the printable page (issue 18)', () => {
  it('opens with the overall verdict and says who exported it and when; no raw ISO in the text', () => {
    const html = buildPrintableHtml(conflictView(), new Date('2026-11-21T10:00:00.000Z'), { timeZone: 'Europe/Berlin', locale: 'en-GB' });
    expect(html).toMatch(/<p class="verdict danger" data-verdict="danger"><strong>Exception: /);
    expect(html).toContain(`Exported by Colette Compliance on ${formatTime('2026-11-21T10:00:00.000Z', { timeZone: 'Europe/Berlin', locale: 'en-GB' })}.`);
    const text = html.replace(/<[^>]*>/g, ' ');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    // Styled by its own inline style, allowed by its own policy (a downloaded file, not a frame's blob).
    expect(html).toContain(`style-src 'unsafe-inline'`);
  });
});
