/**
 * Issue 16 in chromium: the `jsm` site, set up on its own fields, used in the sandbox UI. The
 * transition screen shows the multi-user Approvers field with who is listed, and the Critical risk
 * by the site's label; a listed approver is refused for want of a CAB reference, then approves with
 * one. Screenshots: test-results/screenshots/jsm-*.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { DEMO_USERS } from '../../../sandbox/demo/demo-users';
import { startSandbox } from '../../../sandbox/start-sandbox';
import { sandboxClient } from '../sandbox-client';
import { jsmChangeFields, setUpJsmSite } from '../jsm-site-setup';
import { launchChromium } from './browser';
import { runSandboxUiScenario, switchUser } from './sandbox-ui-scenario';

jest.setTimeout(90_000);

const SCREENSHOTS = resolve('test-results', 'screenshots');

describe('the jsm site in chromium', () => {
  let browser: Browser | undefined;
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
  let key = '';

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    sandbox = await startSandbox({ port: 0, site: 'jsm', triggerIntervalMs: 0, routerLog: () => undefined });
    await setUpJsmSite(sandbox);
    const client = sandboxClient(() => sandbox!.url, () => sandbox!.state);
    const created = await client.call('requester', 'POST', '/rest/api/3/issue', { fields: jsmChangeFields(sandbox, 'Move the ledger to the new cluster', { 'Change risk': { value: 'Critical' } }) });
    key = String(created.body!.key);
    expect((await client.move('requester', key, 'Submit for assessment')).status).toBe(204);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('a listed approver is refused without a CAB reference for a Critical change, then approves with one', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const result = await runSandboxUiScenario(sandbox!.url, page, {
      blockedUser: 'Ada Approver',
      allowedUser: 'Ada Approver',
      issueKey: key,
      transitionName: 'Approve',
      expectedError: /CAB reference/,
      allowedFields: { 'CAB reference': 'CAB-2026-12-07' },
      screenshotDir: SCREENSHOTS,
      screenshotPrefix: 'jsm',
    });
    expect(result.statusBefore).toBe('Assessment');
    expect(result.statusAfter).toBe('Approved');
    // The issue view shows the site's own values: Critical, the component, the listed approver.
    const view = page.getByTestId('issue-view');
    await expect(view.textContent()).resolves.toMatch(/Critical/);
    await expect(view.textContent()).resolves.toMatch(/Ledger/);
    await page.close();
  });

  it('the Approve screen offers the Approvers field as a multiple choice, with who is listed chosen', async () => {
    const page = await browser!.newPage();
    await page.goto(`${sandbox!.url}/`);
    await page.locator('body[data-ready="true"]').waitFor();
    const client = sandboxClient(() => sandbox!.url, () => sandbox!.state);
    // A second change, in Assessment, for the screen.
    const approvers = [{ accountId: DEMO_USERS.approver.accountId }, { accountId: DEMO_USERS.cab.accountId }];
    const created = await client.call('requester', 'POST', '/rest/api/3/issue', { fields: jsmChangeFields(sandbox!, 'Patch the edge proxy', { Approvers: approvers }) });
    const second = String(created.body!.key);
    expect((await client.move('requester', second, 'Submit for assessment')).status).toBe(204);
    await page.locator('[data-testid="ticket-row"]').first().waitFor();
    await switchUser(page, 'Ada Approver');
    await page.reload();
    await page.locator('body[data-ready="true"]').waitFor();
    await switchUser(page, 'Ada Approver');
    await page.getByTestId('ticket-list').getByRole('link', { name: second, exact: true }).click();
    await page.locator('[data-testid="issue-view"][aria-busy="false"] [data-testid="issue-key"]', { hasText: second }).waitFor();
    await page.getByTestId('transitions').getByRole('button', { name: 'Approve', exact: true }).click();
    const dialog = page.getByTestId('transition-dialog');
    await dialog.waitFor({ state: 'visible' });
    const field = dialog.locator('[data-field-key="approver"]');
    expect(await field.evaluate((node) => (node as unknown as { multiple: boolean }).multiple)).toBe(true);
    const chosen = await field.evaluate((node) => Array.from((node as unknown as { selectedOptions: ArrayLike<{ textContent: string | null }> }).selectedOptions).map((o) => o.textContent));
    expect(chosen).toEqual(['Ada Approver', 'Carl CAB']);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'jsm-approvers-field.png') });
    await page.close();
  });
});
