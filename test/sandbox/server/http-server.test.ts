/** The router over real HTTP on an ephemeral port. */
import { JSON_CONTENT_TYPE, NO_FAULTS, sandboxPort, startSandboxServer, SandboxServer } from '../../../sandbox/server';
import { adf } from '../../../sandbox/state/jira-json';
import { basic, createSite, Site, USERS } from './server-fixture';

describe('startSandboxServer', () => {
  let site: Site;
  let server: SandboxServer;
  const auth = { Authorization: basic(USERS.rita.emailAddress, 'api-token') };

  beforeEach(async () => {
    site = createSite();
    server = await startSandboxServer({
      router: site.router,
      port: 0,
      host: '127.0.0.1',
      pages: async (request) => (request.path === '/' ? { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<h1>sandbox</h1>' } : null),
    });
  });
  afterEach(async () => {
    await server.close();
  });

  it('listens on 127.0.0.1 and an ephemeral port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves JSON with Jira’s content type and self links on the server’s own address', async () => {
    const response = await fetch(`${server.url}/rest/api/3/myself`, { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(JSON_CONTENT_TYPE);
    expect(await response.json()).toMatchObject({ accountId: USERS.rita.accountId, self: `${server.url}/rest/api/3/user?accountId=acc-rita` });
  });

  it('answers 401 without credentials and 404 on unknown routes, as JSON', async () => {
    const unauthenticated = await fetch(`${server.url}/rest/api/3/myself`);
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toEqual({ errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });
    const unknown = await fetch(`${server.url}/rest/api/2/whatever`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe(JSON_CONTENT_TYPE);
    expect(await unknown.json()).toEqual({ errorMessages: ['No REST resource at GET /rest/api/2/whatever.'], errors: {} });
  });

  it('creates, comments, edits (204 without a body) and reads back over HTTP', async () => {
    const json = { ...auth, 'Content-Type': 'application/json' };
    const created = await fetch(`${server.url}/rest/api/3/issue`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ fields: { project: { key: 'CHG' }, issuetype: { name: 'Change' }, summary: 'Over HTTP' } }),
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const edited = await fetch(`${server.url}/rest/api/3/issue/${key}`, { method: 'PUT', headers: json, body: JSON.stringify({ update: { labels: [{ add: 'http' }] } }) });
    expect(edited.status).toBe(204);
    expect(await edited.text()).toBe('');
    const comment = await fetch(`${server.url}/rest/api/3/issue/${key}/comment`, { method: 'POST', headers: json, body: JSON.stringify({ body: adf('hello') }) });
    expect(comment.status).toBe(201);
    const read = await fetch(`${server.url}/rest/api/3/issue/${key}?fields=summary&fields=labels`, { headers: auth });
    expect(await read.json()).toMatchObject({ key, fields: { summary: 'Over HTTP', labels: ['http'] } });
  });

  it('answers malformed JSON with 400 in Jira’s shape', async () => {
    const response = await fetch(`${server.url}/rest/api/3/search/jql`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"jql": ' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errorMessages: ['Invalid request payload. Refer to the REST API documentation and try again.'], errors: {} });
  });

  it('decodes percent-encoded path segments', async () => {
    await site.create();
    const response = await fetch(`${server.url}/rest/api/3/issue/CHG-1/properties/${encodeURIComponent('cc81.status')}`, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ state: 'ok' }),
    });
    expect(response.status).toBe(201);
    expect(site.state.issues[0]!.properties['cc81.status']).toEqual({ state: 'ok' });
  });

  it('carries 429 headers over HTTP, and admin changes take effect at runtime', async () => {
    const put = await fetch(`${server.url}/sandbox/admin/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rate429: 1, retryAfterSeconds: 4 }) });
    expect(await put.json()).toEqual({ ...NO_FAULTS, rate429: 1, retryAfterSeconds: 4 });
    const limited = await fetch(`${server.url}/rest/api/3/myself`, { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('4');
    expect(limited.headers.get('ratelimit-reason')).toBe('jira-burst-based');
    const stats = (await (await fetch(`${server.url}/sandbox/admin/stats`)).json()) as { faults: { rate429: number } };
    expect(stats.faults.rate429).toBe(1);
  });

  it('adds latency over HTTP', async () => {
    await fetch(`${server.url}/sandbox/admin/faults`, { method: 'PUT', body: JSON.stringify({ latencyMs: 80 }) });
    const started = Date.now();
    await fetch(`${server.url}/rest/api/3/field`, { headers: auth });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('tries the pages handler first and writes its string bodies as they are', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toBe('<h1>sandbox</h1>');
  });

  it('refuses bodies over the limit with 413', async () => {
    const small = await startSandboxServer({ router: site.router, port: 0, maxBodyBytes: 100 });
    try {
      const response = await fetch(`${small.url}/rest/api/3/search/jql`, { method: 'POST', headers: auth, body: JSON.stringify({ jql: 'x'.repeat(200) }) });
      expect(response.status).toBe(413);
    } finally {
      await small.close();
    }
  });
});

describe('sandboxPort', () => {
  it('reads PORT, defaulting to 8080, and refuses nonsense', () => {
    expect(sandboxPort({})).toBe(8080);
    expect(sandboxPort({ PORT: '9090' })).toBe(9090);
    expect(sandboxPort({ PORT: '0' })).toBe(0);
    expect(() => sandboxPort({ PORT: 'eighty' })).toThrow("PORT must be a port number (0–65535), got 'eighty'.");
    expect(() => sandboxPort({ PORT: '70000' })).toThrow();
  });
});
