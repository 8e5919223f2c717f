/**
 * The app's own Jira client (src/jira) against the sandbox router, through the Forge shim's
 * in-process transport: the sandbox's responses satisfy the app's zod schemas, paging ends, and a
 * 429 reaches the client with its Retry-After.
 */
import { createConfigClient } from '../../../src/jira/config-client';
import { createJiraClient } from '../../../src/jira/jira-client';
import { countingTransport } from '../../../src/jira/transport';
import { IssueCoreFieldsSchema } from '../../../src/jira/schemas';
import { routerTransport } from '../../../sandbox/forge-runtime/router-transport';
import { NO_FAULTS } from '../../../sandbox/server';
import { RateLimitedError } from '../../../src/shared/app-error';
import { createSite, fieldIdOf, hours, moveTo, USERS } from './server-fixture';

describe('the app’s Jira client over the sandbox', () => {
  it('reads issues, properties and paged bulk changelogs as the app', async () => {
    const site = createSite();
    const issue = await site.create({ labels: ['x'] });
    for (let h = 1; h <= 5; h += 1) moveTo(site, issue, h % 2 ? 'Assessment' : 'Draft', USERS.ivan, hours(h));
    const client = createJiraClient(routerTransport(() => site.router, { asApp: true }), { changelogPageSize: 2 });

    const json = await client.getIssue(issue.key, { fields: ['status', 'created', fieldIdOf(site.state, 'Implementer')], properties: ['cc81.evidence'] });
    expect(IssueCoreFieldsSchema.parse(json.fields).status.id).toBe(site.state.statuses[1]!.id); // Assessment after the last move
    expect(json.properties).toEqual({});

    expect(await client.getIssueProperty(issue.key, 'cc81.evidence')).toBeNull();
    await client.setIssueProperty(issue.key, 'cc81.evidence', { version: 1, records: [] });
    expect(await client.getIssueProperty(issue.id, 'cc81.evidence')).toEqual({ version: 1, records: [] });

    const histories = [];
    let token: string | undefined;
    do {
      const page = await client.bulkFetchChangelogs([issue.key], ['status'], token);
      histories.push(...page.issueChangeLogs.flatMap((log) => log.changeHistories));
      token = page.nextPageToken ?? undefined;
    } while (token);
    expect(histories).toHaveLength(5);
  });

  it('acts as the user for asUser calls', async () => {
    const site = createSite();
    const issue = await site.create();
    const client = createJiraClient(routerTransport(() => site.router, { asAccountId: USERS.ada.accountId }));
    await client.setIssueProperty(issue.key, 'p', 1);
    expect(site.logs.filter((l) => l.event === 'sandbox-property').map((l) => l.fields.accountId)).toEqual([USERS.ada.accountId]);
  });

  it('gets a RateLimitedError with the sandbox’s Retry-After and reason', async () => {
    const site = createSite({ faults: { ...NO_FAULTS, rate429: 1, retryAfterSeconds: 3 } });
    const waits: number[] = [];
    const client = createJiraClient(routerTransport(() => site.router, { asApp: true }), { retries: 2, sleep: async (ms) => void waits.push(ms) });
    const error = await client.getIssue('CHG-1', { fields: ['status'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterSeconds: 3, reason: 'jira-burst-based' });
    expect(waits).toEqual([3000, 3000]);
    expect(site.router.stats.snapshot().faults.rate429).toBe(3);
  });
});

describe('the config client over the sandbox: option labels', () => {
  it('reads every page of a field\'s options (a site may have hundreds), not the first page only', async () => {
    const site = createSite();
    const risk = fieldIdOf(site.state, 'Risk rating');
    const context = site.state.fieldContexts[risk]![0]!;
    for (let i = 0; i < 247; i += 1) context.options.push({ id: String(90_000 + i), value: `Level ${i}`, disabled: i === 5 });
    const counted = countingTransport(routerTransport(() => site.router, { asApp: true }));
    const labels = await createConfigClient(counted.transport).listFieldOptions(risk);
    expect(labels).toHaveLength(3 + 246);
    expect(labels).toEqual(expect.arrayContaining(['Low', 'Level 0', 'Level 246']));
    expect(labels).not.toContain('Level 5');
    expect(counted.calls.filter((c) => c.endsWith('/option'))).toHaveLength(3);
  });
});
