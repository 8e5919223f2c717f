/**
 * `npm run mutate [-- options]`: Stryker (stryker.config.mjs), then the per-folder score table.
 *   (no option)      incremental run over the whole scope; exits 1 if a folder is below mutation-thresholds.json
 *   --ratchet        as above, then raises thresholds to today's scores (never lowers) and rewrites the README table
 *   --changed        only the in-scope src files changed since CC81_MUTATE_BASE (default: merge-base with
 *                    origin/main, else HEAD~1); prints scores and survivors, enforces no threshold
 *                    within CC81_MUTATE_TIMEOUT_MINUTES (default 20; past it, says so and exits 0)
 *   --folder <f>     one folder of the scope (src/domain, …), with its own report and
 *                    incremental file; thresholds and --ratchet apply to that folder only (.ci/nightly runs each)
 *   --report-only    skip Stryker; read the last report
 *   --list-folders   print the folders of the scope, one per line (for .ci/nightly)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  belowThreshold,
  inScope,
  MutationReport,
  ratchet,
  renderConsoleTable,
  renderReadmeTable,
  replaceReadmeTable,
  mergeReadmeTable,
  survivors,
  tally,
  Thresholds,
} from './mutation-scores';

const root = path.resolve(__dirname, '../..');
const THRESHOLDS = path.join(root, 'mutation-thresholds.json');
const README = path.join(root, 'README.md');
const FULL_REPORT = path.join(root, 'reports/mutation/mutation.json');
const CHANGED_REPORT = path.join(root, 'reports/mutation-changed/mutation.json');
const folderReport = (folder: string) => path.join(root, `reports/mutation-folders/${folder.replace(/\//g, '-')}/mutation.json`);

// Keep in step with `mutate` in stryker.config.mjs.
// src/domain/expression has its own row: its mutants rerun the expression tests (the differential among
// them), the slowest of all, so it runs as a job of its own; --folder src/domain leaves it out.
export const SCOPE_FOLDERS = ['src/domain', 'src/domain/expression', 'src/evidence', 'src/evidence-log', 'src/sweep', 'src/setup', 'src/panel', 'src/policy', 'src/privacy', 'src/schedule', 'src/forge', 'src/deployments'];
// src/index.ts is out: it only re-exports the handlers (no mutant). The wiring is src/forge.

interface ThresholdsFile {
  rule: string;
  folders: Thresholds;
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
const tryGit = (...args: string[]) => {
  try {
    return git(...args);
  } catch {
    return undefined;
  }
};

/** The contract tests read ../shared beside the repository; Stryker's sandbox lives in .stryker-tmp/sandbox-*, so link .stryker-tmp/shared. */
function linkShared(): void {
  const shared = path.resolve(root, '..', 'shared');
  const link = path.join(root, '.stryker-tmp', 'shared');
  if (!existsSync(shared)) return;
  mkdirSync(path.dirname(link), { recursive: true });
  try {
    lstatSync(link);
  } catch {
    symlinkSync(shared, link, 'dir');
  }
}

/** The manifest test checks the Custom UI builds the manifest names exist; a fresh clone has none until `npm test` builds them. */
function buildUiIfMissing(): void {
  const builds = [...readFileSync(path.join(root, 'manifest.yml'), 'utf8').matchAll(/path:\s*(static\/\S+)/g)].map((m) => m[1] ?? '');
  if (builds.every((dir) => existsSync(path.join(root, dir)))) return;
  console.log('Building the Custom UI (static/*/build) for the manifest test: npm run build:ui');
  execFileSync('npm', ['run', '--silent', 'build:ui'], { cwd: root, stdio: 'inherit' });
}

/** Property tests run half their cases under Stryker (test/support/fc-seed.ts), unless CC81_FC_RUNS_SCALE says otherwise. */
export const MUTATION_FC_RUNS_SCALE = '0.5';

/** Runs Stryker; false when it was stopped at `timeoutMinutes` (its whole process group, workers included). */
async function stryker(args: string[], baseEnv: NodeJS.ProcessEnv = process.env, timeoutMinutes?: number): Promise<boolean> {
  const env = { ...baseEnv, CC81_FC_RUNS_SCALE: baseEnv.CC81_FC_RUNS_SCALE ?? MUTATION_FC_RUNS_SCALE };
  linkShared();
  buildUiIfMissing();
  const bin = path.join(root, 'node_modules/.bin/stryker');
  const child = spawn(bin, ['run', ...args], { cwd: root, stdio: 'inherit', env, detached: true });
  let timedOut = false;
  const stop = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const timer =
    timeoutMinutes === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stop('SIGINT');
          setTimeout(() => stop('SIGKILL'), 10_000).unref();
        }, timeoutMinutes * 60_000);
  const onSignal = () => stop('SIGINT');
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  if (timer) clearTimeout(timer);
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  if (timedOut) {
    stop('SIGKILL');
    return false;
  }
  if (code !== 0) {
    console.error(`stryker exited with ${code}`);
    process.exit(code ?? 1);
  }
  return true;
}

function printSurvivors(report: MutationReport): void {
  const list = survivors(report);
  console.log(`\nSurviving mutants (${list.length}; NoCoverage marked [no-cov]):`);
  for (const s of list) {
    const tag = s.status === 'NoCoverage' ? ' [no-cov]' : '';
    console.log(`  ${s.file}:${s.line}:${s.column}  ${s.mutator}${tag}  → ${s.replacement}`);
  }
}

function changedFiles(): string[] {
  const base =
    process.env.CC81_MUTATE_BASE ||
    (tryGit('rev-parse', '--verify', '--quiet', 'origin/main') ? tryGit('merge-base', 'origin/main', 'HEAD') : undefined) ||
    'HEAD~1';
  // A base equal to HEAD (CI on main itself) means: the last commit.
  const effective = tryGit('rev-parse', base) === tryGit('rev-parse', 'HEAD') ? 'HEAD~1' : base;
  const names = tryGit('diff', '--name-only', '--diff-filter=AMR', effective, 'HEAD');
  if (names === undefined) {
    console.log(`no base to compare with (${effective} is not in this clone)`);
    return [];
  }
  console.log(`Changed since ${effective}:`);
  return inScope(names.split('\n').filter(Boolean), SCOPE_FOLDERS).filter((f) => existsSync(path.join(root, f)));
}

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const folderAt = argv.indexOf('--folder');
  const folder = folderAt >= 0 ? argv[folderAt + 1] : undefined;
  const passThrough = argv.filter((a, i) => !['--ratchet', '--changed', '--report-only', '--folder'].includes(a) && !(folderAt >= 0 && i === folderAt + 1));

  if (flags.has('--list-folders')) {
    console.log(SCOPE_FOLDERS.join('\n'));
    return 0;
  }
  if (folderAt >= 0) {
    if (!folder || !SCOPE_FOLDERS.includes(folder)) {
      console.error(`--folder needs one of: ${SCOPE_FOLDERS.join(', ')}`);
      return 2;
    }
    if (!flags.has('--report-only')) await stryker(passThrough, { ...process.env, CC81_MUTATE_FOLDER: folder });
    const report = JSON.parse(readFileSync(folderReport(folder), 'utf8')) as MutationReport;
    const file = JSON.parse(readFileSync(THRESHOLDS, 'utf8')) as ThresholdsFile;
    const rows = tally(report, SCOPE_FOLDERS).filter((r) => r.folder === folder);
    if (flags.has('--ratchet')) {
      file.folders = ratchet(file.folders, rows);
      writeFileSync(THRESHOLDS, `${JSON.stringify(file, null, 2)}\n`);
      writeFileSync(README, mergeReadmeTable(readFileSync(README, 'utf8'), rows, file.folders));
      console.log(`Ratcheted ${folder} in mutation-thresholds.json and the README table.`);
    }
    console.log(`\nMutation score of ${folder}\n`);
    console.log(renderConsoleTable(rows, file.folders));
    printSurvivors(report);
    const failures = belowThreshold(rows, { [folder]: file.folders[folder] ?? 0 });
    for (const f of failures) console.error(`\nBELOW THRESHOLD: ${f.folder} scored ${f.score ?? 'n/a'}% < ${f.threshold}%`);
    return failures.length === 0 ? 0 : 1;
  }

  if (flags.has('--changed')) {
    const files = changedFiles();
    if (files.length === 0) {
      console.log('no files in scope changed');
      return 0;
    }
    files.forEach((f) => console.log(`  ${f}`));
    // CI's time box (CC81_MUTATE_TIMEOUT_MINUTES, default 20): a change to a file that most tests cover costs
    // seconds per mutant. Stopped runs report nothing and do not fail CI.
    const minutes = Number(process.env.CC81_MUTATE_TIMEOUT_MINUTES ?? 20);
    if (!flags.has('--report-only') && !(await stryker(['--mutate', files.join(','), ...passThrough], { ...process.env, CC81_MUTATE_CHANGED: '1' }, minutes))) {
      console.log(`\nmutation run stopped after ${minutes} min (CC81_MUTATE_TIMEOUT_MINUTES): no scores; run \`npm run mutate -- --changed\` locally`);
      return 0;
    }
    const report = JSON.parse(readFileSync(CHANGED_REPORT, 'utf8')) as MutationReport;
    console.log('\nScores of the changed files (partial run: thresholds not enforced)\n');
    console.log(renderConsoleTable(tally(report, SCOPE_FOLDERS), {}));
    printSurvivors(report);
    return 0;
  }

  if (!flags.has('--report-only')) await stryker(passThrough);
  const report = JSON.parse(readFileSync(FULL_REPORT, 'utf8')) as MutationReport;
  const file = JSON.parse(readFileSync(THRESHOLDS, 'utf8')) as ThresholdsFile;
  const rows = tally(report, SCOPE_FOLDERS);

  if (flags.has('--ratchet')) {
    file.folders = ratchet(file.folders, rows);
    writeFileSync(THRESHOLDS, `${JSON.stringify(file, null, 2)}\n`);
    writeFileSync(README, replaceReadmeTable(readFileSync(README, 'utf8'), renderReadmeTable(rows, file.folders)));
    console.log('Ratcheted mutation-thresholds.json and the README table.');
  }

  console.log('\nMutation score per folder\n');
  console.log(renderConsoleTable(rows, file.folders));
  printSurvivors(report);
  const failures = belowThreshold(rows, file.folders);
  for (const f of failures) console.error(`\nBELOW THRESHOLD: ${f.folder} scored ${f.score ?? 'n/a'}% < ${f.threshold}%`);
  if (failures.length === 0) console.log('\nAll folders meet their thresholds (mutation-thresholds.json).');
  return failures.length === 0 ? 0 : 1;
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => process.exit(code));
