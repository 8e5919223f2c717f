// The CC8.1 admin page (jira:adminPage): thin components over admin-model.ts. The resolver calls and
// the context come in as props, so tests use a fake bridge.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  ADMIN_ERROR_CODES,
  type AdminError,
  type AdminState,
  type FieldError,
  type SelfTestReport,
  type SiteOptions,
  type WorkflowPlanView,
} from '../../../src/shared/admin-contract';
import type { FieldKey } from '../../../src/domain/change-model';
import { Badge, Skeleton } from '../../shared/ui-parts';
import { formatTime, viewerLocale, viewerTimeZone, type TimeFormat, type Tone } from '../../shared/view-format';
import {
  baseVersionOf,
  controlOf,
  formFromView,
  formsEqual,
  isCorrupted,
  isEnforcing,
  pathLabel,
  setupProgress,
  validateForm,
  withStatusesByName,
  type AdminApi,
  type SetupStep,
  type Busy,
  type PlanReady,
  type PolicyForm,
} from './admin-model';
import { ErrorSummary } from './form-controls';
import {
  CabSection,
  CutoverSection,
  EligibilitySection,
  OptionLabelsSection,
  BusinessHoursSection,
  EnforcementSection,
  ExportersSection,
  FieldSection,
  PostHocSection,
  RelaxationSection,
  ScopeSection,
  StatusSection,
} from './policy-sections';
import { HistorySection } from './history-section';
import { SetupSection } from './setup-section';
import { SelfTestSection } from './selftest-section';
import { ExportSection } from './export-section';
import type { ExportApi } from './export-model';
import { PipelinesSection } from './pipelines-section';
import type { PipelinesApi } from './pipelines-model';

export interface AdminDeps {
  api: AdminApi;
  /** The evidence export's resolvers; without them the page has no "Auditor evidence" section. */
  exportApi?: ExportApi;
  /** The deployment gate's pipeline resolvers; without them the page has no "Deployment gate" section. */
  pipelinesApi?: PipelinesApi;
  loadContext: () => Promise<unknown>;
}

type Load = { phase: 'loading' } | { phase: 'error'; error: AdminError } | { phase: 'ready'; state: AdminState; context: unknown };

export function AdminPageApp({ deps }: { deps: AdminDeps }) {
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setLoad({ phase: 'loading' });
    void Promise.all([deps.api.getAdminState(), deps.loadContext()]).then(([result, context]) => {
      if (!live) return;
      setLoad(result.ok ? { phase: 'ready', state: result.data, context } : { phase: 'error', error: result.error });
    });
    return () => {
      live = false;
    };
  }, [deps, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return (
    <main className="cc81-admin" aria-busy={load.phase === 'loading'} data-testid="cc81-admin">
      <h1>CC8.1 Change Control settings</h1>
      {load.phase === 'loading' ? (
        <Skeleton label="Loading the CC8.1 settings…" testId="admin-loading" />
      ) : load.phase === 'error' ? (
        <div className="cc81-banner cc81-tone-danger" role="alert" data-testid="admin-load-error">
          <p>
            <span aria-hidden="true" className="cc81-icon">
              ✕
            </span>{' '}
            <strong>The settings could not load.</strong> {load.error.message}
          </p>
          <button type="button" className="cc81-button" onClick={retry}>
            Try again
          </button>
        </div>
      ) : (
        <AdminBody initial={load.state} context={load.context} api={deps.api} exportApi={deps.exportApi} pipelinesApi={deps.pipelinesApi} />
      )}
    </main>
  );
}

interface Notice {
  tone: Tone;
  text: string;
  testId: string;
}

function AdminBody({ initial, context, api, exportApi, pipelinesApi }: { initial: AdminState; context: unknown; api: AdminApi; exportApi?: ExportApi; pipelinesApi?: PipelinesApi }) {
  const zone = viewerTimeZone(context);
  const format: TimeFormat = { timeZone: zone, locale: viewerLocale(context) };
  const [admin, setAdmin] = useState(initial);
  const [saved, setSaved] = useState(() => formFromView(initial.policy, zone));
  // Statuses not mapped yet start as the site's statuses of the same name (saved only when the admin saves).
  const [form, setForm] = useState(() => withStatusesByName(saved.form, initial.site.statuses));
  const [savedNotice, setSavedNotice] = useState<Notice | null>(null);
  const [selfTestStale, setSelfTestStale] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>(saved.errors);
  const [errorHeadline, setErrorHeadline] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [confirmReplace, setConfirmReplace] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [created, setCreated] = useState<{ key: FieldKey; fieldId: string; name: string }[] | null>(null);
  const [plan, setPlan] = useState<WorkflowPlanView>(initial.setup);
  const [planNotice, setPlanNotice] = useState<string | null>(null);
  const [rejected, setRejected] = useState<{ message: string; details: string[] } | null>(null);
  const [report, setReport] = useState<SelfTestReport | null>(initial.selfTest);
  const summaryRef = useRef<HTMLDivElement>(null);

  const readOnly = !admin.licensed;
  const corrupted = isCorrupted(admin);
  const dirty = !formsEqual(form, saved.form);
  const baseVersion = baseVersionOf(admin);

  /** Takes a new state from the server; the form follows when the stored policy changed. */
  const takeState = (next: AdminState) => {
    const policyChanged = baseVersionOf(next) !== baseVersionOf(admin) || next.policy.state !== admin.policy.state;
    setAdmin(next);
    setPlan(next.setup);
    setReport(next.selfTest);
    if (policyChanged) {
      const fresh = formFromView(next.policy, zone);
      setSaved(fresh);
      setForm(fresh.form);
      setErrors(fresh.errors);
      setErrorHeadline(null);
    }
  };

  const update = (path: string | null, patch: Partial<PolicyForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    if (path) setErrors((current) => current.filter((e) => controlOf(e.path) !== path));
  };

  const showErrors = (list: FieldError[], headline: string) => {
    setErrors(list);
    setErrorHeadline(headline);
    setTimeout(() => summaryRef.current?.focus(), 0);
  };

  const failed = (error: AdminError, what: string, canReload = true) => {
    if (error.code === ADMIN_ERROR_CODES.conflict) {
      setConflict(error.message);
      return;
    }
    const notice: Notice = { tone: 'danger', text: `${what}: ${error.message}`, testId: 'notice-error' };
    // The site changed under the page (license gone, stored policy damaged): show it as it is now, keeping the admin's edits.
    if (canReload && (error.code === ADMIN_ERROR_CODES.unlicensed || error.code === ADMIN_ERROR_CODES.corrupted)) void reload({ keepForm: true, notice });
    else setNotice(notice);
  };

  const save = async () => {
    setNotice(null);
    setSavedNotice(null);
    if (!dirty && admin.policy.state === 'saved' && !corrupted) {
      setSavedNotice({ tone: 'neutral', text: `Nothing to save: the form is the same as version ${admin.policy.version}. No new version was made.`, testId: 'notice-nothing-to-save' });
      return;
    }
    const checked = validateForm(form, admin.site.projects, baseVersion);
    if (!checked.ok) {
      setConfirmReplace(false);
      showErrors(checked.errors, 'The policy was not saved. Fix these and save again:');
      return;
    }
    if (corrupted && !confirmReplace) {
      setConfirmReplace(true);
      return;
    }
    setBusy('save');
    const trimmed = reason.trim();
    const result = await api.savePolicy({
      policy: checked.policy,
      baseVersion,
      ...(trimmed ? { reason: trimmed } : {}),
      ...(corrupted ? { replaceCorrupted: true } : {}),
    });
    setBusy(null);
    setConfirmReplace(false);
    if (result.ok) {
      takeState(result.data);
      setErrors([]);
      setErrorHeadline(null);
      setReason('');
      setConflict(null);
      const version = result.data.policy.state === 'saved' ? ` as version ${result.data.policy.version}` : '';
      const enforcing = isEnforcing(result.data, result.data.setup);
      const next = enforcing === false ? ' Nothing is enforced until you install the rules (Workflow setup).' : ' Refresh the rules (Workflow setup) so they follow it.';
      setSavedNotice({ tone: 'ok', text: `Policy saved${version}.${next}`, testId: 'notice-saved' });
      return;
    }
    if (result.error.code === ADMIN_ERROR_CODES.invalidPolicy) {
      showErrors(result.error.fieldErrors ?? [], `The app refused the policy: ${result.error.message}`);
      return;
    }
    failed(result.error, 'The policy was not saved');
  };

  const reload = async (options: { keepForm?: boolean; notice?: Notice } = {}) => {
    setBusy('reload');
    const result = await api.getAdminState();
    setBusy(null);
    if (!result.ok) return failed(result.error, 'Reloading failed', false);
    const fresh = formFromView(result.data.policy, zone);
    setAdmin(result.data);
    setPlan(result.data.setup);
    setReport(result.data.selfTest);
    setSaved(fresh);
    if (!options.keepForm) {
      setForm(fresh.form);
      setErrors(fresh.errors);
      setErrorHeadline(null);
    }
    setConflict(null);
    setNotice(options.notice ?? { tone: 'neutral', text: 'Reloaded the latest saved policy.', testId: 'notice-reloaded' });
  };

  const discard = () => {
    setForm(saved.form);
    setErrors(saved.errors);
    setErrorHeadline(null);
    setConfirmReplace(false);
  };

  const createFields = async () => {
    setNotice(null);
    setBusy('fields');
    const result = await api.createRecommendedFields({ baseVersion });
    setBusy(null);
    if (!result.ok) return failed(result.error, 'The fields were not created');
    setCreated(result.data.created);
    takeState(result.data.state);
  };

  const [siteOptions, setSiteOptions] = useState<SiteOptions | null>(null);
  const readSiteOptions = async (): Promise<void> => {
    setBusy('options');
    const result = await api.getSiteOptions();
    setBusy(null);
    if (!result.ok) return failed(result.error, "The site's options were not read");
    setSiteOptions(result.data);
  };

  const refreshPlan = async (): Promise<void> => {
    setBusy('plan');
    const result = await api.planWorkflowSetup();
    setBusy(null);
    if (!result.ok) return failed(result.error, 'The dry run failed');
    setPlan(result.data);
  };

  const apply = async (ready: PlanReady) => {
    setNotice(null);
    setPlanNotice(null);
    setRejected(null);
    setBusy('apply');
    const result = await api.applyWorkflowSetup({ workflowVersionId: ready.workflow.versionId, policyVersion: ready.policyVersion });
    setBusy(null);
    if (result.ok) {
      takeState(result.data.state);
      setSelfTestStale(true);
      const n = result.data.updatedTransitions;
      setNotice({ tone: 'ok', text: `Rules installed: ${n} ${n === 1 ? 'transition' : 'transitions'} updated on ${ready.workflow.name}.`, testId: 'notice-applied' });
      return;
    }
    if (result.error.code === ADMIN_ERROR_CODES.planOutdated) {
      setPlanNotice(`${result.error.message} Nothing was changed. Below is the new dry run: check it, then install again.`);
      await refreshPlan();
      return;
    }
    if (result.error.code === ADMIN_ERROR_CODES.rulesRejected) {
      setRejected({ message: result.error.message, details: result.error.details ?? [] });
      return;
    }
    failed(result.error, 'The rules were not installed');
  };

  const runSelfTest = async () => {
    setBusy('selftest');
    const result = await api.runSelfTest();
    setBusy(null);
    if (!result.ok) return failed(result.error, 'The self-test did not run');
    setReport(result.data);
    setSelfTestStale(false);
  };

  const locked = readOnly || busy !== null;

  return (
    <>
      <PolicyStatus admin={admin} format={format} />
      <SetupProgress steps={setupProgress(admin, plan, report, selfTestStale)} enforcing={isEnforcing(admin, plan)} />
      {readOnly && (
        <div className="cc81-banner cc81-tone-warning" role="status" data-testid="read-only">
          <p>
            <span aria-hidden="true" className="cc81-icon">
              !
            </span>{' '}
            <strong>Read-only: this site has no active licence for CC8.1 Change Control.</strong> You can look at the settings, the workflow diff and the
            last self-test, but you cannot save, create fields, install rules, run the self-test or build an evidence export until the app is licensed again (Jira settings → Apps →
            Manage apps).
          </p>
        </div>
      )}
      {corrupted && admin.policy.state === 'corrupted' && <CorruptedBanner errors={admin.policy.errors} />}
      {conflict !== null && (
        <div className="cc81-banner cc81-tone-danger" role="alert" data-testid="conflict">
          <p>
            <strong>Someone else saved the policy since you opened this page.</strong> {conflict} Your changes were not saved. Reload to see the latest
            policy, then make your changes again.
          </p>
          <button type="button" className="cc81-button" onClick={() => void reload()} disabled={busy !== null}>
            Reload the latest policy
          </button>
        </div>
      )}
      {notice && (
        <p className={`cc81-banner cc81-tone-${notice.tone}`} role={notice.tone === 'danger' ? 'alert' : 'status'} data-testid={notice.testId}>
          {notice.text}
        </p>
      )}

      <form
        className="cc81-form"
        noValidate
        aria-labelledby="cc81-policy-heading"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <h2 id="cc81-policy-heading" className="cc81-visually-hidden">
          Policy
        </h2>
        {errorHeadline && errors.length > 0 && <ErrorSummary headline={errorHeadline} errors={errors} innerRef={summaryRef} />}
        {errorHeadline && errors.length === 0 && (
          <div className="cc81-banner cc81-tone-danger" role="alert" tabIndex={-1} ref={summaryRef} data-testid="form-errors">
            {errorHeadline}
          </div>
        )}
        <fieldset className="cc81-plain" disabled={readOnly} aria-busy={busy === 'save'}>
          <ScopeSection admin={admin} form={form} errors={errors} update={update} />
          <StatusSection admin={admin} form={form} errors={errors} update={update} />
          <FieldSection
            admin={admin}
            form={form}
            savedForm={saved.form}
            errors={errors}
            update={update}
            dirty={dirty}
            busy={busy}
            created={created}
            onCreate={() => void createFields()}
          />
          <CabSection form={form} errors={errors} update={update} />
          <EligibilitySection form={form} errors={errors} update={update} />
          <PostHocSection form={form} errors={errors} update={update} />
          <BusinessHoursSection form={form} errors={errors} update={update} />
          <EnforcementSection form={form} errors={errors} update={update} />
          <CutoverSection form={form} errors={errors} update={update} />
          <OptionLabelsSection form={form} update={update} siteOptions={siteOptions} busy={busy} onRead={() => void readSiteOptions()} />
          <RelaxationSection form={form} errors={errors} update={update} />
          <ExportersSection form={form} errors={errors} update={update} />
          <div className="cc81-savebar" data-testid="save-bar">
            <div className="cc81-field">
              <label htmlFor="cc81-reason">Reason for this change (optional, kept in the history)</label>
              <input id="cc81-reason" className="cc81-input" type="text" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
            {confirmReplace ? (
              <div className="cc81-banner cc81-tone-warning" role="alert" data-testid="confirm-replace">
                <p>
                  Replace the unreadable stored policy with the policy in this form? The old value is archived by the app, and this becomes the policy the
                  rules are compiled from.
                </p>
                <div className="cc81-actions">
                  <button type="submit" className="cc81-button cc81-primary" disabled={locked}>
                    Yes, replace it
                  </button>
                  <button type="button" className="cc81-button" onClick={() => setConfirmReplace(false)}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : (
              <div className="cc81-actions">
                <button type="submit" className="cc81-button cc81-primary" disabled={locked} data-testid="save-policy">
                  {corrupted ? 'Replace with a new policy' : busy === 'save' ? 'Saving…' : 'Save policy'}
                </button>
                <button type="button" className="cc81-button" onClick={discard} disabled={!dirty || locked}>
                  Discard changes
                </button>
                <span className="cc81-muted cc81-small" role="status" data-testid="dirty-state">
                  {dirty ? 'You have unsaved changes.' : 'No unsaved changes.'}
                </span>
              </div>
            )}
            {savedNotice && (
              <p className={`cc81-banner cc81-tone-${savedNotice.tone}`} role="status" data-testid={savedNotice.testId}>
                {savedNotice.text}
              </p>
            )}
          </div>
        </fieldset>
      </form>

      <HistorySection admin={admin} format={format} />
      <SetupSection
        plan={plan}
        notice={planNotice}
        rejected={rejected}
        dirty={dirty}
        busy={busy}
        readOnly={readOnly}
        currentPolicyVersion={baseVersion}
        onApply={(ready) => void apply(ready)}
        onRefresh={() => {
          setPlanNotice(null);
          setRejected(null);
          void refreshPlan();
        }}
      />
      <SelfTestSection report={report} stale={selfTestStale} format={format} busy={busy} readOnly={readOnly} onRun={() => void runSelfTest()} />
      {pipelinesApi && <PipelinesSection api={pipelinesApi} format={format} />}
      {exportApi && <ExportSection api={exportApi} readOnly={readOnly} format={format} scope={saved.form.kept.scope} />}
    </>
  );
}

function SetupProgress({ steps, enforcing }: { steps: SetupStep[]; enforcing: boolean | null }) {
  const next = steps.find((step) => !step.done);
  return (
    <nav aria-label="Setup progress" className="cc81-progress" data-testid="setup-progress">
      <ol>
        {steps.map((step) => (
          <li key={step.id} data-step={step.id} data-done={step.done} aria-current={step === next ? 'step' : undefined}>
            <Badge tone={step.done ? 'ok' : step === next ? 'warning' : 'neutral'} icon={step.done ? '✓' : step === next ? '→' : '·'} label={step.label} />
          </li>
        ))}
      </ol>
      {next && (
        <p className="cc81-small" data-testid="setup-next">
          <strong>Next:</strong> {next.todo}
        </p>
      )}
      {enforcing === false && (
        <p className="cc81-banner cc81-tone-warning" role="status" data-testid="not-enforcing">
          Nothing is enforced yet: the app's rules are not on the workflow. Save the policy, then install the rules under Workflow setup.
        </p>
      )}
    </nav>
  );
}

function PolicyStatus({ admin, format }: { admin: AdminState; format: TimeFormat }) {
  const policy = admin.policy;
  const text =
    policy.state === 'default'
      ? 'No policy saved yet.'
      : policy.state === 'saved'
        ? `Policy version ${policy.version}, saved by ${policy.updatedBy?.displayName ?? policy.updatedBy?.accountId ?? 'an unknown user'} on ${formatTime(policy.updatedAt, format)}.`
        : 'The stored policy cannot be read.';
  return (
    <p className="cc81-muted" data-testid="policy-status">
      {text} Times in {format.timeZone}.
    </p>
  );
}

function CorruptedBanner({ errors }: { errors: FieldError[] }) {
  return (
    <div className="cc81-banner cc81-tone-danger" role="alert" data-testid="corrupted">
      <p>
        <strong>The stored policy is damaged and cannot be read.</strong> The app has not replaced it and will not do so on its own: until a Jira admin
        saves a new policy, it refuses to compile rules from it. What is wrong with the stored value:
      </p>
      <ul>
        {errors.map((e, i) => (
          <li key={`${e.path}-${i}`}>
            <strong>{pathLabel(e.path)}</strong> <code>{e.path}</code>: {e.message}
          </li>
        ))}
      </ul>
      <p>Fill in the form below (it starts from the defaults) and choose “Replace with a new policy”.</p>
    </div>
  );
}
