// Adapter test: @forge/api is mocked here (and only in adapter tests).
import api, { assumeTrustedRoute } from '@forge/api';
import { InvalidPayloadError, JiraUnreachableError } from '../../src/shared/app-error';
import { countingTransport, jiraPath, JiraTransport } from '../../src/jira/transport';
import { forgeTransport } from '../../src/forge/forge-transport';

jest.mock('@forge/api', () => {
  const requestJira = jest.fn();
  return {
    __esModule: true,
    default: { asApp: jest.fn(() => ({ requestJira })), asUser: jest.fn(() => ({ requestJira })) },
    assumeTrustedRoute: jest.fn((path: string) => ({ value: path })),
    NeedsAuthenticationError: class NeedsAuthenticationError extends Error {},
  };
});

const requestJira = (): jest.Mock => api.asApp().requestJira as unknown as jest.Mock;

const forgeResponse = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  ok: status < 300,
  headers: { get: (name: string) => headers[name] ?? null },
  json: async () => body,
});

describe('jiraPath', () => {
  it('interpolates validated segments', () => {
    expect(jiraPath`/rest/api/3/issue/${'CHG-42'}/properties/${'cc81.evidence'}`).toBe('/rest/api/3/issue/CHG-42/properties/cc81.evidence');
  });

  it.each(['..', '../admin', 'a/b', 'CHG-1?expand=x', 'CHG-1#x', '', '.hidden'])('refuses %j', (part) => {
    expect(() => jiraPath`/rest/api/3/issue/${part}`).toThrow(InvalidPayloadError);
  });
});

describe('forgeTransport', () => {
  beforeEach(() => requestJira().mockReset());

  it('sends GET as the app through assumeTrustedRoute with the encoded query', async () => {
    requestJira().mockResolvedValue(forgeResponse(200, { id: '1' }, { 'Retry-After': '3' }));
    const response = await forgeTransport('app')({ method: 'GET', path: '/rest/api/3/issue/CHG-1', query: { fields: 'status,created', properties: 'cc81.evidence' } });
    expect(assumeTrustedRoute).toHaveBeenCalledWith('/rest/api/3/issue/CHG-1?fields=status%2Ccreated&properties=cc81.evidence');
    expect(requestJira()).toHaveBeenCalledWith({ value: '/rest/api/3/issue/CHG-1?fields=status%2Ccreated&properties=cc81.evidence' }, { method: 'GET', headers: { Accept: 'application/json' } });
    expect(api.asApp).toHaveBeenCalled();
    expect(response.status).toBe(200);
    expect(response.header('Retry-After')).toBe('3');
    expect(await response.json()).toEqual({ id: '1' });
  });

  it('sends a JSON body as the user', async () => {
    requestJira().mockResolvedValue(forgeResponse(200, {}));
    await forgeTransport('user')({ method: 'POST', path: '/rest/api/3/changelog/bulkfetch', body: { issueIdsOrKeys: ['CHG-1'] } });
    expect(api.asUser).toHaveBeenCalled();
    expect(requestJira()).toHaveBeenCalledWith(expect.anything(), {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: '{"issueIdsOrKeys":["CHG-1"]}',
    });
  });

  it('refuses a path not built by jiraPath, without calling Jira', async () => {
    await expect(forgeTransport('app')({ method: 'GET', path: '/rest/api/3/issue/../../wiki' })).rejects.toThrow(InvalidPayloadError);
    await expect(forgeTransport('app')({ method: 'GET', path: 'https://evil.example/rest/api/3/issue/1' })).rejects.toThrow(InvalidPayloadError);
    expect(requestJira()).not.toHaveBeenCalled();
  });

  it('wraps a network failure in JiraUnreachableError, keeping the cause', async () => {
    const cause = new Error('socket hang up');
    requestJira().mockRejectedValue(cause);
    const error = await forgeTransport('app')({ method: 'GET', path: '/rest/api/3/issue/CHG-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraUnreachableError);
    expect(error).toMatchObject({ endpoint: 'GET /rest/api/3/issue/CHG-1', cause });
  });
});

describe('countingTransport', () => {
  it('counts and lists every request by endpoint, and resets', async () => {
    const inner: JiraTransport = async () => ({ status: 204, header: () => null, json: async () => null });
    const counted = countingTransport(inner);
    await counted.transport({ method: 'GET', path: '/rest/api/3/issue/A-1' });
    await counted.transport({ method: 'POST', path: '/rest/api/3/changelog/bulkfetch', body: {} });
    expect(counted.count()).toBe(2);
    expect(counted.calls).toEqual(['GET /rest/api/3/issue/A-1', 'POST /rest/api/3/changelog/bulkfetch']);
    counted.reset();
    expect(counted.count()).toBe(0);
  });
});
