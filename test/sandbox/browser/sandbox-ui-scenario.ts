/**
 * The sandbox UI scenario, as a person would play it in a browser: open the sandbox, act as a user
 * who may not take a step, try it and see Jira's validator error, switch to a user who may, take
 * the step and see the new status. It drives only what the page shows (labels, roles, test ids),
 * so it runs against the fake REST API and against the real sandbox router alike.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';

export interface SandboxUiScenarioOptions {
  /** Display name of a user who sees the transition but whom a validator refuses. */
  blockedUser: string;
  /** Display name of a user who may take the transition. */
  allowedUser: string;
  issueKey: string;
  /** The transition's name, as its button shows it (e.g. "Approve"). */
  transitionName: string;
  /** Transition-screen values the blocked user enters before submitting, by field label. */
  blockedFields?: Record<string, string>;
  /** Transition-screen values the allowed user enters before submitting, by field label. */
  allowedFields?: Record<string, string>;
  /** What the validator error must say (one of its messages); any message when absent. */
  expectedError?: string | RegExp;
  /** Where screenshots go; default `test-results/screenshots`. */
  screenshotDir?: string;
  /** File name prefix of the screenshots; default `sandbox-ui`. */
  screenshotPrefix?: string;
  /** Per-step timeout in ms; default 15 s. */
  timeout?: number;
}

export interface SandboxUiScenarioResult {
  statusBefore: string;
  statusAfter: string;
  /** The validator's messages, as the page showed them. */
  errorMessages: string[];
  screenshots: string[];
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Picks the acting user by display name and waits until the page says it acts as them. */
export const switchUser = async (page: Page, displayName: string, timeout = 15_000): Promise<void> => {
  const switcher = page.getByLabel('Acting as');
  const value = await switcher.locator('option', { hasText: new RegExp(`^${escapeRegExp(displayName)}\\b`) }).first().getAttribute('value', { timeout });
  if (!value) throw new Error(`The user switcher has no user named ${displayName}`);
  await switcher.selectOption(value, { timeout });
  await page.locator(`[data-testid="acting-user"][data-acting-as="${displayName.replace(/"/g, '\\"')}"]`).waitFor({ timeout });
};

/** Waits for the issue view to show `issueKey` with its transitions loaded for `displayName`. */
const issueReadyFor = async (page: Page, issueKey: string, displayName: string, timeout: number): Promise<void> => {
  await page.locator('[data-testid="issue-view"][aria-busy="false"] [data-testid="issue-key"]', { hasText: issueKey }).waitFor({ timeout });
  await page.locator(`[data-testid="transitions"][data-acting-as="${displayName.replace(/"/g, '\\"')}"]`).waitFor({ timeout });
};

const transitionButton = (page: Page, name: string): Locator =>
  page.getByTestId('transitions').getByRole('button', { name, exact: true });

/** Fills transition-screen fields by label: selects by option label, other inputs by typing. */
const fillScreen = async (page: Page, values: Record<string, string>, timeout: number): Promise<void> => {
  const dialog = page.getByTestId('transition-dialog');
  for (const [label, value] of Object.entries(values)) {
    const exact = dialog.getByLabel(label, { exact: true });
    const input = (await exact.count()) > 0 ? exact.first() : dialog.getByLabel(label).first();
    const tag = await input.evaluate((node) => node.tagName.toLowerCase(), undefined, { timeout });
    if (tag === 'select') await input.selectOption({ label: value }, { timeout });
    else await input.fill(value, { timeout });
  }
};

/** Clicks the transition and submits its screen (if it has one) with `values`. */
const takeTransition = async (page: Page, name: string, values: Record<string, string>, timeout: number): Promise<void> => {
  const button = transitionButton(page, name);
  await button.waitFor({ timeout });
  const opensScreen = (await button.getAttribute('aria-haspopup')) === 'dialog';
  await button.click({ timeout });
  if (!opensScreen) return;
  const dialog = page.getByTestId('transition-dialog');
  await dialog.waitFor({ state: 'visible', timeout });
  await fillScreen(page, values, timeout);
  await dialog.getByTestId('transition-submit').click({ timeout });
};

export const runSandboxUiScenario = async (baseUrl: string, page: Page, options: SandboxUiScenarioOptions): Promise<SandboxUiScenarioResult> => {
  const timeout = options.timeout ?? 15_000;
  const dir = resolve(options.screenshotDir ?? join('test-results', 'screenshots'));
  const prefix = options.screenshotPrefix ?? 'sandbox-ui';
  mkdirSync(dir, { recursive: true });
  const screenshots: string[] = [];
  const shot = async (name: string): Promise<void> => {
    const path = join(dir, `${prefix}-${String(screenshots.length + 1).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path, fullPage: false });
    screenshots.push(path);
  };

  // 1. Open the sandbox: the ticket list loads.
  await page.goto(new URL('/', baseUrl).toString(), { waitUntil: 'domcontentloaded', timeout });
  await page.getByRole('heading', { name: 'CC8.1 sandbox' }).waitFor({ timeout });
  await page.locator('[data-testid="ticket-row"]').first().waitFor({ timeout });

  // 2. Act as the blocked user and open the ticket.
  await switchUser(page, options.blockedUser, timeout);
  await page.getByTestId('ticket-list').getByRole('link', { name: options.issueKey, exact: true }).click({ timeout });
  await issueReadyFor(page, options.issueKey, options.blockedUser, timeout);
  const statusBefore = (await page.getByTestId('issue-status').textContent({ timeout }))?.trim() ?? '';
  await shot('issue-as-blocked-user');

  // 3. Try the transition: the validator refuses, and the page shows Jira's error in an alert.
  await takeTransition(page, options.transitionName, options.blockedFields ?? {}, timeout);
  const error = page.locator('[data-testid="transition-error"]:visible');
  await error.waitFor({ timeout });
  if ((await error.getAttribute('role')) !== 'alert') throw new Error('The validator error is not in a role="alert" element');
  const errorMessages = (await error.locator('li').allTextContents()).map((s) => s.trim()).filter(Boolean);
  if (!errorMessages.length) throw new Error('The validator error shows no message');
  if (options.expectedError !== undefined) {
    const wanted = options.expectedError;
    const matches = errorMessages.some((m) => (typeof wanted === 'string' ? m.includes(wanted) : wanted.test(m)));
    if (!matches) throw new Error(`Expected a validator error matching ${String(wanted)}; the page showed: ${errorMessages.join(' | ')}`);
  }
  await shot('validator-error');
  const dialog = page.getByTestId('transition-dialog');
  if (await dialog.isVisible()) {
    await dialog.getByTestId('transition-cancel').click({ timeout });
    await dialog.waitFor({ state: 'hidden', timeout });
  }
  const statusStill = (await page.getByTestId('issue-status').textContent({ timeout }))?.trim() ?? '';
  if (statusStill !== statusBefore) throw new Error(`A refused transition changed the status from ${statusBefore} to ${statusStill}`);

  // 4. Switch to the allowed user: the issue reloads with their transitions.
  await switchUser(page, options.allowedUser, timeout);
  await issueReadyFor(page, options.issueKey, options.allowedUser, timeout);
  const expectedStatus = (await transitionButton(page, options.transitionName).getAttribute('data-to-status', { timeout })) ?? '';

  // 5. Take the transition: success flag, the new status, and a history entry by the allowed user.
  await takeTransition(page, options.transitionName, options.allowedFields ?? {}, timeout);
  await page.getByTestId('flag-success').waitFor({ timeout });
  await page.locator('[data-testid="issue-status"]', { hasText: new RegExp(`^${escapeRegExp(expectedStatus)}$`) }).waitFor({ timeout });
  await issueReadyFor(page, options.issueKey, options.allowedUser, timeout);
  const statusAfter = (await page.getByTestId('issue-status').textContent({ timeout }))?.trim() ?? '';
  if (statusBefore !== expectedStatus) {
    await page.getByTestId('history-entry').first().filter({ hasText: options.allowedUser }).filter({ hasText: expectedStatus }).waitFor({ timeout });
  }
  await shot('transitioned');

  return { statusBefore, statusAfter, errorMessages, screenshots };
};
