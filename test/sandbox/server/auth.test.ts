import { SANDBOX_APP_USER } from '../../../sandbox/server';
import { basic, bodyOf, createSite, USERS } from './server-fixture';

const NOT_AUTHENTICATED = { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} };

describe('authentication like Jira Cloud', () => {
  it('accepts basic auth with a user email (any case) and any token', async () => {
    const site = createSite();
    const response = await site.call('GET', '/rest/api/3/myself', { as: 'anonymous', headers: { Authorization: basic('IVAN@Example.com', 'whatever') } });
    expect(response.status).toBe(200);
    expect(bodyOf(response)).toMatchObject({ accountId: USERS.ivan.accountId, accountType: 'atlassian', emailAddress: 'ivan@example.com' });
  });

  it.each([
    ['no credentials', {}],
    ['an unknown email', { authorization: basic('nobody@example.com') }],
    ['a bearer token', { authorization: 'Bearer abc' }],
    ['basic auth without a colon', { authorization: `Basic ${Buffer.from('rita@example.com').toString('base64')}` }],
    ['garbage', { authorization: 'Basic !!!' }],
  ])('answers 401 with Jira’s body for %s', async (_, headers) => {
    const site = createSite();
    const response = await site.call('GET', '/rest/api/3/myself', { as: 'anonymous', headers });
    expect(response).toMatchObject({ status: 401, body: NOT_AUTHENTICATED });
  });

  it('answers 401 for a deactivated user, by email or by account id', async () => {
    const site = createSite();
    expect((await site.call('GET', '/rest/api/3/myself', { as: USERS.former })).status).toBe(401);
    expect((await site.call('GET', '/rest/api/3/myself', { as: { accountId: USERS.former.accountId } })).status).toBe(401);
  });

  it('acts as the account id of an in-process asUser call, and 401s an unknown one', async () => {
    const site = createSite();
    expect(bodyOf(await site.call('GET', '/rest/api/3/myself', { as: { accountId: USERS.ada.accountId } }))).toMatchObject({ accountId: USERS.ada.accountId });
    expect((await site.call('GET', '/rest/api/3/myself', { as: { accountId: 'acc-nobody' } })).status).toBe(401);
  });

  it('lets asApp calls through as the app user (account type app)', async () => {
    const site = createSite();
    const response = await site.call('GET', '/rest/api/3/myself', { as: 'app' });
    expect(response.status).toBe(200);
    expect(bodyOf(response)).toMatchObject({ accountId: SANDBOX_APP_USER.accountId, accountType: 'app' });
  });

  it('requires authentication on every Jira endpoint, not only /myself', async () => {
    const site = createSite();
    const issue = await site.create();
    const endpoints: [string, string][] = [
      ['GET', `/rest/api/3/issue/${issue.key}`],
      ['PUT', `/rest/api/3/issue/${issue.key}`],
      ['POST', '/rest/api/3/search/jql'],
      ['POST', '/rest/api/3/changelog/bulkfetch'],
      ['GET', `/rest/api/3/issue/${issue.key}/properties/x`],
      ['GET', '/rest/api/3/field'],
    ];
    for (const [method, path] of endpoints) {
      expect({ method, path, status: (await site.call(method, path, { as: 'anonymous', body: {} })).status }).toEqual({ method, path, status: 401 });
    }
  });
});
