/** @jest-environment jsdom */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { TextDecoder as NodeTextDecoder, TextEncoder as NodeTextEncoder } from 'node:util';

// jsdom lacks the Encoding API every browser has; the zip builder uses it.
Object.assign(globalThis, { TextEncoder: globalThis.TextEncoder ?? NodeTextEncoder, TextDecoder: globalThis.TextDecoder ?? NodeTextDecoder });
import { ADMIN_ERROR_CODES } from '../../../src/shared/admin-contract';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import { AdminPageApp } from '../../../static/admin-page/src/admin-page-app';
import { createAdminApi, type AdminKey } from '../../../static/admin-page/src/admin-model';
import { fakeInvoke, settle } from './fake-invoke';
import { createExportApi, POLL_INTERVAL_MS } from '../../../static/admin-page/src/export-model';
import { ExportSection, type ExportTimer } from '../../../static/admin-page/src/export-section';
import { adminState, doneExportJob, EXPORT_FILES, EXPORT_HASH, EXPORT_JQL, exportJob, fail, ok, SCOPE } from './fixtures';

const KEYS = RESOLVER_KEYS.admin;
const FORMAT = { timeZone: 'Europe/Berlin', locale: 'en-GB' };
const NOW = () => new Date('2026-12-01T19:00:00.000Z');


/** A timer that runs nothing by itself: the test fires what is due. */
const manualTimer = () => {
  const pending = new Map<number, { run: () => void; ms: number }>();
  let next = 1;
  const timer: ExportTimer = {
    set: (run, ms) => {
      pending.set(next, { run, ms });
      return next++;
    },
    clear: (handle) => void pending.delete(handle as number),
  };
  const delays = () => [...pending.values()].map((t) => t.ms);
  /** Runs the timers waiting `ms`, and lets the answers they asked for arrive. */
  const fire = async (ms: number) => {
    const due = [...pending.entries()].filter(([, t]) => t.ms === ms);
    expect(due.length).toBeGreaterThan(0);
    for (const [id] of due) pending.delete(id);
    await act(async () => {
      for (const [, t] of due) t.run();
      await settle();
    });
  };
  return { timer, delays, fire };
};

const renderSection = async (answers: Partial<Record<AdminKey, unknown[]>>, options: { readOnly?: boolean } = {}) => {
  const bridge = fakeInvoke(answers);
  const clock = manualTimer();
  const view = render(
    <ExportSection api={createExportApi(bridge.invoke)} readOnly={options.readOnly ?? false} format={FORMAT} scope={SCOPE} timer={clock.timer} now={NOW} random={() => 0.25} />,
  );
  await act(settle);
  return { ...bridge, ...clock, ...view };
};

const click = async (element: HTMLElement) => {
  await act(async () => {
    fireEvent.click(element);
    await settle();
  });
};
const change = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const build = () => click(screen.getByRole('button', { name: 'Build evidence export' }));
const progress = () => screen.getByTestId('export-progress').textContent;

const readBlob = (blob: Blob): Promise<string> =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });

afterEach(cleanup);

describe('the admin page’s "Auditor evidence" section', () => {
  it('opens with this year so far, 25 tickets and a seed, and says when no export was built yet', async () => {
    await renderSection({ [KEYS.getEvidenceExport]: [ok({ job: null })] });
    expect(screen.getByTestId('export-none').textContent).toMatch(/No evidence export/);
    expect((screen.getByLabelText('Period from') as HTMLInputElement).value).toBe('2026-01-01');
    expect((screen.getByLabelText('Period to (inclusive)') as HTMLInputElement).value).toBe('2026-12-01');
    expect((screen.getByLabelText('Sample size') as HTMLInputElement).value).toBe('25');
    expect((screen.getByLabelText('Seed') as HTMLInputElement).value).toBe(String(2 ** 30));
    expect(screen.getByLabelText('JQL (optional)').getAttribute('aria-describedby')).toBe('cc81-export-jql-hint');
    expect(document.getElementById('cc81-export-jql-hint')?.textContent).toBe(
      'Leave empty for the policy’s change tickets: project = "CHG" AND issuetype = "Change". A ticket is in the period when it was created, or changed status, in it (UTC days).',
    );
  });

  it('shows field errors next to the fields and sends nothing until they are fixed', async () => {
    const bridge = await renderSection({ [KEYS.getEvidenceExport]: [ok({ job: null })], [KEYS.startEvidenceExport]: [ok(exportJob())] });
    change('Period from', '2026-07-01');
    change('Period to (inclusive)', '2026-06-30');
    change('Sample size', '0');
    change('Seed', '4294967296');
    await build();
    expect(screen.getByTestId('export-form-errors').textContent).toMatch(/not started/);
    expect(screen.getByTestId('error-export.to').textContent).toContain('The period must end on or after its start');
    expect(screen.getByTestId('error-export.size').textContent).toContain('Sample at least 1 ticket');
    expect(screen.getByTestId('error-export.seed').textContent).toContain('Use a seed from 0 to 4294967295');
    expect(screen.queryByTestId('error-export.from')).toBeNull();
    const size = screen.getByLabelText('Sample size');
    expect(size.getAttribute('aria-invalid')).toBe('true');
    expect(size.getAttribute('aria-describedby')).toContain('cc81-export-size-error');
    expect(document.activeElement).toBe(screen.getByLabelText('Period to (inclusive)'));
    expect(bridge.calls(KEYS.startEvidenceExport)).toHaveLength(0);

    change('Sample size', '5');
    expect(screen.queryByTestId('error-export.size')).toBeNull();
    change('Period to (inclusive)', '2026-12-31');
    await click(screen.getByRole('button', { name: 'New random seed' }));
    await build();
    expect(bridge.calls(KEYS.startEvidenceExport)).toEqual([{ from: '2026-07-01', to: '2026-12-31', size: 5, seed: 2 ** 30 }]);
    expect(screen.queryByTestId('export-form-errors')).toBeNull();
  });

  it('starts an export, polls it every 2 s while it runs, and offers the files and the hash when it is done', async () => {
    const bridge = await renderSection({
      [KEYS.getEvidenceExport]: [
        ok({ job: null }),
        ok({ job: exportJob({ progress: { pagesRead: 3, ticketsRead: 250, inPeriod: 120 } }) }),
        ok({ job: exportJob({ phase: 'packs', progress: { pagesRead: 3, ticketsRead: 250, inPeriod: 120, packsDone: 1, packsTotal: 2 } }) }),
        ok({ job: doneExportJob() }),
      ],
      [KEYS.startEvidenceExport]: [ok(exportJob())],
    });
    expect(bridge.delays()).toEqual([]);
    change('JQL (optional)', `  ${EXPORT_JQL}  `);
    await build();
    expect(bridge.calls(KEYS.startEvidenceExport)).toEqual([{ from: '2026-01-01', to: '2026-12-01', jql: EXPORT_JQL, size: 25, seed: 2 ** 30 }]);
    expect(progress()).toBe('Reading the population: 0 pages, 0 tickets read, 0 in the period.');
    expect(screen.getByTestId('export-progress').getAttribute('role')).toBe('status');
    expect(screen.getByTestId('export-progress').getAttribute('aria-live')).toBe('polite');
    expect((screen.getByRole('button', { name: 'Build evidence export' }) as HTMLButtonElement).disabled).toBe(true);
    expect(bridge.delays()).toEqual([POLL_INTERVAL_MS]);

    await bridge.fire(POLL_INTERVAL_MS);
    expect(progress()).toBe('Reading the population: 3 pages, 250 tickets read, 120 in the period.');
    await bridge.fire(POLL_INTERVAL_MS);
    expect(progress()).toBe('Building evidence packs: 1 of 2.');
    const bar = screen.getByRole('progressbar') as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([1, 2]);
    expect(screen.getByTestId('export-job').querySelector('li[data-status="current"]')?.textContent).toMatch(/Build the evidence packs/);
    await bridge.fire(POLL_INTERVAL_MS);
    expect(bridge.calls(KEYS.getEvidenceExport)).toHaveLength(4);

    // Done: polling stops; the record, the summary and every file are there, index.html first.
    expect(bridge.delays()).toEqual([]);
    expect(progress()).toBe('Done: 120 tickets in the population, 2 evidence packs built.');
    expect(screen.getByTestId('export-hash').textContent).toBe(EXPORT_HASH);
    expect(screen.getByTestId('export-count').textContent).toBe('120 tickets');
    expect(screen.getByTestId('export-jql').textContent).toBe(EXPORT_JQL);
    expect(screen.getByTestId('export-record').textContent).toMatch(/Period2026-01-01 to 2026-06-30 \(inclusive, UTC\)/);
    expect(screen.getByTestId('export-record').textContent).toMatch(/Sample2 tickets \(asked for 2\), seed 42/);
    expect(screen.getByTestId('export-exceptions').textContent).toBe('3 exceptions in 2 tickets of the population. 1 ticket could not be audited (unreadable fields); the index names the sampled ones.');
    const buttons = screen.getAllByTestId('download-file').map((b) => b.getAttribute('data-file'));
    expect(buttons).toEqual(['index.html', 'population.json', 'index.json', 'sample.json', 'audit-summary.json', 'tickets/CHG-2.html', 'tickets/CHG-2.json', 'tickets/CHG-10.html', 'tickets/CHG-10.json']);
    const packs = screen.getByTestId('export-packs');
    expect(packs.tagName).toBe('DETAILS');
    expect(packs.querySelector('summary')?.textContent).toBe('Evidence packs (2 tickets)');
    expect((screen.getByRole('button', { name: 'Build evidence export' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('picks up a job that is already running when the page opens', async () => {
    const bridge = await renderSection({ [KEYS.getEvidenceExport]: [ok({ job: exportJob({ phase: 'sample', progress: { inPeriod: 40 } }) }), ok({ job: doneExportJob() })] });
    expect(progress()).toBe('Drawing the sample: 25 of 40 tickets in the period.');
    expect(bridge.delays()).toEqual([POLL_INTERVAL_MS]);
    await bridge.fire(POLL_INTERVAL_MS);
    expect(screen.getByTestId('export-job').getAttribute('data-state')).toBe('done');
  });

  it('stops polling a job without progress for 15 minutes, and lets a new one start', async () => {
    const bridge = await renderSection({
      [KEYS.getEvidenceExport]: [ok({ job: exportJob({ updatedAt: '2026-12-01T18:40:00.000Z', progress: { pagesRead: 2 } }) }), ok({ job: exportJob({ progress: { pagesRead: 3 } }) })],
    });
    expect(bridge.delays()).toEqual([]);
    expect(screen.getByTestId('export-stalled').textContent).toMatch(/no progress since 1 Dec 2026, 19:40 CET: it may have stopped/);
    expect((screen.getByRole('button', { name: 'Build evidence export' }) as HTMLButtonElement).disabled).toBe(false);
    await click(within(screen.getByTestId('export-stalled')).getByRole('button', { name: 'Check again' }));
    expect(screen.queryByTestId('export-stalled')).toBeNull();
    expect(progress()).toMatch(/3 pages/);
    expect(bridge.delays()).toEqual([POLL_INTERVAL_MS]);
  });

  it('shows a failed job with its error, and stops polling', async () => {
    const bridge = await renderSection({
      [KEYS.getEvidenceExport]: [ok({ job: null }), ok({ job: exportJob({ state: 'failed', phase: 'population', error: 'Jira refused the JQL: field "foo" does not exist. Fix the JQL and build again.' }) })],
      [KEYS.startEvidenceExport]: [ok(exportJob({ spec: { jql: 'foo = 1' } }))],
    });
    change('JQL (optional)', 'foo = 1');
    await build();
    await bridge.fire(POLL_INTERVAL_MS);
    expect(progress()).toBe('The export failed: Jira refused the JQL: field "foo" does not exist. Fix the JQL and build again.');
    expect(screen.getByTestId('export-progress').className).toContain('cc81-tone-danger');
    expect(screen.getByTestId('export-job').querySelector('li[data-status="failed"]')?.textContent).toMatch(/Read the population/);
    expect(screen.queryAllByTestId('download-file')).toHaveLength(0);
    expect(bridge.delays()).toEqual([]);
    expect((screen.getByRole('button', { name: 'Build evidence export' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('says so when an export is already running, and follows that one', async () => {
    const theirs = exportJob({ jobId: 'job-9', phase: 'packs', progress: { packsDone: 4, packsTotal: 10 } });
    const bridge = await renderSection({
      [KEYS.getEvidenceExport]: [ok({ job: null }), ok({ job: theirs })],
      [KEYS.startEvidenceExport]: [fail(ADMIN_ERROR_CODES.exportRunning, 'An export started at 19:58 is still running.')],
    });
    await build();
    const notice = screen.getByTestId('export-running');
    expect(notice.textContent).toMatch(/already running: An export started at 19:58 is still running\./);
    expect(notice.getAttribute('role')).toBe('status');
    expect(progress()).toBe('Building evidence packs: 4 of 10.');
    expect(bridge.delays()).toEqual([POLL_INTERVAL_MS]);
  });

  it.each([
    [ADMIN_ERROR_CODES.notReady, 'Pick the project and map the statuses first.', /needs the setup first: Pick the project/],
    [ADMIN_ERROR_CODES.unlicensed, 'The app is not licensed on this site.', /not started: The app is not licensed/],
  ])('shows %s from the start as an alert', async (code, message, text) => {
    await renderSection({ [KEYS.getEvidenceExport]: [ok({ job: null })], [KEYS.startEvidenceExport]: [fail(code, message)] });
    await build();
    expect(screen.getByTestId('export-refused').textContent).toMatch(text);
    expect(screen.getByTestId('export-none').textContent).toBe('No evidence export has been built yet.');
    expect(screen.queryByTestId('export-job')).toBeNull();
  });

  it('puts the server’s INVALID_PAYLOAD field errors next to the fields', async () => {
    await renderSection({
      [KEYS.getEvidenceExport]: [ok({ job: null })],
      [KEYS.startEvidenceExport]: [{ ok: false, error: { code: ADMIN_ERROR_CODES.invalidPayload, message: 'The JQL is not valid.', fieldErrors: [{ path: 'jql', message: "Unknown field 'foo'" }] } }],
    });
    change('JQL (optional)', 'foo = 1');
    await build();
    expect(screen.getByTestId('error-export.jql').textContent).toContain("Unknown field 'foo'");
    expect(screen.getByTestId('export-refused').textContent).toContain('The JQL is not valid.');
    expect(document.activeElement).toBe(screen.getByLabelText('JQL (optional)'));
  });

  it('says in words an INVALID_PAYLOAD error that belongs to no field', async () => {
    await renderSection({
      [KEYS.getEvidenceExport]: [ok({ job: null })],
      [KEYS.startEvidenceExport]: [{ ok: false, error: { code: ADMIN_ERROR_CODES.invalidPayload, message: 'Some export settings are not valid.', fieldErrors: [{ path: '(export)', message: 'Expected an object' }] } }],
    });
    await build();
    expect(screen.getByTestId('export-refused').textContent).toBe('The export was not started: Some export settings are not valid. (export): Expected an object');
    expect(screen.queryAllByText(/Expected an object/)).toHaveLength(1);
  });

  it('downloads a file as a Blob with its name and type through an <a download>, and revokes the URL', async () => {
    const content = '{"key":"CHG-2","exceptions":[]}';
    const bridge = await renderSection({
      [KEYS.getEvidenceExport]: [ok({ job: doneExportJob() })],
      [KEYS.downloadEvidenceExport]: [ok({ name: 'tickets/CHG-2.json', contentType: 'application/json', content })],
    });
    const blobs: Blob[] = [];
    const create = jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:cc81-test/1';
    });
    const revoke = jest.fn();
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: revoke });
    const clicked: { download: string; href: string; inDocument: boolean }[] = [];
    const clickSpy = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ download: this.download, href: this.href, inDocument: this.isConnected });
    });
    try {
      await click(within(screen.getByTestId('export-packs')).getByRole('button', { name: 'Download tickets/CHG-2.json' }));
      expect(bridge.calls(KEYS.downloadEvidenceExport)).toEqual([{ jobId: 'job-1', file: 'tickets/CHG-2.json' }]);
      expect(blobs).toHaveLength(1);
      expect(blobs[0]!.type).toBe('application/json');
      await expect(readBlob(blobs[0]!)).resolves.toBe(content);
      expect(clicked).toEqual([{ download: 'CHG-2.json', href: 'blob:cc81-test/1', inDocument: true }]);
      expect(document.querySelector('a[download]')).toBeNull();
      expect(screen.getByTestId('download-saved').textContent).toBe('Saved CHG-2.json.');
      expect(revoke).not.toHaveBeenCalled();
      await bridge.fire(0);
      expect(revoke).toHaveBeenCalledWith('blob:cc81-test/1');
    } finally {
      clickSpy.mockRestore();
    }
  });

  it('downloads everything as one zip, the files in their folders so the index links resolve (issue 18)', async () => {
    const answers = EXPORT_FILES.map((f) => ok({ name: f.name, contentType: f.contentType, content: `content of ${f.name}` }));
    const bridge = fakeInvoke({ [KEYS.getEvidenceExport]: [ok({ job: doneExportJob() })], [KEYS.downloadEvidenceExport]: answers });
    const saved: { fileName: string; contentType: string; content: string | Uint8Array }[] = [];
    render(<ExportSection api={createExportApi(bridge.invoke)} readOnly={false} format={FORMAT} scope={SCOPE} timer={manualTimer().timer} now={NOW} random={() => 0.25} save={(file) => saved.push(file)} />);
    await act(settle);
    await click(screen.getByTestId('download-zip'));
    expect(screen.queryByTestId('download-error')?.textContent ?? null).toBeNull();
    expect(bridge.calls(KEYS.downloadEvidenceExport).map((c) => (c as { file: string }).file)).toEqual(EXPORT_FILES.map((f) => f.name));
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ fileName: 'cc81-evidence-job-1.zip', contentType: 'application/zip' });
    const bytes = saved[0]!.content as Uint8Array;
    // A zip: local headers, and each path stored as given (tickets/ inside the archive).
    expect([...bytes.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const text = new TextDecoder().decode(bytes);
    for (const file of EXPORT_FILES) expect(text).toContain(`content of ${file.name}`);
    expect(screen.getByTestId('download-saved').textContent).toBe(`Saved cc81-evidence-job-1.zip (${EXPORT_FILES.length} files). Open index.html inside it.`);
  });

  it('an export whose population is empty is a warning, not a green "Done", and offers no zip', async () => {
    await renderSection({ [KEYS.getEvidenceExport]: [ok({ job: doneExportJob({ population: { count: 0, hash: EXPORT_HASH }, progress: { inPeriod: 0, packsDone: 0, packsTotal: 0 } }) })] });
    expect(screen.getByTestId('export-progress').className).toContain('cc81-tone-warning');
    expect(progress()).toMatch(/the population is empty/);
    expect(screen.queryByTestId('download-zip')).toBeNull();
  });

  it('shows why a download failed, and refuses a file the app did not ask for', async () => {
    const save = jest.fn();
    const bridge = fakeInvoke({
      [KEYS.getEvidenceExport]: [ok({ job: doneExportJob() })],
      [KEYS.downloadEvidenceExport]: [fail(ADMIN_ERROR_CODES.exportNotFound, 'This export is no longer stored. Build it again.'), ok({ name: 'audit.json', contentType: 'application/json', content: '{}' })],
    });
    render(<ExportSection api={createExportApi(bridge.invoke)} readOnly={false} format={FORMAT} scope={SCOPE} timer={manualTimer().timer} now={NOW} save={save} />);
    await act(settle);
    await click(screen.getByRole('button', { name: 'Download index.html' }));
    const error = screen.getByTestId('download-error');
    expect(error.textContent).toBe('index.html was not downloaded: This export is no longer stored. Build it again.');
    expect(error.getAttribute('role')).toBe('alert');
    // EXPORT_NOT_FOUND: the section asks again what the latest job is.
    expect(bridge.calls(KEYS.getEvidenceExport)).toHaveLength(2);
    await click(screen.getByRole('button', { name: 'Download index.html' }));
    expect(screen.getByTestId('download-error').textContent).toMatch(/sent audit\.json instead of index\.html/);
    expect(save).not.toHaveBeenCalled();
  });

  it('is read-only without a licence: the form is disabled, the last export can still be downloaded', async () => {
    const save = jest.fn();
    const bridge = fakeInvoke({
      [KEYS.getEvidenceExport]: [ok({ job: doneExportJob() })],
      [KEYS.downloadEvidenceExport]: [ok({ name: 'index.html', contentType: 'text/html', content: '<!doctype html><title>Evidence</title>' })],
    });
    render(<ExportSection api={createExportApi(bridge.invoke)} readOnly format={FORMAT} scope={null} timer={manualTimer().timer} now={NOW} save={save} />);
    await act(settle);
    expect(screen.getByTestId('export-read-only').textContent).toMatch(/needs an active licence/);
    for (const label of ['Period from', 'Period to (inclusive)', 'Sample size', 'Seed', 'JQL (optional)']) expect(screen.getByLabelText(label).matches(':disabled')).toBe(true);
    expect(screen.getByRole('button', { name: 'New random seed' }).matches(':disabled')).toBe(true);
    expect((screen.getByRole('button', { name: 'Build evidence export' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.submit(screen.getByTestId('export-form'));
    expect(bridge.calls(KEYS.startEvidenceExport)).toHaveLength(0);
    expect(document.getElementById('cc81-export-jql-hint')?.textContent).toMatch(/save the policy first/);
    await click(screen.getByRole('button', { name: 'Download index.html' }));
    expect(save).toHaveBeenCalledWith({ fileName: 'index.html', contentType: 'text/html', content: '<!doctype html><title>Evidence</title>' }, document);
  });

  it('stops polling when the section unmounts, also with a check in flight', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const inFlight = () => new Promise((resolve) => (answer = resolve));
    const bridge = await renderSection({ [KEYS.getEvidenceExport]: [ok({ job: exportJob() }), inFlight] });
    expect(bridge.delays()).toEqual([POLL_INTERVAL_MS]);
    await bridge.fire(POLL_INTERVAL_MS);
    expect(bridge.calls(KEYS.getEvidenceExport)).toHaveLength(2);
    bridge.unmount();
    await act(async () => {
      answer(ok({ job: exportJob({ progress: { pagesRead: 1 } }) }));
      await settle();
    });
    expect(bridge.delays()).toEqual([]);

    // Unmounting with a poll scheduled clears it.
    const again = await renderSection({ [KEYS.getEvidenceExport]: [ok({ job: exportJob() })] });
    expect(again.delays()).toEqual([POLL_INTERVAL_MS]);
    again.unmount();
    expect(again.delays()).toEqual([]);
  });

  it('keeps polling through a few failed checks, then stops and offers "Check again"', async () => {
    const bridge = await renderSection({
      [KEYS.getEvidenceExport]: [ok({ job: exportJob() }), ...Array.from({ length: 5 }, () => () => Promise.reject(new Error('offline'))), ok({ job: doneExportJob() })],
    });
    for (let i = 0; i < 4; i++) {
      await bridge.fire(POLL_INTERVAL_MS);
      expect(screen.getByTestId('export-poll-error').textContent).toMatch(/could not reach the app.*Trying again/);
    }
    await bridge.fire(POLL_INTERVAL_MS);
    expect(bridge.delays()).toEqual([]);
    expect(screen.getByTestId('export-poll-error').textContent).not.toMatch(/Trying again/);
    expect(progress()).toMatch(/Reading the population/);
    await click(screen.getByRole('button', { name: 'Check again' }));
    expect(screen.queryByTestId('export-poll-error')).toBeNull();
    expect(screen.getByTestId('export-job').getAttribute('data-state')).toBe('done');
  });

  it('offers a retry when the latest export cannot load', async () => {
    const bridge = await renderSection({ [KEYS.getEvidenceExport]: [fail(ADMIN_ERROR_CODES.internal, 'KVS is unavailable.'), ok({ job: null })] });
    expect(screen.getByTestId('export-load-error').textContent).toMatch(/could not load: KVS is unavailable\./);
    expect((screen.getByRole('button', { name: 'Build evidence export' }) as HTMLButtonElement).disabled).toBe(true);
    expect(bridge.delays()).toEqual([]);
    await click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByTestId('export-none').textContent).toBe('No evidence export has been built yet.');
    expect((screen.getByRole('button', { name: 'Build evidence export' }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('the section on the admin page', () => {
  const renderPage = async (licensed: boolean) => {
    const bridge = fakeInvoke({ [KEYS.getAdminState]: [ok(adminState({ licensed }))], [KEYS.getEvidenceExport]: [ok({ job: doneExportJob() })] });
    render(<AdminPageApp deps={{ api: createAdminApi(bridge.invoke), exportApi: createExportApi(bridge.invoke), loadContext: async () => ({ timezone: 'Europe/Berlin', locale: 'en-GB' }) }} />);
    await screen.findByTestId('export-job');
    return bridge;
  };

  it('comes right after the self-test, with the policy’s scope in the JQL hint', async () => {
    await renderPage(true);
    const sections = [...document.querySelectorAll('section')].map((s) => s.getAttribute('data-testid'));
    expect(sections.slice(sections.indexOf('section-selftest'))).toEqual(['section-selftest', 'section-export']);
    expect(document.getElementById('cc81-export-jql-hint')?.textContent).toContain('project = "CHG" AND issuetype = "Change"');
    expect((screen.getByRole('button', { name: 'Build evidence export' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('is read-only with the rest of the page when the site has no licence', async () => {
    await renderPage(false);
    expect(screen.getByTestId('read-only').textContent).toMatch(/build an evidence export/);
    expect((screen.getByRole('button', { name: 'Build evidence export' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
