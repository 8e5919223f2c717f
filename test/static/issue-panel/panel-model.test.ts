import { adminPageUrl, clockSummary, formatDuration, formatTime, personLabel, readPanelResult, viewerTimeZone } from '../../../static/issue-panel/src/panel-model';
import { OVERDUE_NOW, overdueView } from './fixtures';

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
    expect(personLabel({ accountId: 'x', displayName: 'Old Name', active: false })).toBe('Former user (Old Name)');
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
