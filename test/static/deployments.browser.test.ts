/**
 * Issue 19 in the sandbox, in Debian's chromium: a Jira admin adds a pipeline on the admin page and
 * gets its token once; the page's own curl example, run with bash, openssl and curl against the
 * sandbox's gate, is allowed for an approved change in its window and denied (curl fails the job)
 * for one in Assessment; the issue panel then lists both calls, stacked at Jira's 400 px. axe-core
 * finds no serious or critical violation on either page, light and dark, with the token shown.
 * Screenshots: test-results/screenshots/deployments-*.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Frame, Page } from 'playwright-core';
import { startSandbox } from '../../sandbox/start-sandbox';
import { launchChromium } from '../sandbox/browser/browser';
import { ensureAdminPageSandboxBuild } from '../sandbox/browser/admin-page-build';
import { ensureIssuePanelSandboxBuild } from '../sandbox/browser/issue-panel-build';
import { openIssuePanel } from '../sandbox/browser/issue-panel-page';
import { switchUser } from '../sandbox/browser/sandbox-ui-scenario';

jest.setTimeout(180_000);

// Async: the sandbox's gate answers from this process, so a synchronous child would wait forever.
const run = promisify(execFile);
const SCREENSHOTS = resolve('test-results', 'screenshots');
const AXE = require.resolve('axe-core/axe.min.js');
const IN_WINDOW = 'Patch OpenSSH on bastion hosts';
const IN_ASSESSMENT = 'Increase Kafka retention to 14 days';

/** axe-core's serious and critical violations in a frame, as "rule (impact) @ selector". */
const seriousViolations = async (frame: Frame): Promise<string[]> => {
  await frame.addScriptTag({ path: AXE });
  const violations = (await frame.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] })).violations;
  })) as { id: string; impact: string | null; nodes: { target: string[] }[] }[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) @ ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

const frameOf = async (page: Page, testId: string): Promise<Frame> => {
  const frame = await (await page.locator(`[data-testid="${testId}"]`).elementHandle())?.contentFrame();
  if (!frame) throw new Error(`no frame ${testId}`);
  return frame;
};

describe('the deployment gate, from the admin page to the issue panel (sandbox, chromium)', () => {
  let browser: Browser | undefined;
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
  let gate: { url: string; token: string; example: string } | undefined;

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

  const keyOf = (summary: string): string => {
    const issue = sandbox!.state.issues.find((i) => JSON.stringify(i).includes(JSON.stringify(summary)));
    if (!issue) throw new Error(`no demo ticket "${summary}"`);
    return issue.key;
  };

  it.each(['light', 'dark'] as const)('admin page, %s: adds a pipeline, shows its token once with the curl example; axe-clean', async (scheme) => {
    const context = await browser!.newContext({ bypassCSP: true, colorScheme: scheme, viewport: { width: 1280, height: 1400 } });
    const page = await context.newPage();
    await page.goto(`${sandbox!.url}/sandbox/admin`);
    await switchUser(page, 'Adam Admin');
    await page.locator('[data-testid="admin-page-frame"]').waitFor();
    const frame = await frameOf(page, 'admin-page-frame');
    await frame.locator('[data-testid="section-pipelines"][aria-busy="false"]').waitFor({ timeout: 20_000 });
    await frame.getByLabel('Pipeline name', { exact: true }).fill(`payments-api deploy (${scheme})`);
    await frame.getByRole('button', { name: 'Add pipeline' }).click();
    const issued = frame.getByTestId('pipeline-token');
    await issued.waitFor();
    const token = await issued.getByRole('textbox', { name: 'Token', exact: true }).inputValue();
    expect(token).toMatch(/^cc81p_[0-9a-f]{16}_[0-9a-f]{64}$/);
    expect(await issued.textContent()).toContain('Copy it now: it is not shown again; the app keeps only a hash.');
    gate = {
      url: await frame.getByRole('textbox', { name: 'The gate’s URL on this site', exact: true }).inputValue(),
      token,
      example: await issued.getByRole('textbox', { name: /^Example call/ }).inputValue(),
    };
    expect(gate.example).toContain(gate.url);
    expect(await seriousViolations(frame)).toEqual([]);
    await frame.locator('[data-testid="section-pipelines"]').screenshot({ path: join(SCREENSHOTS, `deployments-admin-${scheme}.png`) });

    await issued.getByRole('button', { name: 'I have copied it: hide the token' }).click();
    expect(await frame.content()).not.toContain(token.slice(23));
    await page.reload();
    await switchUser(page, 'Adam Admin');
    const again = await frameOf(page, 'admin-page-frame');
    await again.locator('[data-testid="section-pipelines"][aria-busy="false"]').waitFor({ timeout: 20_000 });
    expect(await again.getByTestId('pipeline-row').filter({ hasText: `payments-api deploy (${scheme})` }).count()).toBe(1);
    expect(await again.content()).not.toContain(token.slice(23));
    await context.close();
  });

  it("the page's curl example passes the real gate for an approved change in its window, and fails the job (HTTP 403) for one in Assessment", async () => {
    expect(gate).toBeDefined();
    const call = (changeKey: string, sha: string) =>
      run('bash', ['-c', gate!.example], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CC81_GATE_TOKEN: gate!.token, CHANGE_KEY: changeKey, DEPLOY_ENV: 'production', GIT_SHA: sha, DEPLOYER: 'ci-bot' },
        encoding: 'utf8',
        timeout: 30_000,
      }).then(
        ({ stdout }) => ({ exit: 0, body: JSON.parse(stdout) as unknown }),
        (error: { code?: number; stdout?: string }) => ({ exit: error.code, body: error.stdout ? (JSON.parse(error.stdout) as unknown) : null }),
      );
    expect(await call(keyOf(IN_WINDOW), '9fceb02d0ae598e95dc970b74767f19372d61af8')).toMatchObject({ exit: 0, body: { decision: 'allow' } });
    expect(await call(keyOf(IN_ASSESSMENT), 'abcdef1234567')).toMatchObject({ exit: 22, body: { decision: 'deny', changes: [{ reasons: [{ code: 'NOT_APPROVED' }] }] } });
  });

  it.each(['light', 'dark'] as const)('issue panel at 400 px, %s: the calls stacked, short SHA with the full one in its title, decision in words; axe-clean', async (scheme) => {
    const context = await browser!.newContext({ bypassCSP: true, colorScheme: scheme, viewport: { width: 1280, height: 1400 } });
    const page = await context.newPage();
    for (const [summary, sha, decision] of [
      [IN_WINDOW, '9fceb02d0ae598e95dc970b74767f19372d61af8', '✓ Allowed'],
      [IN_ASSESSMENT, 'abcdef1234567', '✕ Denied'],
    ] as const) {
      await openIssuePanel(page, sandbox!.url, 'Colette Compliance', summary);
      await page.locator('[data-testid="issue-panel-frame"]').evaluate((el) => {
        (el as unknown as { style: Record<string, string> }).style.width = '400px';
      });
      const frame = await frameOf(page, 'issue-panel-frame');
      await frame.waitForFunction('document.documentElement.clientWidth <= 400');
      const row = frame.getByTestId('deployment').first();
      await row.waitFor();
      expect(await row.getByTestId('deployment-decision').textContent()).toBe(decision);
      expect(await row.getByTestId('deployment-sha').getAttribute('title')).toBe(sha);
      expect(await row.getByTestId('deployment-sha').textContent()).toBe(sha.slice(0, 7));
      expect((await frame.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number).toBeLessThanOrEqual(0);
      expect({ summary, violations: await seriousViolations(frame) }).toEqual({ summary, violations: [] });
      await frame.locator('[data-testid="section-deployments"]').screenshot({ path: join(SCREENSHOTS, `deployments-panel-${summary === IN_WINDOW ? 'allowed' : 'denied'}-${scheme}.png`) });
    }
    await context.close();
  });
});
