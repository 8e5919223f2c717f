/**
 * Issue 18: the issue panel and the admin page as Atlassian users get them, scanned by axe-core in
 * Debian's chromium: no serious or critical violation, in light and dark, the panel also at Jira's
 * 400 px side-panel width (stacked, nothing cut off). Screenshots: test-results/screenshots/a11y-*.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { startSandbox } from '../../../sandbox/start-sandbox';
import { launchChromium } from './browser';
import { ensureAdminPageSandboxBuild } from './admin-page-build';
import { ensureIssuePanelSandboxBuild } from './issue-panel-build';
import { openIssuePanel } from './issue-panel-page';
import { switchUser } from './sandbox-ui-scenario';

jest.setTimeout(120_000);

const SCREENSHOTS = resolve('test-results', 'screenshots');
const AXE = require.resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations in a frame, as "rule (impact): help @ selector". */
const seriousViolations = async (frame: Frame): Promise<string[]> => {
  await frame.addScriptTag({ path: AXE });
  const violations = (await frame.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] })).violations;
  })) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

const frameOf = async (page: Page, testId: string): Promise<Frame> => {
  const handle = await page.locator(`[data-testid="${testId}"]`).elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error(`no frame ${testId}`);
  return frame;
};

describe('accessibility and look (axe-core, light and dark, 400 px)', () => {
  let browser: Browser | undefined;
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;

  beforeAll(async () => {
    ensureIssuePanelSandboxBuild();
    ensureAdminPageSandboxBuild();
    mkdirSync(SCREENSHOTS, { recursive: true });
    sandbox = await startSandbox({ port: 0, triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  const newPage = async (scheme: 'light' | 'dark'): Promise<{ context: BrowserContext; page: Page }> => {
    // axe is injected as a script: the Custom UI's CSP (as Forge's) would refuse it otherwise.
    const context = await browser!.newContext({ bypassCSP: true, colorScheme: scheme, viewport: { width: 1280, height: 1200 } });
    return { context, page: await context.newPage() };
  };

  it.each(['light', 'dark'] as const)('the issue panel (the CAB post-hoc ticket, the conflict ticket), %s: no serious or critical violation', async (scheme) => {
    const { context, page } = await newPage(scheme);
    for (const summary of ['Fix DNS TTL for status page', 'Self-approved: logging level change', 'Emergency with no post-hoc approval: disk full on app01']) {
      await openIssuePanel(page, sandbox!.url, 'Colette Compliance', summary);
      const frame = await frameOf(page, 'issue-panel-frame');
      expect({ summary, violations: await seriousViolations(frame) }).toEqual({ summary, violations: [] });
    }
    await page.screenshot({ path: join(SCREENSHOTS, `a11y-panel-${scheme}.png`) });
    await context.close();
  });

  it('the issue panel at 400 px: stacked, no horizontal scroll, names not ids', async () => {
    const { context, page } = await newPage('light');
    await openIssuePanel(page, sandbox!.url, 'Colette Compliance', 'Fix DNS TTL for status page');
    await page.locator('[data-testid="issue-panel-frame"]').evaluate((el) => {
      (el as unknown as { style: Record<string, string> }).style.width = '400px';
    });
    const frame = await frameOf(page, 'issue-panel-frame');
    // (Evaluated in the frame: a string, as this file is compiled without the DOM types.)
    await frame.waitForFunction('document.documentElement.clientWidth <= 400');
    const overflow = (await frame.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    const text = (await frame.locator('body').textContent()) ?? '';
    expect(text).toContain('Carl CAB');
    expect(text).not.toMatch(/5b10a2844c20165700ede2\w\w/);
    await page.locator('[data-testid="issue-panel-frame"]').screenshot({ path: join(SCREENSHOTS, 'a11y-panel-400px.png') });
    await context.close();
  });

  it.each(['light', 'dark'] as const)('the admin page, %s: no serious or critical violation', async (scheme) => {
    const { context, page } = await newPage(scheme);
    await page.goto(`${sandbox!.url}/sandbox/admin`);
    await switchUser(page, 'Adam Admin');
    await page.locator('[data-testid="admin-page-frame"]').waitFor();
    const frame = await frameOf(page, 'admin-page-frame');
    await frame.locator('[data-testid="cc81-admin"][aria-busy="false"]').waitFor({ timeout: 20_000 });
    await frame.locator('[data-testid="policy-status"]').waitFor();
    expect(await seriousViolations(frame)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, `a11y-admin-${scheme}.png`), fullPage: false });
    await context.close();
  });
});
