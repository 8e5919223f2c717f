/**
 * `npm start`'s sandbox (real REST router, workflow engine, compiled rules, demo data) in Debian's
 * chromium: a validator blocks, the right person succeeds. Screenshots: test-results/screenshots/real-*.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { startSandbox } from '../../../sandbox/start-sandbox';
import { launchChromium } from './browser';
import { runSandboxUiScenario } from './sandbox-ui-scenario';

jest.setTimeout(60_000);

const SCREENSHOTS = resolve('test-results', 'screenshots');

describe('the real sandbox in chromium', () => {
  let browser: Browser | undefined;
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    sandbox = await startSandbox({ port: 0 });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('blocks an approval without a test plan, then lets a CAB member approve', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const key = sandbox!.state.issues.find((i) => i.fields.summary === 'Increase Kafka retention to 14 days')!.key;
    const result = await runSandboxUiScenario(sandbox!.url, page, {
      blockedUser: 'Ada Approver',
      allowedUser: 'Carl CAB',
      issueKey: key,
      transitionName: 'Approve',
      blockedFields: { 'Test plan': '' },
      expectedError: /Fill in Test plan to Approve/,
      screenshotDir: SCREENSHOTS,
      screenshotPrefix: 'real',
    });
    expect(result.statusBefore).toBe('Assessment');
    expect(result.statusAfter).toBe('Approved');
    expect(result.errorMessages.join(' ')).toMatch(/Fill in Test plan to Approve/);
    expect(result.screenshots.length).toBeGreaterThanOrEqual(3);
    await page.close();
  });

  it('shows Approve to the approver but never to the implementer', async () => {
    const page = await browser!.newPage();
    await page.goto(`${sandbox!.url}/`);
    await page.locator('body[data-ready="true"]').waitFor();
    const key = sandbox!.state.issues.find((i) => i.fields.summary === 'Tune JVM heap for search nodes')!.key; // in Assessment
    const names = (email: string) =>
      page.evaluate(
        async ({ url, issue, who }) => {
          const r = await fetch(`${url}/rest/api/3/issue/${issue}/transitions`, { headers: { Authorization: `Basic ${btoa(`${who}:x`)}` } });
          return ((await r.json()) as { transitions: { name: string }[] }).transitions.map((t) => t.name);
        },
        { url: sandbox!.url, issue: key, who: email },
      );
    expect(await names('ada.approver@example.com')).toContain('Approve');
    expect(await names('ivan.implementer@example.com')).not.toContain('Approve');
    await page.close();
  });
});
