// The "Auditor evidence" section's logic, kept out of React: the three export resolvers (answers
// read with the export contract's schemas), the form (validated with StartExportPayloadSchema),
// the job's progress in words, the file list and the downloaded file. Pure TypeScript: no DOM, no
// bridge (tested in test/static/admin-page).
import { ADMIN_ERROR_CODES, type AdminError, type AdminResult, type FieldError } from '../../../src/shared/admin-contract';
import {
  DownloadExportResultSchema,
  ExportStatusResultSchema,
  ExportStatusSchema,
  MAX_EXPORT_SAMPLE,
  StartExportPayloadSchema,
  type DownloadExportResult,
  type ExportFile,
  type ExportStatus,
  type StartExportPayload,
} from '../../../src/shared/export-contract';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import type { Tone } from '../../shared/view-format';
import { resolverCall, type AdminInvoke } from './admin-model';

/** How often a running job is polled. */
export const POLL_INTERVAL_MS = 2_000;
/** Polls in a row that may fail (network, 500) before the section stops and offers "Check again". */
export const MAX_POLL_FAILURES = 5;
export const MAX_SEED = 0xffff_ffff;

// ---- the resolvers

/** The three export resolvers, each answering an AdminResult; never rejects (a failed call is UNREACHABLE). */
export interface ExportApi {
  getEvidenceExport: () => Promise<AdminResult<ExportStatus | null>>;
  startEvidenceExport: (payload: StartExportPayload) => Promise<AdminResult<ExportStatus>>;
  downloadEvidenceExport: (payload: { jobId: string; file: string }) => Promise<AdminResult<DownloadExportResult>>;
}

export const createExportApi = (invoke: AdminInvoke): ExportApi => {
  const call = resolverCall(invoke);
  const keys = RESOLVER_KEYS.admin;
  return {
    getEvidenceExport: () => call(keys.getEvidenceExport, {}, ExportStatusResultSchema.transform((d) => d.job), 'the export status'),
    startEvidenceExport: (payload) => call(keys.startEvidenceExport, payload, ExportStatusSchema, 'the export start'),
    downloadEvidenceExport: (payload) => call(keys.downloadEvidenceExport, payload, DownloadExportResultSchema, 'the download'),
  };
};

/** Errors after which polling stops at once (they will not go away by asking again). */
const FINAL_ERRORS: readonly string[] = [ADMIN_ERROR_CODES.forbidden, ADMIN_ERROR_CODES.unlicensed, 'BAD_RESPONSE'];

/** A running job with no progress for this long may have stopped; the resolver then lets a new one start. */
export const STALLED_AFTER_MS = 15 * 60_000;
export const isStalled = (job: ExportStatus, now: Date): boolean => job.state === 'running' && now.getTime() - Date.parse(job.updatedAt) > STALLED_AFTER_MS;

/** Whether to ask again in POLL_INTERVAL_MS: while the job runs (and has not stalled), and after a few passing failures. */
export const shouldPoll = (last: { job: ExportStatus | null } | { error: AdminError; failures: number }, now: Date): boolean =>
  'job' in last ? last.job?.state === 'running' && !isStalled(last.job, now) : last.failures < MAX_POLL_FAILURES && !FINAL_ERRORS.includes(last.error.code);

// ---- the form

/** The form as the admin edits it (inputs hold strings). */
export interface ExportForm {
  from: string;
  to: string;
  jql: string;
  size: string;
  seed: string;
}
export type ExportFormKey = keyof ExportForm;
export const EXPORT_FORM_KEYS: readonly ExportFormKey[] = ['from', 'to', 'jql', 'size', 'seed'];

/** The dotted path of a form control (its DOM id is controlId(path): "cc81-export-from"). */
export const exportPath = (key: ExportFormKey): string => `export.${key}`;

export const DEFAULT_SAMPLE_SIZE = 25;

/** A seed from 0 to 4294967295 out of a random number in [0, 1). */
export const seedFrom = (random: number): number => Math.min(MAX_SEED, Math.max(0, Math.floor(random * (MAX_SEED + 1))));

/** "2026-12-01": the calendar date of `now` in `timeZone`. */
export const dateIn = (now: Date, timeZone: string): string => {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
};

/** The form a page opens with: this year so far (in the viewer's zone), 25 tickets, a fresh seed. */
export const defaultExportForm = (now: Date, timeZone: string, seed: number): ExportForm => {
  const today = dateIn(now, timeZone);
  return { from: `${today.slice(0, 4)}-01-01`, to: today, jql: '', size: String(DEFAULT_SAMPLE_SIZE), seed: String(seed) };
};

const WHOLE = /^\s*\d+\s*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date (the schema checks only the shape, so 2026-02-31 would pass it). */
const isCalendarDate = (text: string): boolean => {
  if (!DATE.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** Checks the schema cannot phrase well; they replace the schema's errors on the same control. */
const formChecks = (form: ExportForm): FieldError[] => {
  const errors: FieldError[] = [];
  for (const key of ['from', 'to'] as const) {
    if (!form[key].trim()) errors.push({ path: exportPath(key), message: key === 'from' ? 'Enter the first day of the period' : 'Enter the last day of the period' });
    else if (DATE.test(form[key]) && !isCalendarDate(form[key])) errors.push({ path: exportPath(key), message: 'This day is not in the calendar' });
  }
  if (!WHOLE.test(form.size)) errors.push({ path: exportPath('size'), message: `Enter a whole number from 1 to ${MAX_EXPORT_SAMPLE}` });
  if (!WHOLE.test(form.seed)) errors.push({ path: exportPath('seed'), message: `Enter a whole number from 0 to ${MAX_SEED}` });
  return errors;
};

/** The payload the form describes (what StartExportPayloadSchema reads); an empty JQL is left out. */
export const payloadFromForm = (form: ExportForm): Record<string, unknown> => {
  const jql = form.jql.trim();
  return {
    from: form.from.trim(),
    to: form.to.trim(),
    ...(jql ? { jql } : {}),
    size: WHOLE.test(form.size) ? Number(form.size) : Number.NaN,
    seed: WHOLE.test(form.seed) ? Number(form.seed) : Number.NaN,
  };
};

const isFormKey = (key: unknown): key is ExportFormKey => typeof key === 'string' && (EXPORT_FORM_KEYS as readonly string[]).includes(key);

export type ExportFormValidation = { ok: true; payload: StartExportPayload } | { ok: false; errors: FieldError[] };

/** Validates with the contract's StartExportPayloadSchema (what the resolver runs), plus the form's own checks. */
export const validateExportForm = (form: ExportForm): ExportFormValidation => {
  const local = formChecks(form);
  const parsed = StartExportPayloadSchema.safeParse(payloadFromForm(form));
  if (parsed.success && local.length === 0) return { ok: true, payload: parsed.data };
  const claimed = new Set(local.map((e) => e.path));
  const schemaErrors = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: isFormKey(issue.path[0]) ? exportPath(issue.path[0]) : 'export', message: issue.message })).filter((e) => !claimed.has(e.path));
  return { ok: false, errors: [...local, ...schemaErrors] };
};

/** The server's field errors (INVALID_PAYLOAD may carry them by payload key): on the form's controls, and the rest in words. */
export const serverFieldErrors = (error: AdminError): { placed: FieldError[]; other: string[] } => {
  const all = error.fieldErrors ?? [];
  const keyOf = (path: string) => path.split('.')[0];
  return {
    placed: all.flatMap((e) => {
      const key = keyOf(e.path);
      return isFormKey(key) ? [{ path: exportPath(key), message: e.message }] : [];
    }),
    other: all.filter((e) => !isFormKey(keyOf(e.path))).map((e) => `${e.path}: ${e.message}`),
  };
};

/** What the admin is told when the start is refused. */
export const startRefusal = (error: AdminError): { tone: Tone; text: string } => {
  switch (error.code) {
    case ADMIN_ERROR_CODES.exportRunning:
      return { tone: 'warning', text: `An evidence export is already running: ${error.message} Its progress is shown below; start a new one when it is done.` };
    case ADMIN_ERROR_CODES.notReady:
      return { tone: 'warning', text: `The export needs the setup first: ${error.message}` };
    default:
      return { tone: 'danger', text: `The export was not started: ${error.message}` };
  }
};

/** The default JQL as the hint shows it (the resolver's default: the policy's project and issue type). */
export const defaultJql = (scope: { projectKey: string; issueTypeName: string } | null): string | null =>
  scope ? `project = "${scope.projectKey}" AND issuetype = "${scope.issueTypeName}"` : null;

// ---- the job's progress

const DAY_MS = 86_400_000;
const UTC_MIDNIGHT = /^(\d{4}-\d{2}-\d{2})T00:00(:00(\.0+)?)?(Z|\+00:00)$/;

/**
 * A job's period in words, `to` inclusive. The job may carry the dates as sent (2026-06-30) or as
 * the half-open UTC interval it runs on (to = 2026-07-01T00:00:00.000Z, exclusive).
 */
export const periodText = (spec: Pick<ExportStatus['spec'], 'from' | 'to'>): string => {
  const from = UTC_MIDNIGHT.exec(spec.from)?.[1] ?? spec.from;
  const end = UTC_MIDNIGHT.exec(spec.to)?.[1];
  if (DATE.test(spec.to)) return `${from} to ${spec.to} (inclusive, UTC)`;
  if (end) return `${from} to ${new Date(Date.parse(`${end}T00:00:00.000Z`) - DAY_MS).toISOString().slice(0, 10)} (inclusive, UTC)`;
  return `${from} up to ${spec.to}`;
};

/** How many tickets the sample holds (the whole population when it is smaller). */
export const sampleCount = (job: ExportStatus): number => job.progress.packsTotal ?? Math.min(job.spec.size, job.population?.count ?? job.spec.size);

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Where the job is, in one sentence (the aria-live line). */
export const progressText = (job: ExportStatus): string => {
  const p = job.progress;
  if (job.state === 'failed') return `The export failed: ${job.error ?? 'the app did not say why.'}`;
  if (job.state === 'done') {
    const count = job.population?.count ?? p.inPeriod;
    if (count === 0) return 'Finished, but the population is empty: no change ticket matched the JQL in the period. Check the period and the JQL (and that the tickets are of the policy’s issue type) before you hand this to an auditor.';
    return `Done: ${plural(count, 'ticket')} in the population, ${plural(p.packsDone, 'evidence pack')} built.`;
  }
  switch (job.phase) {
    case 'population':
      return `Reading the population: ${plural(p.pagesRead, 'page')}, ${plural(p.ticketsRead, 'ticket')} read, ${p.inPeriod} in the period.`;
    case 'sample':
      return `Drawing the sample: ${Math.min(job.spec.size, job.population?.count ?? p.inPeriod)} of ${plural(job.population?.count ?? p.inPeriod, 'ticket')} in the period.`;
    case 'packs':
      return p.packsTotal === null ? `Building evidence packs: ${p.packsDone} built.` : `Building evidence packs: ${p.packsDone} of ${p.packsTotal}.`;
    case 'done':
      return 'Finishing the export…';
  }
};

export type StepStatus = 'done' | 'current' | 'failed' | 'pending';
const PHASES = ['population', 'sample', 'packs'] as const;
const STEP_LABELS: Record<(typeof PHASES)[number], string> = { population: 'Read the population', sample: 'Draw the sample', packs: 'Build the evidence packs' };

/** The three steps with where the job is on each. */
export const exportSteps = (job: ExportStatus): { label: string; status: StepStatus }[] => {
  const at = job.phase === 'done' ? PHASES.length : PHASES.indexOf(job.phase);
  return PHASES.map((phase, i) => ({
    label: STEP_LABELS[phase],
    status: job.state === 'done' || i < at ? 'done' : i > at ? 'pending' : job.state === 'failed' ? 'failed' : 'current',
  }));
};

export const STEP_VERDICTS: Record<StepStatus, { icon: string; label: string }> = {
  done: { icon: '✓', label: 'done' },
  current: { icon: '▶', label: 'in progress' },
  failed: { icon: '✕', label: 'failed' },
  pending: { icon: '–', label: 'not started' },
};

/** A determinate bar while packs are built (their number is known then); null otherwise. */
export const progressBar = (job: ExportStatus): { value: number; max: number } | null =>
  job.state === 'running' && job.phase === 'packs' && job.progress.packsTotal ? { value: Math.min(job.progress.packsDone, job.progress.packsTotal), max: job.progress.packsTotal } : null;

/** The exceptions summary of a finished job. */
export const summaryText = (summary: NonNullable<ExportStatus['summary']>): { tone: Tone; text: string } => {
  const found =
    summary.exceptions === 0
      ? 'No exceptions in the population.'
      : `${plural(summary.exceptions, 'exception')} in ${plural(summary.ticketsWithExceptions, 'ticket')} of the population.`;
  const unreadable = summary.unreadable === 0 ? '' : ` ${plural(summary.unreadable, 'ticket')} could not be audited (unreadable fields); the index names the sampled ones.`;
  return { tone: summary.unreadable > 0 || summary.exceptions > 0 ? 'warning' : 'ok', text: `${found}${unreadable}` };
};

// ---- the files

const FILE_DESCRIPTIONS: Record<string, string> = {
  'index.html': 'the evidence index: start here',
  'index.json': 'the index as JSON',
  'population.json': 'the completeness record: every ticket of the population and the hash',
  'sample.json': 'the sample, its seed and how it was drawn',
  'audit-summary.json': 'the exceptions of the whole population, counted by finding',
};
export const fileDescription = (name: string): string | null => FILE_DESCRIPTIONS[name] ?? null;

export interface ExportFiles {
  /** The export's own files, index.html first. */
  main: ExportFile[];
  /** The per-ticket files (in a folder, e.g. tickets/CHG-1.html), by ticket, in key order, page before JSON. */
  packs: { ticket: string; files: ExportFile[] }[];
}

const baseName = (name: string): string => name.slice(name.lastIndexOf('/') + 1);
const stemOf = (name: string): string => baseName(name).replace(/\.[^.]*$/, '');
const naturalOrder = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

export const groupExportFiles = (files: readonly ExportFile[]): ExportFiles => {
  const main = files.filter((f) => !f.name.includes('/'));
  const byTicket = new Map<string, ExportFile[]>();
  for (const file of files.filter((f) => f.name.includes('/'))) byTicket.set(stemOf(file.name), [...(byTicket.get(stemOf(file.name)) ?? []), file]);
  const htmlFirst = (a: ExportFile, b: ExportFile) => Number(b.contentType === 'text/html') - Number(a.contentType === 'text/html') || naturalOrder(a.name, b.name);
  return {
    main: [...main.filter((f) => f.name === 'index.html'), ...main.filter((f) => f.name !== 'index.html')],
    packs: [...byTicket.entries()].sort(([a], [b]) => naturalOrder(a, b)).map(([ticket, list]) => ({ ticket, files: [...list].sort(htmlFirst) })),
  };
};

/** The name a file is saved under: its last path segment ("tickets/CHG-1.json" → "CHG-1.json"). */
export const saveName = (name: string): string => baseName(name) || 'evidence';

/** The file to save, once the answer is checked to be the file that was asked for. */
export const fileToSave = (asked: string, answer: DownloadExportResult): AdminResult<{ fileName: string; contentType: string; content: string }> =>
  answer.name === asked
    ? { ok: true, data: { fileName: saveName(asked), contentType: answer.contentType, content: answer.content } }
    : { ok: false, error: { code: 'BAD_RESPONSE', message: `The app sent ${answer.name} instead of ${asked}. Try the download again.` } };
