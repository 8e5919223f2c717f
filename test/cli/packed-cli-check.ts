/*
 * `npm run check:cli-package` (for CI; too slow for jest): proves `npx cc81` works outside this
 * repository. Builds the CLI, packs cli/ with `npm pack`, and from a temporary directory outside
 * the repository runs the tarball's `cc81` through `npm exec --offline` (the package has no
 * dependencies, so nothing comes from the registry) with its own npm cache: `--help`, then an audit
 * of the demo sandbox's export, which must equal the in-process `runCli` result. Exits 1 on any
 * difference.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditReport } from '../../src/evidence/audit-report.builder';
import { exportPages, memoryIo, PERIOD, run, startDemoFiles, tempDir, writeJson } from './cli-fixture';

const ROOT = join(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const fail = (message: string): never => {
  console.error(`check:cli-package: FAILED: ${message}`);
  process.exit(1);
};

const main = async () => {
  execFileSync(process.execPath, [join(ROOT, 'cli', 'build.mjs')], { stdio: 'inherit' });
  const work = tempDir();
  execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: join(ROOT, 'cli'), stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz')) ?? fail('npm pack wrote no tarball'));
  const outside = tempDir();
  const cc81 = (args: string[]) => {
    const started = Date.now();
    const result = spawnSync(npm, ['exec', '--yes', '--offline', '--cache', join(work, 'npm-cache'), `--package=${tarball}`, '--', 'cc81', ...args], { cwd: outside, encoding: 'utf8', env: { ...process.env, JIRA_EMAIL: '', JIRA_API_TOKEN: '' } });
    console.log(`check:cli-package: cc81 ${args[0]} from the tarball: exit ${result.status} in ${Date.now() - started} ms`);
    return result;
  };

  const help = cc81(['--help']);
  if (help.status !== 0 || !help.stdout.includes('Usage: cc81 <command>')) fail(`cc81 --help: exit ${help.status}: ${help.stderr}`);

  const { sandbox, dir, policyFile } = await startDemoFiles();
  try {
    const exportFile = writeJson(dir, 'export.json', await exportPages(sandbox));
    const args = ['audit', '--export', exportFile, '--policy', policyFile, ...PERIOD, '--format', 'json'];
    const packed = cc81(args);
    if (packed.status !== 0) fail(`cc81 audit: exit ${packed.status}: ${packed.stderr}`);
    const inProcess = await run(args, memoryIo(undefined, { now: () => new Date() }));
    const strip = (text: string) => JSON.stringify({ ...(JSON.parse(text) as AuditReport), generatedAt: null });
    if (strip(packed.stdout) !== strip(inProcess.io.stdoutText)) fail('the packed cc81 audit differs from runCli in process');
    console.log(`check:cli-package: ok (${tarball}; audit of ${(JSON.parse(packed.stdout) as AuditReport).tickets.length} demo tickets matches)`);
  } finally {
    await sandbox.close();
  }
};

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
