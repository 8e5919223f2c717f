/**
 * `cc81 policy --site URL`: reads the site's fields, statuses, projects and the option labels of
 * the choice fields it maps (read only), and prints a starting policy with what it could not decide.
 */
import { resolve } from 'node:path';
import type { OptionField } from '../src/domain';
import { createConfigClient } from '../src/jira/config-client';
import { countingTransport } from '../src/jira/transport';
import { isAppError } from '../src/shared/app-error';
import { isUndecided, pickScope, proposeMapping, proposeOptionLabels, startingPolicy, type Undecided } from '../src/setup/starting-policy';
import { writeFileAtomic } from './atomic-write';
import { EXIT, UsageError } from './cli-errors';
import { httpTransport, siteBase } from './http-transport';
import type { CliIo } from './run-cli';
import type { RunContext, Values } from './run-command';

const str = (values: Values, name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string).trim() || undefined : undefined);

export const runPolicyCommand = async (values: Values, io: CliIo, context: RunContext): Promise<number> => {
  const site = str(values, 'site');
  if (!site) throw new UsageError('--site is required.', 'policy');
  const siteUrl = siteBase(site);
  if (!siteUrl) throw new UsageError(`--site must be the base URL of a Jira site, such as https://example.atlassian.net, got '${site}'.`, 'policy');
  const email = io.env.JIRA_EMAIL?.trim();
  const token = io.env.JIRA_API_TOKEN?.trim();
  if (!email || !token) throw new UsageError('Set JIRA_EMAIL and JIRA_API_TOKEN in the environment to read from --site.', 'policy');
  context.site = siteUrl;

  const counted = countingTransport(httpTransport({ site: siteUrl, email, apiToken: token, ...(io.fetch ? { fetch: io.fetch } : {}) }));
  const config = createConfigClient(counted.transport, { retries: 3, sleep: io.sleep, now: io.now });
  let result: { policy: Record<string, unknown>; undecided: Undecided[] };
  try {
    const [fields, siteStatuses, projects] = await Promise.all([config.listFields(), config.listStatuses(), config.listProjects()]);
    const extra: Undecided[] = [];
    // The states map to the change workflow's statuses when it can be read (it needs Administer Jira), else to the site's.
    const scope = pickScope(projects, str(values, 'project') ?? null);
    let statuses = siteStatuses;
    if (!isUndecided(scope) && scope) {
      try {
        const read = await config.readWorkflow(scope.projectId, scope.issueTypeId);
        if (read) {
          const inWorkflow = new Set(read.workflow.statuses.map((st) => st.statusReference));
          statuses = siteStatuses.filter((st) => inWorkflow.has(st.id));
        }
      } catch (error) {
        if (!isAppError(error)) throw error;
        extra.push({ path: 'statuses', problem: `matched among all the site's statuses: the workflow of ${scope.projectKey} could not be read (${error.message}); check them against it` });
      }
    }
    const mapping = proposeMapping({ fields, statuses, projects }, str(values, 'project') ?? null);
    const optionLabels: Partial<Record<OptionField, Record<string, string>>> = {};
    for (const { field, fieldId } of mapping.optionFields) {
      try {
        const proposal = proposeOptionLabels(field, await config.listFieldOptions(fieldId));
        if (Object.keys(proposal.mapped).length) optionLabels[field] = proposal.mapped;
        extra.push(...proposal.undecided);
      } catch (error) {
        // One field Jira will not list the options of is undecided; the rest still read.
        if (!isAppError(error)) throw error;
        extra.push({ path: `optionLabels.${field}`, problem: `Jira did not list the options of ${fieldId} (${error.message}); map its labels by hand` });
      }
    }
    result = startingPolicy(mapping, optionLabels, extra);
  } finally {
    context.restCalls = counted.count();
  }

  const text = `${JSON.stringify(result.policy, null, 2)}\n`;
  const output = str(values, 'output');
  if (output) await writeFileAtomic(resolve(output), text);
  else io.stdout(text);
  if (result.undecided.length) {
    io.stderr(`cc81: ${result.undecided.length} thing(s) to decide before using this policy:\n${result.undecided.map((u) => `  ${u.path}: ${u.problem}\n`).join('')}`);
  } else {
    io.stderr('cc81: every CC8.1 field, status and option label was decided; review the mapping before using it.\n');
  }
  return EXIT.ok;
};
