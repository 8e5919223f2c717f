/**
 * `--policy file.json`: the stored-policy record (`{version, policy, updatedBy, updatedAt}`, as the
 * app keeps it under `cc81:policy`) or a bare policy. Field-level errors come from `parsePolicy`.
 * The policy must map every lifecycle status and the fields the audit reads.
 */
import { parsePolicy, Policy } from '../src/domain';
import { StoredPolicySchema } from '../src/policy/policy-store';
import { NotConfiguredError, PolicyError } from '../src/shared/app-error';
import { InputFileError } from './cli-errors';
import { missingMappings } from '../src/panel/panel-fields';

const isStoredRecord = (value: unknown): boolean => value !== null && typeof value === 'object' && 'policy' in value && 'version' in value;

export const parsePolicyFile = (name: string, text: string): Policy => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new InputFileError('Policy file', name, `not valid JSON (${cause instanceof Error ? cause.message : 'parse error'})`, { cause });
  }
  let input = json;
  if (isStoredRecord(json)) {
    const envelope = StoredPolicySchema.safeParse(json);
    if (!envelope.success) throw new PolicyError(envelope.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(stored policy)', message: `stored policy record: ${i.code}` })));
    input = envelope.data.policy;
  }
  const parsed = parsePolicy(input);
  if (!parsed.ok) throw new PolicyError(parsed.errors);
  const missing = missingMappings(parsed.policy);
  if (missing.length) {
    throw new NotConfiguredError(
      `The policy in ${name} does not map: ${missing.join(', ')}.`,
      'Map every lifecycle status to a Jira status id (statuses) and every CC8.1 field to a Jira field id (fields), as on the admin page.',
    );
  }
  return parsed.policy;
};
