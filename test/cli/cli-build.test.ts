/**
 * The compiled CLI (`npm run build:cli`, cli/dist): what it bundles, that it is current, that it
 * runs with no node_modules at all (so no @forge/* either) and gives the in-process results, and
 * what `npm pack` of the publishable package (cli/package.json) would ship.
 */
import { spawnSync } from 'node:child_process';
import { exportPublicKey, signingKeyOf } from '../../src/evidence-log/mirror-seal';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditReport } from '../../src/evidence/audit-report.builder';
import { auth, exportPages, memoryIo, PERIOD, run, Sandbox, startDemoFiles, tempDir, writeJson } from './cli-fixture';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'cli', 'dist');
const BUILD_HINT = 'cli/dist is missing or stale: run `npm run build:cli` (npm test does it in pretest)';

const modules = (): Record<string, string[]> => {
  if (!existsSync(join(DIST, 'modules.json'))) throw new Error(BUILD_HINT);
  return JSON.parse(readFileSync(join(DIST, 'modules.json'), 'utf8')) as Record<string, string[]>;
};
const compiledFiles = () => readdirSync(DIST).filter((f) => f.endsWith('.cjs'));
const requiresOf = (file: string) => [...readFileSync(join(DIST, file), 'utf8').matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);

describe('the bundle (cli/dist/modules.json)', () => {
  it('is current: no bundled source of the repository is newer than the build', () => {
    const built = statSync(join(DIST, 'modules.json')).mtimeMs;
    const stale = Object.values(modules())
      .flat()
      .filter((id) => !id.startsWith('node_modules/') && statSync(join(ROOT, id)).mtimeMs > built);
    expect({ stale, hint: stale.length ? BUILD_HINT : null }).toEqual({ stale: [], hint: null });
  });

  it('holds no @forge package, nothing from sandbox/ and nothing from src/forge/', () => {
    const all = Object.values(modules()).flat();
    expect(all).toContain('cli/main.ts');
    expect(all.filter((id) => /(^|\/)node_modules\/@forge\/|^sandbox\/|^src\/forge\//.test(id))).toEqual([]);
  });

  it('keeps zod, date-fns and the domain out of the entry chunk, so --help loads none of them', () => {
    const entry = modules()['cc81.cjs'] ?? [];
    expect(entry).toContain('cli/help.ts');
    expect(entry.filter((id) => id.startsWith('node_modules/') || id.startsWith('src/domain/') || id.startsWith('src/evidence/'))).toEqual([]);
  });

  it('requires only node: built-ins and its own chunks at run time', () => {
    const requires = compiledFiles().flatMap(requiresOf);
    expect(requires).toContain('./run-command.cjs');
    expect(requires.filter((r) => !r.startsWith('node:') && !/^\.\/[\w-]+\.cjs$/.test(r))).toEqual([]);
  });
});

describe('the compiled CLI copied outside the repository (no node_modules to resolve)', () => {
  let sandbox: Sandbox;
  let dir: string;
  let policyFile: string;
  let exportFile: string;
  let copy: string;
  beforeAll(async () => {
    ({ sandbox, dir, policyFile } = await startDemoFiles());
    exportFile = writeJson(dir, 'export.json', await exportPages(sandbox));
    copy = tempDir();
    for (const file of compiledFiles()) copyFileSync(join(DIST, file), join(copy, file));
  });
  afterAll(async () => sandbox.close());

  const compiled = (args: string[]) => spawnSync(process.execPath, [join(copy, 'cc81.cjs'), ...args], { cwd: copy, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...auth() } });
  const withoutTime = (report: AuditReport) => ({ ...report, generatedAt: null, population: { ...report.population, runAt: null } });

  it('cannot resolve zod or @forge/api from there (the check below means something)', () => {
    for (const name of ['zod', '@forge/api']) expect(() => require.resolve(name, { paths: [copy] })).toThrow();
  });

  it('audits the demo export exactly as runCli does in process', async () => {
    // With the app's evidence key: the compiled bundle checks the seals too (node:crypto only).
    const key = exportPublicKey(signingKeyOf(sandbox.state.appSigningKey).publicKey);
    const args = ['audit', '--export', exportFile, '--policy', policyFile, ...PERIOD, '--evidence-key', key, '--format', 'json'];
    const result = compiled(args);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const inProcess = await run(args, memoryIo(auth(), { now: () => new Date() }));
    expect(inProcess.code).toBe(0);
    const fromCompiled = JSON.parse(result.stdout) as AuditReport;
    expect(fromCompiled.tickets.length).toBeGreaterThan(0);
    expect(fromCompiled.summary.byCode.EVIDENCE_TAMPERED).toBe(3);
    expect(withoutTime(fromCompiled)).toEqual(withoutTime(JSON.parse(inProcess.io.stdoutText) as AuditReport));
  });

  it('reports a bad policy file with exit code 3', () => {
    const bad = writeJson(dir, 'bad-policy.json', '{"policy": ');
    const result = compiled(['population', '--export', exportFile, '--policy', bad, ...PERIOD]);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('bad-policy.json');
    expect(result.stdout).toBe('');
  });
});

describe('the publishable package (cli/package.json)', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'cli', 'package.json'), 'utf8')) as { name: string; private?: boolean; bin: Record<string, string>; dependencies?: Record<string, string>; engines: { node: string } };

  it('is public, named cc81, with a cc81 bin and no run-time dependencies', () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest.name).toBe('cc81');
    expect(manifest.bin).toEqual({ cc81: 'dist/cc81.cjs' });
    expect(Object.keys(manifest.dependencies ?? {})).toEqual([]);
    expect(manifest.engines.node).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node);
  });

  it('packs the bin, every chunk it requires and the licences, and no TypeScript source', () => {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(ROOT, 'cli'), encoding: 'utf8' });
    expect(packed.status).toBe(0);
    const files = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
    const needed = ['dist/cc81.cjs', ...compiledFiles().flatMap(requiresOf).filter((r) => r.startsWith('./')).map((r) => `dist/${r.slice(2)}`)];
    expect(files).toEqual(expect.arrayContaining([...needed, 'dist/THIRD-PARTY-LICENSES.txt', 'package.json', 'README.md']));
    expect(files.filter((f) => f.endsWith('.ts') || f.endsWith('.mjs'))).toEqual([]);
    expect(readFileSync(join(DIST, 'cc81.cjs'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
