/**
 * The `jsm` site style (issue 16): a project that tracked changes before the app, in fields built
 * like Jira Service Management's and a team's own, none created by the app. Change type and Change
 * risk (with Critical) are select lists; the window is JSM's Change start and completion dates;
 * Approvers is a multi-user picker; the verifier is a group picker; target systems are Components;
 * the verification result is radio buttons labelled Pass / Failed - rolled back. Plus fields that
 * look meant for a CC8.1 field but cannot hold it (checkboxes named Implementer sign-off), and a
 * date picker. No policy, no rules, no tickets: the admin maps it on the admin page.
 */
import type { SandboxField, SandboxFieldContext } from './sandbox-state';

const T = 'com.atlassian.jira.plugin.system.customfieldtypes:';

interface JsmField {
  name: string;
  schema: Omit<SandboxField['schema'], 'customId'>;
  options?: string[];
}

const select = (name: string, options: string[]): JsmField => ({ name, schema: { type: 'option', custom: `${T}select` }, options });

/** The site's custom fields, in id order from `firstId`. */
export const JSM_FIELDS: readonly JsmField[] = [
  select('Change type', ['Standard', 'Normal', 'Emergency']),
  select('Change risk', ['Low', 'Medium', 'High', 'Critical']),
  { name: 'Change start date', schema: { type: 'datetime', custom: `${T}datetime` } },
  { name: 'Change completion date', schema: { type: 'datetime', custom: `${T}datetime` } },
  { name: 'Approvers', schema: { type: 'array', items: 'user', custom: `${T}multiuserpicker` } },
  { name: 'Change implementer', schema: { type: 'user', custom: `${T}userpicker` } },
  { name: 'Verification team', schema: { type: 'group', custom: `${T}grouppicker` } },
  { name: 'Verification', schema: { type: 'option', custom: `${T}radiobuttons` }, options: ['Pass', 'Failed - rolled back'] },
  { name: 'Test plan', schema: { type: 'string', custom: `${T}textarea` } },
  { name: 'Backout plan', schema: { type: 'string', custom: `${T}textarea` } },
  { name: 'Implementation notes', schema: { type: 'string', custom: `${T}textarea` } },
  { name: 'Backout notes', schema: { type: 'string', custom: `${T}textarea` } },
  { name: 'CAB reference', schema: { type: 'string', custom: `${T}textfield` } },
  { name: 'Standard change template', schema: { type: 'string', custom: `${T}textfield` } },
  { name: 'Emergency justification', schema: { type: 'string', custom: `${T}textfield` } },
  { name: 'Cancellation reason', schema: { type: 'string', custom: `${T}textarea` } },
  { name: 'Implementer sign-off', schema: { type: 'array', items: 'option', custom: `${T}multicheckboxes` }, options: ['Done'] },
  { name: 'Planned date', schema: { type: 'date', custom: `${T}datepicker` } },
];

/** The project's components (target systems on this site). */
export const JSM_COMPONENTS: readonly { id: string; name: string }[] = [
  { id: '10100', name: 'Payments' },
  { id: '10101', name: 'Ledger' },
  { id: '10102', name: 'Edge proxy' },
];

/** The system field Components, as /rest/api/3/field lists it. */
export const COMPONENTS_FIELD: SandboxField = { id: 'components', key: 'components', name: 'Components', custom: false, schema: { type: 'array', items: 'component', system: 'components' } };

/** The group the verification team field names on this site's tickets (the verifier and the CAB member are in it). */
export const JSM_VERIFICATION_GROUP = 'change-verifiers';

/** The fields with ids from `firstId`, and their option contexts (ids from the counters). */
export const jsmFields = (firstId: number, counters: { context: number; option: number }): { fields: SandboxField[]; contexts: Record<string, SandboxFieldContext[]> } => {
  const fields: SandboxField[] = JSM_FIELDS.map((f, i) => ({ id: `customfield_${firstId + i}`, key: `customfield_${firstId + i}`, name: f.name, custom: true, schema: { ...f.schema, customId: firstId + i } }));
  const contexts: Record<string, SandboxFieldContext[]> = {};
  JSM_FIELDS.forEach((f, i) => {
    if (!f.options) return;
    const options = f.options.map((value) => ({ id: String(counters.option++), value, disabled: false }));
    contexts[fields[i]!.id] = [{ id: String(counters.context++), name: `Default Configuration Scheme for ${f.name}`, description: '', projectIds: [], issueTypeIds: [], options }];
  });
  return { fields: [...fields, COMPONENTS_FIELD], contexts };
};
