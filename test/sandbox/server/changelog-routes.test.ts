import type { ChangeHistory } from '../../../sandbox/state/sandbox-state';
import { bodyOf, createSite, fieldIdOf, hours, moveTo, Site, USERS } from './server-fixture';

const editAt = async (site: Site, key: string, at: Date, body: unknown, as = USERS.rita) => {
  site.setNow(at);
  const response = await site.call('PUT', `/rest/api/3/issue/${key}`, { body, as });
  expect(response.status).toBe(204);
};

describe('GET /rest/api/3/issue/{key}/changelog', () => {
  it('pages oldest first with startAt, maxResults, total, isLast and nextPage', async () => {
    const site = createSite();
    const issue = await site.create();
    for (let i = 1; i <= 5; i += 1) await editAt(site, issue.key, hours(i), { fields: { summary: `S${i}` } });
    const page = async (query: Record<string, string>) => bodyOf<{ startAt: number; maxResults: number; total: number; isLast: boolean; nextPage?: string; values: ChangeHistory[] }>(
      await site.call('GET', `/rest/api/3/issue/${issue.key}/changelog`, { query }),
    );
    const first = await page({ maxResults: '2' });
    expect(first).toMatchObject({ startAt: 0, maxResults: 2, total: 5, isLast: false });
    expect(first.nextPage).toBe(`http://localhost:8080/rest/api/3/issue/${issue.key}/changelog?maxResults=2&startAt=2`);
    expect(first.values.map((h) => h.items[0]!.toString)).toEqual(['S1', 'S2']);
    const last = await page({ maxResults: '2', startAt: '4' });
    expect(last).toMatchObject({ isLast: true, total: 5 });
    expect(last.values.map((h) => h.items[0]!.toString)).toEqual(['S5']);
    expect('nextPage' in last).toBe(false);
    expect((await page({})).maxResults).toBe(100);
    expect((await page({ maxResults: '1000' })).maxResults).toBe(100);
  });

  it('refuses bad paging parameters with 400 and a missing issue with 404', async () => {
    const site = createSite();
    const issue = await site.create();
    expect((await site.call('GET', `/rest/api/3/issue/${issue.key}/changelog`, { query: { startAt: '-1' } })).status).toBe(400);
    expect((await site.call('GET', `/rest/api/3/issue/${issue.key}/changelog`, { query: { maxResults: '0' } })).status).toBe(400);
    expect((await site.call('GET', '/rest/api/3/issue/CHG-77/changelog')).status).toBe(404);
  });
});

describe('POST /rest/api/3/changelog/bulkfetch', () => {
  /** Three issues whose histories interleave in time. */
  const interleaved = async () => {
    const site = createSite();
    const a = await site.create();
    const b = await site.create();
    const c = await site.create();
    const risk = fieldIdOf(site.state, 'Risk rating');
    for (let i = 0; i < 30; i += 1) {
      const issue = [a, b, c][i % 3]!;
      await editAt(site, issue.key, hours(i), i % 2 ? { fields: { summary: `S${i}` } } : { fields: { [risk]: { value: ['Low', 'High'][i % 4 === 0 ? 0 : 1] } } });
    }
    return { site, a, b, c, risk };
  };

  const fetchAll = async (site: Site, request: Record<string, unknown>) => {
    const pages: { issueChangeLogs: { issueId: string; changeHistories: ChangeHistory[] }[]; nextPageToken?: string }[] = [];
    let token: string | undefined;
    do {
      const response = await site.call('POST', '/rest/api/3/changelog/bulkfetch', { body: { ...request, ...(token ? { nextPageToken: token } : {}) } });
      expect(response.status).toBe(200);
      const page = bodyOf<(typeof pages)[number]>(response);
      pages.push(page);
      token = page.nextPageToken;
    } while (token && pages.length < 100);
    return pages;
  };

  it('returns every history exactly once across pages, oldest first', async () => {
    const { site, a, b, c } = await interleaved();
    const pages = await fetchAll(site, { issueIdsOrKeys: [a.key, b.id, c.key], maxResults: 7 });
    expect(pages).toHaveLength(5);
    expect(pages.slice(0, -1).every((p) => typeof p.nextPageToken === 'string')).toBe(true);
    expect('nextPageToken' in pages.at(-1)!).toBe(false);
    const seen = pages.flatMap((p) => p.issueChangeLogs.flatMap((log) => log.changeHistories.map((h) => ({ issueId: log.issueId, id: h.id, created: h.created }))));
    expect(seen).toHaveLength(30);
    expect(new Set(seen.map((s) => s.id)).size).toBe(30);
    // Pages follow each other in time; inside a page, each issue's histories are oldest first.
    const spans = pages.map((p) => p.issueChangeLogs.flatMap((log) => log.changeHistories.map((h) => h.created)).sort());
    spans.slice(1).forEach((span, i) => expect(span[0]! > spans[i]!.at(-1)!).toBe(true));
    for (const log of pages.flatMap((p) => p.issueChangeLogs)) {
      const created = log.changeHistories.map((h) => h.created);
      expect(created).toEqual([...created].sort());
    }
    expect(pages[0]!.issueChangeLogs.map((log) => log.issueId)).toEqual([a.id, b.id, c.id]);
  });

  it('keeps only histories and items of the requested fields', async () => {
    const { site, a, b, c, risk } = await interleaved();
    const pages = await fetchAll(site, { issueIdsOrKeys: [a.key, b.key, c.key], fieldIds: [risk] });
    const histories = pages.flatMap((p) => p.issueChangeLogs.flatMap((log) => log.changeHistories));
    expect(histories.length).toBeGreaterThan(0);
    expect(histories.length).toBeLessThan(30);
    expect(histories.every((h) => h.items.every((item) => item.fieldId === risk))).toBe(true);
  });

  it('stays exact when histories are added between pages', async () => {
    const { site, a, b, c } = await interleaved();
    const first = bodyOf<{ issueChangeLogs: { changeHistories: ChangeHistory[] }[]; nextPageToken: string }>(
      await site.call('POST', '/rest/api/3/changelog/bulkfetch', { body: { issueIdsOrKeys: [a.key, b.key, c.key], maxResults: 10 } }),
    );
    moveTo(site, a, 'Assessment', USERS.rita, hours(100));
    const rest = await fetchAll(site, { issueIdsOrKeys: [a.key, b.key, c.key], maxResults: 10, nextPageToken: first.nextPageToken });
    const ids = [...first.issueChangeLogs, ...rest.flatMap((p) => p.issueChangeLogs)].flatMap((log) => log.changeHistories.map((h) => h.id));
    expect(ids).toHaveLength(31);
    expect(new Set(ids).size).toBe(31);
  });

  it('leaves out unknown issues instead of failing', async () => {
    const { site, a } = await interleaved();
    const body = bodyOf<{ issueChangeLogs: { issueId: string }[] }>(await site.call('POST', '/rest/api/3/changelog/bulkfetch', { body: { issueIdsOrKeys: ['CHG-999', a.key] } }));
    expect(body.issueChangeLogs.map((log) => log.issueId)).toEqual([a.id]);
  });

  it.each([
    ['no issues', { issueIdsOrKeys: [] }, 'issueIdsOrKeys'],
    ['1001 issues', { issueIdsOrKeys: Array.from({ length: 1001 }, (_, i) => `CHG-${i}`) }, 'issueIdsOrKeys'],
    ['11 field ids', { issueIdsOrKeys: ['CHG-1'], fieldIds: Array.from({ length: 11 }, (_, i) => `customfield_${i}`) }, 'fieldIds'],
    ['duplicate field ids', { issueIdsOrKeys: ['CHG-1'], fieldIds: ['status', 'status'] }, 'fieldIds'],
    ['maxResults 10001', { issueIdsOrKeys: ['CHG-1'], maxResults: 10_001 }, 'maxResults'],
    ['maxResults 0', { issueIdsOrKeys: ['CHG-1'], maxResults: 0 }, 'maxResults'],
    ['an undocumented property', { issueIdsOrKeys: ['CHG-1'], expand: 'x' }, '(body)'],
    ['a missing body', undefined, '(body)'],
  ])('refuses %s with 400 naming the problem', async (_, body, path) => {
    const site = createSite();
    const response = await site.call('POST', '/rest/api/3/changelog/bulkfetch', { body });
    expect(response.status).toBe(400);
    expect(Object.keys(bodyOf<{ errors: object }>(response).errors)).toEqual([path]);
  });

  it('refuses a forged token, or one from another request, with 400', async () => {
    const { site, a, b } = await interleaved();
    const first = bodyOf<{ nextPageToken: string }>(await site.call('POST', '/rest/api/3/changelog/bulkfetch', { body: { issueIdsOrKeys: [a.key, b.key], maxResults: 2 } }));
    for (const request of [
      { issueIdsOrKeys: [a.key], maxResults: 2, nextPageToken: first.nextPageToken },
      { issueIdsOrKeys: [a.key, b.key], nextPageToken: 'not-a-token' },
    ]) {
      expect(await site.call('POST', '/rest/api/3/changelog/bulkfetch', { body: request })).toEqual({
        status: 400,
        headers: {},
        body: { errorMessages: ['The provided next page token is invalid or expired.'], errors: {} },
      });
    }
  });
});
