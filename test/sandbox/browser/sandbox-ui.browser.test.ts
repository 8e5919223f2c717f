/**
 * The sandbox UI in a real browser (Debian's chromium through playwright-core), against the pages
 * handler and a fake REST API, then against the sandbox's real workflow engine. Screenshots go to
 * test-results/screenshots/. Without /usr/bin/chromium these tests fail with how to install it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_USERS } from '../../../sandbox/demo/demo-users';
import { createPagesHandler } from '../../../sandbox/pages';
import { createWorkflowEngine } from '../../../sandbox/workflow/workflow-engine';
import { stateRouter } from '../../fakes/sandbox-state-router';
import { createFakeJiraApi, FAKE_BLOCK_MESSAGE, fakeSiteState, FakeJiraApi, MALICIOUS_SUMMARY } from '../pages/fake-jira-api';
import { RunningServer, startSandboxHttpServer } from '../pages/sandbox-http-server';
import { launchChromium } from './browser';
import { runSandboxUiScenario, switchUser } from './sandbox-ui-scenario';

jest.setTimeout(60_000);

const SCREENSHOTS = resolve('test-results', 'screenshots');
const VIEWPORT = { width: 1280, height: 900 };

const JIRA_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

interface Site {
  server: RunningServer;
  fake: FakeJiraApi;
}

const pageErrors = (page: Page): string[] => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
};

/** Opens the sandbox as `user` (the choice is kept in localStorage) and waits for the list. */
const openAs = async (page: Page, baseUrl: string, user: string): Promise<void> => {
  await page.goto(`${baseUrl}/`);
  await page.locator('body[data-ready="true"]').waitFor();
  await switchUser(page, user);
};

const openIssue = async (page: Page, key: string): Promise<void> => {
  await page.getByTestId('ticket-list').getByRole('link', { name: key, exact: true }).click();
  await page.locator('[data-testid="issue-view"][aria-busy="false"] [data-testid="issue-key"]', { hasText: key }).waitFor();
};

const lastPost = (fake: FakeJiraApi) => fake.transitionPosts().at(-1)!;

describe('sandbox UI in chromium', () => {
  let browser: Browser | undefined;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('has a browser rather than skipping', () => {
    expect(browser?.isConnected()).toBe(true);
  });

  describe('with the fake REST API', () => {
    let site: Site;
    let context: BrowserContext;
    let page: Page;
    let errors: string[] = [];

    beforeAll(async () => {
      const fake = createFakeJiraApi();
      const pages = createPagesHandler({
        state: fake.state,
        rules: () => [{ transitionId: '21', transitionName: 'Approve', from: { name: 'Assessment' }, to: { name: 'Approved' }, validators: [{ expression: 'issue.customfield_10050 != null' }] }],
      });
      site = { fake, server: await startSandboxHttpServer([pages, fake.handler]) };
    });

    afterAll(async () => {
      await site?.server.close();
    });

    beforeEach(async () => {
      errors = [];
      if (!browser) throw new Error('chromium did not start (see beforeAll)');
      context = await browser.newContext({ viewport: VIEWPORT });
      page = await context.newPage();
      errors = pageErrors(page);
    });

    afterEach(async () => {
      await context?.close();
      expect(errors).toEqual([]);
    });

    it('runs the scenario: a blocked transition shows the validator error, the right user completes it', async () => {
      const result = await runSandboxUiScenario(site.server.url, page, {
        blockedUser: DEMO_USERS.implementer.displayName,
        allowedUser: DEMO_USERS.approver.displayName,
        issueKey: 'CHG-6',
        transitionName: 'Approve',
        expectedError: FAKE_BLOCK_MESSAGE,
        screenshotDir: SCREENSHOTS,
        screenshotPrefix: 'fake-api',
      });

      expect(result).toMatchObject({ statusBefore: 'Assessment', statusAfter: 'Approved', errorMessages: [FAKE_BLOCK_MESSAGE] });
      expect(result.screenshots.map((p) => p.slice(SCREENSHOTS.length + 1))).toEqual([
        'fake-api-01-issue-as-blocked-user.png',
        'fake-api-02-validator-error.png',
        'fake-api-03-transitioned.png',
      ]);
      result.screenshots.forEach((p) => expect(existsSync(p)).toBe(true));
      // Both attempts went over REST as the acting user (basic auth by email), with the same transition.
      expect(site.fake.transitionPosts().map(({ accountId, status, body }) => ({ accountId, status, body }))).toEqual([
        { accountId: DEMO_USERS.implementer.accountId, status: 400, body: { transition: { id: '21' } } },
        { accountId: DEMO_USERS.approver.accountId, status: 204, body: { transition: { id: '21' } } },
      ]);
      // The new status, the history entry by the approver and the evidence record are on the page.
      await expect(page.getByTestId('history-entry').first().textContent()).resolves.toMatch(/Ada Approver.*Status: Assessment → Approved/s);
      await expect(page.getByTestId('evidence-record').first().textContent()).resolves.toMatch(/approve.*Assessment → Approved.*Ada Approver/s);
    });

    it('sends transition-screen edits in REST v3 shapes, and only the fields that changed', async () => {
      await openAs(page, site.server.url, DEMO_USERS.requester.displayName);
      await openIssue(page, 'CHG-5'); // Draft, no implementer yet
      await page.getByTestId('transitions').getByRole('button', { name: 'Submit for assessment' }).click();
      const dialog = page.getByRole('dialog', { name: /Submit for assessment/ });
      await dialog.getByLabel('Justification').fill('Browsers must only reach us over TLS.\nSee SEC-12.');
      await dialog.getByLabel('Risk rating').selectOption({ label: 'High' });
      await dialog.getByLabel('Target systems').fill('www, edge-proxy');
      await dialog.getByLabel('Implementer').selectOption({ label: 'Ivan Implementer' });
      await dialog.getByTestId('transition-submit').click();
      await page.getByTestId('flag-success').waitFor();

      const { fields } = lastPost(site.fake).body as { fields: Record<string, unknown> };
      const id = site.fake.state.policy.fields;
      expect(fields).toEqual({
        [id.justification!]: {
          type: 'doc',
          version: 1,
          content: [
            { type: 'paragraph', content: [{ type: 'text', text: 'Browsers must only reach us over TLS.' }] },
            { type: 'paragraph', content: [{ type: 'text', text: 'See SEC-12.' }] },
          ],
        },
        [id.risk!]: { id: '10202' },
        [id.targetSystems!]: ['www', 'edge-proxy'],
        [id.implementer!]: { accountId: DEMO_USERS.implementer.accountId },
      });
      await expect(page.getByTestId('issue-status').textContent()).resolves.toBe('Assessment');
      await expect(page.getByTestId('field-value-risk').textContent()).resolves.toBe('High');
      await expect(page.getByTestId('field-value-implementer').textContent()).resolves.toBe('Ivan Implementer');

      // Date-times: datetime-local in the browser's zone, sent as Jira timestamps.
      await openIssue(page, 'CHG-7'); // Approved
      await page.getByTestId('transitions').getByRole('button', { name: 'Schedule' }).click();
      const schedule = page.getByRole('dialog', { name: /Schedule/ });
      await schedule.getByLabel('Maintenance window start').fill('2026-12-01T22:00');
      await schedule.getByLabel('Maintenance window end').fill('2026-12-01T23:30');
      await schedule.getByTestId('transition-submit').click();
      await page.getByTestId('flag-success').waitFor();
      const scheduled = (lastPost(site.fake).body as { fields: Record<string, string> }).fields;
      expect(Object.keys(scheduled).sort()).toEqual([id.windowEnd!, id.windowStart!].sort());
      expect(scheduled[id.windowStart!]).toMatch(JIRA_TIMESTAMP);
      const offsetMs = await page.evaluate(() => new Date(2026, 11, 1, 22, 0).getTime());
      expect(Date.parse(scheduled[id.windowStart!]!.replace('+0000', 'Z'))).toBe(offsetMs);
      await expect(page.getByTestId('issue-status').textContent()).resolves.toBe('Scheduled');
    });

    it("shows Jira's per-field errors in the alert and next to the field, and keeps the screen open", async () => {
      await openAs(page, site.server.url, DEMO_USERS.requester.displayName);
      await openIssue(page, 'CHG-14'); // Assessment
      await page.getByTestId('transitions').getByRole('button', { name: 'Cancel' }).click();
      const dialog = page.getByRole('dialog', { name: /Cancel/ });
      await dialog.getByLabel('Cancellation reason').fill('Superseded');
      // Jira refuses an invalid value with 400 { errorMessages: [], errors: { field: message } }.
      await page.route('**/rest/api/3/issue/CHG-14/transitions', (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ errorMessages: [], errors: { [site.fake.state.policy.fields.cancellationReason!]: 'Operation value must be an Atlassian Document.' } }) })
          : route.fallback(),
      );
      await dialog.getByTestId('transition-submit').click();
      const alert = dialog.getByRole('alert');
      await alert.locator('li').first().waitFor();
      await expect(alert.locator('li').allTextContents()).resolves.toEqual(['Cancellation reason: Operation value must be an Atlassian Document.']);
      await expect(dialog.getByTestId('field-error-cancellationReason').textContent()).resolves.toBe('Operation value must be an Atlassian Document.');
      await expect(dialog.getByLabel('Cancellation reason').getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(dialog.isVisible()).resolves.toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, 'fake-api-field-error.png') });
    });

    it('works from the keyboard: Enter opens the transition screen, Escape closes it', async () => {
      await openAs(page, site.server.url, DEMO_USERS.requester.displayName);
      await page.getByTestId('ticket-link-CHG-14').focus();
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="issue-view"][aria-busy="false"] [data-testid="issue-key"]', { hasText: 'CHG-14' }).waitFor();
      await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe('issue-heading');
      await page.getByTestId('transitions').getByRole('button', { name: 'Cancel' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByTestId('transition-dialog');
      await dialog.waitFor({ state: 'visible' });
      await expect(page.evaluate("document.activeElement && document.activeElement.getAttribute('name')")).resolves.toBe('cancellationReason');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    });

    it('renders a malicious summary as text, in the list and in the issue view', async () => {
      await openAs(page, site.server.url, DEMO_USERS.requester.displayName);
      const key = site.fake.state.issues.at(-1)!.key;
      await expect(page.locator(`[data-testid="ticket-row"][data-key="${key}"] [data-testid="ticket-summary"]`).textContent()).resolves.toBe(MALICIOUS_SUMMARY);
      await openIssue(page, key);
      await expect(page.getByTestId('issue-summary').textContent()).resolves.toBe(MALICIOUS_SUMMARY);
      await expect(page.locator('img').count()).resolves.toBe(0);
      await expect(page.locator('main script').count()).resolves.toBe(0);
      await expect(page.locator('body').getAttribute('data-pwned')).resolves.toBeNull();
    });

    it('shows deactivated users, the history and the evidence property', async () => {
      await openAs(page, site.server.url, DEMO_USERS.compliance.displayName);
      await openIssue(page, 'CHG-16'); // emergency implemented by a since-deactivated user
      await expect(page.getByTestId('field-value-implementer').textContent()).resolves.toBe('Former userdeactivated');
      await expect(page.getByTestId('field-value-implementer').getByTestId('deactivated').isVisible()).resolves.toBe(true);
      await expect(page.getByTestId('evidence-record').count()).resolves.toBe(3);
      await expect(page.getByTestId('evidence-record').nth(1).textContent()).resolves.toMatch(/postHocApprove.*Implemented → Implemented.*Carl CAB/s);
      const history = await page.getByTestId('history-entry').allTextContents();
      expect(history.length).toBeGreaterThanOrEqual(2);
      expect(history.at(-1)).toMatch(/Former user.*deactivated.*Status: Draft → Implemented/s);
      await expect(page.getByTestId('no-transitions').textContent()).resolves.toMatch(/No transitions available to Colette Compliance/);
      await page.screenshot({ path: join(SCREENSHOTS, 'fake-api-history-evidence.png'), fullPage: true });
    });

    it('keeps the acting user across reloads and lists deactivated users as unavailable', async () => {
      await openAs(page, site.server.url, DEMO_USERS.verifier.displayName);
      await page.reload();
      await page.locator('body[data-ready="true"]').waitFor();
      await expect(page.getByTestId('acting-user').getAttribute('data-acting-as')).resolves.toBe('Vera Verifier');
      await expect(page.getByLabel('Acting as').inputValue()).resolves.toBe(DEMO_USERS.verifier.accountId);
      const former = page.getByLabel('Acting as').locator(`option[value="${DEMO_USERS.former.accountId}"]`);
      await expect(former.isDisabled()).resolves.toBe(true);
      await expect(former.textContent()).resolves.toBe('Former user — deactivated');
      // Every REST call the page made carried basic auth for the acting user's email.
      const auth = site.fake.requests.at(-1)!.headers.authorization!;
      expect(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString()).toMatch(/^vera\.verifier@example\.com:/);
    });

    it('serves the rules page', async () => {
      await page.goto(`${site.server.url}/sandbox/rules`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Installed CC8.1 rules');
      await expect(page.getByTestId('rule-transition').count()).resolves.toBe(1);
      await expect(page.locator('pre code').first().textContent()).resolves.toBe('issue.customfield_10050 != null');
    });
  });

  describe("with the sandbox's workflow engine behind the transitions endpoints", () => {
    let server: RunningServer;
    let context: BrowserContext;

    beforeAll(async () => {
      const state = fakeSiteState(new Date());
      const engine = createWorkflowEngine({ state, router: () => stateRouter(state).router, clock: () => new Date(), log: () => undefined });
      const fake = createFakeJiraApi({ state, workflow: engine });
      server = await startSandboxHttpServer([createPagesHandler({ state, rules: () => engine.installedRules() }), fake.handler]);
    });

    afterAll(async () => {
      await context?.close();
      await server?.close();
    });

    it('runs the scenario with the compiled CC8.1 rules: a cleared test plan is refused, a CAB member approves', async () => {
      if (!browser) throw new Error('chromium did not start (see beforeAll)');
      context = await browser.newContext({ viewport: VIEWPORT });
      const page = await context.newPage();
      const errors = pageErrors(page);
      const result = await runSandboxUiScenario(server.url, page, {
        blockedUser: DEMO_USERS.approver.displayName,
        blockedFields: { 'Test plan': '' },
        allowedUser: DEMO_USERS.cab.displayName,
        issueKey: 'CHG-6',
        transitionName: 'Approve',
        expectedError: /Test plan/,
        screenshotDir: SCREENSHOTS,
        screenshotPrefix: 'engine',
      });
      expect(result).toMatchObject({ statusBefore: 'Assessment', statusAfter: 'Approved' });
      // The implementer does not even see Approve on a ticket in Assessment (the compiled condition).
      await switchUser(page, DEMO_USERS.implementer.displayName);
      await openIssue(page, 'CHG-14');
      await page.locator(`[data-testid="transitions"][data-acting-as="${DEMO_USERS.implementer.displayName}"]`).waitFor();
      await expect(page.getByTestId('transitions').getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
      await page.goto(`${server.url}/sandbox/rules`);
      await expect(page.getByTestId('rule-transition').count()).resolves.toBeGreaterThanOrEqual(16);
      await page.screenshot({ path: join(SCREENSHOTS, 'engine-rules-page.png') });
      expect(errors).toEqual([]);
    });
  });
});
