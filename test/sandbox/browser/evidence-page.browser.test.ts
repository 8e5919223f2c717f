/**
 * Issue 18: the project's CC8.1 evidence page (jira:projectPage) in chromium: the compliance lead,
 * who is not a Jira admin but is in the policy's exporters group, builds an export and downloads
 * everything as one zip; a developer outside the group is told who may. Screenshots:
 * test-results/screenshots/evidence-page-*.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { startSandbox } from '../../../sandbox/start-sandbox';
import { launchChromium } from './browser';
import { ensureAdminPageSandboxBuild } from './admin-page-build';
import { switchUser } from './sandbox-ui-scenario';

jest.setTimeout(120_000);

const SCREENSHOTS = resolve('test-results', 'screenshots');

describe('the CC8.1 evidence page for compliance leads', () => {
  let browser: Browser | undefined;
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
  let page: Page;

  beforeAll(async () => {
    ensureAdminPageSandboxBuild();
    mkdirSync(SCREENSHOTS, { recursive: true });
    sandbox = await startSandbox({ port: 0, triggerIntervalMs: 0, eventsIntervalMs: 50, routerLog: () => undefined });
    browser = await launchChromium();
    page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  const openAs = async (user: string): Promise<FrameLocator> => {
    await page.goto(`${sandbox!.url}/sandbox/project/evidence`);
    await switchUser(page, user);
    const frame = page.frameLocator('[data-testid="admin-page-frame"]');
    await frame.locator('[data-testid="cc81-evidence-page"][aria-busy="false"]').waitFor({ timeout: 20_000 });
    return frame;
  };

  it('the compliance lead (not a Jira admin) builds an export and saves everything as one zip', async () => {
    const frame = await openAs('Colette Compliance');
    await expect(frame.getByTestId('evidence-who').textContent()).resolves.toMatch(/members of the group "compliance"/);
    await expect(frame.getByTestId('save-policy').count()).resolves.toBe(0);
    await frame.getByRole('button', { name: 'Build evidence export' }).click();
    const zip = frame.getByTestId('download-zip');
    await zip.waitFor({ timeout: 60_000 });
    const download = page.waitForEvent('download');
    await zip.click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/^cc81-evidence-.+\.zip$/);
    // Every link of index.html opens a file inside the zip (and each ticket page links back).
    const script = 'import json,re,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nnames=set(z.namelist())\nindex=z.read("index.html").decode()\nlinks=re.findall(r\'href="([^"#]+)"\', index)\nback=[n for n in names if n.startswith("tickets/") and n.endswith(".html") and "../index.html" in z.read(n).decode()]\nprint(json.dumps({"links":links,"missing":[l for l in links if l not in names],"pages":len([n for n in names if n.endswith(".html") and n.startswith("tickets/")]),"back":len(back)}))';
    const checked = JSON.parse(execFileSync('python3', ['-c', script, (await saved.path())!], { encoding: 'utf8' })) as { links: string[]; missing: string[]; pages: number; back: number };
    expect(checked.links.length).toBeGreaterThan(0);
    expect(checked.missing).toEqual([]);
    expect(checked.back).toBe(checked.pages);
    await frame.getByTestId('download-saved').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'evidence-page-compliance.png') });
  });

  it('a developer outside the exporters group is told who may export', async () => {
    const frame = await openAs('Rita Requester');
    await expect(frame.getByTestId('evidence-refused').textContent()).resolves.toMatch(/Only Jira admins and members of the group "compliance"/);
    await page.screenshot({ path: join(SCREENSHOTS, 'evidence-page-refused.png') });
  });
});
