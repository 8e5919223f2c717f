/** @jest-environment jsdom */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { IssuePanelApp, type PanelDeps } from '../../../static/issue-panel/src/issue-panel-app';
import type { Loaded } from '../../../static/issue-panel/src/panel-model';
import { conflictView, DEPLOYMENTS, deploymentsView, greenView, ok, okView, OVERDUE_NOW, overdueView } from './fixtures';

type Fake = PanelDeps & { loadPanel: jest.Mock<Promise<Loaded>, []>; download: jest.Mock };

/** A fake bridge: the resolver answers in turn, the context says Europe/Berlin. */
const fakeDeps = (answers: Loaded[], context: unknown = { timezone: 'Europe/Berlin', siteUrl: 'https://acme.atlassian.net', localId: 'ari:cloud:ecosystem::extension/app-1/env-2/static/cc81-issue-panel' }, now = OVERDUE_NOW): Fake => {
  const queue = [...answers];
  return {
    loadPanel: jest.fn(async () => queue.shift() ?? answers[answers.length - 1]!),
    loadContext: jest.fn(async () => context),
    now: () => now,
    download: jest.fn(),
  };
};

const renderPanel = async (deps: PanelDeps) => {
  const utils = render(<IssuePanelApp deps={deps} />);
  await screen.findByTestId('cc81-panel');
  await act(async () => undefined);
  return utils;
};

afterEach(cleanup);

describe('the CC8.1 issue panel', () => {
  it('shows the loading skeleton (aria-busy) until the resolver answers, with one invoke per load', async () => {
    let resolve: (value: Loaded) => void = () => undefined;
    const deps = fakeDeps([]);
    deps.loadPanel.mockImplementation(() => new Promise<Loaded>((r) => (resolve = r)));
    render(<IssuePanelApp deps={deps} />);
    expect(screen.getByTestId('cc81-panel').getAttribute('aria-busy')).toBe('true');
    expect(screen.getByRole('status').textContent).toMatch(/Loading the CC8\.1/);
    await act(async () => resolve(okView(greenView())));
    expect(screen.getByTestId('cc81-panel').getAttribute('aria-busy')).toBe('false');
    expect(deps.loadPanel).toHaveBeenCalledTimes(1);
  });

  it('renders the conflict ticket: red verdict with icon and words, named vs acted, former users marked', async () => {
    await renderPanel(fakeDeps([okView(conflictView())]));
    const pair = screen.getByTestId('pair-approver-implementer');
    expect(pair.getAttribute('data-verdict')).toBe('conflict');
    expect(pair.textContent).toContain('Conflict');
    expect(pair.textContent).toContain('Approved by the implementer');
    expect(pair.querySelector('.cc81-tone-danger [aria-hidden="true"]')?.textContent).toBe('✕');
    const third = screen.getByTestId('pair-approver-verifier');
    expect(third.getAttribute('data-verdict')).toBe('conflict');
    expect(third.textContent).toMatch(/Approver ≠ verifier.*Conflict.*Verified by an approver/);
    expect(screen.getByTestId('panel-summary').getAttribute('data-tone')).toBe('danger');
    expect(screen.getByTestId('panel-summary').textContent).toMatch(/^✕ Exception: 1 exception on this ticket/);
    const approver = screen.getByTestId('role-approver');
    expect(approver.textContent).toMatch(/Ivan Implementer.*Ivan Implementer approved/);
    expect(approver.textContent).toContain('(the implementer)');
    expect(screen.getByTestId('named-by-approver').textContent).toBe(' (named themselves)');
    expect(screen.getByTestId('named-by-verifier').textContent).toMatch(/named by Rita/);
    expect(screen.getByTestId('former-user').textContent).toBe('Former user (deactivated)');
    const changed = screen.getAllByTestId('timeline-entry').find((li) => li.getAttribute('data-kind') === 'material-change')!;
    expect(within(changed).getByTestId('after-approval').textContent).toMatch(/Changed after approval/);
    const finding = screen.getByTestId('finding');
    expect(finding.textContent).toContain('How to fix: Have a different approver review and re-approve the change.');
  });

  it('renders an all-green ticket, with times in the viewer zone from the context', async () => {
    await renderPanel(fakeDeps([okView(greenView())]));
    expect(screen.getByTestId('panel-summary').textContent).toMatch(/Clean: no findings/);
    expect(screen.getByTestId('pair-approver-implementer').getAttribute('data-verdict')).toBe('ok');
    expect(screen.getByTestId('pair-verifier-implementer').textContent).toContain('Separated');
    expect(screen.getByTestId('no-findings').textContent).toContain('No findings');
    expect(screen.getByTestId('no-findings').querySelector('[data-tone]')?.getAttribute('data-tone')).toBe('ok');
    expect(screen.queryAllByTestId('finding')).toEqual([]);
    expect(screen.queryByTestId('section-clock')).toBeNull();
    // 12:00Z is 13:00 in Berlin (CET) in November.
    expect(screen.getByTestId('role-approver').textContent).toMatch(/1 Nov 2026, 13:00/);
    expect(screen.getByText(/times in/).textContent).toMatch(/ · times in Europe\/Berlin$/);
  });

  it('lists the steps the app could not write to its evidence log yet: retrying in amber, lost in red, none when all were recorded', async () => {
    const view = {
      ...greenView(),
      unrecorded: [
        { step: 'Post-hoc approve', at: '2026-11-01T12:00:00.000Z', state: 'retrying' as const, attempts: 2 },
        { step: null, at: '2026-11-01T13:00:00.000Z', state: 'lost' as const, attempts: 6 },
      ],
    };
    await renderPanel(fakeDeps([okView(view)]));
    const items = screen.getAllByTestId('unrecorded-step');
    expect(items.map((i) => [i.getAttribute('data-state'), i.querySelector('[data-tone]')?.getAttribute('data-tone')])).toEqual([
      ['retrying', 'warning'],
      ['lost', 'danger'],
    ]);
    expect(items[0]!.textContent).toMatch(/"Post-hoc approve" taken 1 Nov 2026, 13:00 CET is not in the app's evidence log yet.*retries automatically \(2 attempts so far\)/);
    expect(items[1]!.textContent).toMatch(/A step taken 1 Nov 2026, 14:00 CET could not be written .* after 6 attempts.*self-test/);
    cleanup();
    await renderPanel(fakeDeps([okView(greenView())]));
    expect(screen.queryAllByTestId('unrecorded-step')).toEqual([]);
  });

  it('labels a finding from before the cut-over "Before enforcement", in amber', async () => {
    const view = greenView();
    const finding = { code: 'APPROVER_IS_IMPLEMENTER' as const, severity: 'notice' as const, message: 'Approved by the implementer.', fix: 'Record it.', at: '2026-01-05T10:00:00.000Z', beforeEnforcement: true };
    await renderPanel(fakeDeps([okView({ ...view, findings: [finding] })]));
    const item = screen.getByTestId('finding');
    expect(item.textContent).toMatch(/^!\s*Before enforcement Approved by the implementer\./);
    expect(item.querySelector('[data-tone]')?.getAttribute('data-tone')).toBe('warning');
  });

  it('shows a recurring window in words with its next occurrences, or why it cannot be read', async () => {
    const text = 'DTSTART:20260106T020000Z RRULE:FREQ=WEEKLY;BYDAY=TU DURATION:PT2H';
    const next = [{ start: '2026-11-24T02:00:00.000Z', end: '2026-11-24T04:00:00.000Z' }, { start: '2026-12-01T02:00:00.000Z', end: '2026-12-01T04:00:00.000Z' }];
    await renderPanel(fakeDeps([okView({ ...greenView(), recurringWindow: { text, description: 'every week on Tuesday, from 02:00 for 2 h (UTC)', problem: null, next } })]));
    const block = screen.getByTestId('recurring-window');
    expect(block.getAttribute('data-readable')).toBe('true');
    expect(block.textContent).toContain('every week on Tuesday, from 02:00 for 2 h (UTC)');
    expect(screen.getAllByTestId('window-occurrence').map((li) => li.textContent)).toEqual(['24 Nov 2026, 03:00 CET – 24 Nov 2026, 05:00 CET', '1 Dec 2026, 03:00 CET – 1 Dec 2026, 05:00 CET']);
    cleanup();
    await renderPanel(fakeDeps([okView({ ...greenView(), recurringWindow: { text: 'Tuesdays', description: null, problem: '"Tuesdays" is not part of a recurring window', next: [] } })]));
    expect(screen.getByTestId('recurring-window').getAttribute('data-readable')).toBe('false');
    expect(screen.getByTestId('recurring-window').textContent).toMatch(/Cannot be read.*"Tuesdays" is not part of a recurring window\. No time is inside it until it is corrected\./);
    expect(screen.queryAllByTestId('window-occurrence')).toEqual([]);
    cleanup();
    await renderPanel(fakeDeps([okView(greenView())]));
    expect(screen.queryByTestId('recurring-window')).toBeNull();
  });

  it('counts the overdue emergency clock from dueAt and the browser clock, and lists why steps are not allowed', async () => {
    await renderPanel(fakeDeps([okView(overdueView())]));
    const clock = screen.getByTestId('clock-summary');
    expect(clock.textContent).toContain('Post-hoc approval overdue by 3 h 30 min');
    expect(clock.textContent).toMatch(/due 21 Nov 2026, 11:00/);
    const close = screen.getByTestId('readiness-close');
    expect(close.getAttribute('data-allowed')).toBe('false');
    expect(close.textContent).toContain('Needs: Verification result, Verifier');
    expect(close.getAttribute('data-status')).toBe('needs');
    expect(screen.getByTestId('readiness-postHocApprove').textContent).toContain('Only the named approver or a CAB member may approve.');
  });

  it('shows not-a-change in friendly words', async () => {
    await renderPanel(fakeDeps([ok({ status: 'not-a-change', message: 'CC8.1 change control applies to Change tickets only.' })]));
    expect(screen.getByTestId('panel-not-a-change').textContent).toBe('CC8.1 change control applies to Change tickets only.');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows not-configured with what is missing and a link to the admin page', async () => {
    await renderPanel(fakeDeps([ok({ status: 'not-configured', message: 'CC8.1 is not set up on this site yet.', missing: ['Approver field'] })]));
    const box = screen.getByTestId('panel-not-configured');
    expect(box.textContent).toContain('Approver field');
    const link = within(box).getByRole('link', { name: 'Open the CC8.1 admin page' });
    expect(link.getAttribute('href')).toBe('https://acme.atlassian.net/jira/settings/apps/app-1/env-2');
  });

  it("shows the resolver's error message, and Try again invokes once more", async () => {
    const deps = fakeDeps([{ ok: false, error: { code: 'NOT_AVAILABLE', message: 'The panel is not available in this version.' } }, okView(greenView())]);
    await renderPanel(deps);
    expect(screen.getByRole('alert').textContent).toContain('The panel is not available in this version.');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Try again' })));
    expect(deps.loadPanel).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('panel-summary').textContent).toMatch(/no findings/);
  });

  it('keyboard: headed sections in reading order, buttons reachable in order with no positive tabindex', async () => {
    await renderPanel(fakeDeps([okView(overdueView())]));
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    // Severity first: the findings and the emergency clock right under the banner.
    expect(headings).toEqual(['Findings', 'Emergency clock', 'Segregation of duties', 'Readiness: your next steps', 'Evidence timeline', 'Deployments', 'Export']);
    expect(within(screen.getByRole('region', { name: 'Export' })).getAllByRole('button').map((b) => b.textContent)).toEqual(['Download evidence (JSON)', 'Download printable page (HTML)']);
    const focusable = Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]'));
    expect(focusable.filter((el) => Number(el.getAttribute('tabindex') ?? '0') > 0)).toEqual([]);
    expect(focusable.map((el) => el.textContent)).toEqual(['Download evidence (JSON)', 'Download printable page (HTML)']);
    focusable[0]!.focus();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Download evidence (JSON)' }));
  });

  it('exports the JSON evidence and the printable page as downloads from the view, escaped', async () => {
    const view = conflictView();
    view.findings[0]!.message = '<img src=x onerror=alert(1)>';
    const deps = fakeDeps([okView(view)]);
    await renderPanel(deps);
    fireEvent.click(screen.getByRole('button', { name: 'Download evidence (JSON)' }));
    const [name, content, type] = deps.download.mock.calls[0] as [string, string, string];
    expect([name, type]).toEqual(['cc81-evidence-CHG-12.json', 'application/json']);
    expect(JSON.parse(content)).toMatchObject({ issueKey: 'CHG-12', viewerTimeZone: 'Europe/Berlin', view: { findings: [{ message: '<img src=x onerror=alert(1)>' }] } });
    fireEvent.click(screen.getByRole('button', { name: 'Download printable page (HTML)' }));
    expect(deps.download).toHaveBeenCalledTimes(2);
    const [htmlName, html, htmlType] = deps.download.mock.calls[1] as [string, string, string];
    expect([htmlName, htmlType]).toEqual(['cc81-evidence-CHG-12.html', 'text/html;charset=utf-8']);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<script/i);
  });

  it('downloads the printable page as a standalone document: its own CSP, its styles in a <style> element, no inline style attributes', async () => {
    const deps = fakeDeps([okView(conflictView())]);
    await renderPanel(deps);
    fireEvent.click(screen.getByRole('button', { name: 'Download printable page (HTML)' }));
    const html = (deps.download.mock.calls[0] as [string, string, string])[1];
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(doc.querySelectorAll('style')).toHaveLength(1);
    expect(doc.querySelectorAll('[style]')).toHaveLength(0);
    expect(doc.querySelectorAll('script, link, img, iframe')).toHaveLength(0);
    expect(doc.querySelector('h1')?.textContent).toBe('CC8.1 change control evidence: CHG-12');
  });

  it('shows a role named as a group, or as several people, as who counts (issue 16: the site\'s own group and multi-user pickers)', async () => {
    const view = greenView();
    view.roles = view.roles.map((role) =>
      role.role === 'approver'
        ? { ...role, named: null, namedBy: null, namedGroup: 'change-approvers' }
        : role.role === 'verifier'
          ? { ...role, namedAnyOf: [role.named!, { accountId: 'acc-zed', displayName: 'Zed Former', active: false }] }
          : role,
    );
    await renderPanel(fakeDeps([okView(view)]));
    expect(screen.getByTestId('named-group-approver').textContent).toBe('Any member of the group "change-approvers"');
    const anyOf = screen.getByTestId('named-any-verifier');
    expect(anyOf.textContent).toBe("Any of Vera Verifier, Former user (Zed Former, deactivated)");
    expect(within(anyOf).getByTestId('former-user').textContent).toMatch(/Zed Former/);
  });

  it('the printable page names who exported it, asking Jira only then when the ticket does not name the viewer (issue 18)', async () => {
    const whoAmI = jest.fn(async () => 'Colette Compliance');
    const deps = { ...fakeDeps([okView({ ...greenView(), viewer: null })]), whoAmI };
    await renderPanel(deps);
    expect(whoAmI).not.toHaveBeenCalled();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Download printable page (HTML)' }));
    });
    expect(whoAmI).toHaveBeenCalledTimes(1);
    const [, html] = deps.download.mock.calls[0] as [string, string, string];
    expect(html).toContain('Exported by Colette Compliance on');
  });
});

describe('the Deployments section (issue 19)', () => {
  const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((cell) => cell.textContent);

  it('lists each gate call newest first: time in the viewer zone, environment, short SHA, pipeline, deployer, decision', async () => {
    await renderPanel(fakeDeps([okView(deploymentsView())]));
    const section = screen.getByRole('region', { name: 'Deployments' });
    expect(within(section).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['When', 'Environment', 'Commit', 'Pipeline', 'Deployer', 'Decision']);
    const [emergency, denied, plain] = within(section).getAllByTestId('deployment');
    expect(within(section).getAllByTestId('deployment')).toHaveLength(3);
    // 10:05Z is 11:05 in Berlin (CET) in November.
    expect(cells(emergency!).slice(0, 5)).toEqual(['20 Nov 2026, 11:05 CET', 'production', '9fceb02', 'payments-api deploy', 'Ivan Implementeras sent: ivan']);
    expect(emergency!.querySelector('time')?.getAttribute('dateTime')).toBe(DEPLOYMENTS[0]!.at);
    const sha = within(emergency!).getByTestId('deployment-sha');
    expect([sha.getAttribute('title'), sha.textContent]).toEqual(['9fceb02d0ae598e95dc970b74767f19372d61af8', '9fceb02']);
    expect(cells(denied!).slice(0, 5)).toEqual(['20 Nov 2026, 10:40 CET', 'staging', 'abcdef1', 'web deploy', 'deploy-bot']);
    expect(cells(plain!).slice(2, 5)).toEqual(['No commit sent', 'web deploy', 'Former user (deactivated)as sent: deploy-bot']);
    expect(within(plain!).getByTestId('former-user')).toBeTruthy();
  });

  it('shows the decision as a toned lozenge in words: Allowed, Denied with its reasons, Emergency with its notice', async () => {
    await renderPanel(fakeDeps([okView(deploymentsView())]));
    const [emergency, denied, plain] = screen.getAllByTestId('deployment');
    const decision = (row: HTMLElement) => within(row).getByTestId('deployment-decision');
    expect([decision(emergency!).getAttribute('data-tone'), decision(emergency!).textContent]).toEqual(['warning', '! Emergency — allowed, post-hoc approval owed']);
    // The notice's time is formatted like the rest of the panel, never raw ISO.
    expect(within(emergency!).getByTestId('deployment-notice').textContent).toBe('Notice: Emergency change deployed before approval: post-hoc approval is due by 21 Nov 2026, 11:00 CET.');
    expect([decision(denied!).getAttribute('data-tone'), decision(denied!).textContent]).toEqual(['danger', '✕ Denied']);
    expect(within(denied!).getAllByTestId('deployment-reason').map((r) => [r.getAttribute('data-code'), r.textContent])).toEqual([
      ['NOT_APPROVED', 'CHG-20 is not approved.'],
      ['OUTSIDE_WINDOW', 'Outside the change window.'],
    ]);
    expect([decision(plain!).getAttribute('data-tone'), decision(plain!).textContent]).toEqual(['ok', '✓ Allowed']);
    expect(within(plain!).queryByRole('list')).toBeNull();
  });

  it('says when the change has no gate call, and no altered warning then', async () => {
    await renderPanel(fakeDeps([okView(greenView())]));
    const section = screen.getByRole('region', { name: 'Deployments' });
    expect(within(section).getByTestId('no-deployments').textContent).toBe('No deployment gate calls for this change.');
    expect(within(section).queryByRole('table')).toBeNull();
    expect(screen.queryByTestId('deployments-altered')).toBeNull();
  });

  it('warns in red when deployment records were altered, with or without calls to list', async () => {
    await renderPanel(fakeDeps([okView(deploymentsView(2))]));
    const warning = screen.getByTestId('deployments-altered');
    expect(warning.className).toContain('cc81-tone-danger');
    expect(warning.textContent).toMatch(/^✕ Altered deployment records\. 2 deployment records of this change were altered after the gate wrote them/);
    expect(screen.getAllByTestId('deployment')).toHaveLength(3);
    cleanup();
    await renderPanel(fakeDeps([okView({ ...greenView(), deploymentsAltered: 1 })]));
    expect(screen.getByTestId('deployments-altered').textContent).toMatch(/1 deployment record of this change was altered after the gate wrote it/);
    expect(screen.getByTestId('no-deployments')).toBeTruthy();
  });

  it('puts the deployments in the printable page, escaped, with full SHAs', async () => {
    const view = deploymentsView(1);
    view.deployments = [{ ...view.deployments[1]!, pipelineName: '<b>web</b>' }, ...view.deployments.slice(2)];
    const deps = fakeDeps([okView(view)]);
    await renderPanel(deps);
    fireEvent.click(screen.getByRole('button', { name: 'Download printable page (HTML)' }));
    await act(async () => undefined);
    const html = (deps.download.mock.calls[0] as [string, string, string])[1];
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const heading = [...doc.querySelectorAll('h2')].find((h) => h.textContent === 'Deployments')!;
    expect(heading.nextElementSibling?.textContent).toMatch(/^1 deployment record of this change was altered/);
    const table = heading.nextElementSibling!.nextElementSibling!;
    expect([...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['20 Nov 2026, 10:40 CET', 'staging', 'abcdef1234567', '<b>web</b>', 'deploy-bot', 'Denied', 'CHG-20 is not approved.Outside the change window.'],
      ['19 Nov 2026, 09:00 CET', 'qa', '—', 'web deploy', 'Former user (deactivated)', 'Allowed', ''],
    ]);
    expect(html).not.toContain('<b>web</b>');
  });
});
