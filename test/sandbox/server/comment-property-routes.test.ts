import { adf } from '../../../sandbox/state/jira-json';
import { bodyOf, createSite, hours, USERS } from './server-fixture';

describe('issue comments', () => {
  it('POST adds an ADF comment as the caller and answers 201 with it; the issue is updated', async () => {
    const site = createSite();
    const issue = await site.create();
    site.setNow(hours(2));
    const response = await site.call('POST', `/rest/api/3/issue/${issue.key}/comment`, { as: USERS.ada, body: { body: adf('Looks good') } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: '10001',
      self: `http://localhost:8080/rest/api/3/issue/${issue.id}/comment/10001`,
      author: { accountId: USERS.ada.accountId },
      updateAuthor: { accountId: USERS.ada.accountId },
      body: adf('Looks good'),
      created: '2026-03-02T10:00:00.000+0000',
    });
    expect(issue.fields.updated).toBe('2026-03-02T10:00:00.000+0000');
  });

  it('GET pages comments, oldest first by default and newest first with orderBy=-created', async () => {
    const site = createSite();
    const issue = await site.create();
    for (const text of ['one', 'two', 'three']) await site.call('POST', `/rest/api/3/issue/${issue.key}/comment`, { body: { body: adf(text) } });
    const texts = async (query: Record<string, string>) => {
      const body = bodyOf<{ total: number; comments: { body: { content: { content: { text: string }[] }[] } }[] }>(await site.call('GET', `/rest/api/3/issue/${issue.key}/comment`, { query }));
      expect(body.total).toBe(3);
      return body.comments.map((c) => c.body.content[0]!.content[0]!.text);
    };
    expect(await texts({})).toEqual(['one', 'two', 'three']);
    expect(await texts({ orderBy: '-created' })).toEqual(['three', 'two', 'one']);
    expect(await texts({ startAt: '1', maxResults: '1' })).toEqual(['two']);
    expect((await site.call('GET', `/rest/api/3/issue/${issue.key}/comment`, { query: { orderBy: 'author' } })).status).toBe(400);
  });

  it.each([
    ['a plain string (v2 style)', { body: 'text' }, 'Comment body is not a valid Atlassian Document.'],
    ['no body', {}, 'Comment body can not be empty!'],
    ['an empty document', { body: { type: 'doc', version: 1, content: [] } }, 'Comment body can not be empty!'],
    ['a paragraph that is not a document', { body: { type: 'paragraph', content: [] } }, 'Comment body is not a valid Atlassian Document.'],
    ['a document without its version', { body: { type: 'doc', attrs: { version: 1 }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hi' }] }] } }, 'Comment body is not a valid Atlassian Document.'],
  ])('refuses %s with 400', async (_, body, message) => {
    const site = createSite();
    const issue = await site.create();
    expect(await site.call('POST', `/rest/api/3/issue/${issue.key}/comment`, { body })).toEqual({ status: 400, headers: {}, body: { errorMessages: [], errors: { comment: message } } });
    expect(issue.comments).toEqual([]);
  });

  it('answers 404 for a missing issue', async () => {
    const site = createSite();
    expect((await site.call('POST', '/rest/api/3/issue/CHG-5/comment', { body: { body: adf('x') } })).status).toBe(404);
  });
});

describe('issue properties', () => {
  const path = (key: string, prop = 'cc81.evidence') => `/rest/api/3/issue/${key}/properties/${prop}`;

  it('PUT creates (201) then updates (200); GET returns {key, value}; DELETE removes (204)', async () => {
    const site = createSite();
    const issue = await site.create();
    expect((await site.call('PUT', path(issue.key), { body: { version: 1, records: [] } })).status).toBe(201);
    expect((await site.call('PUT', path(issue.id), { body: { version: 2 } })).status).toBe(200);
    expect(await site.call('GET', path(issue.key))).toEqual({ status: 200, headers: {}, body: { key: 'cc81.evidence', value: { version: 2 } } });
    expect((await site.call('DELETE', path(issue.key))).status).toBe(204);
    expect(issue.properties).toEqual({});
  });

  it('stores any JSON value, including scalars', async () => {
    const site = createSite();
    const issue = await site.create();
    await site.call('PUT', path(issue.key, 'flag'), { body: true });
    expect(bodyOf(await site.call('GET', path(issue.key, 'flag')))).toEqual({ key: 'flag', value: true });
  });

  it('answers 404 for a missing property (GET and DELETE) or issue', async () => {
    const site = createSite();
    const issue = await site.create();
    expect(await site.call('GET', path(issue.key, 'nope'))).toEqual({ status: 404, headers: {}, body: { errorMessages: ["The property with key 'nope' does not exist."], errors: {} } });
    expect((await site.call('DELETE', path(issue.key, 'nope'))).status).toBe(404);
    expect((await site.call('PUT', path('CHG-40'), { body: {} })).status).toBe(404);
  });

  it('accepts 32768 bytes and refuses one more with 400', async () => {
    const site = createSite();
    const issue = await site.create();
    const fits = 'x'.repeat(32_768 - 2); // JSON string quotes
    expect((await site.call('PUT', path(issue.key), { body: fits })).status).toBe(201);
    const response = await site.call('PUT', path(issue.key), { body: `${fits}y` });
    expect(response.status).toBe(400);
    expect(bodyOf(response).errorMessages).toEqual(['The property value is too long: it must not exceed 32768 bytes.']);
    expect(issue.properties['cc81.evidence']).toBe(fits);
  });

  it('refuses a missing body and an over-long key with 400', async () => {
    const site = createSite();
    const issue = await site.create();
    expect((await site.call('PUT', path(issue.key))).status).toBe(400);
    expect((await site.call('PUT', path(issue.key, 'k'.repeat(256)), { body: 1 })).status).toBe(400);
  });

  it('keeps its own copy of a stored value', async () => {
    const site = createSite();
    const issue = await site.create();
    const value = { records: [1] };
    await site.call('PUT', path(issue.key), { body: value });
    value.records.push(2);
    expect(issue.properties['cc81.evidence']).toEqual({ records: [1] });
  });
});
