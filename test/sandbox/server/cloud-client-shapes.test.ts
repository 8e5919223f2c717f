// Issue 17: the sandbox answers as Jira Cloud does what a common client calls on connect and search:
// server info, the removed /search (410), v2 paths, links and icons in field values, names and
// schema at a search's top level, rendered fields, property keys, 400 for an invalid transition.
import { adf } from '../../../sandbox/state/jira-json';
import { SEARCH_REMOVED } from '../../../sandbox/server/search-routes';
import { bodyOf, createSite, fieldIdOf, USERS } from './server-fixture';

const CREATE = { project: { key: 'CHG' }, issuetype: { name: 'Change' }, summary: 'Rotate certificates' };
const BASE = 'http://localhost:8080';

const siteWithIssue = async () => {
  const site = createSite();
  const risk = fieldIdOf(site.state, 'Risk rating');
  const implementer = fieldIdOf(site.state, 'Implementer');
  const testPlan = fieldIdOf(site.state, 'Test plan');
  const created = bodyOf<{ key: string }>(
    await site.call('POST', '/rest/api/3/issue', { body: { fields: { ...CREATE, description: adf('Because'), [risk]: { value: 'High' }, [implementer]: { accountId: USERS.ivan.accountId }, [testPlan]: adf('Canary') } } }),
  );
  return { site, key: created.key, risk, implementer, testPlan };
};

describe('what clients call on connect', () => {
  it('GET /serverInfo: a Cloud site, on v3 and v2', async () => {
    const { site } = await siteWithIssue();
    for (const version of ['3', '2']) {
      const info = await site.call('GET', `/rest/api/${version}/serverInfo`);
      expect(info.status).toBe(200);
      expect(info.body).toMatchObject({ baseUrl: BASE, deploymentType: 'Cloud', versionNumbers: [1001, 0, 0], serverTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*\+0000$/) });
    }
    // As in Jira Cloud, before signing in; nothing else is.
    expect((await site.call('GET', '/rest/api/3/serverInfo', { as: 'anonymous' })).status).toBe(200);
    expect((await site.call('GET', '/rest/api/3/myself', { as: 'anonymous' })).status).toBe(401);
  });
});

describe('the removed search', () => {
  it.each(['GET', 'POST'])('%s /rest/api/3/search (and v2) answers 410 with Jira Cloud\'s words, not 404', async (method) => {
    const { site } = await siteWithIssue();
    for (const path of ['/rest/api/3/search', '/rest/api/2/search']) {
      const response = await site.call(method, path, method === 'GET' ? { query: { jql: 'project = CHG' } } : { body: { jql: 'project = CHG' } });
      expect(response).toMatchObject({ status: 410, body: { errorMessages: [SEARCH_REMOVED], errors: {} } });
    }
  });
});

describe('issues as Cloud returns them', () => {
  it('users with self, avatars and time zone; status, issue type and project with self and icons; options on this site', async () => {
    const { site, key, risk, implementer } = await siteWithIssue();
    const fields = bodyOf<{ fields: Record<string, Record<string, unknown>> }>(await site.call('GET', `/rest/api/3/issue/${key}`)).fields;
    expect(fields.reporter).toMatchObject({ self: `${BASE}/rest/api/3/user?accountId=${USERS.rita.accountId}`, accountId: USERS.rita.accountId, timeZone: USERS.rita.timeZone, avatarUrls: { '48x48': expect.stringContaining(BASE) } });
    expect(fields[implementer]).toMatchObject({ self: expect.stringContaining(`${BASE}/rest/api/3/user?accountId=`), avatarUrls: expect.any(Object) });
    expect(fields.status).toMatchObject({ self: expect.stringContaining(`${BASE}/rest/api/3/status/`), iconUrl: expect.stringContaining(BASE), statusCategory: { key: 'new' } });
    expect(fields.issuetype).toMatchObject({ self: `${BASE}/rest/api/3/issuetype/10005`, iconUrl: expect.stringContaining(BASE), name: 'Change' });
    expect(fields.project).toMatchObject({ self: `${BASE}/rest/api/3/project/10000`, key: 'CHG', avatarUrls: expect.any(Object) });
    expect(fields[risk]).toMatchObject({ value: 'High', self: expect.stringMatching(new RegExp(`^${BASE}/rest/api/3/customFieldOption/\\d+$`)) });
    // The stored issue keeps its own shape: the links are the response's.
    expect(site.state.issues[0]!.fields.reporter).not.toHaveProperty('avatarUrls');
  });

  it('expand=names,schema,renderedFields on GET issue', async () => {
    const { site, key, testPlan } = await siteWithIssue();
    const bean = bodyOf<{ names: Record<string, string>; schema: Record<string, { type: string }>; renderedFields: Record<string, unknown> }>(
      await site.call('GET', `/rest/api/3/issue/${key}`, { query: { expand: 'names,schema,renderedFields' } }),
    );
    expect(bean.names).toMatchObject({ summary: 'Summary', [testPlan]: 'Test plan' });
    expect(bean.schema).toMatchObject({ summary: { type: 'string', system: 'summary' }, [testPlan]: { type: 'string', custom: expect.stringContaining('textarea') } });
    expect(bean.renderedFields).toMatchObject({ description: '<p>Because</p>', [testPlan]: '<p>Canary</p>', created: expect.stringMatching(/GMT$/), summary: null });
  });

  it('a search puts names and schema once at its top level, not in each issue', async () => {
    const { site } = await siteWithIssue();
    await site.call('POST', '/rest/api/3/issue', { body: { fields: CREATE } });
    const page = bodyOf<{ issues: Record<string, unknown>[]; names: Record<string, string>; schema: Record<string, unknown> }>(
      await site.call('POST', '/rest/api/3/search/jql', { body: { jql: 'project = CHG', fields: ['summary', 'status'], expand: 'names,schema' } }),
    );
    expect(page.issues).toHaveLength(2);
    expect(page.issues.every((issue) => !('names' in issue) && !('schema' in issue))).toBe(true);
    expect(page.names).toEqual({ summary: 'Summary', status: 'Status' });
    expect(Object.keys(page.schema).sort()).toEqual(['status', 'summary']);
  });

  it('GET /issue/{key}/properties lists the keys with their links', async () => {
    const { site, key } = await siteWithIssue();
    await site.call('PUT', `/rest/api/3/issue/${key}/properties/team.note`, { body: { a: 1 } });
    expect(bodyOf(await site.call('GET', `/rest/api/3/issue/${key}/properties`))).toEqual({ keys: [{ self: `${BASE}/rest/api/3/issue/10001/properties/team.note`, key: 'team.note' }] });
    expect((await site.call('GET', '/rest/api/3/issue/CHG-404/properties')).status).toBe(404);
  });
});

describe('REST v2, for clients that default to it', () => {
  it('answers where v3 does, with rich text as plain text and links on /rest/api/2', async () => {
    const { site, key, testPlan } = await siteWithIssue();
    const v2 = bodyOf<{ self: string; fields: Record<string, unknown> }>(await site.call('GET', `/rest/api/2/issue/${key}`));
    expect(v2.self).toBe(`${BASE}/rest/api/2/issue/10001`);
    expect(v2.fields.description).toBe('Because');
    expect(v2.fields[testPlan]).toBe('Canary');
    expect((v2.fields.reporter as { self: string }).self).toContain('/rest/api/2/user');
    // A summary that merely mentions a v3 path is the user's text: untouched.
    await site.call('PUT', `/rest/api/2/issue/${key}`, { body: { fields: { summary: 'See /rest/api/3/issue for details' } } });
    expect(bodyOf<{ fields: { summary: string } }>(await site.call('GET', `/rest/api/2/issue/${key}`)).fields.summary).toBe('See /rest/api/3/issue for details');
  });

  it('takes a v2 comment\'s text body (v3 insists on a document)', async () => {
    const { site, key } = await siteWithIssue();
    expect((await site.call('POST', `/rest/api/2/issue/${key}/comment`, { body: { body: 'Scheduled for Tuesday' } })).status).toBe(201);
    expect((await site.call('POST', `/rest/api/3/issue/${key}/comment`, { body: { body: 'Scheduled for Tuesday' } })).status).toBe(400);
    const comments = bodyOf<{ comments: { body: unknown }[] }>(await site.call('GET', `/rest/api/3/issue/${key}/comment`)).comments;
    expect(comments.map((c) => c.body)).toEqual([adf('Scheduled for Tuesday')]);
  });

  it('an unknown v2 path is a 404 naming the path asked', async () => {
    const { site } = await siteWithIssue();
    expect(await site.call('GET', '/rest/api/2/nothing')).toMatchObject({ status: 404, body: { errorMessages: ['No REST resource at GET /rest/api/2/nothing.'] } });
  });
});

describe('transitions', () => {
  it('an invalid transition id is a 400 (404 would mean no such issue)', async () => {
    const { site, key } = await siteWithIssue();
    const response = await site.call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id: '99999' } } });
    expect(response).toMatchObject({ status: 400, body: { errorMessages: ["Transition id '99999' is not valid for this issue."] } });
  });
});
