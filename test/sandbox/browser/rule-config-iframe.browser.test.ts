/**
 * The app's rule config page (Custom UI, built with the sandbox's @forge/bridge shim) in the
 * /sandbox/rules Configure dialog, on `npm start`'s real sandbox in Debian's chromium: a Jira
 * admin picks the lifecycle step in the iframe and clicks Update; the workflow engine installs
 * the config the page's onConfigure returned. Screenshots: test-results/screenshots/rule-config-iframe*.png.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { startSandbox } from '../../../sandbox/start-sandbox';
import { launchChromium } from './browser';
import { ensureRuleConfigSandboxBuild } from './rule-config-build';
import { switchUser } from './sandbox-ui-scenario';

jest.setTimeout(90_000);

const SCREENSHOTS = resolve('test-results', 'screenshots');
const APPROVE = '21';

describe('the rule config page in the sandbox (iframe, bridge shim)', () => {
  let browser: Browser | undefined;
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;

  beforeAll(async () => {
    ensureRuleConfigSandboxBuild();
    mkdirSync(SCREENSHOTS, { recursive: true });
    sandbox = await startSandbox({ port: 0, triggerIntervalMs: 0 });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('as Adam Admin: configures the validator of Approve through the iframe, and the engine installs it', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(`${sandbox!.url}/sandbox/rules`);
    await page.locator('body[data-ready="true"]').waitFor();

    // A non-admin sees the buttons disabled, and why.
    await switchUser(page, 'Ada Approver');
    const approve = page.locator(`section[data-testid="rule-transition"][data-transition-id="${APPROVE}"]`);
    const configure = approve.getByRole('button', { name: 'Configure validator (part 1 of 3)' });
    await expect(configure.isDisabled()).resolves.toBe(true);
    await expect(approve.getByTestId('configure-note').textContent()).resolves.toMatch(/Ada Approver is not a Jira admin/);

    await switchUser(page, 'Adam Admin');
    await expect(configure.isEnabled()).resolves.toBe(true);
    await configure.click();

    const dialog = page.getByTestId('rule-config-dialog');
    await dialog.waitFor();
    await expect(page.getByTestId('rule-config-title').textContent()).resolves.toMatch(/Update CC8\.1 transition validator: Approve/);
    const frame = page.frameLocator('[data-testid="rule-config-frame"]');
    const step = frame.getByLabel('Lifecycle step');
    await step.waitFor({ timeout: 15_000 });
    await step.selectOption('approve');
    await frame.getByRole('radio', { name: 'Part 1 of 3' }).check();
    const save = page.getByTestId('rule-config-save');
    await expect(save.textContent()).resolves.toBe('Update');
    await page.locator('[data-testid="rule-config-save"]:not([disabled])').waitFor();
    await page.screenshot({ path: resolve(SCREENSHOTS, 'rule-config-iframe-dialog.png') });
    await save.click();

    const result = page.locator('[data-testid="rule-config-result"][data-outcome="success"]');
    await result.waitFor({ timeout: 15_000 });
    await expect(result.textContent()).resolves.toMatch(/Installed the CC8\.1 validator on Approve \(transition 21\)/);
    await expect(dialog.isVisible()).resolves.toBe(false);
    // The refreshed section shows the saved config.
    await approve.locator('dd', { hasText: /^saved$/ }).first().waitFor();
    await page.screenshot({ path: resolve(SCREENSHOTS, 'rule-config-iframe.png'), fullPage: false });

    const validators = sandbox!.workflow.installedRules().find((r) => r.transitionId === APPROVE)!.validators;
    expect(validators.map((v) => [v.part, v.source])).toEqual([
      [1, 'saved'],
      [2, 'compiled'],
      [3, 'compiled'],
    ]);
    expect(validators[0]!.config).toMatchObject({ edge: 'approve', kind: 'validator', part: 1, parts: 3 });
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("as a non-admin opening the page directly: the app's resolver refuses (FORBIDDEN) and the page says so", async () => {
    const page = await browser!.newPage();
    const opened = await page.request.post(`${sandbox!.url}/sandbox/forge/sessions`, {
      headers: { Authorization: `Basic ${Buffer.from('ada.approver@example.com:x').toString('base64')}` },
      data: { transitionId: APPROVE, kind: 'validator' },
    });
    expect(opened.status()).toBe(201);
    const { url } = (await opened.json()) as { url: string };
    await page.goto(`${sandbox!.url}${url}`);
    await page.getByText('Only Jira admins can configure CC8.1 workflow rules').first().waitFor({ timeout: 15_000 });
    await page.close();
  });
});
