/**
 * The sweep's candidate JQL, built from the policy: emergency changes that reached Implemented and
 * whose `cc81.posthoc` property is not resolved. Never a scan of all issues. Kept inside the JQL
 * subset the sandbox serves (comparison, `CHANGED TO`, `IS EMPTY`, `cf[N]`, `issue.property[...]`).
 */
import { OPTION_LABELS, Policy } from '../domain';
import { NotConfiguredError } from '../shared/app-error';
import { POSTHOC_PROPERTY_KEY } from './posthoc-property';

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
    `status CHANGED TO ${quote(implemented)}`,
    `issue.property[${POSTHOC_PROPERTY_KEY}].resolvedAt IS EMPTY`,
  ].join(' AND ');
};
