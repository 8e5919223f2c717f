/**
 * Pure logic of `npm run mutate`: per-folder tallies from Stryker's JSON report
 * (mutation-testing-report-schema), threshold checks, the ratchet, and the README table.
 */

export type MutantStatus =
  | 'Killed'
  | 'Survived'
  | 'NoCoverage'
  | 'Timeout'
  | 'CompileError'
  | 'RuntimeError'
  | 'Ignored'
  | 'Pending';

export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: MutantStatus;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

export interface MutationReport {
  files: Record<string, { mutants: ReportMutant[] }>;
}

export interface FolderScore {
  folder: string;
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  /** CompileError + RuntimeError: not counted in the score (Stryker's definition). */
  invalid: number;
  /** (killed + timeout) / (killed + timeout + survived + noCoverage) in %, or null when nothing is valid. */
  score: number | null;
}

export interface Survivor {
  file: string;
  line: number;
  column: number;
  mutator: string;
  replacement: string;
  status: 'Survived' | 'NoCoverage';
}

export type Thresholds = Record<string, number>;

export interface ThresholdFailure {
  folder: string;
  score: number | null;
  threshold: number;
}

/**
 * The deepest folder of `scope` that holds the file (`src/domain/expression/x.ts` → `src/domain/expression`
 * when that is in scope); else its folder under src (`src/domain`), or `src` for a file directly under it.
 * Paths are made repo-relative.
 */
export function folderOf(file: string, scope: readonly string[] = []): string {
  const rel = file.replace(/\\/g, '/').replace(/^.*?(?=(^|\/)src\/)/, '').replace(/^\//, '');
  const deepest = scope.filter((d) => rel.startsWith(`${d}/`)).sort((a, b) => b.length - a.length)[0];
  if (deepest) return deepest;
  const parts = rel.split('/');
  if (parts[0] !== 'src') return parts.length > 1 ? parts.slice(0, -1).join('/') : '.';
  return parts.length > 2 ? `src/${parts[1]}` : 'src';
}

/** Score in % with Stryker's rule, rounded down to 2 decimals so a ratcheted threshold is met by the same run. */
export function scoreOf(c: Pick<FolderScore, 'killed' | 'survived' | 'noCoverage' | 'timeout'>): number | null {
  const detected = c.killed + c.timeout;
  const valid = detected + c.survived + c.noCoverage;
  if (valid === 0) return null;
  return Math.floor((detected / valid) * 10000) / 100;
}

export function tally(report: MutationReport, scope: readonly string[] = []): FolderScore[] {
  const byFolder = new Map<string, Omit<FolderScore, 'score'>>();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const folder = folderOf(file, scope);
    const row = byFolder.get(folder) ?? { folder, killed: 0, survived: 0, noCoverage: 0, timeout: 0, invalid: 0 };
    for (const m of mutants) {
      if (m.status === 'Killed') row.killed++;
      else if (m.status === 'Survived') row.survived++;
      else if (m.status === 'NoCoverage') row.noCoverage++;
      else if (m.status === 'Timeout') row.timeout++;
      else if (m.status === 'CompileError' || m.status === 'RuntimeError') row.invalid++;
    }
    byFolder.set(folder, row);
  }
  return [...byFolder.values()]
    .sort((a, b) => a.folder.localeCompare(b.folder))
    .map((row) => ({ ...row, score: scoreOf(row) }));
}

export function total(rows: FolderScore[]): FolderScore {
  const sum = (k: 'killed' | 'survived' | 'noCoverage' | 'timeout' | 'invalid') => rows.reduce((n, r) => n + r[k], 0);
  const row = { folder: 'all', killed: sum('killed'), survived: sum('survived'), noCoverage: sum('noCoverage'), timeout: sum('timeout'), invalid: sum('invalid') };
  return { ...row, score: scoreOf(row) };
}

export function survivors(report: MutationReport): Survivor[] {
  const out: Survivor[] = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
      out.push({
        file,
        line: m.location.start.line,
        column: m.location.start.column,
        mutator: m.mutatorName,
        replacement: oneLine(m.replacement ?? ''),
        status: m.status,
      });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

function oneLine(s: string, max = 80): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Folders whose score is below their threshold; a folder with a threshold but no mutants fails too. */
export function belowThreshold(rows: FolderScore[], thresholds: Thresholds): ThresholdFailure[] {
  const failures: ThresholdFailure[] = [];
  for (const [folder, threshold] of Object.entries(thresholds)) {
    const row = rows.find((r) => r.folder === folder);
    const score = row?.score ?? null;
    if (score === null || score < threshold) failures.push({ folder, score, threshold });
  }
  return failures;
}

/** Raises each folder's threshold to today's score; never lowers one, never drops a folder. */
export function ratchet(thresholds: Thresholds, rows: FolderScore[]): Thresholds {
  const next: Thresholds = { ...thresholds };
  for (const r of rows) {
    if (r.score === null) continue;
    next[r.folder] = Math.max(thresholds[r.folder] ?? 0, r.score);
  }
  return Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
}

const pct = (n: number | null) => (n === null ? 'n/a' : n.toFixed(2));

/** Plain-text table for the console. */
export function renderConsoleTable(rows: FolderScore[], thresholds: Thresholds): string {
  const header = ['folder', 'killed', 'survived', 'no-cov', 'timeout', 'invalid', 'score %', 'threshold %'];
  const body = [...rows, total(rows)].map((r) => [
    r.folder,
    String(r.killed),
    String(r.survived),
    String(r.noCoverage),
    String(r.timeout),
    String(r.invalid),
    pct(r.score),
    r.folder in thresholds ? pct(thresholds[r.folder] ?? null) : r.folder === 'all' ? '' : 'none',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export const README_START = '<!-- mutation-scores:start -->';
export const README_END = '<!-- mutation-scores:end -->';

/** Markdown table for the README: one row per folder with a threshold. */
export function renderReadmeTable(rows: FolderScore[], thresholds: Thresholds): string {
  const lines = ['| folder | killed | survived | no coverage | timeout | score % | threshold % |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const folder of Object.keys(thresholds).sort()) {
    const r = rows.find((x) => x.folder === folder);
    const cell = (n: number | undefined) => (n === undefined ? 'n/a' : String(n));
    lines.push(`| ${folder} | ${cell(r?.killed)} | ${cell(r?.survived)} | ${cell(r?.noCoverage)} | ${cell(r?.timeout)} | ${pct(r?.score ?? null)} | ${pct(thresholds[folder]!)} |`);
  }
  return lines.join('\n');
}

/** Replaces the table between the README markers; throws when they are missing. */
export function replaceReadmeTable(readme: string, table: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README has no ${README_START} … ${README_END} block`);
  return `${readme.slice(0, start + README_START.length)}\n${table}\n${readme.slice(end)}`;
}

/** Rewrites the README table for the folders of `rows` (a one-folder run) and keeps the other folders' rows as they are. */
export function mergeReadmeTable(readme: string, rows: FolderScore[], thresholds: Thresholds): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README has no ${README_START} … ${README_END} block`);
  const kept = new Map<string, string>();
  for (const line of readme.slice(start + README_START.length, end).split('\n')) {
    const folder = /^\| (\S+) \|/.exec(line)?.[1];
    if (folder && folder !== 'folder' && folder !== '---' && !rows.some((r) => r.folder === folder)) kept.set(folder, line);
  }
  const fresh = renderReadmeTable(rows, Object.fromEntries(Object.entries(thresholds).filter(([f]) => !kept.has(f)))).split('\n');
  const byFolder = new Map([...kept, ...fresh.slice(2).map((l) => [/^\| (\S+) \|/.exec(l)![1]!, l] as const)]);
  const table = [...fresh.slice(0, 2), ...[...byFolder.keys()].sort().map((f) => byFolder.get(f)!)].join('\n');
  return replaceReadmeTable(readme, table);
}

export interface ReadmeRow {
  folder: string;
  score: number | null;
  threshold: number | null;
}

/** Reads back the README table (folder, score, threshold), for the test that keeps it in step with the thresholds file. */
export function parseReadmeTable(readme: string): ReadmeRow[] {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README has no ${README_START} … ${README_END} block`);
  const num = (s: string | undefined) => (s === undefined || s.trim() === 'n/a' ? null : Number(s.trim()));
  return readme
    .slice(start + README_START.length, end)
    .split('\n')
    .filter((l) => l.startsWith('|') && !l.startsWith('| folder') && !l.startsWith('| ---'))
    .map((l) => l.split('|').slice(1, -1))
    .map((cells) => ({ folder: cells[0]!.trim(), score: num(cells[5]), threshold: num(cells[6]) }));
}

/** Repo-relative src files in mutation scope among `changed` (git paths). */
export function inScope(changed: string[], scopeFolders: string[], scopeFiles: string[] = []): string[] {
  return changed
    .filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f))
    .filter((f) => scopeFiles.includes(f) || scopeFolders.some((d) => f.startsWith(`${d}/`)))
    .sort();
}
