/**
 * The app's admin page (Custom UI, built with the sandbox's @forge/bridge shim) at /sandbox/admin
 * (Jira settings → Apps → CC8.1 Change Control), on `npm start`'s real sandbox in Debian's
 * chromium, with the app's own admin resolver. Screenshots: test-results/screenshots/admin-page-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { SELF_TEST_CHECKS } from '../../../src/shared/admin-contract';
import { STATES } from '../../../src/domain/states';
import { startSandbox } from '../../../sandbox/start-sandbox';
import { ensureAdminPageSandboxBuild } from './admin-page-build';
import { launchChromium } from './browser';
import { switchUser } from './sandbox-ui-scenario';

jest.setTimeout(120_000);

const SCREENSHOTS = resolve('test-results', 'screenshots');
const ADMIN = 'Adam Admin';

describe('the CC8.1 admin page in the sandbox (iframe, bridge shim, the app’s admin resolver)', () => {
  let browser: Browser | undefined;
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
  let page: Page;
  const errors: string[] = [];

  /** Opens /sandbox/admin as `user`; resolves with the app's frame once it has loaded (or the sandbox refused). */
  const openAs = async (user: string): Promise<FrameLocator> => {
    await page.goto(`${sandbox!.url}/sandbox/admin`);
    await switchUser(page, user);
    return page.frameLocator('[data-testid="admin-page-frame"]');
  };

  const loaded = async (frame: FrameLocator) => {
    await frame.locator('[data-testid="cc81-admin"][aria-busy="false"]').waitFor({ timeout: 20_000 });
    const failure = frame.getByTestId('admin-load-error');
    if (await failure.count()) throw new Error(`The admin page shows its error state: ${(await failure.textContent())?.trim()}`);
    await frame.getByTestId('policy-status').waitFor();
  };

  beforeAll(async () => {
    ensureAdminPageSandboxBuild();
    mkdirSync(SCREENSHOTS, { recursive: true });
    sandbox = await startSandbox({ port: 0, triggerIntervalMs: 0, eventsIntervalMs: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (error) => errors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('refuses anyone who is not a Jira admin', async () => {
    await openAs('Ada Approver');
    const refused = page.getByTestId('admin-page-refused');
    await refused.waitFor({ timeout: 15_000 });
    await expect(refused.textContent()).resolves.toMatch(/Only Jira admins can open the CC8\.1 settings.*Act as a Jira admin/);
    await expect(page.getByTestId('admin-page-frame').count()).resolves.toBe(0);
  });

  it('shows Adam Admin the stored policy: the scope, the six states and the field mapping', async () => {
    const frame = await openAs(ADMIN);
    await loaded(frame);
    await expect(frame.getByTestId('policy-status').textContent()).resolves.toMatch(/Policy version 1/);
    await expect(frame.getByLabel('Project').inputValue()).resolves.toBe(sandbox!.state.project.id);
    for (const state of STATES) await expect(frame.getByLabel(state, { exact: true }).inputValue()).resolves.toBe(sandbox!.state.policy.statuses[state]);
    await expect(frame.getByLabel('Risk rating', { exact: true }).inputValue()).resolves.toBe(sandbox!.state.policy.fields.risk);
    await expect(frame.getByTestId('setup-up-to-date').count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-page-overview.png'), fullPage: true });
  });

  it('saves a change only once its field error is fixed, and keeps it in the history', async () => {
    const frame = await openAs(ADMIN);
    await loaded(frame);
    await frame.getByLabel('Post-hoc window (hours)').fill('80');
    await frame.getByTestId('save-policy').click();
    const error = frame.getByTestId('error-postHoc.windowHours');
    await expect(error.textContent()).resolves.toContain('The post-hoc window is 48 to 72 hours');
    await expect(frame.getByLabel('Post-hoc window (hours)').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(frame.getByTestId('form-errors').evaluate((el) => el.ownerDocument.activeElement === el)).resolves.toBe(true);
    await frame.getByTestId('section-posthoc').screenshot({ path: join(SCREENSHOTS, 'admin-page-field-error.png') });

    await frame.getByLabel('Post-hoc window (hours)').fill('48');
    await frame.getByLabel(/Reason for this change/).fill('Shorter post-hoc window (browser test)');
    await frame.getByTestId('save-policy').click();
    await expect(frame.getByTestId('notice-saved').textContent({ timeout: 15_000 })).resolves.toBe('Policy saved as version 2. Refresh the rules (Workflow setup) so they follow it.');
    const newest = frame.getByTestId('history-row').first();
    await expect(newest.textContent()).resolves.toMatch(/v2.*Adam Admin.*Post-hoc window.*Reason: Shorter post-hoc window \(browser test\)/);
  });

  it('shows the dry-run diff for the new policy and installs it', async () => {
    const frame = await openAs(ADMIN);
    await loaded(frame);
    const summary = frame.getByTestId('setup-summary');
    await expect(summary.textContent()).resolves.toMatch(/rules compiled from policy v2\. \d+ transitions? changes?\./);
    await expect(frame.locator('[data-testid="diff-change"][data-action="update"]').count()).resolves.toBeGreaterThan(0);
    await expect(frame.getByTestId('stale-rules').textContent()).resolves.toMatch(/are stale/);
    await frame.getByTestId('section-setup').screenshot({ path: join(SCREENSHOTS, 'admin-page-diff.png') });
    await frame.getByTestId('apply-setup').click();
    await expect(frame.getByTestId('notice-applied').textContent({ timeout: 20_000 })).resolves.toMatch(/^Rules installed: \d+ transitions? updated/);
    await frame.getByTestId('setup-up-to-date').waitFor();
    await expect(frame.getByTestId('stale-rules').count()).resolves.toBe(0);
  });

  it('runs the control self-test and shows every check with its verdict', async () => {
    const frame = await openAs(ADMIN);
    await loaded(frame);
    await frame.getByTestId('run-selftest').click();
    await frame.getByTestId('selftest-summary').waitFor({ timeout: 20_000 });
    const statuses = await frame.getByTestId('selftest-check').evaluateAll((els) => els.map((el) => [el.getAttribute('data-check'), el.getAttribute('data-status')]));
    expect(statuses.map(([id]) => id).sort()).toEqual([...SELF_TEST_CHECKS].sort());
    for (const [, status] of statuses) expect(['pass', 'warn', 'fail', 'skipped']).toContain(status);
    await expect(frame.getByText(/\(on demand\), \d+ REST calls?/).count()).resolves.toBe(1);
    await frame.getByTestId('section-selftest').screenshot({ path: join(SCREENSHOTS, 'admin-page-selftest.png') });
  });

  it('is read-only, and says why, once the sandbox says the license is inactive', async () => {
    const license = (active: boolean) => fetch(`${sandbox!.url}/sandbox/admin/license`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ active }) });
    expect((await license(false)).status).toBe(200);
    try {
      const frame = await openAs(ADMIN);
      await loaded(frame);
      await expect(frame.getByTestId('read-only').textContent()).resolves.toMatch(/no active licence/);
      for (const id of ['save-policy', 'apply-setup', 'refresh-plan', 'run-selftest']) await expect(frame.getByTestId(id).isDisabled()).resolves.toBe(true);
      await expect(frame.getByLabel('Project').isDisabled()).resolves.toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, 'admin-page-read-only.png') });
    } finally {
      await license(true);
    }
  });

  it('follows a dark colour scheme, with no script errors', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const frame = await openAs(ADMIN);
    await loaded(frame);
    const background = await frame.locator('body').evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(29, 33, 37)');
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-page-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(errors).toEqual([]);
  });

  it('builds an evidence export through the events queue and downloads its index', async () => {
    // This sandbox delivers queue events on demand (eventsIntervalMs: 0); here every second, as `npm start` does.
    const stopEvents = sandbox!.runtime.events.start(1_000);
    try {
      const frame = await openAs(ADMIN);
      await loaded(frame);
      const section = frame.getByTestId('section-export');
      await section.getByTestId('export-form').waitFor();
      await section.getByLabel('Period from').fill('2026-01-01');
      await section.getByLabel('Period to (inclusive)').fill('2026-12-31');
      await section.getByLabel('Sample size').fill('5');
      await section.getByRole('button', { name: 'Build evidence export' }).click();
      // Polled every 2 s: running, then done (or failed, which the assertion below shows with its reason).
      await section.locator('[data-testid="export-job"]:is([data-state="done"], [data-state="failed"])').waitFor({ timeout: 60_000 });
      const job = section.getByTestId('export-job');
      const progress = (await section.getByTestId('export-progress').textContent())?.trim();
      expect(`${await job.getAttribute('data-state')}: ${progress}`).toMatch(/^done: /);
      expect(progress).toMatch(/^Done: \d+ tickets? in the population, [1-5] evidence packs? built\.$/);
      await expect(section.getByTestId('export-hash').textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
      await expect(section.getByTestId('export-record').textContent()).resolves.toContain('2026-01-01 to 2026-12-31 (inclusive, UTC)');
      const files = await section.getByTestId('download-file').evaluateAll((els) => els.map((el) => el.getAttribute('data-file')));
      expect(files[0]).toBe('index.html');
      expect(files.filter((f) => f?.startsWith('tickets/')).length).toBeGreaterThan(0);

      await section.getByTestId('export-packs').locator('summary').click();
      await section.screenshot({ path: join(SCREENSHOTS, 'admin-page-export.png') });

      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), section.getByRole('button', { name: 'Download index.html' }).click()]);
      expect(download.suggestedFilename()).toBe('index.html');
      const saved = await download.path();
      expect(readFileSync(saved, 'utf8')).toMatch(/SHA-256/);
      await expect(section.getByTestId('download-saved').textContent()).resolves.toBe('Saved index.html.');
      expect(errors).toEqual([]);
    } finally {
      stopEvents();
    }
  });
});

describe('the CC8.1 admin page on a bare site: scope, states, recommended fields, rules', () => {
  let browser: Browser | undefined;
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
  let page: Page;

  beforeAll(async () => {
    ensureAdminPageSandboxBuild();
    mkdirSync(SCREENSHOTS, { recursive: true });
    sandbox = await startSandbox({ port: 0, triggerIntervalMs: 0, eventsIntervalMs: 0, site: 'bare' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('configures a bare project through the page alone, up to installed rules', async () => {
    await page.goto(`${sandbox!.url}/sandbox/admin`);
    await switchUser(page, ADMIN);
    const frame = page.frameLocator('[data-testid="admin-page-frame"]');
    await frame.locator('[data-testid="cc81-admin"][aria-busy="false"]').waitFor({ timeout: 20_000 });
    await expect(frame.getByTestId('setup-unavailable').textContent()).resolves.toMatch(/Pick the project/);
    await expect(frame.getByTestId('create-fields').textContent()).resolves.toMatch(/\d+ CC8\.1 fields have no Jira field yet/);

    await frame.getByLabel('Project').selectOption(sandbox!.state.project.id);
    await frame.getByLabel('Issue type of change tickets').selectOption(sandbox!.state.issueType.id);
    for (const state of STATES) {
      const select = frame.getByLabel(state, { exact: true });
      const value = await select.locator('option', { hasText: new RegExp(`^${state} \\(`) }).first().getAttribute('value');
      await select.selectOption(value!);
    }
    await frame.getByTestId('save-policy').click();
    await expect(frame.getByTestId('notice-saved').textContent({ timeout: 15_000 })).resolves.toBe('Policy saved as version 1. Nothing is enforced until you install the rules (Workflow setup).');

    await frame.getByRole('button', { name: 'Create recommended fields' }).click();
    const created = frame.getByTestId('created-fields');
    await expect(created.textContent({ timeout: 20_000 })).resolves.toMatch(/Created \d+ fields and saved the mapping/);
    await expect(frame.getByTestId('create-fields').textContent()).resolves.toContain('Every CC8.1 field is mapped');
    await expect(frame.getByLabel('Risk rating', { exact: true }).inputValue()).resolves.toMatch(/^customfield_\d+$/);
    await frame.getByTestId('section-fields').screenshot({ path: join(SCREENSHOTS, 'admin-page-created-fields.png') });

    await expect(frame.locator('[data-testid="diff-change"][data-action="add"]').count()).resolves.toBeGreaterThan(0);
    await frame.getByTestId('apply-setup').click();
    await frame.getByTestId('notice-applied').waitFor({ timeout: 20_000 });
    await frame.getByTestId('setup-up-to-date').waitFor();
    await frame.getByTestId('run-selftest').click();
    await expect(frame.locator('[data-testid="selftest-check"][data-check="rules-current"]').getAttribute('data-status', { timeout: 20_000 })).resolves.toBe('pass');
  });
});
