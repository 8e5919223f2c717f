// Issue 16: `cc81 policy --site URL` prints a starting policy from a site's own fields, statuses
// and option labels, and lists what it could not decide; the policy then reads the site's tickets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '../../src/domain';
import { runCli } from '../../cli/run-cli';
import { EXIT } from '../../cli/cli-errors';
import { DEMO_USERS } from '../../sandbox/demo/demo-users';
import { startSandbox } from '../../sandbox/start-sandbox';
import { jsmChangeFields, jsmFieldMapping } from '../sandbox/jsm-site-setup';
import { auth, memoryIo, NOW, PERIOD, tempDir, type Sandbox } from './cli-fixture';

jest.setTimeout(60_000);

let jsm: Sandbox;
let bare: Sandbox;
beforeAll(async () => {
  const start = (site: 'jsm' | 'bare') => startSandbox({ port: 0, site, clock: () => NOW, triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined });
  [jsm, bare] = await Promise.all([start('jsm'), start('bare')]);
});
afterAll(async () => Promise.all([jsm.close(), bare.close()]));


describe('cc81 policy --site', () => {
  it('maps a JSM-style site\'s own fields, statuses and labels, naming only what it could not decide', async () => {
    const io = memoryIo(auth('admin'));
    expect(await runCli(['policy', '--site', jsm.url, '--project', 'CHG'], io)).toBe(EXIT.ok);
    const policy = JSON.parse(io.stdoutText) as Record<string, Record<string, unknown>>;
    // Exactly what the site's admin maps on the admin page (the jsm site's own fields).
    expect(policy.fields).toEqual(jsmFieldMapping(jsm));
    expect(policy.fieldTypes).toEqual({ approver: 'multiuser', verifier: 'group', targetSystems: 'components' });
    expect(policy.optionLabels).toEqual({ risk: { Critical: 'high' }, verificationResult: { Pass: 'passed', 'Failed - rolled back': 'failed-rolled-back' } });
    expect(policy.scope).toEqual({ projectId: jsm.state.project.id, projectKey: 'CHG', issueTypeId: jsm.state.issueType.id, issueTypeName: 'Change' });
    expect(Object.keys(policy.statuses!)).toEqual(['Draft', 'Assessment', 'Approved', 'Scheduled', 'Implemented', 'Closed']);
    expect(parsePolicy(policy).ok).toBe(true);
    // The only thing left: the site has no recurring-window field.
    expect(io.stderrText).toMatch(/cc81: 1 thing\(s\) to decide before using this policy:\n {2}fields\.recurringWindow: no field named like Recurring window/);
    expect(io.stderrText).toMatch(/cc81: \d+ REST call\(s\) to http/);
  });

  it('the printed policy then reads the site\'s tickets: cc81 audit reads every one', async () => {
    const dir = tempDir();
    const file = join(dir, 'policy.json');
    expect(await runCli(['policy', '--site', jsm.url, '--project', 'CHG', '--output', file], memoryIo(auth('admin')))).toBe(EXIT.ok);
    const headers = { Authorization: `Basic ${Buffer.from(`${DEMO_USERS.requester.emailAddress}:x`).toString('base64')}`, 'Content-Type': 'application/json' };
    const created = await fetch(`${jsm.url}/rest/api/3/issue`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        fields: jsmChangeFields(jsm, 'Rotate keys', {
          'Change risk': { value: 'Critical' },
          Approvers: [{ accountId: DEMO_USERS.approver.accountId }, { accountId: DEMO_USERS.cab.accountId }],
          'Verification team': { name: 'change-verifiers' },
        }),
      }),
    });
    expect(created.status).toBe(201);
    const io = memoryIo(auth('compliance'));
    expect(await runCli(['audit', '--site', jsm.url, '--policy', file, '--jql', 'project = CHG', ...PERIOD, '--format', 'json'], io)).toBe(EXIT.ok);
    const report = JSON.parse(io.stdoutText) as { summary: { tickets: number; unreadable: number } };
    expect(report.summary).toMatchObject({ tickets: 1, unreadable: 0 });
    expect(JSON.parse(readFileSync(file, 'utf8')).fieldTypes).toMatchObject({ approver: 'multiuser' });
  });

  it('on a bare site, says what is missing: every CC8.1 field without a field of its own, and the scope', async () => {
    const io = memoryIo(auth('admin'));
    expect(await runCli(['policy', '--site', bare.url], io)).toBe(EXIT.ok);
    const policy = JSON.parse(io.stdoutText) as { fields: Record<string, string> };
    expect(policy.fields).toEqual({ summary: 'summary', justification: 'description', requester: 'reporter' });
    expect(io.stderrText).toMatch(/fields\.risk: no field named like Risk rating \(tried: risk rating, change risk, risk, risk level\); map one or create it on the admin page/);
    expect(io.stderrText).toMatch(/scope: no --project given/);
    expect(io.stderrText).not.toMatch(/statuses\./);
  });

  it('maps the states to the change workflow\'s statuses, not to a same-named status of another workflow', async () => {
    const approved = jsm.state.statuses.find((st) => st.name === 'Approved')!;
    jsm.state.statuses.push({ ...approved, id: '99001' }); // another project's "Approved"
    try {
      const io = memoryIo(auth('admin'));
      expect(await runCli(['policy', '--site', jsm.url, '--project', 'CHG'], io)).toBe(EXIT.ok);
      expect((JSON.parse(io.stdoutText) as { statuses: Record<string, string> }).statuses.Approved).toBe(approved.id);
      expect(io.stderrText).not.toMatch(/statuses\.Approved/);
      // Without the project, the site's statuses are all there is: two "Approved", left to decide.
      const bare = memoryIo(auth('admin'));
      await runCli(['policy', '--site', jsm.url], bare);
      expect(bare.stderrText).toMatch(/statuses\.Approved: several statuses are named "approved"/);
    } finally {
      jsm.state.statuses.pop();
    }
  });

  it.each<[string, string[], Record<string, string>, RegExp]>([
    ['no --site', ['policy'], auth('admin'), /--site is required/],
    ['a site that is not a URL', ['policy', '--site', 'jira'], auth('admin'), /--site must be the base URL of a Jira site/],
    ['no credentials', ['policy', '--site', 'https://example.atlassian.net'], {}, /Set JIRA_EMAIL and JIRA_API_TOKEN/],
    ['an unknown option', ['policy', '--site', 'https://example.atlassian.net', '--jql', 'x'], auth('admin'), /Unknown option '--jql'/],
  ])('refuses %s, saying why', async (_name, argv, env, message) => {
    const io = memoryIo(env);
    expect(await runCli(argv, io)).toBe(EXIT.usage);
    expect(io.stderrText).toMatch(message);
    expect(io.stdoutText).toBe('');
  });

  it('Jira refusing the credentials is a Jira error, and nothing is printed as a policy', async () => {
    const io = memoryIo({ JIRA_EMAIL: 'nobody@example.com', JIRA_API_TOKEN: 'x' });
    expect(await runCli(['policy', '--site', jsm.url], io)).toBe(EXIT.jira);
    expect(io.stdoutText).toBe('');
    expect(io.stderrText).toMatch(/401/);
  });
});
