import { bodyOf, createSite, fieldIdOf, USERS } from './server-fixture';

describe('issue transitions', () => {
  it('GET lists what the workflow offers the caller, under expand "transitions"', async () => {
    const site = createSite();
    const issue = await site.create();
    const response = await site.call('GET', `/rest/api/3/issue/${issue.key}/transitions`);
    expect(response.status).toBe(200);
    const body = bodyOf<{ expand: string; transitions: { id: string; to: { name: string } }[] }>(response);
    expect(body.expand).toBe('transitions');
    expect(body.transitions.map((t) => t.to.name)).toEqual(['Assessment', 'Approved', 'Scheduled', 'Implemented', 'Closed']);
    const one = bodyOf<{ transitions: unknown[] }>(await site.call('GET', `/rest/api/3/issue/${issue.key}/transitions`, { query: { transitionId: body.transitions[1]!.id } }));
    expect(one.transitions).toHaveLength(1);
  });

  it('POST performs the transition as the caller with fields and update merged, and answers 204', async () => {
    const site = createSite();
    const issue = await site.create({ labels: ['a'] });
    const risk = fieldIdOf(site.state, 'Risk rating');
    const assessment = site.state.statuses.find((s) => s.name === 'Assessment')!.id;
    const response = await site.call('POST', `/rest/api/3/issue/${issue.key}/transitions`, {
      as: USERS.ivan,
      body: { transition: { id: assessment }, fields: { [risk]: { value: 'Low' } }, update: { labels: [{ add: 'b' }] } },
    });
    expect(response).toEqual({ status: 204, headers: {}, body: undefined });
    expect(site.workflow.calls).toEqual([{ issueKey: issue.key, transitionId: assessment, accountId: USERS.ivan.accountId, fields: { [risk]: { value: 'Low' }, labels: ['a', 'b'] } }]);
    expect((issue.fields.status as { name: string }).name).toBe('Assessment');
  });

  it('accepts a numeric transition id, as Jira does', async () => {
    const site = createSite();
    const issue = await site.create();
    expect((await site.call('POST', `/rest/api/3/issue/${issue.key}/transitions`, { body: { transition: { id: 10001 } } })).status).toBe(204);
    expect(site.workflow.calls[0]?.transitionId).toBe('10001');
  });

  it('passes a refusal from the workflow through with its status and body', async () => {
    const site = createSite();
    const issue = await site.create();
    site.workflow.refuseNext = { ok: false, status: 400, body: { errorMessages: ['CC8.1: an approver is required'], errors: {} } };
    const response = await site.call('POST', `/rest/api/3/issue/${issue.key}/transitions`, { body: { transition: { id: '10001' } } });
    expect(response).toEqual({ status: 400, headers: {}, body: { errorMessages: ['CC8.1: an approver is required'], errors: {} } });
    const invalid = await site.call('POST', `/rest/api/3/issue/${issue.key}/transitions`, { body: { transition: { id: '999' } } });
    expect(invalid.status).toBe(400);
  });

  it.each([
    ['no transition', {}],
    ['a transition without id', { transition: {} }],
  ])('refuses %s with 400', async (_, body) => {
    const site = createSite();
    const issue = await site.create();
    expect(await site.call('POST', `/rest/api/3/issue/${issue.key}/transitions`, { body })).toEqual({
      status: 400,
      headers: {},
      body: { errorMessages: ["Missing 'transition' identifier"], errors: {} },
    });
    expect(site.workflow.calls).toEqual([]);
  });

  it('refuses a bad update before asking the workflow', async () => {
    const site = createSite();
    const issue = await site.create();
    const response = await site.call('POST', `/rest/api/3/issue/${issue.key}/transitions`, { body: { transition: { id: '10001' }, update: { summary: [{ add: 'x' }] } } });
    expect(response.status).toBe(400);
    expect(site.workflow.calls).toEqual([]);
  });

  it('answers 404 for a missing issue, on GET and POST', async () => {
    const site = createSite();
    expect((await site.call('GET', '/rest/api/3/issue/CHG-1/transitions')).status).toBe(404);
    expect((await site.call('POST', '/rest/api/3/issue/CHG-1/transitions', { body: { transition: { id: '1' } } })).status).toBe(404);
  });
});
