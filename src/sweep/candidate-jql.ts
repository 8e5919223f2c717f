/**
 * The sweep's candidate JQL, built from the policy: emergency changes that moved into Implemented
 * in the last `CANDIDATE_LOOKBACK_DAYS` days. Never a scan of all issues. It reads no issue
 * property (any user who can edit an issue can write one, and so hide it); what the sweep has
 * done is in app storage. Changes the recorder saw are visited through the app-only index anyway;
 * this query finds the rest (tickets from before the upgrade, moves by a transition without the
 * recorder). Kept inside the JQL subset the sandbox serves (`CHANGED TO ... AFTER`, `cf[N]`).
 */
import { OPTION_LABELS, Policy } from '../domain';
import { NotConfiguredError } from '../shared/app-error';

/** Long enough for any emergency to be warned, flagged or resolved by the hourly sweep, several times over. */
export const CANDIDATE_LOOKBACK_DAYS = 30;

const CUSTOM_FIELD = /^customfield_(\d+)$/;

const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The JQL field reference for a Jira field id: `cf[N]` for custom fields, the quoted id otherwise. */
export const jqlField = (fieldId: string): string => {
  const custom = CUSTOM_FIELD.exec(fieldId);
  return custom ? `cf[${custom[1]}]` : quote(fieldId);
};

export const candidateJql = (policy: Policy): string => {
  const changeType = policy.fields.changeType;
  const implemented = policy.statuses.Implemented;
  if (!changeType || !implemented) {
    throw new NotConfiguredError(
      'the post-hoc sweep needs the Change type field and the Implemented status mapped',
      'Ask a Jira admin to map them on the CC8.1 admin page.',
    );
  }
  return [
    `${jqlField(changeType)} = ${quote(OPTION_LABELS.changeType.emergency)}`,
    `status CHANGED TO ${quote(implemented)} AFTER "-${CANDIDATE_LOOKBACK_DAYS}d"`,
  ].join(' AND ');
};
