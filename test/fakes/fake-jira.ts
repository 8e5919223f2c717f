/**
 * An in-memory Jira serving the REST v3 subset the app uses: GET issue (fields and properties
 * filters), POST changelog/bulkfetch (field filter, pages), GET/PUT issue properties. Failures can
 * be queued per endpoint (429 with headers, 500, malformed JSON). Requests are recorded.
 */
import type { JiraRequest, JiraResponse, JiraTransport } from '../../src/jira/transport';
import type { JiraHistory } from './jira-json.builder';

export interface FakeIssue {
  json: { id: string; key: string; fields: Record<string, unknown>; [k: string]: unknown };
  histories: JiraHistory[];
  properties: Map<string, unknown>;
}

export type FakeFailure =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'malformed-json' }
  | { kind: 'body'; body: unknown };

const response = (status: number, body: unknown, headers: Record<string, string> = {}): JiraResponse => {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status,
    header: (name) => lower[name.toLowerCase()] ?? null,
    json: async () => (body === undefined ? Promise.reject(new SyntaxError('Unexpected end of JSON input')) : JSON.parse(JSON.stringify(body))),
  };
};

const notFound = () => response(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });

export class FakeJira {
  readonly issues = new Map<string, FakeIssue>();
  readonly requests: JiraRequest[] = [];
  private readonly failures: { endpoint: RegExp; failure: FakeFailure }[] = [];

  addIssue(json: FakeIssue['json'], histories: JiraHistory[] = [], properties: Record<string, unknown> = {}): this {
    const issue: FakeIssue = { json, histories, properties: new Map(Object.entries(properties)) };
    this.issues.set(json.key, issue);
    this.issues.set(json.id, issue);
    // Properties requested with `properties=` come from the store, not from the JSON.
    const inline = json.properties;
    if (inline && typeof inline === 'object') for (const [k, v] of Object.entries(inline)) issue.properties.set(k, v);
    delete json.properties;
    return this;
  }

  /** The next request whose `METHOD path` matches fails this way (once). */
  failNext(endpoint: RegExp, failure: FakeFailure): this {
    this.failures.push({ endpoint, failure });
    return this;
  }

  readonly transport: JiraTransport = async (request) => {
    this.requests.push(JSON.parse(JSON.stringify(request)));
    const endpoint = `${request.method} ${request.path}`;
    const index = this.failures.findIndex((f) => f.endpoint.test(endpoint));
    const failure = index >= 0 ? this.failures.splice(index, 1)[0]?.failure : undefined;
    if (failure) {
      if (failure.kind === 'malformed-json') {
        return { status: 200, header: () => null, json: () => Promise.reject(new SyntaxError('Unexpected token < in JSON at position 0')) };
      }
      if (failure.kind === 'body') return response(200, failure.body);
      return response(failure.status, failure.body ?? { errorMessages: ['Internal server error'], errors: {} }, failure.headers);
    }
    return this.route(request);
  };

  private route(request: JiraRequest): JiraResponse {
    const issueMatch = /^\/rest\/api\/3\/issue\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && issueMatch) return this.getIssue(issueMatch[1] ?? '', request.query ?? {});
    if (request.method === 'POST' && request.path === '/rest/api/3/changelog/bulkfetch') return this.bulkfetch(request.body);
    const propMatch = /^\/rest\/api\/3\/issue\/([^/]+)\/properties\/([^/]+)$/.exec(request.path);
    if (propMatch) {
      const issue = this.issues.get(propMatch[1] ?? '');
      if (!issue) return notFound();
      const key = propMatch[2] ?? '';
      if (request.method === 'GET') {
        return issue.properties.has(key)
          ? response(200, { key, value: issue.properties.get(key) })
          : response(404, { errorMessages: [`The property with key '${key}' does not exist.`], errors: {} });
      }
      if (request.method === 'PUT') {
        const existed = issue.properties.has(key);
        issue.properties.set(key, JSON.parse(JSON.stringify(request.body)));
        return response(existed ? 200 : 201, undefined);
      }
    }
    return notFound();
  }

  private getIssue(idOrKey: string, query: Record<string, string>): JiraResponse {
    const issue = this.issues.get(idOrKey);
    if (!issue) return notFound();
    const wanted = (query.fields ?? '*all').split(',');
    const fields = wanted.includes('*all')
      ? issue.json.fields
      : Object.fromEntries(Object.entries(issue.json.fields).filter(([id]) => wanted.includes(id)));
    const props = (query.properties ?? '').split(',').filter(Boolean);
    const properties = Object.fromEntries(props.filter((p) => issue.properties.has(p)).map((p) => [p, issue.properties.get(p)]));
    return response(200, { ...issue.json, fields, ...(props.length ? { properties } : {}) });
  }

  private bulkfetch(body: unknown): JiraResponse {
    if (!body || typeof body !== 'object' || !('issueIdsOrKeys' in body) || !Array.isArray(body.issueIdsOrKeys)) {
      return response(400, { errorMessages: ['issueIdsOrKeys is required'], errors: {} });
    }
    const fieldIds: string[] | null = 'fieldIds' in body && Array.isArray(body.fieldIds) ? body.fieldIds.map(String) : null;
    const maxResults = 'maxResults' in body && typeof body.maxResults === 'number' ? body.maxResults : 1000;
    const offset = 'nextPageToken' in body && typeof body.nextPageToken === 'string' ? Number(Buffer.from(body.nextPageToken, 'base64').toString()) : 0;
    // Sorted oldest first, by issue id (as documented); filtered histories keep only matching items.
    const all = body.issueIdsOrKeys
      .map((k: unknown) => this.issues.get(String(k)))
      .filter((i: FakeIssue | undefined): i is FakeIssue => i !== undefined)
      .flatMap((issue: FakeIssue) =>
        issue.histories
          .map((h) => ({ issueId: issue.json.id, history: { ...h, items: fieldIds ? h.items.filter((i) => fieldIds.includes(String(i.fieldId))) : h.items } }))
          .filter((e) => e.history.items.length > 0),
      )
      .sort((a: { history: JiraHistory }, b: { history: JiraHistory }) => Date.parse(a.history.created.replace(/(\d{2})(\d{2})$/, '$1:$2')) - Date.parse(b.history.created.replace(/(\d{2})(\d{2})$/, '$1:$2')));
    const page = all.slice(offset, offset + maxResults);
    const byIssue = new Map<string, JiraHistory[]>();
    for (const { issueId, history } of page) byIssue.set(issueId, [...(byIssue.get(issueId) ?? []), history]);
    const next = offset + maxResults < all.length ? Buffer.from(String(offset + maxResults)).toString('base64') : null;
    return response(200, {
      issueChangeLogs: [...byIssue].map(([issueId, changeHistories]) => ({ issueId, changeHistories })),
      nextPageToken: next,
    });
  }
}

/** A KVS stand-in. */
export class MemoryStore {
  readonly values = new Map<string, unknown>();
  reads = 0;
  async get(key: string): Promise<unknown> {
    this.reads += 1;
    return this.values.get(key);
  }
  async set(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
  }
  async setIfAbsent(key: string, value: unknown): Promise<'written' | 'exists'> {
    if (this.values.has(key)) return 'exists';
    await this.set(key, value);
    return 'written';
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
  async listPage(prefix: string, cursor: string | null, limit: number) {
    const keys = [...this.values.keys()].filter((key) => key.startsWith(prefix) && (cursor === null || key > cursor)).sort();
    const page = keys.slice(0, limit);
    return { entries: page.map((key) => ({ key, value: JSON.parse(JSON.stringify(this.values.get(key))) as unknown })), nextCursor: keys.length > limit ? page.at(-1)! : null };
  }
  async listByPrefix(prefix: string): Promise<Array<{ key: string; value: unknown }>> {
    return [...this.values.keys()]
      .filter((key) => key.startsWith(prefix))
      .sort()
      .map((key) => ({ key, value: JSON.parse(JSON.stringify(this.values.get(key))) as unknown }));
  }
}
