// The deployment gate (issue 19): the gate's URL, the pipelines that may call it, and their tokens.
// A token is shown once, right after "Add pipeline" or "Rotate secret", with a curl example; it is
// dropped from the page's state when the admin hides it. Logic in pipelines-model.ts; the copy is
// injectable so tests do not need a clipboard.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { AdminError, FieldError, PipelinesState, PipelineView } from '../../../src/shared/admin-contract';
import { Section, Skeleton } from '../../shared/ui-parts';
import { formatTime, type TimeFormat, type Tone } from '../../shared/view-format';
import { Field } from './form-controls';
import {
  CI_SECRET_HINTS,
  PIPELINE_NAME_PATH,
  TOKEN_VARIABLE,
  confirmText,
  curlExample,
  pipelineFieldErrors,
  pipelineRefusal,
  tokenPreview,
  validatePipelineName,
  type PipelinesApi,
} from './pipelines-model';

/** Puts text on the clipboard; resolves false when the browser refuses (the admin then copies by hand). */
export type CopyText = (text: string, field: HTMLInputElement | HTMLTextAreaElement | null) => Promise<boolean>;

/** The Clipboard API, else the selected field and execCommand('copy') (a Custom UI iframe may not grant clipboard-write). */
export const browserCopy: CopyText = async (text, field) => {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!field) return false;
    field.focus();
    field.select();
    try {
      return field.ownerDocument.execCommand('copy');
    } catch {
      return false;
    }
  }
};

export interface PipelinesSectionProps {
  api: PipelinesApi;
  format: TimeFormat;
  copy?: CopyText;
}

type Load = { phase: 'loading' } | { phase: 'error'; error: AdminError } | { phase: 'ready'; state: PipelinesState };
type Action = 'rotate' | 'revoke';
type Busy = null | 'list' | 'create' | { action: Action; pipelineId: string };
interface Notice {
  tone: Tone;
  text: string;
  testId: string;
}
/** The token just issued: kept only until the admin hides it. */
interface Issued {
  pipeline: PipelineView;
  token: string;
  rotated: boolean;
}

export function PipelinesSection({ api, format, copy = browserCopy }: PipelinesSectionProps) {
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [busy, setBusy] = useState<Busy>(null);
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [confirm, setConfirm] = useState<{ action: Action; pipeline: PipelineView } | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const live = useRef(true);
  const confirmRef = useRef<HTMLDivElement>(null);
  const issuedRef = useRef<HTMLHeadingElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  const list = useCallback(async () => {
    setBusy('list');
    const result = await api.listPipelines();
    if (!live.current) return;
    setBusy(null);
    setLoad(result.ok ? { phase: 'ready', state: result.data } : { phase: 'error', error: result.error });
  }, [api]);

  useEffect(() => {
    live.current = true;
    void list();
    return () => {
      live.current = false;
    };
  }, [list]);

  useEffect(() => {
    if (confirm) confirmRef.current?.focus();
  }, [confirm]);
  useEffect(() => {
    if (issued) issuedRef.current?.focus();
  }, [issued]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (busy !== null) return;
    setNotice(null);
    const checked = validatePipelineName(name);
    if (!checked.ok) {
      setErrors(checked.errors);
      nameRef.current?.focus();
      return;
    }
    setBusy('create');
    const result = await api.createPipeline(checked.payload);
    if (!live.current) return;
    setBusy(null);
    if (result.ok) {
      setErrors([]);
      setName('');
      setConfirm(null);
      setLoad({ phase: 'ready', state: result.data.state });
      setIssued({ pipeline: result.data.pipeline, token: result.data.token, rotated: false });
      return;
    }
    const fieldErrors = pipelineFieldErrors(result.error);
    if (fieldErrors.placed.length > 0) {
      setErrors(fieldErrors.placed);
      nameRef.current?.focus();
    }
    setNotice({ tone: 'danger', text: [pipelineRefusal('The pipeline was not added', result.error), ...fieldErrors.other].join(' '), testId: 'pipeline-error' });
  };

  const confirmed = async (action: Action, pipeline: PipelineView) => {
    setNotice(null);
    setBusy({ action, pipelineId: pipeline.id });
    const payload = { pipelineId: pipeline.id };
    if (action === 'rotate') {
      const result = await api.rotatePipelineSecret(payload);
      if (!live.current) return;
      setBusy(null);
      setConfirm(null);
      if (!result.ok) return setNotice({ tone: 'danger', text: pipelineRefusal(`The secret of “${pipeline.name}” was not rotated`, result.error), testId: 'pipeline-error' });
      setLoad({ phase: 'ready', state: result.data.state });
      setIssued({ pipeline: result.data.pipeline, token: result.data.token, rotated: true });
      return;
    }
    const result = await api.revokePipeline(payload);
    if (!live.current) return;
    setBusy(null);
    setConfirm(null);
    if (!result.ok) return setNotice({ tone: 'danger', text: pipelineRefusal(`“${pipeline.name}” was not revoked`, result.error), testId: 'pipeline-error' });
    setLoad({ phase: 'ready', state: result.data });
    // A token of the revoked pipeline is of no use any more.
    setIssued((current) => (current && current.pipeline.id === pipeline.id ? null : current));
    setNotice({ tone: 'ok', text: `Revoked “${pipeline.name}”: the gate refuses its token from now on.`, testId: 'pipeline-revoked' });
  };

  const locked = busy !== null || load.phase !== 'ready';

  return (
    <Section title="Deployment gate" testId="section-pipelines" busy={busy !== null || load.phase === 'loading'}>
      <p className="cc81-muted">
        Pipelines call the gate before they deploy; it answers whether the change they name may go out now (approved and in its window, or an emergency whose
        post-hoc approval is then owed) and records every call on the ticket. Each pipeline signs its calls with its own secret.
      </p>
      {load.phase === 'loading' ? (
        <Skeleton label="Loading the pipelines…" testId="pipelines-loading" />
      ) : load.phase === 'error' ? (
        <div className="cc81-banner cc81-tone-danger" role="alert" data-testid="pipelines-load-error">
          <p>{pipelineRefusal('The pipelines could not load', load.error)}</p>
          <button type="button" className="cc81-button" onClick={() => void list()} disabled={busy !== null}>
            Try again
          </button>
        </div>
      ) : (
        <>
          <h3>Gate URL</h3>
          {load.state.gateUrl ? (
            <CopyField label="The gate’s URL on this site" value={load.state.gateUrl} copy={copy} testId="gate-url" />
          ) : (
            <p className="cc81-muted" data-testid="gate-url-none">
              The gate’s URL could not be read on this site: the example call reads it from <code>CC81_GATE_URL</code>.
            </p>
          )}
          {notice && (
            <p className={`cc81-banner cc81-tone-${notice.tone}`} role={notice.tone === 'danger' ? 'alert' : 'status'} data-testid={notice.testId}>
              {notice.text}
            </p>
          )}
          {issued && (
            <IssuedToken issued={issued} gateUrl={load.state.gateUrl} copy={copy} headingRef={issuedRef} onDismiss={() => setIssued(null)} />
          )}
          <h3>Pipelines</h3>
          {load.state.pipelines.length === 0 ? (
            <p className="cc81-muted" data-testid="pipelines-none">
              No pipeline can call the gate yet. Add one below: each gets its own token.
            </p>
          ) : (
            <PipelineTable pipelines={load.state.pipelines} format={format} busy={busy} locked={locked} onAsk={(action, pipeline) => setConfirm({ action, pipeline })} />
          )}
          {confirm && (
            <div className="cc81-banner cc81-tone-warning" role="alert" tabIndex={-1} ref={confirmRef} data-testid={`confirm-${confirm.action}`}>
              <p>{confirmText(confirm.action, confirm.pipeline).question}</p>
              <div className="cc81-actions">
                <button type="button" className="cc81-button cc81-primary" onClick={() => void confirmed(confirm.action, confirm.pipeline)} disabled={busy !== null}>
                  {typeof busy === 'object' && busy !== null ? (busy.action === 'rotate' ? 'Rotating…' : 'Revoking…') : confirmText(confirm.action, confirm.pipeline).yes}
                </button>
                <button type="button" className="cc81-button" onClick={() => setConfirm(null)} disabled={busy !== null}>
                  Cancel
                </button>
              </div>
            </div>
          )}
          <form className="cc81-form" noValidate aria-labelledby="cc81-pipeline-add-heading" onSubmit={(e) => void create(e)} data-testid="pipeline-form">
            <h3 id="cc81-pipeline-add-heading">Add pipeline</h3>
            <Field path={PIPELINE_NAME_PATH} label="Pipeline name" hint="Names the pipeline on the tickets’ deployment records, e.g. “payments-api deploy (GitHub Actions)”. At most 80 characters." errors={errors}>
              {(props) => (
                <input
                  {...props}
                  ref={nameRef}
                  className="cc81-input cc81-pipeline-name"
                  type="text"
                  maxLength={200}
                  value={name}
                  onChange={(e) => {
                    setName(e.target.value);
                    setErrors([]);
                  }}
                />
              )}
            </Field>
            <div className="cc81-actions">
              <button type="submit" className="cc81-button cc81-primary" disabled={locked} data-testid="add-pipeline">
                {busy === 'create' ? 'Adding…' : 'Add pipeline'}
              </button>
            </div>
          </form>
        </>
      )}
    </Section>
  );
}

function PipelineTable({
  pipelines,
  format,
  busy,
  locked,
  onAsk,
}: {
  pipelines: PipelineView[];
  format: TimeFormat;
  busy: Busy;
  locked: boolean;
  onAsk: (action: Action, pipeline: PipelineView) => void;
}) {
  const running = (action: Action, id: string) => typeof busy === 'object' && busy !== null && busy.action === action && busy.pipelineId === id;
  return (
    <table className="cc81-table cc81-pipelines" data-testid="pipelines">
      <caption className="cc81-visually-hidden">Pipelines that may call the deployment gate</caption>
      <thead>
        <tr>
          <th scope="col">Pipeline</th>
          <th scope="col">Created</th>
          <th scope="col">Secret</th>
          <th scope="col">Last used</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {pipelines.map((p) => (
          <tr key={p.id} data-testid="pipeline-row" data-pipeline={p.id}>
            <th scope="row">{p.name}</th>
            <td>
              {formatTime(p.createdAt, format)}
              <span className="cc81-block cc81-small cc81-muted">by {p.createdBy?.displayName ?? p.createdBy?.accountId ?? 'unknown'}</span>
            </td>
            <td>
              <code className="cc81-hash" title="The token's start: enough to tell tokens apart, never to use one">
                {tokenPreview(p)}
              </code>
              <span className="cc81-block cc81-small cc81-muted">set {formatTime(p.secretSetAt, format)}</span>
            </td>
            <td>{p.lastUsedAt ? formatTime(p.lastUsedAt, format) : <span className="cc81-muted">Never</span>}</td>
            <td>
              <div className="cc81-actions">
                <button type="button" className="cc81-button" onClick={() => onAsk('rotate', p)} disabled={locked} aria-busy={running('rotate', p.id)} aria-label={`Rotate secret of ${p.name}`}>
                  Rotate secret
                </button>
                <button type="button" className="cc81-button" onClick={() => onAsk('revoke', p)} disabled={locked} aria-busy={running('revoke', p.id)} aria-label={`Revoke ${p.name}`}>
                  Revoke
                </button>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function IssuedToken({
  issued,
  gateUrl,
  copy,
  headingRef,
  onDismiss,
}: {
  issued: Issued;
  gateUrl: string | null;
  copy: CopyText;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onDismiss: () => void;
}) {
  const headingId = useId();
  return (
    <div className="cc81-banner cc81-tone-warning cc81-issued" role="region" aria-labelledby={headingId} data-testid="pipeline-token" data-pipeline={issued.pipeline.id}>
      <h3 id={headingId} tabIndex={-1} ref={headingRef}>
        {issued.rotated ? `New token for “${issued.pipeline.name}”` : `Token for “${issued.pipeline.name}”`}
      </h3>
      <p>
        <span aria-hidden="true" className="cc81-icon">
          !
        </span>{' '}
        <strong>Copy it now: it is not shown again; the app keeps only a hash.</strong>
        {issued.rotated && ' The old secret has stopped working: give the pipeline this token before its next deployment.'}
      </p>
      <CopyField label="Token" value={issued.token} copy={copy} testId="pipeline-token-value" />
      <h4>Use it in the pipeline</h4>
      <p className="cc81-small">
        Store it as a masked CI secret named <code>{TOKEN_VARIABLE}</code>, never in the repository. Before it deploys, the pipeline calls the gate as below; curl
        fails the job when the gate denies the deployment (HTTP 403).
      </p>
      <CopyField label="Example call (sh, with curl, jq and openssl)" value={curlExample(gateUrl)} copy={copy} testId="curl-example" multiline />
      <ul className="cc81-small" data-testid="ci-hints">
        {CI_SECRET_HINTS.map((hint) => (
          <li key={hint.ci}>
            <strong>{hint.ci}:</strong> {hint.text}
          </li>
        ))}
      </ul>
      <div className="cc81-actions">
        <button type="button" className="cc81-button cc81-primary" onClick={onDismiss} data-testid="dismiss-token">
          I have copied it: hide the token
        </button>
      </div>
    </div>
  );
}

/** A read-only value with a Copy button; says whether the copy worked (else: select and copy by hand). */
function CopyField({ label, value, copy, testId, multiline = false }: { label: string; value: string; copy: CopyText; testId: string; multiline?: boolean }) {
  const id = useId();
  const statusId = useId();
  const [copied, setCopied] = useState<boolean | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => setCopied(null), [value]);
  const selectAll = (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => event.currentTarget.select();
  return (
    <div className="cc81-field cc81-copy" data-testid={testId}>
      <label htmlFor={id}>{label}</label>
      <div className="cc81-inline">
        {multiline ? (
          <textarea id={id} ref={area} className="cc81-input cc81-code" readOnly rows={value.split('\n').length} value={value} spellCheck={false} onFocus={selectAll} aria-describedby={statusId} />
        ) : (
          <input id={id} ref={input} className="cc81-input cc81-code" readOnly type="text" value={value} spellCheck={false} onFocus={selectAll} aria-describedby={statusId} />
        )}
        <button
          type="button"
          className="cc81-button"
          aria-label={`Copy ${label.charAt(0).toLowerCase()}${label.slice(1)}`}
          onClick={() => void copy(value, input.current ?? area.current).then(setCopied)}
        >
          Copy
        </button>
      </div>
      <span id={statusId} className="cc81-small cc81-muted" role="status">
        {copied === true ? 'Copied.' : copied === false ? 'The browser did not allow copying here: the text is selected, copy it with Ctrl+C (⌘C on a Mac).' : ''}
      </span>
    </div>
  );
}
