/**
 * The sweep's candidate JQL, built from the policy: changes that moved into Implemented straight
 * from Draft or Assessment (the emergency shortcuts: implementation without pre-approval) in the
 * last `CANDIDATE_LOOKBACK_DAYS` days. Never a scan of all issues. It reads neither the change
 * type (what it is *now* says nothing of what it was when implemented: `postHocStatus` decides
 * that from the changelog) nor any issue property (any user who can edit an issue can write one,
 * and so hide it). Changes the recorder saw are visited through the app-only index anyway; this
 * query finds the rest (tickets from before the upgrade, moves by a transition without the
 * recorder). Kept inside the JQL subset the sandbox serves (`CHANGED FROM ... TO ... AFTER`).
 */
import { Policy } from '../domain';
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

/** The states an emergency shortcut leaves for Implemented (see `postHocDebt`). */
export const SHORTCUT_SOURCES = ['Draft', 'Assessment'] as const;

export const candidateJql = (policy: Policy): string => {
  const implemented = policy.statuses.Implemented;
  const sources = SHORTCUT_SOURCES.map((state) => policy.statuses[state]);
  if (!policy.fields.changeType || !implemented || sources.some((id) => !id)) {
    throw new NotConfiguredError(
      'the post-hoc sweep needs the Change type field and the Draft, Assessment and Implemented statuses mapped',
      'Ask a Jira admin to map them on the CC8.1 admin page.',
    );
  }
  const moves = sources.map((from) => `status CHANGED FROM ${quote(from!)} TO ${quote(implemented)} AFTER "-${CANDIDATE_LOOKBACK_DAYS}d"`);
  return `(${moves.join(' OR ')})`;
};
