import { adf } from '../../../sandbox/state/jira-json';
import { bodyOf, createSite, fieldIdOf, hours, moveTo, USERS } from './server-fixture';

const CREATE = { project: { key: 'CHG' }, issuetype: { name: 'Change' }, summary: 'Rotate certificates' };

describe('POST /rest/api/3/issue', () => {
  it('creates a change in Draft, reported by the caller, and answers 201 {id, key, self}', async () => {
    const site = createSite();
    const risk = fieldIdOf(site.state, 'Risk rating');
    const response = await site.call('POST', '/rest/api/3/issue', {
      as: USERS.ivan,
      body: { fields: { ...CREATE, description: adf('Because'), [risk]: { value: 'High' }, labels: ['infra'] } },
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: '10001', key: 'CHG-1', self: 'http://localhost:8080/rest/api/3/issue/10001' });
    const issue = site.state.issues[0]!;
    expect(issue.fields).toMatchObject({
      summary: 'Rotate certificates',
      status: { name: 'Draft' },
      reporter: { accountId: USERS.ivan.accountId },
      labels: ['infra'],
      [risk]: { value: 'High', id: expect.any(String) },
      created: '2026-03-02T08:00:00.000+0000',
      updated: '2026-03-02T08:00:00.000+0000',
      issuetype: { name: 'Change' },
      project: { key: 'CHG' },
    });
    expect(issue.changelog).toEqual([]); // Jira records no history for creation
  });

  it('numbers issues one after another', async () => {
    const site = createSite();
    await site.create();
    const second = await site.create();
    expect([second.id, second.key]).toEqual(['10002', 'CHG-2']);
  });

  it.each([
    ['a missing summary', { project: { key: 'CHG' }, issuetype: { name: 'Change' } }, { summary: 'You must specify a summary of the issue.' }],
    ['a blank summary', { ...CREATE, summary: '  ' }, { summary: 'You must specify a summary of the issue.' }],
    ['another project', { ...CREATE, project: { key: 'OPS' } }, { project: 'Specify a valid project ID or key' }],
    ['no project', { summary: 'x', issuetype: { id: '10005' } }, { project: 'Specify a valid project ID or key' }],
    ['no issue type', { summary: 'x', project: { id: '10000' } }, { issuetype: 'Specify an issue type' }],
    ['another issue type', { ...CREATE, issuetype: { name: 'Bug' } }, { issuetype: 'Specify a valid issue type' }],
    ['an unknown field', { ...CREATE, customfield_99999: 'x' }, { customfield_99999: "Field 'customfield_99999' cannot be set. It is not on the appropriate screen, or unknown." }],
    ['a status', { ...CREATE, status: { id: '10003' } }, { status: "Field 'status' cannot be set. It is not on the appropriate screen, or unknown." }],
    ['a creator', { ...CREATE, creator: { accountId: 'acc-someone' } }, { creator: "Field 'creator' cannot be set. It is not on the appropriate screen, or unknown." }],
  ])('refuses %s with 400 and a field error', async (_, fields, errors) => {
    const site = createSite();
    const response = await site.call('POST', '/rest/api/3/issue', { body: { fields } });
    expect(response).toEqual({ status: 400, headers: {}, body: { errorMessages: [], errors } });
    expect(site.state.issues).toHaveLength(0);
  });

  it('refuses a body that is not an object with 400', async () => {
    const site = createSite();
    const response = await site.call('POST', '/rest/api/3/issue', { body: ['x'] });
    expect(response.status).toBe(400);
    expect(bodyOf(response).errorMessages).toEqual(['Invalid request payload. Refer to the REST API documentation and try again.']);
  });
});

describe('GET /rest/api/3/issue/{key}', () => {
  it('returns every field by default, null where empty, by key or id', async () => {
    const site = createSite();
    const issue = await site.create();
    for (const ref of [issue.key, issue.id, issue.key.toLowerCase()]) {
      const response = await site.call('GET', `/rest/api/3/issue/${ref}`);
      expect(response.status).toBe(200);
      const body = bodyOf<{ id: string; key: string; fields: Record<string, unknown> }>(response);
      expect([body.id, body.key]).toEqual([issue.id, issue.key]);
      expect(Object.keys(body.fields).sort()).toEqual(site.state.fields.map((f) => f.id).sort());
      expect(body.fields[fieldIdOf(site.state, 'Implementer')]).toBeNull();
    }
  });

  it('selects fields by a comma list, with *all and exclusions', async () => {
    const site = createSite();
    const issue = await site.create();
    const fieldsOf = async (fields: string) => Object.keys(bodyOf<{ fields: object }>(await site.call('GET', `/rest/api/3/issue/${issue.key}`, { query: { fields } })).fields).sort();
    expect(await fieldsOf('summary,status,nonexistent')).toEqual(['status', 'summary']);
    expect(await fieldsOf('*all,-summary')).not.toContain('summary');
    expect((await fieldsOf('*navigable')).length).toBe(site.state.fields.length);
  });

  it('includes requested properties (only those set) and no properties key otherwise', async () => {
    const site = createSite();
    const issue = await site.create();
    issue.properties['cc81.evidence'] = { version: 1 };
    const withProps = bodyOf(await site.call('GET', `/rest/api/3/issue/${issue.key}`, { query: { properties: 'cc81.evidence,missing' } }));
    expect(withProps.properties).toEqual({ 'cc81.evidence': { version: 1 } });
    expect('properties' in bodyOf(await site.call('GET', `/rest/api/3/issue/${issue.key}`))).toBe(false);
    expect(bodyOf(await site.call('GET', `/rest/api/3/issue/${issue.key}`, { query: { properties: '*all' } })).properties).toEqual({ 'cc81.evidence': { version: 1 } });
  });

  it('expands the changelog, most recent first, with startAt, maxResults and total', async () => {
    const site = createSite();
    const issue = await site.create();
    moveTo(site, issue, 'Assessment', USERS.rita, hours(1));
    moveTo(site, issue, 'Approved', USERS.ada, hours(2));
    const body = bodyOf<{ changelog: { startAt: number; maxResults: number; total: number; histories: { created: string }[] } }>(
      await site.call('GET', `/rest/api/3/issue/${issue.key}`, { query: { expand: 'changelog' } }),
    );
    expect(body.changelog).toMatchObject({ startAt: 0, maxResults: 2, total: 2 });
    expect(body.changelog.histories.map((h) => h.created)).toEqual(['2026-03-02T10:00:00.000+0000', '2026-03-02T09:00:00.000+0000']);
  });

  it('answers 404 in Jira’s shape for a missing issue', async () => {
    const site = createSite();
    expect(await site.call('GET', '/rest/api/3/issue/CHG-404')).toEqual({
      status: 404,
      headers: {},
      body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} },
    });
  });

  it('never hands out the state’s own objects', async () => {
    const site = createSite();
    const issue = await site.create({ labels: ['a'] });
    const body = bodyOf<{ fields: { labels: string[] } }>(await site.call('GET', `/rest/api/3/issue/${issue.key}`));
    body.fields.labels.push('mutated');
    expect(issue.fields.labels).toEqual(['a']);
  });
});

describe('PUT /rest/api/3/issue/{key}', () => {
  it('edits fields and labels as the caller, recording one history, and answers 204', async () => {
    const site = createSite();
    const issue = await site.create({ labels: ['keep', 'drop'] });
    site.setNow(hours(3));
    const implementer = fieldIdOf(site.state, 'Implementer');
    const response = await site.call('PUT', `/rest/api/3/issue/${issue.key}`, {
      as: USERS.ada,
      body: { fields: { summary: 'New summary', [implementer]: { accountId: USERS.ivan.accountId } }, update: { labels: [{ add: 'new' }, { remove: 'drop' }] } },
    });
    expect(response).toEqual({ status: 204, headers: {}, body: undefined });
    expect(issue.fields).toMatchObject({ summary: 'New summary', labels: ['keep', 'new'], [implementer]: { accountId: USERS.ivan.accountId }, updated: '2026-03-02T11:00:00.000+0000' });
    expect(issue.changelog).toHaveLength(1);
    expect(issue.changelog[0]).toMatchObject({ author: { accountId: USERS.ada.accountId }, created: '2026-03-02T11:00:00.000+0000' });
    expect(issue.changelog[0]!.items.map((i) => [i.fieldId, i.fromString, i.toString])).toEqual([
      ['summary', 'A change', 'New summary'],
      [implementer, null, 'Ivan Implementer'],
      ['labels', 'keep drop', 'keep new'],
    ]);
  });

  it('supports update set on labels, and records nothing when nothing changes', async () => {
    const site = createSite();
    const issue = await site.create({ labels: ['a'] });
    await site.call('PUT', `/rest/api/3/issue/${issue.key}`, { body: { update: { labels: [{ set: ['x', 'y'] }] } } });
    expect(issue.fields.labels).toEqual(['x', 'y']);
    await site.call('PUT', `/rest/api/3/issue/${issue.key}`, { body: { update: { labels: [{ add: 'x' }] } } });
    expect(issue.changelog).toHaveLength(1);
  });

  it('records edits made as the app with the app as author', async () => {
    const site = createSite();
    const issue = await site.create();
    expect((await site.call('PUT', `/rest/api/3/issue/${issue.key}`, { as: 'app', body: { update: { labels: [{ add: 'cc81-posthoc-overdue' }] } } })).status).toBe(204);
    expect(issue.changelog[0]?.author?.displayName).toBe('CC8.1 Change Control');
  });

  it('returns the issue with returnIssue=true', async () => {
    const site = createSite();
    const issue = await site.create();
    const response = await site.call('PUT', `/rest/api/3/issue/${issue.key}`, { query: { returnIssue: 'true' }, body: { fields: { summary: 'S2' } } });
    expect(response.status).toBe(200);
    expect(bodyOf<{ fields: { summary: string } }>(response).fields.summary).toBe('S2');
  });

  it.each([
    ['an unknown field', { fields: { customfield_1: 'x' } }, { customfield_1: "Field 'customfield_1' cannot be set. It is not on the appropriate screen, or unknown." }],
    ['the status', { fields: { status: { id: '10004' } } }, { status: "Field 'status' cannot be set. It is not on the appropriate screen, or unknown." }],
    ['the creator (who named the roles an issue was created with)', { fields: { creator: { accountId: 'acc-someone' } } }, { creator: "Field 'creator' cannot be set. It is not on the appropriate screen, or unknown." }],
    ['a label with a space', { update: { labels: [{ add: 'two words' }] } }, { labels: "The label 'two words' contains spaces which is invalid." }],
    ['add on a single-value field', { update: { summary: [{ add: 'x' }] } }, { summary: "The operation 'add' is not supported by the field 'summary'." }],
    ['a field in both fields and update', { fields: { labels: [] }, update: { labels: [{ add: 'x' }] } }, { labels: "Field 'labels' cannot be set in both 'fields' and 'update'." }],
    ['an unknown field in update', { update: { nope: [{ set: 'x' }] } }, { nope: "Field 'nope' cannot be set. It is not on the appropriate screen, or unknown." }],
  ])('refuses %s with 400 and changes nothing', async (_, body, errors) => {
    const site = createSite();
    const issue = await site.create({ labels: ['a'] });
    const response = await site.call('PUT', `/rest/api/3/issue/${issue.key}`, { body });
    expect(response).toEqual({ status: 400, headers: {}, body: { errorMessages: [], errors } });
    expect(issue.changelog).toEqual([]);
    expect(issue.fields.labels).toEqual(['a']);
  });

  it('refuses a missing body, and an operation with two verbs', async () => {
    const site = createSite();
    const issue = await site.create();
    expect(bodyOf(await site.call('PUT', `/rest/api/3/issue/${issue.key}`))).toEqual({ errorMessages: ['The request body is missing.'], errors: {} });
    const twoVerbs = await site.call('PUT', `/rest/api/3/issue/${issue.key}`, { body: { update: { labels: [{ add: 'a', remove: 'b' }] } } });
    expect(twoVerbs.status).toBe(400);
    expect(bodyOf(twoVerbs).errors).toEqual({ 'update.labels.0': 'Each operation names exactly one verb' });
  });

  it('answers 404 for a missing issue', async () => {
    const site = createSite();
    expect((await site.call('PUT', '/rest/api/3/issue/CHG-9', { body: { fields: {} } })).status).toBe(404);
  });
});
