/**
 * Deployment logs as pipelines write them, for reconciliation (`cc81 reconcile`): CSV with a header
 * row, or JSON (an array of objects, `{ "deployments": [...] }`, or JSON Lines). Each row is
 * validated; a bad row is never dropped: the file is refused with every problem named by line (CSV,
 * JSON Lines) or item (JSON array). One pass over the text, no quadratic step: 100k rows take well
 * under a second. Pure apart from what it is given.
 *
 * Columns (names are matched without case, spaces, `_` or `-`; the first name is the usual one):
 *   time (at, timestamp, deployed_at)      ISO 8601 with a zone: 2026-03-02T10:00:00Z (required)
 *   environment (env)                      (required)
 *   sha (commit, revision)                 7 to 64 hex digits; may be empty
 *   actor (deployer, deployed_by, user)    who or which service deployed (required)
 *   deployer_account_id (account_id)       the deployer's Atlassian account id, when known
 *   ref (branch), pr_title (title), message (commit_message)
 *   change_key (change_keys, key, issue_key) explicit keys; else the keys written in ref, PR title
 *                                          and message (`changeKeysIn`: KEY-123 as written, never guessed)
 */
import { z } from 'zod';
import { changeKeysIn, ShaSchema, type Deployment } from '../domain';
import { AppError } from '../shared/app-error';

/** A deployment from a log or the gate, with a stable id that names where it came from. */
export interface LoggedDeployment extends Deployment {
  /** `<file>:<line>` (CSV, JSON Lines), `<file>#<n>` (the n-th item of a JSON array, from 1), or the gate's call id. */
  id: string;
}

/** A deployment file that cannot be used; `problems` name the line or item of each bad row. */
export class DeploymentFileError extends AppError {
  readonly code = 'DEPLOYMENT_FILE';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
  }
}

const COLUMN_NAMES = {
  at: ['time', 'at', 'timestamp', 'deployedat', 'deploytime', 'datetime'],
  environment: ['environment', 'env'],
  sha: ['sha', 'commit', 'commitsha', 'revision', 'gitsha'],
  deployer: ['actor', 'deployer', 'deployedby', 'user', 'triggeredby'],
  deployerAccountId: ['deployeraccountid', 'accountid', 'actoraccountid'],
  ref: ['ref', 'branch', 'gitref'],
  prTitle: ['prtitle', 'pullrequesttitle', 'title'],
  message: ['message', 'commitmessage', 'msg'],
  keys: ['changekey', 'changekeys', 'key', 'keys', 'issuekey', 'issuekeys'],
} as const;
type Column = keyof typeof COLUMN_NAMES;
const REQUIRED: readonly Column[] = ['at', 'environment', 'deployer'];

const COLUMN_OF = new Map<string, Column>(Object.entries(COLUMN_NAMES).flatMap(([column, names]) => names.map((n) => [n, column as Column] as const)));
const normalize = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');
export const columnOf = (name: string): Column | undefined => COLUMN_OF.get(normalize(name));

const text = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined || issue.input === null ? 'missing' : 'expected text') })
    .trim()
    .max(max, `too long (at most ${max} characters)`);
const optionalText = (max: number) =>
  z
    .string({ error: 'expected text' })
    .max(max, `too long (at most ${max} characters)`)
    .nullish()
    .transform((v) => (v?.trim() ? v.trim() : null));

/** One row as read (strings), before it becomes a `Deployment`. */
const LogRowSchema = z.object({
  at: text(64).pipe(z.iso.datetime({ offset: true, error: 'use an ISO 8601 time with a zone, e.g. 2026-03-02T10:00:00Z' })),
  environment: text(100).min(1, 'empty (name the environment)'),
  sha: optionalText(64).pipe(ShaSchema.nullable()),
  deployer: text(200).min(1, 'empty (name who or which service deployed)'),
  deployerAccountId: optionalText(128),
  ref: optionalText(1_000),
  prTitle: optionalText(2_000),
  message: optionalText(10_000),
  keys: z.union([z.string(), z.array(z.string())], { error: 'expected text or a list of keys' }).nullish(),
});
type RawRow = Partial<Record<Column, unknown>>;

/** Where a row stands in its file, as the messages and ids say it. */
interface RowPlace {
  /** `line 12` or `item 3`. */
  label: string;
  id: string;
}

/** The deployment of one row, or its problems (each `column: problem`). */
export const deploymentOfRow = (raw: RawRow, id: string, label: (column: Column) => string = (c) => c): LoggedDeployment | string[] => {
  const parsed = LogRowSchema.safeParse(raw);
  if (!parsed.success) return parsed.error.issues.map((i) => `${label(String(i.path[0] ?? 'row') as Column)}: ${i.message}`);
  const row = parsed.data;
  const explicit = Array.isArray(row.keys) ? row.keys.join(' ') : (row.keys ?? '');
  let changeKeys: string[];
  if (explicit.trim()) {
    changeKeys = changeKeysIn(explicit);
    if (!changeKeys.length) return [`${label('keys')}: "${explicit.trim().slice(0, 40)}" names no issue key such as CHG-123`];
  } else {
    changeKeys = changeKeysIn(row.ref, row.prTitle, row.message);
  }
  return { id, at: new Date(row.at), environment: row.environment, sha: row.sha, deployer: row.deployer, deployerAccountId: row.deployerAccountId, changeKeys };
};

const MAX_PROBLEMS = 20;

class Problems {
  readonly list: string[] = [];
  more = 0;
  add(place: string, problems: readonly string[]) {
    if (this.list.length >= MAX_PROBLEMS) this.more += 1;
    else this.list.push(`${place}: ${problems.join(', ')}`);
  }
  throwIfAny(file: string) {
    if (this.list.length) throw new DeploymentFileError(file, this.more ? [...this.list, `and ${this.more} more bad row(s)`] : this.list);
  }
}

/** A CSV record: its fields and the line it starts on (from 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records: comma-separated, fields in double quotes may hold commas, quotes (doubled) and
 * line breaks; CRLF, LF or CR line ends; blank lines skipped. Throws `DeploymentFileError` on a
 * quote left open or text after a closing quote.
 */
export function* csvRecords(file: string, content: string): Generator<CsvRecord> {
  const n = content.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      if (content.charCodeAt(i) === 34 /* " */) {
        let value = '';
        let from = i + 1;
        const openedOn = line;
        for (;;) {
          const quote = content.indexOf('"', from);
          if (quote < 0) throw new DeploymentFileError(file, [`line ${openedOn}: a quoted field is not closed`]);
          const chunk = content.slice(from, quote);
          for (let k = chunk.indexOf('\n'); k >= 0; k = chunk.indexOf('\n', k + 1)) line += 1;
          value += chunk;
          if (content.charCodeAt(quote + 1) === 34) {
            value += '"';
            from = quote + 2;
          } else {
            i = quote + 1;
            break;
          }
        }
        fields.push(value.replace(/\r\n?/g, '\n'));
        const next = content.charCodeAt(i);
        if (i < n && next !== 44 && next !== 10 && next !== 13) throw new DeploymentFileError(file, [`line ${line}: text after a closing quote (a quote inside a field must be doubled: "")`]);
      } else {
        let end = i;
        while (end < n) {
          const c = content.charCodeAt(end);
          if (c === 44 || c === 10 || c === 13) break;
          end += 1;
        }
        fields.push(content.slice(i, end));
        i = end;
      }
      const c = content.charCodeAt(i);
      if (c === 44) {
        i += 1;
      } else {
        endOfRecord = true;
        if (c === 13) i += content.charCodeAt(i + 1) === 10 ? 2 : 1;
        else if (c === 10) i += 1;
        if (i <= n && (c === 10 || c === 13)) line += 1;
      }
    }
    if (fields.length === 1 && fields[0] === '') continue;
    yield { line: startLine, fields };
  }
}

const stripBom = (content: string): string => (content.charCodeAt(0) === 0xfeff ? content.slice(1) : content);

/** The file's name as ids use it: its last path segment, so ids do not depend on where it was read from. */
export const idStem = (name: string): string => name.split(/[\\/]/).pop() || name;

export const parseDeploymentCsv = (file: string, content: string): LoggedDeployment[] => {
  const records = csvRecords(file, stripBom(content));
  const header = records.next();
  if (header.done) throw new DeploymentFileError(file, ['empty: a header row (time, environment, sha, actor, ...) and one row per deployment expected']);
  const columns: (Column | undefined)[] = header.value.fields.map(columnOf);
  const labels = new Map<Column, string>();
  const headerProblems: string[] = [];
  columns.forEach((column, index) => {
    if (!column) return;
    const name = header.value.fields[index]!.trim();
    if (labels.has(column)) headerProblems.push(`columns "${labels.get(column)}" and "${name}" both give the ${column === 'at' ? 'time' : column}`);
    else labels.set(column, name);
  });
  const missing = REQUIRED.filter((c) => !labels.has(c));
  if (missing.length) headerProblems.push(`the header has no ${missing.map((c) => `${COLUMN_NAMES[c][0]} column (or ${COLUMN_NAMES[c].slice(1, 3).join(', ')})`).join(', no ')}`);
  if (headerProblems.length) throw new DeploymentFileError(file, [`line ${header.value.line}: ${headerProblems.join('; ')}`]);

  const stem = idStem(file);
  const problems = new Problems();
  const out: LoggedDeployment[] = [];
  const width = columns.length;
  for (const record of records) {
    if (record.fields.length !== width) {
      problems.add(`line ${record.line}`, [`${record.fields.length} field(s) where the header has ${width}`]);
      continue;
    }
    const raw: RawRow = {};
    for (let c = 0; c < width; c += 1) {
      const column = columns[c];
      if (column) raw[column] = record.fields[c];
    }
    const row = deploymentOfRow(raw, `${stem}:${record.line}`, (c) => labels.get(c) ?? c);
    if (Array.isArray(row)) problems.add(`line ${record.line}`, row);
    else out.push(row);
  }
  problems.throwIfAny(file);
  return out;
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object's properties by column; unknown properties are ignored (pipelines add their own). */
const rawOfObject = (value: Record<string, unknown>): { raw: RawRow; names: Map<Column, string>; clash: string | null } => {
  const raw: RawRow = {};
  const names = new Map<Column, string>();
  let clash: string | null = null;
  for (const [name, v] of Object.entries(value)) {
    const column = columnOf(name);
    if (!column) continue;
    if (names.has(column)) clash ??= `"${names.get(column)}" and "${name}" both give the ${column === 'at' ? 'time' : column}`;
    names.set(column, name);
    raw[column] = v;
  }
  return { raw, names, clash };
};

const deploymentOfItem = (item: unknown, place: RowPlace): LoggedDeployment | string[] => {
  if (!isObject(item)) return ['not an object'];
  const { raw, names, clash } = rawOfObject(item);
  if (clash) return [clash];
  return deploymentOfRow(raw, place.id, (c) => names.get(c) ?? COLUMN_NAMES[c][0]);
};

const jsonError = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

export const parseDeploymentJson = (file: string, content: string): LoggedDeployment[] => {
  const body = stripBom(content);
  const stem = idStem(file);
  let whole: unknown;
  let parsedWhole = false;
  try {
    whole = JSON.parse(body);
    parsedWhole = true;
  } catch (cause) {
    if (body.trimStart().startsWith('[')) throw new DeploymentFileError(file, [`not valid JSON (${jsonError(cause)})`]);
  }
  const items = parsedWhole ? (Array.isArray(whole) ? whole : isObject(whole) && Array.isArray(whole.deployments) ? whole.deployments : null) : null;
  const problems = new Problems();
  const out: LoggedDeployment[] = [];
  if (items) {
    items.forEach((item: unknown, index: number) => {
      const label = `item ${index + 1}`;
      const row = deploymentOfItem(item, { label, id: `${stem}#${index + 1}` });
      if (Array.isArray(row)) problems.add(label, row);
      else out.push(row);
    });
  } else if (parsedWhole && !isObject(whole)) {
    throw new DeploymentFileError(file, ['expected an array of deployments, {"deployments": [...]}, or JSON Lines (one object a line)']);
  } else {
    // JSON Lines (a single object is one line of it).
    let start = 0;
    let line = 0;
    while (start <= body.length) {
      const newline = body.indexOf('\n', start);
      const end = newline < 0 ? body.length : newline;
      line += 1;
      const text = body.slice(start, end).trim();
      start = end + 1;
      if (!text) continue;
      let item: unknown;
      try {
        item = JSON.parse(text);
      } catch (cause) {
        problems.add(`line ${line}`, [`not valid JSON (${jsonError(cause)})`]);
        continue;
      }
      const row = deploymentOfItem(item, { label: `line ${line}`, id: `${stem}:${line}` });
      if (Array.isArray(row)) problems.add(`line ${line}`, row);
      else out.push(row);
    }
  }
  problems.throwIfAny(file);
  return out;
};

/** CSV or JSON, by the file's ending (.csv; .json, .jsonl, .ndjson), else by its first character. */
export const parseDeploymentFile = (file: string, content: string): LoggedDeployment[] => {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return parseDeploymentCsv(file, content);
  if (/\.(json|jsonl|ndjson)$/.test(lower)) return parseDeploymentJson(file, content);
  const first = stripBom(content).trimStart()[0];
  return first === '[' || first === '{' ? parseDeploymentJson(file, content) : parseDeploymentCsv(file, content);
};
