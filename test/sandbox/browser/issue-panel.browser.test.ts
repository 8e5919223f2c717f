/**
 * The app's issue panel (Custom UI, built with the sandbox's @forge/bridge shim) in the sandbox's
 * issue view, on `npm start`'s real sandbox in Debian's chromium, with the app's own panel resolver.
 * Screenshots: test-results/screenshots/panel-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startSandbox } from '../../../sandbox/start-sandbox';
import { launchChromium } from './browser';
import { ensureIssuePanelSandboxBuild } from './issue-panel-build';
import { openIssuePanel } from './issue-panel-page';

jest.setTimeout(90_000);

const SCREENSHOTS = resolve('test-results', 'screenshots');
const USER = 'Ada Approver';

describe('the CC8.1 issue panel in the sandbox issue view (iframe, bridge shim, app resolver)', () => {
  let browser: Browser | undefined;
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    ensureIssuePanelSandboxBuild();
    mkdirSync(SCREENSHOTS, { recursive: true });
    sandbox = await startSandbox({ port: 0, triggerIntervalMs: 0, eventsIntervalMs: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    page.on('pageerror', (error) => errors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('"Self-approved: logging level change" shows the approver = implementer conflict, in red with words', async () => {
    const { section, frame } = await openIssuePanel(page, sandbox!.url, USER, 'Self-approved: logging level change');
    const pair = frame.getByTestId('pair-approver-implementer');
    await expect(pair.getAttribute('data-verdict')).resolves.toBe('conflict');
    await expect(pair.textContent()).resolves.toMatch(/Conflict/);
    await expect(frame.getByTestId('panel-summary').getAttribute('data-tone')).resolves.toBe('danger');
    await expect(frame.getByTestId('panel-summary').textContent()).resolves.toMatch(/Exception: 1 exception/);
    await expect(frame.locator('[data-testid="finding"][data-code="APPROVER_IS_IMPLEMENTER"]').count()).resolves.toBe(1);
    await section.screenshot({ path: join(SCREENSHOTS, 'panel-conflict.png') });
  });

  it('"Rotate TLS certificates on the edge proxies" (clean, closed) shows all green', async () => {
    const { section, frame } = await openIssuePanel(page, sandbox!.url, USER, 'Rotate TLS certificates on the edge proxies');
    await expect(frame.getByTestId('panel-summary').textContent()).resolves.toMatch(/Clean: no findings/);
    for (const pair of ['approver-implementer', 'verifier-implementer', 'approver-verifier']) {
      await expect(frame.getByTestId(`pair-${pair}`).getAttribute('data-verdict')).resolves.toBe('ok');
    }
    await expect(frame.getByTestId('finding').count()).resolves.toBe(0);
    await section.screenshot({ path: join(SCREENSHOTS, 'panel-clean.png') });
  });

  it('"Download printable page (HTML)" saves a standalone page through a download, opening no pop-up', async () => {
    const { frame } = await openIssuePanel(page, sandbox!.url, USER, 'Rotate TLS certificates on the edge proxies');
    const pagesBefore = page.context().pages().length;
    const [download] = await Promise.all([page.waitForEvent('download'), frame.getByRole('button', { name: 'Download printable page (HTML)' }).click()]);
    const name = download.suggestedFilename();
    expect(name).toMatch(/^cc81-evidence-[A-Z][A-Z0-9_]*-\d+\.html$/);
    const html = readFileSync(await download.path(), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`CC8.1 change control evidence: ${name.replace(/^cc81-evidence-|\.html$/g, '')}`);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<script|\sstyle=/i);
    expect(page.context().pages()).toHaveLength(pagesBefore);
  });

  it('"Emergency with no post-hoc approval: disk full on app01" shows its overdue countdown', async () => {
    const { section, frame } = await openIssuePanel(page, sandbox!.url, USER, 'Emergency with no post-hoc approval: disk full on app01');
    const clock = frame.getByTestId('clock-summary');
    await expect(clock.getAttribute('data-status')).resolves.toBe('overdue');
    await expect(clock.textContent()).resolves.toMatch(/Post-hoc approval overdue by \d+ (d|h|min)/);
    await section.screenshot({ path: join(SCREENSHOTS, 'panel-overdue.png') });
    expect(errors).toEqual([]);
  });
});
