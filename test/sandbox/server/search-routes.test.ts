import fc from 'fast-check';
import { bodyOf, createSite, hours, Site } from './server-fixture';

interface SearchPage {
  issues: { id: string; key?: string; fields?: Record<string, unknown>; properties?: Record<string, unknown> }[];
  nextPageToken?: string;
  isLast: boolean;
}

const search = async (site: Site, body: Record<string, unknown>) => {
  const response = await site.call('POST', '/rest/api/3/search/jql', { as: 'app', body });
  expect(response.status).toBe(200);
  return bodyOf<SearchPage>(response);
};

/** Every page of a search; `between` runs after each page (to change the site while paging). */
const pageAll = async (site: Site, body: Record<string, unknown>, between: (pageIndex: number) => Promise<void> | void = () => undefined) => {
  const pages: SearchPage[] = [];
  let token: string | undefined;
  do {
    const page = await search(site, { ...body, ...(token ? { nextPageToken: token } : {}) });
    pages.push(page);
    token = page.nextPageToken;
    expect(page.isLast).toBe(token === undefined);
    await between(pages.length - 1);
  } while (token && pages.length < 1000);
  return pages;
};

const siteWith = async (count: number) => {
  const site = createSite();
  for (let i = 0; i < count; i += 1) await site.create({ labels: i % 3 === 0 ? ['third'] : [] }, hours(i));
  return site;
};

describe('POST /rest/api/3/search/jql', () => {
  it('pages 237 issues with maxResults 50: every issue exactly once, in order, no total', async () => {
    const site = await siteWith(237);
    const pages = await pageAll(site, { jql: 'project = CHG ORDER BY key ASC', maxResults: 50 });
    expect(pages.map((p) => p.issues.length)).toEqual([50, 50, 50, 50, 37]);
    const ids = pages.flatMap((p) => p.issues.map((i) => i.id));
    expect(ids).toEqual(site.state.issues.map((i) => i.id));
    expect(pages.every((p) => !('total' in p))).toBe(true);
  });

  it('stays exact while issues are edited and created between pages', async () => {
    const site = await siteWith(120);
    const expected = new Set(site.state.issues.filter((i) => (i.fields.labels as string[]).includes('third')).map((i) => i.id));
    let clock = 500;
    const pages = await pageAll(site, { jql: 'labels = third ORDER BY created DESC', maxResults: 7 }, async () => {
      // The sweep labels what it found; someone files a matching change meanwhile (newer: before the cursor).
      site.setNow(hours((clock += 1)));
      await site.call('PUT', `/rest/api/3/issue/${site.state.issues[0]!.key}`, { body: { update: { labels: [{ add: 'seen' }] } } });
      await site.create({ summary: 'late', labels: ['third'] });
    });
    const ids = pages.flatMap((p) => p.issues.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(expected);
  });

  it('pages exactly once for any page size and order (property)', async () => {
    const site = await siteWith(40);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 45 }), fc.constantFrom('key ASC', 'key DESC', 'created DESC', 'updated ASC, key DESC'), async (maxResults, order) => {
        const pages = await pageAll(site, { jql: `project = CHG ORDER BY ${order}`, maxResults });
        const ids = pages.flatMap((p) => p.issues.map((i) => i.id));
        expect(ids.length).toBe(40);
        expect(new Set(ids).size).toBe(40);
      }),
      { numRuns: 40 },
    );
  });

  it('returns issue ids only by default, and issues shaped like GET issue when fields are asked for', async () => {
    const site = await siteWith(2);
    site.state.issues[0]!.properties['cc81.status'] = { state: 'ok' };
    expect((await search(site, { jql: 'project = CHG' })).issues).toEqual([{ id: '10002' }, { id: '10001' }]);
    const page = await search(site, { jql: 'key = CHG-1', fields: ['summary', 'status'], properties: ['cc81.status'], expand: 'changelog' });
    expect(page.issues[0]).toMatchObject({
      id: '10001',
      key: 'CHG-1',
      self: 'http://localhost:8080/rest/api/3/issue/10001',
      fields: { summary: 'A change', status: { name: 'Draft' } },
      properties: { 'cc81.status': { state: 'ok' } },
      changelog: { total: 0, histories: [] },
    });
    expect(Object.keys(page.issues[0]!.fields!)).toEqual(['summary', 'status']);
    const all = await search(site, { jql: 'key = CHG-1', fields: ['*all'] });
    expect(Object.keys(all.issues[0]!.fields!).length).toBe(site.state.fields.length);
  });

  it('defaults maxResults to 50 and caps it at 5000', async () => {
    const site = await siteWith(60);
    expect((await search(site, { jql: 'project = CHG' })).issues).toHaveLength(50);
    site.state.issues.push(
      ...Array.from({ length: 5000 }, (_, i) => ({ ...structuredClone(site.state.issues[0]!), id: String(20_000 + i), key: `CHG-${100 + i}` })),
    );
    const capped = await search(site, { jql: 'project = CHG', maxResults: 100_000 });
    expect(capped.issues).toHaveLength(5000);
    expect(capped.isLast).toBe(false);
  });

  it('answers JQL errors with 400 in Jira’s shape', async () => {
    const site = await siteWith(1);
    expect(await site.call('POST', '/rest/api/3/search/jql', { body: { jql: 'status = Nowhere' } })).toEqual({
      status: 400,
      headers: {},
      body: { errorMessages: ["The value 'Nowhere' does not exist for the field 'status'."], errors: {} },
    });
    expect(bodyOf(await site.call('POST', '/rest/api/3/search/jql', { body: { jql: 'status = ' } })).errorMessages).toEqual([
      'Error in the JQL Query: Expecting either a value, list or function before the end of the query.',
    ]);
    expect(bodyOf(await site.call('POST', '/rest/api/3/search/jql', { body: {} })).errorMessages).toEqual([
      'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
    ]);
  });

  it.each([
    ['an unknown property', { jql: 'project = CHG', total: true }],
    ['maxResults 0', { jql: 'project = CHG', maxResults: 0 }],
    ['fields as a string', { jql: 'project = CHG', fields: 'summary' }],
    ['six properties', { jql: 'project = CHG', properties: ['a', 'b', 'c', 'd', 'e', 'f'] }],
    ['a forged page token', { jql: 'project = CHG', nextPageToken: 'abc' }],
  ])('refuses %s with 400', async (_, body) => {
    const site = await siteWith(1);
    const response = await site.call('POST', '/rest/api/3/search/jql', { body });
    expect(response.status).toBe(400);
    expect(bodyOf<{ errorMessages: string[] }>(response).errorMessages.length).toBeGreaterThan(0);
  });

  it('refuses a page token used with another query', async () => {
    const site = await siteWith(3);
    const first = await search(site, { jql: 'project = CHG', maxResults: 1 });
    const response = await site.call('POST', '/rest/api/3/search/jql', { body: { jql: 'labels = third', nextPageToken: first.nextPageToken } });
    expect(bodyOf(response)).toEqual({ errorMessages: ['The provided next page token is invalid or expired.'], errors: {} });
  });

  it('serves GET /search/jql with query parameters too', async () => {
    const site = await siteWith(3);
    const response = await site.call('GET', '/rest/api/3/search/jql', { query: { jql: 'labels = third', fields: 'summary', maxResults: '1' } });
    const page = bodyOf<SearchPage>(response);
    expect(page.issues.map((i) => i.key)).toEqual(['CHG-1']);
    expect(page.isLast).toBe(true);
  });
});
