import { parsePolicyFile } from '../../../cli/policy-file';
import { bodyOf, createSite } from './server-fixture';

describe('GET /sandbox/admin/policy', () => {
  it('serves the policy the sandbox enforces, as the record cc81 --policy reads', async () => {
    const site = createSite();
    const response = await site.call('GET', '/sandbox/admin/policy');
    expect(response.status).toBe(200);
    const record = bodyOf<{ version: number; policy: unknown }>(response);
    expect(record.version).toBe(site.state.policy.version);
    expect(parsePolicyFile('sandbox', JSON.stringify(record))).toEqual(site.state.policy);
  });

  it('follows a policy the app stored later', async () => {
    const site = createSite();
    site.state.policy = { ...site.state.policy, version: site.state.policy.version + 1, postHoc: { ...site.state.policy.postHoc, windowHours: 48 } };
    const record = bodyOf<{ version: number; policy: { postHoc: { windowHours: number } } }>(await site.call('GET', '/sandbox/admin/policy'));
    expect(record.policy.postHoc.windowHours).toBe(48);
    expect(record.version).toBe(site.state.policy.version);
  });

  it('is read-only', async () => {
    const site = createSite();
    expect((await site.call('PUT', '/sandbox/admin/policy', { body: {} })).status).toBe(405);
  });
});
