// The policy form's sections: scope, statuses, fields, CAB, post-hoc window, business hours, enforcement, relaxation.
import type { AdminState } from '../../../src/shared/admin-contract';
import { FIELD_KEYS, fieldLabel, holdersInWords, OPTION_LABELS, type FieldKey } from '../../../src/domain/change-model';
import type { SiteOptions } from '../../../src/shared/admin-contract';
import { RISKS, STATES, type State } from '../../../src/domain/states';
import { Section } from '../../shared/ui-parts';
import {
  unsuitableNotes,
  fieldChoices,
  isCorrupted,
  missingFields,
  RISK_LABELS,
  timeZoneNames,
  WEEKDAYS,
  WINDOW_ENFORCEMENT_CHOICES,
  ELIGIBILITY_CHOICES,
  optionRows,
  withOptionLabel,
  ELIGIBLE_ROLES,
  type EligibleRole,
  type Busy,
  type PolicyForm,
} from './admin-model';
import { Field, Group, type FormProps } from './form-controls';

export function ScopeSection({ admin, form, errors, update }: FormProps & { admin: AdminState }) {
  const projects = admin.site.projects;
  const project = projects.find((p) => p.id === form.projectId);
  const kept = form.kept.scope;
  return (
    <Section title="Scope: where change tickets live" testId="section-scope">
      <Field path="scope.projectId" label="Project" errors={errors} hint="The project whose workflow gets the CC8.1 rules.">
        {(props) => (
          <select
            {...props}
            className="cc81-input"
            value={form.projectId}
            onChange={(e) => {
              const next = projects.find((p) => p.id === e.target.value);
              const keepType = next?.issueTypes.some((t) => t.id === form.issueTypeId);
              update('scope.projectId', { projectId: e.target.value, issueTypeId: keepType ? form.issueTypeId : '' });
            }}
          >
            <option value="">Pick a project</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.key}){p.companyManaged ? '' : ', team-managed'}
              </option>
            ))}
            {form.projectId && !project && (
              <option value={form.projectId}>{kept?.projectId === form.projectId ? `${kept.projectKey} (not visible on this site)` : form.projectId}</option>
            )}
          </select>
        )}
      </Field>
      {project && !project.companyManaged && (
        <p className="cc81-banner cc81-tone-warning" role="status" data-testid="team-managed">
          <span aria-hidden="true" className="cc81-icon">
            !
          </span>{' '}
          {project.name} is a team-managed project. Forge workflow rules do not run in team-managed projects, so CC8.1 cannot be enforced there: pick a
          company-managed project.
        </p>
      )}
      <Field path="scope.issueTypeId" label="Issue type of change tickets" errors={errors}>
        {(props) => (
          <select {...props} className="cc81-input" value={form.issueTypeId} disabled={!form.projectId} onChange={(e) => update('scope.issueTypeId', { issueTypeId: e.target.value })}>
            <option value="">{form.projectId ? 'Pick an issue type' : 'Pick the project first'}</option>
            {(project?.issueTypes ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
            {form.issueTypeId && !project?.issueTypes.some((t) => t.id === form.issueTypeId) && (
              <option value={form.issueTypeId}>{kept?.issueTypeId === form.issueTypeId ? kept.issueTypeName : form.issueTypeId}</option>
            )}
          </select>
        )}
      </Field>
    </Section>
  );
}

export function StatusSection({ admin, form, errors, update }: FormProps & { admin: AdminState }) {
  const statuses = admin.site.statuses;
  return (
    <Section title="Lifecycle states → Jira statuses" testId="section-statuses">
      <p className="cc81-hint">Each of the six CC8.1 states needs its own Jira status in the project's workflow.</p>
      <div className="cc81-grid">
        {STATES.map((state: State) => {
          const path = `statuses.${state}`;
          const current = form.statuses[state];
          return (
            <Field key={state} path={path} label={state} errors={errors}>
              {(props) => (
                <select {...props} className="cc81-input" value={current} onChange={(e) => update(path, { statuses: { ...form.statuses, [state]: e.target.value } })}>
                  <option value="">Not mapped</option>
                  {statuses.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name} ({s.category}, {s.id})
                    </option>
                  ))}
                  {current && !statuses.some((s) => s.id === current) && <option value={current}>{current}: not on this site</option>}
                </select>
              )}
            </Field>
          );
        })}
      </div>
    </Section>
  );
}

export function FieldSection({
  admin,
  form,
  savedForm,
  errors,
  update,
  dirty,
  busy,
  created,
  onCreate,
}: FormProps & { admin: AdminState; savedForm: PolicyForm; dirty: boolean; busy: Busy; created: { key: FieldKey; fieldId: string; name: string }[] | null; onCreate: () => void }) {
  const siteFields = admin.site.fields;
  const missing = missingFields(savedForm);
  const corrupted = isCorrupted(admin);
  const why = corrupted ? 'Replace the unreadable policy first.' : dirty ? 'Save or discard your changes first: creating fields saves the mapping as a new policy version.' : null;
  return (
    <Section title="CC8.1 fields → Jira fields" testId="section-fields" busy={busy === 'fields'}>
      <div className="cc81-create" data-testid="create-fields">
        {missing.length === 0 ? (
          <p className="cc81-muted">Every CC8.1 field is mapped to a Jira field on this site.</p>
        ) : (
          <p>
            {missing.length === 1 ? '1 CC8.1 field has' : `${missing.length} CC8.1 fields have`} no Jira field yet: {missing.map(fieldLabel).join(', ')}.
          </p>
        )}
        <button type="button" className="cc81-button" onClick={onCreate} disabled={missing.length === 0 || why !== null || busy !== null} aria-describedby={why ? 'cc81-create-why' : undefined}>
          {busy === 'fields' ? 'Creating fields…' : 'Create recommended fields'}
        </button>
        {why && missing.length > 0 && (
          <p id="cc81-create-why" className="cc81-hint">
            {why}
          </p>
        )}
        {created && (
          <div role="status" data-testid="created-fields" className="cc81-banner cc81-tone-ok">
            {created.length === 0 ? (
              <p>No field needed creating.</p>
            ) : (
              <>
                <p>Created {created.length === 1 ? '1 field' : `${created.length} fields`} and saved the mapping:</p>
                <ul>
                  {created.map((c) => (
                    <li key={c.key}>
                      {fieldLabel(c.key)} → {c.name} ({c.fieldId})
                    </li>
                  ))}
                </ul>
                <p data-testid="screens-reminder">
                  <strong>Next: add {created.length === 1 ? 'it' : 'them'} to your screens.</strong> The app does not edit screens: in Jira settings → Issues → Screens, add the new
                  fields to the change issue type's create and edit screens and to the transition screens, or people cannot fill them in.
                </p>
              </>
            )}
          </div>
        )}
      </div>
      <div className="cc81-grid">
        {FIELD_KEYS.map((key) => {
          const path = `fields.${key}`;
          const current = form.fields[key];
          const choices = fieldChoices(key, siteFields, current);
          const notOffered = unsuitableNotes(key, siteFields);
          const hint = [`Needs ${holdersInWords(key)}.`, ...notOffered.map((why) => `Not offered: ${why}`)].join(' ');
          return (
            <Field key={key} path={path} label={fieldLabel(key)} errors={errors} hint={hint}>
              {(props) => (
                <select {...props} className="cc81-input" value={current} onChange={(e) => update(path, { fields: { ...form.fields, [key]: e.target.value } })}>
                  <option value="">Not mapped</option>
                  {choices.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          );
        })}
      </div>
    </Section>
  );
}

export function CabSection({ form, errors, update }: FormProps) {
  return (
    <Section title="Change advisory board (CAB)" testId="section-cab">
      <Group path="cab.requiredForRisks" legend="Risks that need a CAB reference before approval" errors={errors}>
        {RISKS.map((risk) => (
          <label key={risk} className="cc81-choice">
            <input
              type="checkbox"
              checked={form.cabRisks.includes(risk)}
              onChange={(e) => update('cab.requiredForRisks', { cabRisks: e.target.checked ? [...form.cabRisks, risk] : form.cabRisks.filter((r) => r !== risk) })}
            />{' '}
            {RISK_LABELS[risk]}
          </label>
        ))}
      </Group>
      <Field path="cab.groupName" label="CAB group (Jira group name)" errors={errors} hint="Members of this group may approve as the CAB. Leave it empty for no CAB group.">
        {(props) => <input {...props} className="cc81-input" type="text" value={form.cabGroupName} onChange={(e) => update('cab.groupName', { cabGroupName: e.target.value })} />}
      </Field>
    </Section>
  );
}

export function PostHocSection({ form, errors, update }: FormProps) {
  return (
    <Section title="Emergency changes: post-hoc approval" testId="section-posthoc">
      <div className="cc81-grid">
        <Field path="postHoc.windowHours" label="Post-hoc window (hours)" errors={errors} hint="How long after implementation an emergency change must be approved: 48 to 72 hours.">
          {(props) => (
            <input {...props} className="cc81-input cc81-narrow" type="number" inputMode="numeric" min={48} max={72} step={1} value={form.windowHours} onChange={(e) => update('postHoc.windowHours', { windowHours: e.target.value })} />
          )}
        </Field>
        <Field path="postHoc.warnBeforeHours" label="Warn before the deadline (hours)" errors={errors} hint="The implementer and approvers get a reminder this long before the deadline.">
          {(props) => (
            <input {...props} className="cc81-input cc81-narrow" type="number" inputMode="numeric" min={1} step={1} value={form.warnBeforeHours} onChange={(e) => update('postHoc.warnBeforeHours', { warnBeforeHours: e.target.value })} />
          )}
        </Field>
      </div>
    </Section>
  );
}

export function BusinessHoursSection({ form, errors, update }: FormProps) {
  const zones = timeZoneNames();
  return (
    <Section title="Business hours" testId="section-business-hours">
      <label className="cc81-choice">
        <input type="checkbox" checked={form.businessHoursOn} onChange={(e) => update(null, { businessHoursOn: e.target.checked })} data-testid="business-hours-on" /> Use
        business hours (otherwise none: every hour counts)
      </label>
      {form.businessHoursOn && (
        <>
          <Field path="businessHours.timeZone" label="Time zone" errors={errors} hint="The zone business hours are counted in (and date-only windows are read in).">
            {(props) => (
              <select {...props} className="cc81-input" value={form.timeZone} onChange={(e) => update('businessHours.timeZone', { timeZone: e.target.value })} data-testid="time-zone">
                {(zones.includes(form.timeZone) ? zones : [form.timeZone, ...zones]).map((z) => (
                  <option key={z} value={z}>
                    {z.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Group path="businessHours.days" legend="Business days" errors={errors}>
            {WEEKDAYS.map(({ day, label }) => (
              <label key={day} className="cc81-choice">
                <input type="checkbox" checked={form.days.includes(day)} onChange={(e) => update('businessHours.days', { days: e.target.checked ? [...form.days, day] : form.days.filter((d) => d !== day) })} />{' '}
                {label}
              </label>
            ))}
          </Group>
          <div className="cc81-grid">
            <Field path="businessHours.start" label="Start" errors={errors}>
              {(props) => <input {...props} className="cc81-input cc81-narrow" type="time" value={form.start} onChange={(e) => update('businessHours.start', { start: e.target.value })} />}
            </Field>
            <Field path="businessHours.end" label="End" errors={errors}>
              {(props) => <input {...props} className="cc81-input cc81-narrow" type="time" value={form.end} onChange={(e) => update('businessHours.end', { end: e.target.value })} />}
            </Field>
          </div>
        </>
      )}
    </Section>
  );
}

const ELIGIBLE_LEGEND: Record<EligibleRole, string> = { approver: 'Who may approve (Approve, Post-hoc approve)', verifier: 'Who may verify (Verify and close)' };

export function EligibilitySection({ form, errors, update }: FormProps) {
  return (
    <Section title="Who may approve and verify" testId="section-eligibility">
      {ELIGIBLE_ROLES.map((role) => {
        const current = form.eligibility[role];
        const set = (patch: Partial<PolicyForm['eligibility'][EligibleRole]>) => update(`eligibility.${role}`, { eligibility: { ...form.eligibility, [role]: { ...current, ...patch } } });
        return (
          <Group key={role} path={`eligibility.${role}`} legend={ELIGIBLE_LEGEND[role]} errors={errors}>
            {ELIGIBILITY_CHOICES.map((choice) => (
              <label key={choice.value} className="cc81-choice">
                <input type="radio" name={`cc81-eligibility-${role}`} value={choice.value} checked={current.kind === choice.value} onChange={() => set({ kind: choice.value })} />{' '}
                <span>
                  <strong>{choice.label}</strong>: {choice.help}
                </span>
              </label>
            ))}
            {current.kind === 'group' && (
              <label className="cc81-choice">
                Jira group name{' '}
                <input className="cc81-input" type="text" aria-label={`Group whose members may act as ${role}`} value={current.groupName} onChange={(e) => set({ groupName: e.target.value })} />
              </label>
            )}
          </Group>
        );
      })}
    </Section>
  );
}

const OPTION_FIELD_ORDER = ['changeType', 'risk', 'verificationResult'] as const;

/** The site's option labels, each mapped to a CC8.1 value (issue 16). Read on demand: one REST call per context. */
export function OptionLabelsSection({
  form,
  update,
  siteOptions,
  busy,
  onRead,
}: Pick<FormProps, 'form' | 'update'> & { siteOptions: SiteOptions | null; busy: Busy; onRead: () => void }) {
  return (
    <Section title="Option labels" testId="section-option-labels">
      <p className="cc81-small">
        If your choice fields use their own labels (risk <em>Critical</em>, verification <em>Pass</em> or <em>Failed - rolled back</em>), map each to a CC8.1
        value. The app's own labels always count. A label left unmapped makes the app refuse the ticket's steps and report it, never read it as "not set".
      </p>
      <button type="button" className="cc81-button" onClick={onRead} disabled={busy !== null} data-testid="read-site-options">
        {busy === 'options' ? 'Reading…' : "Read the site's options"}
      </button>
      {siteOptions &&
        OPTION_FIELD_ORDER.map((field) => {
          const site = siteOptions.fields.find((f) => f.field === field);
          if (!site) return null;
          const rows = optionRows(field, site.labels, form.optionLabels);
          return (
            <fieldset key={field} className="cc81-plain" data-testid={`option-labels-${field}`}>
              <legend>
                {fieldLabel(field)} ({site.fieldId})
              </legend>
              {site.problem ? (
                <p className="cc81-small" role="alert">
                  {site.problem}
                </p>
              ) : rows.length === 0 ? (
                <p className="cc81-small cc81-muted">Every option is one of the app's own labels.</p>
              ) : (
                rows.map((row) => (
                  <label key={row.label} className="cc81-choice">
                    <span>{row.label}</span>{' '}
                    <select
                      aria-label={`${fieldLabel(field)} option ${row.label}`}
                      value={form.optionLabels[field]?.[row.label as never] ?? ''}
                      onChange={(e) => update(null, withOptionLabel(form, field, row.label, e.target.value))}
                    >
                      <option value="">Not mapped</option>
                      {Object.entries(OPTION_LABELS[field]).map(([value, label]) => (
                        <option key={value} value={value}>
                          {label}
                        </option>
                      ))}
                    </select>
                    {row.guessed && row.value && !form.optionLabels[field]?.[row.label as never] && (
                      <button type="button" className="cc81-button cc81-small" onClick={() => update(null, withOptionLabel(form, field, row.label, row.value))}>
                        Use the guess: {OPTION_LABELS[field][row.value as never]}
                      </button>
                    )}
                  </label>
                ))
              )}
            </fieldset>
          );
        })}
    </Section>
  );
}

export function CutoverSection({ form, errors, update }: FormProps) {
  return (
    <Section title="Tickets from before the app" testId="section-cutover">
      <Field
        path="cutover"
        label="Enforced from (cut-over date, UTC)"
        errors={errors}
        hint="Tickets' history before this date is reported as 'before enforcement' notices, not exceptions. Leave it empty to audit everything as enforced."
      >
        {(props) => <input {...props} className="cc81-input cc81-narrow" type="date" value={form.cutover} onChange={(e) => update('cutover', { cutover: e.target.value })} />}
      </Field>
    </Section>
  );
}

export function EnforcementSection({ form, errors, update }: FormProps) {
  return (
    <Section title="Maintenance window enforcement" testId="section-enforcement">
      <Group path="windowEnforcement" legend="When a change is implemented outside its window" errors={errors}>
        {WINDOW_ENFORCEMENT_CHOICES.map((choice) => (
          <label key={choice.value} className="cc81-choice">
            <input type="radio" name="cc81-window-enforcement" value={choice.value} checked={form.windowEnforcement === choice.value} onChange={() => update('windowEnforcement', { windowEnforcement: choice.value })} />{' '}
            <span>
              <strong>{choice.label}</strong>: {choice.help}
            </span>
          </label>
        ))}
      </Group>
    </Section>
  );
}

export function RelaxationSection({ form, errors, update }: FormProps) {
  return (
    <Section title="Low-risk relaxation" testId="section-relaxation">
      <label className="cc81-choice">
        <input type="checkbox" checked={form.relaxationOn} onChange={(e) => update('lowRiskRelaxation.compensatingControl', { relaxationOn: e.target.checked })} data-testid="relaxation-on" /> Allow
        the implementer to approve, and an approver to verify, low-risk changes (never the implementer to verify)
      </label>
      {form.relaxationOn && (
        <Field
          path="lowRiskRelaxation.compensatingControl"
          label="Compensating control (required)"
          errors={errors}
          hint="What makes up for the missing second person, in at least 20 characters. Auditors read this."
        >
          {(props) => <textarea {...props} className="cc81-input" rows={3} value={form.compensatingControl} onChange={(e) => update('lowRiskRelaxation.compensatingControl', { compensatingControl: e.target.value })} />}
        </Field>
      )}
    </Section>
  );
}

export function ExportersSection({ form, errors, update }: FormProps) {
  return (
    <Section title="Who may export evidence" testId="section-exporters">
      <Field
        path="exporters.groupName"
        label="Exporters group (Jira group name)"
        errors={errors}
        hint="Besides Jira admins, members of this group (your compliance leads, say) may build and download evidence exports on the project's CC8.1 evidence page. Leave it empty for Jira admins only."
      >
        {(props) => <input {...props} className="cc81-input" type="text" value={form.exportersGroup} onChange={(e) => update('exporters.groupName', { exportersGroup: e.target.value })} data-testid="exporters-group" />}
      </Field>
    </Section>
  );
}
