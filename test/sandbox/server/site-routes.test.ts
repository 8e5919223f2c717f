import { bodyOf, createSite, USERS } from './server-fixture';

describe('site endpoints', () => {
  it('GET /myself returns the caller as a Jira User', async () => {
    const site = createSite();
    const response = await site.call('GET', '/rest/api/3/myself', { as: USERS.ada });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      self: 'http://localhost:8080/rest/api/3/user?accountId=acc-ada',
      accountId: 'acc-ada',
      accountType: 'atlassian',
      emailAddress: 'ada@example.com',
      displayName: 'Ada Approver',
      active: true,
      timeZone: 'UTC',
      locale: 'en_US',
    });
  });

  it('GET /users/search pages with startAt and maxResults and lists inactive users too', async () => {
    const site = createSite();
    const all = bodyOf<{ accountId: string; active: boolean }[]>(await site.call('GET', '/rest/api/3/users/search'));
    expect(all.map((u) => u.accountId)).toEqual(['acc-rita', 'acc-ivan', 'acc-ada', 'acc-former']);
    expect(all.find((u) => u.accountId === 'acc-former')?.active).toBe(false);
    const page = bodyOf<{ accountId: string }[]>(await site.call('GET', '/rest/api/3/users/search', { query: { startAt: '1', maxResults: '2' } }));
    expect(page.map((u) => u.accountId)).toEqual(['acc-ivan', 'acc-ada']);
  });

  it('GET /users/search refuses a non-numeric startAt with 400', async () => {
    const site = createSite();
    const response = await site.call('GET', '/rest/api/3/users/search', { query: { startAt: 'abc' } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errorMessages: ["The 'startAt' parameter must be an integer of at least 0."], errors: {} });
  });

  it('GET /field lists system and custom fields with clause names and no sandbox-internal keys', async () => {
    const site = createSite();
    const fields = bodyOf<Record<string, unknown>[]>(await site.call('GET', '/rest/api/3/field'));
    expect(fields).toHaveLength(site.state.fields.length);
    const changeType = fields.find((f) => f.name === 'Change type');
    expect(changeType).toMatchObject({ custom: true, clauseNames: [`cf[${(changeType?.schema as { customId: number }).customId}]`, 'Change type'] });
    expect(fields.find((f) => f.id === 'summary')).toMatchObject({ custom: false, clauseNames: ['summary'], schema: { type: 'string', system: 'summary' } });
    expect(fields.some((f) => 'cc81' in f)).toBe(false);
  });

  it('GET /status lists the six statuses with their categories', async () => {
    const site = createSite();
    const statuses = bodyOf<{ name: string; id: string; statusCategory: { key: string; colorName: string } }[]>(await site.call('GET', '/rest/api/3/status'));
    expect(statuses.map((s) => s.name)).toEqual(['Draft', 'Assessment', 'Approved', 'Scheduled', 'Implemented', 'Closed']);
    expect(statuses[0]?.statusCategory).toMatchObject({ key: 'new', colorName: 'blue-gray' });
    expect(statuses[5]?.statusCategory).toMatchObject({ key: 'done', colorName: 'green' });
  });

  it('answers unknown routes 404 and known paths with the wrong method 405, in Jira’s error shape', async () => {
    const site = createSite();
    expect(await site.call('GET', '/rest/api/3/nothing-here')).toEqual({ status: 404, headers: {}, body: { errorMessages: ['No REST resource at GET /rest/api/3/nothing-here.'], errors: {} } });
    const wrong = await site.call('DELETE', '/rest/api/3/myself');
    expect(wrong.status).toBe(405);
    expect(bodyOf(wrong)).toEqual({ errorMessages: ['DELETE is not allowed on /rest/api/3/myself.'], errors: {} });
  });

  it('uses the Host header for self links', async () => {
    const site = createSite();
    const response = await site.call('GET', '/rest/api/3/myself', { headers: { host: '127.0.0.1:9999' } });
    expect(bodyOf(response).self).toBe('http://127.0.0.1:9999/rest/api/3/user?accountId=acc-rita');
  });
});
