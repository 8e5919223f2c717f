/**
 * Issue 18, point by point in chromium on the real sandbox, with a screenshot each
 * (test-results/screenshots/ux-*.png): readiness "Done" after a post-hoc approval, the banner's
 * severity, and the admin page's setup progress on a bare site.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startSandbox } from '../../../sandbox/start-sandbox';
import { sandboxClient } from '../sandbox-client';
import { launchChromium } from './browser';
import { ensureAdminPageSandboxBuild } from './admin-page-build';
import { ensureIssuePanelSandboxBuild } from './issue-panel-build';
import { openIssuePanel } from './issue-panel-page';
import { switchUser } from './sandbox-ui-scenario';

jest.setTimeout(120_000);

const SCREENSHOTS = resolve('test-results', 'screenshots');

describe('issue 18, point by point, with screenshots', () => {
  let browser: Browser | undefined;
  let demo: Awaited<ReturnType<typeof startSandbox>> | undefined;
  let bare: Awaited<ReturnType<typeof startSandbox>> | undefined;
  let page: Page;

  beforeAll(async () => {
    ensureIssuePanelSandboxBuild();
    ensureAdminPageSandboxBuild();
    mkdirSync(SCREENSHOTS, { recursive: true });
    [demo, bare] = await Promise.all([
      startSandbox({ port: 0, triggerIntervalMs: 0, eventsIntervalMs: 50, routerLog: () => undefined }),
      startSandbox({ port: 0, site: 'bare', triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined }),
    ]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await bare?.close();
  });

  it('readiness says "Done" once the post-hoc approval is recorded, and the banner turns from amber to green', async () => {
    const summary = 'Emergency: block abusive IP range at the WAF';
    let { frame } = await openIssuePanel(page, demo!.url, 'Ada Approver', summary);
    await expect(frame.getByTestId('panel-summary').getAttribute('data-tone')).resolves.toBe('warning');
    await expect(frame.getByTestId('readiness-postHocApprove').getAttribute('data-status')).resolves.toBe('can');
    await page.screenshot({ path: join(SCREENSHOTS, 'ux-posthoc-pending.png') });

    const client = sandboxClient(() => demo!.url, () => demo!.state);
    const key = demo!.state.issues.find((i) => i.fields.summary === summary)!.key;
    expect((await client.move('approver', key, 'Post-hoc approve')).status).toBe(204);
    // The recorder writes the app's log through its events queue: wait until the panel sees the approval.
    for (let i = 0; i < 40; i += 1) {
      await page.reload();
      await page.locator('body[data-ready="true"]').waitFor();
      ({ frame } = await openIssuePanel(page, demo!.url, 'Ada Approver', summary));
      if ((await frame.getByTestId('readiness-postHocApprove').getAttribute('data-status')) === 'done') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await expect(frame.getByTestId('readiness-postHocApprove').getAttribute('data-status')).resolves.toBe('done');
    await expect(frame.getByTestId('readiness-postHocApprove').textContent()).resolves.toMatch(/Done/);
    await expect(frame.getByTestId('panel-summary').getAttribute('data-tone')).resolves.toBe('ok');
    await page.screenshot({ path: join(SCREENSHOTS, 'ux-posthoc-done.png') });
  });

  it('the admin page on a bare site: the setup progress, the next step, and "Nothing is enforced yet"', async () => {
    await page.goto(`${bare!.url}/sandbox/admin`);
    await switchUser(page, 'Adam Admin');
    const frame = page.frameLocator('[data-testid="admin-page-frame"]');
    await frame.locator('[data-testid="cc81-admin"][aria-busy="false"]').waitFor({ timeout: 20_000 });
    await expect(frame.getByTestId('setup-next').textContent()).resolves.toMatch(/Choose the project and issue type/);
    await expect(frame.getByTestId('not-enforcing').textContent()).resolves.toMatch(/Nothing is enforced yet/);
    await expect(frame.locator('[data-testid="setup-progress"] li[data-done="true"]').count()).resolves.toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'ux-admin-setup-progress.png') });
  });
});
