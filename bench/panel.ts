/*
 * Issue panel benchmark: `npx ts-node --transpile-only bench/panel.ts`.
 * - the panel's production JS, gzipped, from static/issue-panel/build (built first when missing) vs its 150 KB budget;
 * - time to first meaningful render in the sandbox: the panel's sandbox build opened (as Jira's
 *   iframe would be) in Debian's chromium, from navigation to the rendered view (`aria-busy=false`
 *   with the segregation section), median of BENCH_RUNS loads;
 * - Jira REST calls per panel load, from `GET /sandbox/admin/stats` before and after one load.
 * Prints figures next to their budgets; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { DEMO_USERS } from '../sandbox/demo/demo-users';
import { startSandbox } from '../sandbox/start-sandbox';
import { launchChromium } from '../test/sandbox/browser/browser';
import { ensureIssuePanelSandboxBuild } from '../test/sandbox/browser/issue-panel-build';
import { fmt, median } from './stats';

const ROOT = resolve(__dirname, '..');
const BUILD = join(ROOT, 'static', 'issue-panel', 'build');
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const WARMUP = 2;
const BUDGET = { gzipKb: 150, restCalls: 2, firstRenderMs: 1_000 };
const TICKET = process.env.BENCH_TICKET ?? 'Self-approved: logging level change';

const vite = (config: string) =>
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', config, '--logLevel', 'warn'], { cwd: ROOT, stdio: 'pipe' });

const bundleSize = (): { raw: number; gzip: number; files: number } => {
  if (!existsSync(join(BUILD, 'index.html'))) vite('static/issue-panel/vite.config.mts');
  const assets = join(BUILD, 'assets');
  const js = readdirSync(assets).filter((file) => file.endsWith('.js'));
  return js.reduce(
    (sum, file) => {
      const content = readFileSync(join(assets, file));
      return { raw: sum.raw + content.length, gzip: sum.gzip + gzipSync(content, { level: 9 }).length, files: sum.files + 1 };
    },
    { raw: 0, gzip: 0, files: 0 },
  );
};

const main = async () => {
  const size = bundleSize();
  console.log('Issue panel benchmark');
  console.log(`  production JS (${size.files} files)   ${fmt(size.raw / 1024)} KB raw ${fmt(size.gzip / 1024)} KB gzipped   budget ${BUDGET.gzipKb} KB  (${((100 * size.gzip) / 1024 / BUDGET.gzipKb).toFixed(0)}% of budget)`);

  ensureIssuePanelSandboxBuild();
  const sandbox = await startSandbox({ port: 0, triggerIntervalMs: 0, eventsIntervalMs: 0 });
  const browser = await launchChromium();
  const originalLog = console.log;
  try {
    const issue = sandbox.state.issues.find((i) => i.fields.summary === TICKET);
    if (!issue) throw new Error(`No demo ticket "${TICKET}".`);
    const user = DEMO_USERS.approver;
    const auth = `Basic ${Buffer.from(`${user.emailAddress}:x`).toString('base64')}`;
    const openSession = async (): Promise<string> => {
      const res = await fetch(`${sandbox.url}/sandbox/forge/sessions`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ module: 'jira:issuePanel', issueKey: issue.key }),
      });
      if (!res.ok) throw new Error(`POST /sandbox/forge/sessions answered ${res.status}: ${await res.text()}`);
      return `${sandbox.url}${((await res.json()) as { url: string }).url}`;
    };
    const stats = async () => ((await (await fetch(`${sandbox.url}/sandbox/admin/stats`)).json()) as { total: number; byRoute: Record<string, number> });
    console.log = () => undefined; // the sandbox logs every request
    const page = await browser.newPage({ viewport: { width: 800, height: 1200 } });
    const load = async (): Promise<number> => {
      const url = await openSession();
      const start = performance.now();
      await page.goto(url);
      await page.locator('[data-testid="cc81-panel"][aria-busy="false"] [data-testid="section-segregation"], [data-testid="panel-error"]').first().waitFor({ timeout: 15_000 });
      const ms = performance.now() - start;
      if (await page.getByTestId('panel-error').count()) throw new Error(`The panel rendered its error state: ${await page.getByTestId('panel-error').textContent()}`);
      return ms;
    };
    for (let i = 0; i < WARMUP; i += 1) await load();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i += 1) times.push(await load());
    const before = await stats();
    await load();
    const after = await stats();
    console.log = originalLog;
    const routes = Object.entries(after.byRoute)
      .map(([route, n]) => [route, n - (before.byRoute[route] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .map(([route, n]) => `${route} ×${n}`);
    console.log(`  first meaningful render (median of ${RUNS}) ${fmt(median(times))} ms   (min ${fmt(Math.min(...times))}, max ${fmt(Math.max(...times))})   target ${BUDGET.firstRenderMs} ms`);
    console.log(`  REST calls per load             ${fmt(after.total - before.total, 0)}      budget ${BUDGET.restCalls}   ${routes.join(', ')}`);
    console.log(`  ticket: ${issue.key} "${TICKET}", as ${user.displayName}`);
  } finally {
    console.log = originalLog;
    await browser.close();
    await sandbox.close();
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
