// Auditor evidence: build the population, sample and evidence packs inside Forge (a queued job the
// page polls), then download its files. Logic in export-model.ts; the timer, the clock, the seed and
// the save are injectable so tests neither wait nor touch the real browser download.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ADMIN_ERROR_CODES, type AdminError, type FieldError } from '../../../src/shared/admin-contract';
import { MAX_EXPORT_SAMPLE, type ExportFile, type ExportStatus } from '../../../src/shared/export-contract';
import { zipFiles, type ZipEntry } from './zip-files';
import { Section, Skeleton } from '../../shared/ui-parts';
import { formatTime, type TimeFormat, type Tone } from '../../shared/view-format';
import { Field } from './form-controls';
import {
  MAX_SEED,
  POLL_INTERVAL_MS,
  STEP_VERDICTS,
  defaultExportForm,
  defaultJql,
  exportPath,
  exportSteps,
  fileDescription,
  fileToSave,
  groupExportFiles,
  isStalled,
  progressBar,
  periodText,
  progressText,
  sampleCount,
  seedFrom,
  serverFieldErrors,
  shouldPoll,
  startRefusal,
  summaryText,
  validateExportForm,
  type ExportApi,
  type ExportForm,
  type ExportFormKey,
} from './export-model';

/** setTimeout / clearTimeout, injectable. */
export interface ExportTimer {
  set: (run: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
}
export const BROWSER_TIMER: ExportTimer = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SavedFile {
  fileName: string;
  contentType: string;
  content: string | Uint8Array;
}

/** Saves a file the browser's way: a Blob behind an object URL, clicked through an <a download>; the URL is revoked right after. */
export const saveWithLink =
  (timer: ExportTimer = BROWSER_TIMER) =>
  (file: SavedFile, doc: Document): void => {
    const url = URL.createObjectURL(new Blob([file.content as BlobPart], { type: file.contentType }));
    const link = doc.createElement('a');
    link.href = url;
    link.download = file.fileName;
    link.rel = 'noopener';
    link.hidden = true;
    doc.body.appendChild(link);
    try {
      link.click();
    } finally {
      link.remove();
      // Revoked on the next turn: the click has handed the Blob to the download by then.
      timer.set(() => URL.revokeObjectURL(url), 0);
    }
  };

/** The policy's scope, for the hint of the default JQL. */
export interface ExportScope {
  projectKey: string;
  issueTypeName: string;
}

export interface ExportSectionProps {
  api: ExportApi;
  readOnly: boolean;
  format: TimeFormat;
  scope: ExportScope | null;
  timer?: ExportTimer;
  now?: () => Date;
  /** A random number in [0, 1) for the seed. */
  random?: () => number;
  save?: (file: SavedFile, doc: Document) => void;
}

type Load = { phase: 'loading' } | { phase: 'error'; error: AdminError } | { phase: 'ready' };
interface Notice {
  tone: Tone;
  text: string;
  testId: string;
}
interface PollTrouble {
  error: AdminError;
  retrying: boolean;
}

const cryptoRandom = (): number => {
  const cryptoApi = globalThis.crypto;
  return cryptoApi?.getRandomValues ? cryptoApi.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32 : Math.random();
};

export function ExportSection({ api, readOnly, format, scope, timer = BROWSER_TIMER, now = () => new Date(), random = cryptoRandom, save }: ExportSectionProps) {
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [job, setJob] = useState<ExportStatus | null>(null);
  const [trouble, setTrouble] = useState<PollTrouble | null>(null);
  const [form, setForm] = useState<ExportForm>(() => defaultExportForm(now(), format.timeZone, seedFrom(random())));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [starting, setStarting] = useState(false);
  const [downloading, setDownloading] = useState<string | null>(null);
  const [downloadNotice, setDownloadNotice] = useState<Notice | null>(null);
  const [focusTick, setFocusTick] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  // The poll loop: one pending timer at most; `generation` drops answers that a newer check overtook.
  const poll = useRef({ live: false, handle: null as unknown, generation: 0, failures: 0, loaded: false });

  const stopPolling = useCallback(() => {
    const p = poll.current;
    if (p.handle !== null) timer.clear(p.handle);
    p.handle = null;
  }, [timer]);

  const check = useCallback(async (): Promise<void> => {
    const p = poll.current;
    stopPolling();
    const generation = ++p.generation;
    const result = await api.getEvidenceExport();
    if (!p.live || generation !== p.generation) return;
    let again: boolean;
    if (result.ok) {
      p.failures = 0;
      p.loaded = true;
      setLoad({ phase: 'ready' });
      setJob(result.data);
      setTrouble(null);
      again = shouldPoll({ job: result.data }, now());
    } else if (!p.loaded) {
      setLoad({ phase: 'error', error: result.error });
      again = false;
    } else {
      p.failures += 1;
      again = shouldPoll({ error: result.error, failures: p.failures }, now());
      setTrouble({ error: result.error, retrying: again });
    }
    if (again) p.handle = timer.set(() => void check(), POLL_INTERVAL_MS);
    // `now` is only read when called: a new clock function each render must not restart the loop.
  }, [api, timer, stopPolling]);

  useEffect(() => {
    const p = poll.current;
    p.live = true;
    void check();
    return () => {
      p.live = false;
      p.generation += 1;
      stopPolling();
    };
  }, [check, stopPolling]);

  useEffect(() => {
    if (focusTick > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusTick]);

  const stalled = job ? isStalled(job, now()) : false;
  const running = job?.state === 'running' && !stalled;
  const locked = readOnly || starting || running || load.phase !== 'ready';

  const edit = (key: ExportFormKey, value: string) => {
    setForm((current) => ({ ...current, [key]: value }));
    setErrors((current) => current.filter((e) => e.path !== exportPath(key)));
  };

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (locked) return;
    setNotice(null);
    const checked = validateExportForm(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      setNotice({ tone: 'danger', text: 'The export was not started. Fix the fields marked below and build it again.', testId: 'export-form-errors' });
      setFocusTick((n) => n + 1);
      return;
    }
    setStarting(true);
    const result = await api.startEvidenceExport(checked.payload);
    if (!poll.current.live) return;
    setStarting(false);
    if (result.ok) {
      setErrors([]);
      setJob(result.data);
      setTrouble(null);
      setDownloadNotice(null);
      poll.current.failures = 0;
      stopPolling();
      poll.current.generation += 1;
      if (shouldPoll({ job: result.data }, now())) poll.current.handle = timer.set(() => void check(), POLL_INTERVAL_MS);
      return;
    }
    const fieldErrors = result.error.code === ADMIN_ERROR_CODES.invalidPayload ? serverFieldErrors(result.error) : { placed: [], other: [] };
    if (fieldErrors.placed.length > 0) {
      setErrors(fieldErrors.placed);
      setFocusTick((n) => n + 1);
    }
    const refusal = startRefusal(result.error);
    setNotice({ ...refusal, text: [refusal.text, ...fieldErrors.other].join(' '), testId: result.error.code === ADMIN_ERROR_CODES.exportRunning ? 'export-running' : 'export-refused' });
    // Someone else's job is running: show it and follow it.
    if (result.error.code === ADMIN_ERROR_CODES.exportRunning) void check();
  };

  const download = async (current: ExportStatus, file: ExportFile) => {
    setDownloading(file.name);
    setDownloadNotice(null);
    const result = await api.downloadEvidenceExport({ jobId: current.jobId, file: file.name });
    if (!poll.current.live) return;
    setDownloading(null);
    const checked = result.ok ? fileToSave(file.name, result.data) : result;
    if (!checked.ok) {
      setDownloadNotice({ tone: 'danger', text: `${file.name} was not downloaded: ${checked.error.message}`, testId: 'download-error' });
      if (checked.error.code === ADMIN_ERROR_CODES.exportNotFound) void check();
      return;
    }
    try {
      (save ?? saveWithLink(timer))(checked.data, formRef.current?.ownerDocument ?? document);
      setDownloadNotice({ tone: 'ok', text: `Saved ${checked.data.fileName}.`, testId: 'download-saved' });
    } catch (error) {
      setDownloadNotice({ tone: 'danger', text: `The browser did not save ${file.name}: ${error instanceof Error ? error.message : String(error)}`, testId: 'download-error' });
    }
  };

  /** Every file of the export in one zip, the folders as the index links them (fetched one by one: each answer stays small). */
  const downloadAll = async (current: ExportStatus) => {
    setDownloading(ZIP_NAME);
    setDownloadNotice(null);
    const entries: ZipEntry[] = [];
    for (const file of current.files) {
      const result = await api.downloadEvidenceExport({ jobId: current.jobId, file: file.name });
      if (!poll.current.live) return;
      const checked = result.ok ? fileToSave(file.name, result.data) : result;
      if (!checked.ok) {
        setDownloading(null);
        setDownloadNotice({ tone: 'danger', text: `The zip was not built: ${file.name} could not be read (${checked.error.message}). Nothing was saved.`, testId: 'download-error' });
        return;
      }
      entries.push({ name: file.name, content: checked.data.content });
    }
    setDownloading(null);
    try {
      const fileName = `cc81-evidence-${current.jobId}.zip`;
      (save ?? saveWithLink(timer))({ fileName, contentType: 'application/zip', content: zipFiles(entries, new Date(now())) }, formRef.current?.ownerDocument ?? document);
      setDownloadNotice({ tone: 'ok', text: `Saved ${fileName} (${entries.length} files). Open index.html inside it.`, testId: 'download-saved' });
    } catch (error) {
      setDownloadNotice({ tone: 'danger', text: `The browser did not save the zip: ${error instanceof Error ? error.message : String(error)}`, testId: 'download-error' });
    }
  };

  return (
    <Section title="Auditor evidence" testId="section-export" busy={load.phase === 'loading' || starting}>
      <p className="cc81-muted">
        The population of change tickets in an observation period (with its SHA-256 completeness hash), a reproducible random sample, and an evidence
        pack per sampled ticket, built by the app in the background. The same files as <code>cc81 evidence</code> on the command line.
      </p>
      {readOnly && (
        <p className="cc81-banner cc81-tone-warning" data-testid="export-read-only">
          Building an export needs an active licence; you can still download the last one.
        </p>
      )}
      {notice && (
        <p className={`cc81-banner cc81-tone-${notice.tone}`} role={notice.tone === 'danger' ? 'alert' : 'status'} data-testid={notice.testId}>
          {notice.text}
        </p>
      )}
      <form ref={formRef} className="cc81-form" noValidate aria-labelledby="cc81-export-form-heading" onSubmit={(e) => void start(e)} data-testid="export-form">
        <h3 id="cc81-export-form-heading">New export</h3>
        <fieldset className="cc81-plain" disabled={readOnly}>
          <div className="cc81-grid">
            <Field path={exportPath('from')} label="Period from" hint="The first day of the observation period." errors={errors}>
              {(props) => <input {...props} className="cc81-input" type="date" value={form.from} onChange={(e) => edit('from', e.target.value)} />}
            </Field>
            <Field path={exportPath('to')} label="Period to (inclusive)" hint="The last day of the period, counted in full." errors={errors}>
              {(props) => <input {...props} className="cc81-input" type="date" value={form.to} onChange={(e) => edit('to', e.target.value)} />}
            </Field>
            <Field path={exportPath('size')} label="Sample size" hint={`Tickets drawn for evidence packs, 1 to ${MAX_EXPORT_SAMPLE}.`} errors={errors}>
              {(props) => <input {...props} className="cc81-input cc81-narrow" type="number" inputMode="numeric" min={1} max={MAX_EXPORT_SAMPLE} step={1} value={form.size} onChange={(e) => edit('size', e.target.value)} />}
            </Field>
            <Field path={exportPath('seed')} label="Seed" hint="The same seed over the same population draws the same sample." errors={errors}>
              {(props) => (
                <span className="cc81-inline">
                  <input {...props} className="cc81-input cc81-seed" type="number" inputMode="numeric" min={0} max={MAX_SEED} step={1} value={form.seed} onChange={(e) => edit('seed', e.target.value)} />
                  <button type="button" className="cc81-button" onClick={() => edit('seed', String(seedFrom(random())))} data-testid="new-seed">
                    New random seed
                  </button>
                </span>
              )}
            </Field>
          </div>
          <Field
            path={exportPath('jql')}
            label="JQL (optional)"
            hint={
              scope ? (
                <>
                  Leave empty for the policy’s change tickets: <code>{defaultJql(scope)}</code>. A ticket is in the period when it was created, or changed
                  status, in it (UTC days).
                </>
              ) : (
                'Leave empty for the change tickets of the policy’s project and issue type (pick them above and save the policy first), or give a JQL.'
              )
            }
            errors={errors}
          >
            {(props) => <textarea {...props} className="cc81-input cc81-jql" rows={2} maxLength={2_000} spellCheck={false} value={form.jql} onChange={(e) => edit('jql', e.target.value)} />}
          </Field>
          <div className="cc81-actions">
            <button type="submit" className="cc81-button cc81-primary" disabled={locked} data-testid="start-export">
              {starting ? 'Starting…' : 'Build evidence export'}
            </button>
            {running && !readOnly && <span className="cc81-small cc81-muted">An export is running; you can start another when it is done.</span>}
          </div>
        </fieldset>
      </form>

      <h3>Latest export</h3>
      {load.phase === 'loading' ? (
        <Skeleton label="Loading the latest evidence export…" testId="export-loading" />
      ) : load.phase === 'error' ? (
        <div className="cc81-banner cc81-tone-danger" role="alert" data-testid="export-load-error">
          <p>The latest export could not load: {load.error.message}</p>
          <button type="button" className="cc81-button" onClick={() => void check()}>
            Try again
          </button>
        </div>
      ) : !job ? (
        <p className="cc81-muted" data-testid="export-none">
          No evidence export has been built yet.
        </p>
      ) : (
        <JobView job={job} format={format} downloading={downloading} onDownload={(file) => void download(job, file)} onDownloadAll={() => void downloadAll(job)} />
      )}
      {job && stalled && (
        <div className="cc81-banner cc81-tone-warning" role="status" data-testid="export-stalled">
          <p>
            This export has made no progress since {formatTime(job.updatedAt, format)}: it may have stopped. Check again, or build a new export (the app allows
            it once a job has been idle for 15 minutes).
          </p>
          <button type="button" className="cc81-button" onClick={() => void check()}>
            Check again
          </button>
        </div>
      )}
      {trouble && (
        <div className="cc81-banner cc81-tone-warning" role="status" data-testid="export-poll-error">
          <p>
            The export’s progress could not be checked: {trouble.error.message} {trouble.retrying ? 'Trying again in a moment.' : ''}
          </p>
          {!trouble.retrying && (
            <button type="button" className="cc81-button" onClick={() => void check()}>
              Check again
            </button>
          )}
        </div>
      )}
      {downloadNotice && (
        <p className={`cc81-banner cc81-tone-${downloadNotice.tone}`} role={downloadNotice.tone === 'danger' ? 'alert' : 'status'} data-testid={downloadNotice.testId}>
          {downloadNotice.text}
        </p>
      )}
    </Section>
  );
}

const STATE_TONES: Record<ExportStatus['state'], Tone> = { running: 'neutral', done: 'ok', failed: 'danger' };
/** The `downloading` marker while the zip is built. */
const ZIP_NAME = '(zip)';

function JobView({ job, format, downloading, onDownload, onDownloadAll }: { job: ExportStatus; format: TimeFormat; downloading: string | null; onDownload: (file: ExportFile) => void; onDownloadAll: () => void }) {
  const empty = job.state === 'done' && (job.population?.count ?? job.progress.inPeriod) === 0;
  const bar = progressBar(job);
  return (
    <div data-testid="export-job" data-state={job.state} data-phase={job.phase}>
      <p className={`cc81-banner cc81-tone-${empty ? 'warning' : STATE_TONES[job.state]}`} role="status" aria-live="polite" data-testid="export-progress" data-empty={empty}>
        {progressText(job)}
      </p>
      <ol className="cc81-steps" aria-label="Export steps">
        {exportSteps(job).map((step) => (
          <li key={step.label} data-status={step.status}>
            <span aria-hidden="true" className="cc81-icon">
              {STEP_VERDICTS[step.status].icon}
            </span>{' '}
            {step.label} <span className="cc81-visually-hidden">({STEP_VERDICTS[step.status].label})</span>
          </li>
        ))}
      </ol>
      {bar && <progress className="cc81-progress" value={bar.value} max={bar.max} aria-label={`Evidence packs built: ${bar.value} of ${bar.max}`} />}
      <p className="cc81-small cc81-muted">
        Period {periodText(job.spec)}, sample of {job.spec.size}, seed {job.spec.seed}. Started {formatTime(job.createdAt, format)}
        {job.state === 'running' ? `, last progress ${formatTime(job.updatedAt, format)}` : `, ${job.state === 'done' ? 'finished' : 'stopped'} ${formatTime(job.updatedAt, format)}`}.
      </p>
      {job.state === 'done' && !empty && (
        <div className="cc81-actions">
          <button type="button" className="cc81-button cc81-primary" onClick={onDownloadAll} disabled={downloading !== null} aria-busy={downloading === ZIP_NAME} data-testid="download-zip">
            {downloading === ZIP_NAME ? 'Building the zip…' : 'Download everything (zip)'}
          </button>
        </div>
      )}
      {job.state === 'done' && <DoneView job={job} downloading={downloading} onDownload={onDownload} />}
    </div>
  );
}

function DownloadButton({ file, downloading, onDownload }: { file: ExportFile; downloading: string | null; onDownload: (file: ExportFile) => void }) {
  return (
    <button type="button" className="cc81-button" onClick={() => onDownload(file)} disabled={downloading !== null} aria-busy={downloading === file.name} data-testid="download-file" data-file={file.name}>
      {downloading === file.name ? `Downloading ${file.name}…` : `Download ${file.name}`}
    </button>
  );
}

function DoneView({ job, downloading, onDownload }: { job: ExportStatus; downloading: string | null; onDownload: (file: ExportFile) => void }) {
  const files = groupExportFiles(job.files);
  const summary = job.summary ? summaryText(job.summary) : null;
  return (
    <>
      <h4>Completeness record</h4>
      <dl className="cc81-record" data-testid="export-record">
        <dt>Population</dt>
        <dd data-testid="export-count">{job.population ? `${job.population.count} ${job.population.count === 1 ? 'ticket' : 'tickets'}` : 'not recorded'}</dd>
        <dt>Period</dt>
        <dd>{periodText(job.spec)}</dd>
        <dt>JQL</dt>
        <dd>
          <code data-testid="export-jql">{job.spec.jql}</code>
        </dd>
        <dt>SHA-256</dt>
        <dd>
          <code className="cc81-hash" data-testid="export-hash">
            {job.population?.hash ?? '—'}
          </code>
        </dd>
        <dt>Sample</dt>
        <dd>
          {sampleCount(job)} {sampleCount(job) === 1 ? 'ticket' : 'tickets'} (asked for {job.spec.size}), seed {job.spec.seed}
        </dd>
      </dl>
      {summary && (
        <p className={`cc81-banner cc81-tone-${summary.tone}`} data-testid="export-exceptions">
          {summary.text}
        </p>
      )}
      <h4>Files</h4>
      {job.files.length === 0 ? (
        <p className="cc81-muted" data-testid="export-no-files">
          The app listed no files for this export. Build it again.
        </p>
      ) : (
        <ul className="cc81-list cc81-files">
          {files.main.map((file) => (
            <li key={file.name}>
              <DownloadButton file={file} downloading={downloading} onDownload={onDownload} />
              {fileDescription(file.name) && <span className="cc81-small cc81-muted"> {fileDescription(file.name)}</span>}
            </li>
          ))}
        </ul>
      )}
      {files.packs.length > 0 && (
        <details className="cc81-unchanged" data-testid="export-packs">
          <summary>
            Evidence packs ({files.packs.length} {files.packs.length === 1 ? 'ticket' : 'tickets'})
          </summary>
          <ul className="cc81-list cc81-files">
            {files.packs.map((pack) => (
              <li key={pack.ticket} data-ticket={pack.ticket}>
                <strong>{pack.ticket}</strong>{' '}
                {pack.files.map((file) => (
                  <DownloadButton key={file.name} file={file} downloading={downloading} onDownload={onDownload} />
                ))}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
