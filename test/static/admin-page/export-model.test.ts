import fc from 'fast-check';
import { ADMIN_ERROR_CODES } from '../../../src/shared/admin-contract';
import { MAX_EXPORT_SAMPLE, StartExportPayloadSchema } from '../../../src/shared/export-contract';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import { UNREACHABLE, type AdminKey } from '../../../static/admin-page/src/admin-model';
import {
  MAX_POLL_FAILURES,
  MAX_SEED,
  createExportApi,
  dateIn,
  defaultExportForm,
  defaultJql,
  exportSteps,
  fileToSave,
  groupExportFiles,
  isStalled,
  payloadFromForm,
  periodText,
  progressBar,
  progressText,
  sampleCount,
  saveName,
  seedFrom,
  serverFieldErrors,
  shouldPoll,
  startRefusal,
  summaryText,
  validateExportForm,
  type ExportForm,
} from '../../../static/admin-page/src/export-model';
import { doneExportJob, EXPORT_FILES, exportJob, fail, ok } from './fixtures';

const KEYS = RESOLVER_KEYS.admin;
const AT = new Date('2026-12-01T19:00:30.000Z');
const FORM: ExportForm = { from: '2026-01-01', to: '2026-06-30', jql: '', size: '25', seed: '42' };

describe('validateExportForm (the contract’s StartExportPayloadSchema plus the form’s own checks)', () => {
  it('accepts a valid form and leaves an empty JQL out (the resolver then takes the policy’s tickets)', () => {
    expect(validateExportForm(FORM)).toEqual({ ok: true, payload: { from: '2026-01-01', to: '2026-06-30', size: 25, seed: 42 } });
    expect(validateExportForm({ ...FORM, jql: '  project = OPS  ' })).toEqual({ ok: true, payload: { from: '2026-01-01', to: '2026-06-30', jql: 'project = OPS', size: 25, seed: 42 } });
  });

  it('accepts the bounds of size and seed, and a one-day period', () => {
    expect(validateExportForm({ ...FORM, size: '1', seed: '0', to: FORM.from }).ok).toBe(true);
    expect(validateExportForm({ ...FORM, size: String(MAX_EXPORT_SAMPLE), seed: String(MAX_SEED) }).ok).toBe(true);
  });

  it.each<[string, Partial<ExportForm>, string, RegExp]>([
    ['no start', { from: '' }, 'export.from', /first day of the period/],
    ['no end', { to: '' }, 'export.to', /last day of the period/],
    ['a start that is no date', { from: '01/02/2026' }, 'export.from', /Use a date such as 2026-01-01/],
    ['a day not in the calendar', { to: '2026-02-30' }, 'export.to', /not in the calendar/],
    ['an end before the start', { from: '2026-07-01' }, 'export.to', /end on or after its start/],
    ['a sample of 0', { size: '0' }, 'export.size', /at least 1/],
    ['a sample above the cap', { size: String(MAX_EXPORT_SAMPLE + 1) }, 'export.size', new RegExp(`at most ${MAX_EXPORT_SAMPLE}`)],
    ['a sample that is no number', { size: '2.5' }, 'export.size', /whole number from 1 to/],
    ['an empty sample', { size: '' }, 'export.size', /whole number from 1 to/],
    ['a negative seed', { seed: '-1' }, 'export.seed', /whole number from 0 to 4294967295/],
    ['a seed above 32 bits', { seed: String(MAX_SEED + 1) }, 'export.seed', /seed from 0 to 4294967295/],
    ['a JQL over 2000 characters', { jql: 'x'.repeat(2_001) }, 'export.jql', /2000/],
  ])('refuses %s, on its control', (_, patch, path, message) => {
    const checked = validateExportForm({ ...FORM, ...patch });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    const mine = checked.errors.filter((e) => e.path === path);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.message).toMatch(message);
    expect(checked.errors.every((e) => e.path === path)).toBe(true);
  });

  it('agrees with the schema on every payload the form sends (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: MAX_EXPORT_SAMPLE + 5 }), fc.integer({ min: -5, max: MAX_SEED + 5 }), (size, seed) => {
        const form = { ...FORM, size: String(size), seed: String(seed) };
        expect(validateExportForm(form).ok).toBe(StartExportPayloadSchema.safeParse(payloadFromForm(form)).success);
      }),
    );
  });
});

describe('the form’s defaults and seeds', () => {
  it('opens on this year so far, in the viewer’s zone', () => {
    // 23:30 UTC on 31 Dec is already 1 Jan in Berlin.
    const now = new Date('2026-12-31T23:30:00.000Z');
    expect(dateIn(now, 'UTC')).toBe('2026-12-31');
    expect(dateIn(now, 'Europe/Berlin')).toBe('2027-01-01');
    expect(defaultExportForm(now, 'UTC', 7)).toEqual({ from: '2026-01-01', to: '2026-12-31', jql: '', size: '25', seed: '7' });
    expect(defaultExportForm(now, 'Europe/Berlin', 7)).toMatchObject({ from: '2027-01-01', to: '2027-01-01' });
    expect(validateExportForm(defaultExportForm(now, 'Europe/Berlin', 7)).ok).toBe(true);
  });

  it('hints the default JQL from the policy’s scope', () => {
    expect(defaultJql({ projectKey: 'CHG', issueTypeName: 'Change' })).toBe('project = "CHG" AND issuetype = "Change"');
    expect(defaultJql(null)).toBeNull();
  });

  it('turns any random number in [0, 1) into a valid seed', () => {
    expect(seedFrom(0)).toBe(0);
    expect(seedFrom(0.5)).toBe(2 ** 31);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (r) => {
        const seed = seedFrom(r);
        expect(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED).toBe(true);
      }),
    );
  });
});

describe('the server’s refusals', () => {
  it('puts INVALID_PAYLOAD field errors on the form’s controls, and the others in words', () => {
    const errors = serverFieldErrors({ code: ADMIN_ERROR_CODES.invalidPayload, message: 'bad', fieldErrors: [{ path: 'to', message: 'Too late' }, { path: '(export)', message: 'Expected an object' }] });
    expect(errors).toEqual({ placed: [{ path: 'export.to', message: 'Too late' }], other: ['(export): Expected an object'] });
    expect(serverFieldErrors({ code: ADMIN_ERROR_CODES.invalidPayload, message: 'bad' })).toEqual({ placed: [], other: [] });
  });

  it.each([
    [ADMIN_ERROR_CODES.exportRunning, 'warning', /already running/],
    [ADMIN_ERROR_CODES.notReady, 'warning', /needs the setup first/],
    [ADMIN_ERROR_CODES.unlicensed, 'danger', /was not started/],
  ])('%s is told in words', (code, tone, text) => {
    const refusal = startRefusal({ code, message: 'The reason.' });
    expect(refusal.tone).toBe(tone);
    expect(refusal.text).toMatch(text);
    expect(refusal.text).toContain('The reason.');
  });
});

describe('the job’s progress in words', () => {
  it.each<[string, Parameters<typeof exportJob>[0], string]>([
    ['population', { progress: { pagesRead: 3, ticketsRead: 250, inPeriod: 120 } }, 'Reading the population: 3 pages, 250 tickets read, 120 in the period.'],
    ['population, first page', { progress: { pagesRead: 1, ticketsRead: 1, inPeriod: 0 } }, 'Reading the population: 1 page, 1 ticket read, 0 in the period.'],
    ['sample', { phase: 'sample', progress: { inPeriod: 120 } }, 'Drawing the sample: 25 of 120 tickets in the period.'],
    ['sample of a small population', { phase: 'sample', progress: { inPeriod: 4 } }, 'Drawing the sample: 4 of 4 tickets in the period.'],
    ['packs', { phase: 'packs', progress: { packsDone: 7, packsTotal: 25 } }, 'Building evidence packs: 7 of 25.'],
    ['packs, total unknown', { phase: 'packs', progress: { packsDone: 7 } }, 'Building evidence packs: 7 built.'],
    ['failed', { state: 'failed', phase: 'packs', error: 'Jira answered 429 five times; try again later.' }, 'The export failed: Jira answered 429 five times; try again later.'],
    ['failed without a reason', { state: 'failed', error: null }, 'The export failed: the app did not say why.'],
  ])('%s', (_, overrides, text) => {
    expect(progressText(exportJob(overrides))).toBe(text);
  });

  it('says what a finished job holds', () => {
    expect(progressText(doneExportJob())).toBe('Done: 120 tickets in the population, 2 evidence packs built.');
  });

  it.each([
    ['dates as sent', { from: '2026-01-01', to: '2026-06-30' }, '2026-01-01 to 2026-06-30 (inclusive, UTC)'],
    ['the half-open UTC interval the job runs on', { from: '2026-01-01T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z' }, '2026-01-01 to 2026-06-30 (inclusive, UTC)'],
    ['a year across New Year', { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00+00:00' }, '2026-01-01 to 2026-12-31 (inclusive, UTC)'],
    ['instants that are not midnight', { from: '2026-01-01T08:00:00.000Z', to: '2026-01-02T08:00:00.000Z' }, '2026-01-01T08:00:00.000Z up to 2026-01-02T08:00:00.000Z'],
  ])('states the period, to inclusive: %s', (_, spec, text) => {
    expect(periodText(spec)).toBe(text);
  });

  it('counts the sample as drawn, else as asked for within the population', () => {
    expect(sampleCount(doneExportJob())).toBe(2);
    expect(sampleCount(exportJob({ spec: { size: 25 }, population: { count: 4, hash: 'h' } }))).toBe(4);
    expect(sampleCount(exportJob({ spec: { size: 25 } }))).toBe(25);
  });

  it('marks the steps done, current, failed and not started', () => {
    expect(exportSteps(exportJob()).map((s) => s.status)).toEqual(['current', 'pending', 'pending']);
    expect(exportSteps(exportJob({ phase: 'packs' })).map((s) => s.status)).toEqual(['done', 'done', 'current']);
    expect(exportSteps(exportJob({ state: 'failed', phase: 'sample' })).map((s) => s.status)).toEqual(['done', 'failed', 'pending']);
    expect(exportSteps(doneExportJob()).map((s) => s.status)).toEqual(['done', 'done', 'done']);
  });

  it('shows a bar only while packs are built and their number is known', () => {
    expect(progressBar(exportJob({ phase: 'packs', progress: { packsDone: 3, packsTotal: 5 } }))).toEqual({ value: 3, max: 5 });
    expect(progressBar(exportJob({ phase: 'packs', progress: { packsDone: 3 } }))).toBeNull();
    expect(progressBar(exportJob())).toBeNull();
    expect(progressBar(doneExportJob())).toBeNull();
  });

  it('summarises the exceptions', () => {
    expect(summaryText({ exceptions: 0, ticketsWithExceptions: 0, unreadable: 0 })).toEqual({ tone: 'ok', text: 'No exceptions in the population.' });
    expect(summaryText({ exceptions: 3, ticketsWithExceptions: 1, unreadable: 2 })).toEqual({
      tone: 'warning',
      text: '3 exceptions in 1 ticket of the population. 2 tickets could not be audited (unreadable fields); the index names the sampled ones.',
    });
  });

  it('polls while the job runs, and after a few passing failures only', () => {
    expect(shouldPoll({ job: exportJob() }, AT)).toBe(true);
    expect(shouldPoll({ job: doneExportJob() }, AT)).toBe(false);
    expect(shouldPoll({ job: exportJob({ state: 'failed' }) }, AT)).toBe(false);
    expect(shouldPoll({ job: null }, AT)).toBe(false);
    // No progress for more than 15 minutes: the job may have stopped (the resolver lets a new one start then).
    expect(shouldPoll({ job: exportJob({ updatedAt: '2026-12-01T18:45:31.000Z' }) }, AT)).toBe(true);
    expect(shouldPoll({ job: exportJob({ updatedAt: '2026-12-01T18:45:29.000Z' }) }, AT)).toBe(false);
    expect(isStalled(exportJob({ updatedAt: '2026-12-01T18:45:29.000Z' }), AT)).toBe(true);
    expect(isStalled(doneExportJob({ updatedAt: '2026-01-01T00:00:00.000Z' }), AT)).toBe(false);
    expect(shouldPoll({ error: UNREACHABLE, failures: MAX_POLL_FAILURES - 1 }, AT)).toBe(true);
    expect(shouldPoll({ error: UNREACHABLE, failures: MAX_POLL_FAILURES }, AT)).toBe(false);
    expect(shouldPoll({ error: { code: ADMIN_ERROR_CODES.unlicensed, message: '' }, failures: 1 }, AT)).toBe(false);
    expect(shouldPoll({ error: { code: ADMIN_ERROR_CODES.forbidden, message: '' }, failures: 1 }, AT)).toBe(false);
  });
});

describe('the files', () => {
  it('lists index.html first, then the export’s files, and the packs by ticket in key order, page first', () => {
    const files = groupExportFiles(EXPORT_FILES);
    expect(files.main.map((f) => f.name)).toEqual(['index.html', 'population.json', 'index.json', 'sample.json', 'audit-summary.json']);
    expect(files.packs).toEqual([
      { ticket: 'CHG-2', files: [{ name: 'tickets/CHG-2.html', contentType: 'text/html' }, { name: 'tickets/CHG-2.json', contentType: 'application/json' }] },
      { ticket: 'CHG-10', files: [{ name: 'tickets/CHG-10.html', contentType: 'text/html' }, { name: 'tickets/CHG-10.json', contentType: 'application/json' }] },
    ]);
    expect(groupExportFiles([])).toEqual({ main: [], packs: [] });
  });

  it('saves under the file’s last path segment, only when the app sent the file asked for', () => {
    expect(saveName('tickets/CHG-2.json')).toBe('CHG-2.json');
    expect(saveName('index.html')).toBe('index.html');
    expect(saveName('tickets/')).toBe('evidence');
    expect(fileToSave('tickets/CHG-2.json', { name: 'tickets/CHG-2.json', contentType: 'application/json', content: '{}' })).toEqual({
      ok: true,
      data: { fileName: 'CHG-2.json', contentType: 'application/json', content: '{}' },
    });
    const wrong = fileToSave('index.html', { name: 'audit.json', contentType: 'application/json', content: '{}' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.message).toMatch(/sent audit\.json instead of index\.html/);
  });
});

describe('createExportApi', () => {
  const apiAnswering = (answer: unknown) => {
    const invoke = jest.fn<Promise<unknown>, [AdminKey, Record<string, unknown>?]>(async () => answer);
    return { invoke, api: createExportApi(invoke) };
  };

  it('calls the contract’s keys with the payload, and reads the latest job (or none)', async () => {
    const { invoke, api } = apiAnswering(ok({ job: null }));
    await expect(api.getEvidenceExport()).resolves.toEqual({ ok: true, data: null });
    expect(invoke).toHaveBeenLastCalledWith(KEYS.getEvidenceExport, {});
    const running = apiAnswering(ok({ job: exportJob() }));
    await expect(running.api.getEvidenceExport()).resolves.toEqual({ ok: true, data: exportJob() });

    const start = apiAnswering(ok(exportJob()));
    await expect(start.api.startEvidenceExport({ from: '2026-01-01', to: '2026-01-31', size: 5, seed: 1 })).resolves.toEqual({ ok: true, data: exportJob() });
    expect(start.invoke).toHaveBeenLastCalledWith(KEYS.startEvidenceExport, { from: '2026-01-01', to: '2026-01-31', size: 5, seed: 1 });

    const download = apiAnswering(ok({ name: 'index.html', contentType: 'text/html', content: '<html></html>' }));
    await expect(download.api.downloadEvidenceExport({ jobId: 'job-1', file: 'index.html' })).resolves.toMatchObject({ ok: true, data: { name: 'index.html' } });
    expect(download.invoke).toHaveBeenLastCalledWith(KEYS.downloadEvidenceExport, { jobId: 'job-1', file: 'index.html' });
  });

  it('passes the resolver’s errors on, and refuses answers outside the contract', async () => {
    await expect(apiAnswering(fail(ADMIN_ERROR_CODES.exportRunning, 'Still running.')).api.startEvidenceExport({ from: '2026-01-01', to: '2026-01-31', size: 5, seed: 1 })).resolves.toEqual({
      ok: false,
      error: { code: ADMIN_ERROR_CODES.exportRunning, message: 'Still running.' },
    });
    const bad = await apiAnswering(ok({ job: { jobId: 'job-1', state: 'paused' } })).api.getEvidenceExport();
    expect(bad.ok === false && bad.error.code).toBe('BAD_RESPONSE');
    const badType = await apiAnswering(ok({ name: 'a.exe', contentType: 'application/x-msdownload', content: '' })).api.downloadEvidenceExport({ jobId: 'j', file: 'a.exe' });
    expect(badType.ok === false && badType.error.code).toBe('BAD_RESPONSE');
  });

  it('turns a rejected invoke into UNREACHABLE', async () => {
    const api = createExportApi(async () => {
      throw new Error('network down');
    });
    await expect(api.getEvidenceExport()).resolves.toEqual({ ok: false, error: UNREACHABLE });
  });
});
