import { FieldDetailsSchema, FieldListSchema, ProjectSchema, ProjectSearchSchema } from '../../../src/jira/workflow-schemas';
import { ADMIN, bodyOf, createSite, USERS } from './server-fixture';

const TYPE = 'com.atlassian.jira.plugin.system.customfieldtypes:';
const site = (which: 'demo' | 'bare' = 'bare') => createSite({ users: [...Object.values(USERS), ADMIN], site: which });

const createField = async (s: ReturnType<typeof site>, body: Record<string, unknown>) => {
  const response = await s.call('POST', '/rest/api/3/field', { as: ADMIN, body });
  return { status: response.status, body: response.body as Record<string, unknown> };
};

/** A select field with options, created as the admin page's "create recommended fields" would. */
const selectWithOptions = async (s: ReturnType<typeof site>, name: string, values: string[]) => {
  const field = FieldDetailsSchema.parse((await createField(s, { name, type: `${TYPE}select`, searcherKey: `${TYPE}multiselectsearcher` })).body);
  const contexts = bodyOf<{ values: { id: string }[] }>(await s.call('GET', `/rest/api/3/field/${field.id}/context`, { as: ADMIN }));
  const contextId = contexts.values[0]!.id;
  const created = await s.call('POST', `/rest/api/3/field/${field.id}/context/${contextId}/option`, { as: ADMIN, body: { options: values.map((value) => ({ value })) } });
  expect(created.status).toBe(200);
  return { field, contextId, options: bodyOf<{ options: { id: string; value: string }[] }>(created).options };
};

describe('projects', () => {
  it('GET /project/{key} answers CHG as company-managed, with its issue types', async () => {
    const s = site();
    for (const idOrKey of ['CHG', 'chg', '10000']) {
      const project = ProjectSchema.parse(bodyOf(await s.call('GET', `/rest/api/3/project/${idOrKey}`)));
      expect(project).toMatchObject({ id: '10000', key: 'CHG', style: 'classic', simplified: false, issueTypes: [{ id: '10005', name: 'Change', subtask: false }] });
    }
    expect((await s.call('GET', '/rest/api/3/project/NOPE')).status).toBe(404);
  });

  it('GET /project/search pages, filters by key and query, and says team-managed when it is', async () => {
    const s = site();
    const page = ProjectSearchSchema.parse(bodyOf(await s.call('GET', '/rest/api/3/project/search', { query: { keys: 'CHG', expand: 'issueTypes' } })));
    expect(page.values.map((p) => [p.key, p.style, p.issueTypes?.length])).toEqual([['CHG', 'classic', 1]]);
    expect(page.isLast).toBe(true);
    expect(bodyOf<{ values: unknown[]; total: number }>(await s.call('GET', '/rest/api/3/project/search', { query: { query: 'payroll' } }))).toMatchObject({ values: [], total: 0 });
    expect(bodyOf<{ values: unknown[] }>(await s.call('GET', '/rest/api/3/project/search', { query: { startAt: '1' } })).values).toEqual([]);
    expect(bodyOf<{ values: Record<string, unknown>[] }>(await s.call('GET', '/rest/api/3/project/search')).values[0]).not.toHaveProperty('issueTypes');
    s.state.projectStyle = 'next-gen';
    expect(bodyOf<{ values: Record<string, unknown>[] }>(await s.call('GET', '/rest/api/3/project/search')).values[0]).toMatchObject({ style: 'next-gen', simplified: true });
    expect((await s.call('GET', '/rest/api/3/project/search', { query: { maxResults: 'x' } })).status).toBe(400);
  });
});

describe('GET /mypermissions', () => {
  it.each([
    [ADMIN, true],
    ['app' as const, true],
    [USERS.rita, false],
  ])('answers ADMINISTER for %#', async (who, has) => {
    const s = site();
    const body = bodyOf<{ permissions: Record<string, { havePermission: boolean; key: string }> }>(await s.call('GET', '/rest/api/3/mypermissions', { as: who, query: { permissions: 'ADMINISTER,BROWSE_PROJECTS' } }));
    expect(body.permissions.ADMINISTER).toMatchObject({ key: 'ADMINISTER', havePermission: has });
    expect(body.permissions.BROWSE_PROJECTS?.havePermission).toBe(true);
  });

  it('refuses a missing or unknown permission key', async () => {
    const s = site();
    expect((await s.call('GET', '/rest/api/3/mypermissions')).status).toBe(400);
    expect((await s.call('GET', '/rest/api/3/mypermissions', { query: { permissions: 'EAT_CAKE' } })).status).toBe(400);
  });
});

describe('custom fields', () => {
  it.each([
    ['select', { type: 'option' }],
    ['textfield', { type: 'string' }],
    ['textarea', { type: 'string' }],
    ['userpicker', { type: 'user' }],
    ['labels', { type: 'array', items: 'string' }],
    ['datetime', { type: 'datetime' }],
  ])('POST /field creates a %s field that GET /field then lists with its schema', async (type, schema) => {
    const s = site();
    const created = await createField(s, { name: 'Risk rating', type: `${TYPE}${type}` });
    expect(created.status).toBe(201);
    const field = FieldDetailsSchema.parse(created.body);
    expect(field).toMatchObject({ id: 'customfield_10040', name: 'Risk rating', custom: true, schema: { ...schema, custom: `${TYPE}${type}`, customId: 10040 } });
    const listed = FieldListSchema.parse(bodyOf(await s.call('GET', '/rest/api/3/field'))).find((f) => f.id === field.id);
    expect(listed).toEqual(field);
  });

  it('numbers new fields after the demo fields, so demo ids stay stable', async () => {
    const s = site('demo');
    const demoIds = s.state.fields.filter((f) => f.custom).map((f) => f.id);
    const field = FieldDetailsSchema.parse((await createField(s, { name: 'Extra', type: `${TYPE}textfield` })).body);
    expect(demoIds).not.toContain(field.id);
    expect(Number(field.id.replace('customfield_', ''))).toBe(Math.max(...demoIds.map((id) => Number(id.replace('customfield_', '')))) + 1);
  });

  it.each([
    [{ name: 'X', type: `${TYPE}cascadingselect` }, 'type'],
    [{ name: 'X', type: 'select' }, 'type'],
    [{ name: 'X', type: `${TYPE}select`, searcherKey: `${TYPE}textsearcher` }, 'searcherKey'],
    [{ name: '', type: `${TYPE}select` }, 'name'],
    [{ type: `${TYPE}select` }, 'name'],
  ])('POST /field refuses %j with a field error on %s', async (body, path) => {
    const s = site();
    const response = await createField(s, body);
    expect(response.status).toBe(400);
    expect((response.body as { errors: Record<string, string> }).errors).toHaveProperty([path]);
    expect(s.state.fields.some((f) => f.custom)).toBe(false);
  });

  it('POST /field and the context and option endpoints are for Jira admins and the app', async () => {
    const s = site();
    expect((await s.call('POST', '/rest/api/3/field', { as: USERS.rita, body: { name: 'X', type: `${TYPE}select` } })).status).toBe(403);
    const { field, contextId } = await selectWithOptions(s, 'Change type', ['Standard']);
    expect((await s.call('GET', `/rest/api/3/field/${field.id}/context`, { as: USERS.ivan })).status).toBe(403);
    expect((await s.call('POST', `/rest/api/3/field/${field.id}/context`, { as: USERS.ivan, body: { name: 'C' } })).status).toBe(403);
    expect((await s.call('GET', `/rest/api/3/field/${field.id}/context/${contextId}/option`, { as: USERS.ivan })).status).toBe(403);
    expect((await s.call('POST', `/rest/api/3/field/${field.id}/context/${contextId}/option`, { as: USERS.ivan, body: { options: [{ value: 'x' }] } })).status).toBe(403);
    expect((await s.call('POST', '/rest/api/3/field', { as: 'app', body: { name: 'Y', type: `${TYPE}textfield` } })).status).toBe(201);
  });

  it('creates a global context with the field; another context can be project-scoped, a second global one is refused', async () => {
    const s = site();
    const field = FieldDetailsSchema.parse((await createField(s, { name: 'Risk rating', type: `${TYPE}select` })).body);
    const contexts = bodyOf<{ values: Record<string, unknown>[] }>(await s.call('GET', `/rest/api/3/field/${field.id}/context`, { as: ADMIN }));
    expect(contexts.values).toEqual([{ id: expect.any(String), name: 'Default Configuration Scheme for Risk rating', description: '', isGlobalContext: true, isAnyIssueType: true }]);
    const scoped = await s.call('POST', `/rest/api/3/field/${field.id}/context`, { as: ADMIN, body: { name: 'CHG only', projectIds: ['10000'], issueTypeIds: ['10005'] } });
    expect(scoped).toMatchObject({ status: 201, body: { name: 'CHG only', projectIds: ['10000'], issueTypeIds: ['10005'] } });
    expect((await s.call('POST', `/rest/api/3/field/${field.id}/context`, { as: ADMIN, body: { name: 'Again' } })).status).toBe(409);
    expect((await s.call('POST', `/rest/api/3/field/${field.id}/context`, { as: ADMIN, body: { name: 'Bad', projectIds: ['99'] } })).status).toBe(400);
    expect((await s.call('POST', `/rest/api/3/field/${field.id}/context`, { as: ADMIN, body: {} })).status).toBe(400);
    const global = bodyOf<{ values: unknown[] }>(await s.call('GET', `/rest/api/3/field/${field.id}/context`, { as: ADMIN, query: { isGlobalContext: 'true' } }));
    expect(global.values).toHaveLength(1);
    expect((await s.call('GET', '/rest/api/3/field/summary/context', { as: ADMIN })).status).toBe(404);
    expect((await s.call('GET', '/rest/api/3/field/customfield_99999/context', { as: ADMIN })).status).toBe(404);
  });

  it('stores options per context, lists them, and refuses duplicates, empty values and non-select fields', async () => {
    const s = site();
    const { field, contextId, options } = await selectWithOptions(s, 'Risk rating', ['Low', 'Medium', 'High']);
    expect(options.map((o) => o.value)).toEqual(['Low', 'Medium', 'High']);
    expect(new Set(options.map((o) => o.id)).size).toBe(3);
    const listed = bodyOf<{ values: { id: string; value: string; disabled: boolean }[] }>(await s.call('GET', `/rest/api/3/field/${field.id}/context/${contextId}/option`, { as: ADMIN }));
    expect(listed.values).toEqual(options.map((o) => ({ ...o, disabled: false })));
    const dup = await s.call('POST', `/rest/api/3/field/${field.id}/context/${contextId}/option`, { as: ADMIN, body: { options: [{ value: 'low' }] } });
    expect(dup).toMatchObject({ status: 400, body: { errors: { 'options.0.value': expect.stringMatching(/already exists/) } } });
    expect((await s.call('POST', `/rest/api/3/field/${field.id}/context/${contextId}/option`, { as: ADMIN, body: { options: [{ value: ' ' }] } })).status).toBe(400);
    expect((await s.call('GET', `/rest/api/3/field/${field.id}/context/404/option`, { as: ADMIN })).status).toBe(404);
    const text = FieldDetailsSchema.parse((await createField(s, { name: 'Notes', type: `${TYPE}textfield` })).body);
    const textContext = bodyOf<{ values: { id: string }[] }>(await s.call('GET', `/rest/api/3/field/${text.id}/context`, { as: ADMIN })).values[0]!.id;
    expect((await s.call('GET', `/rest/api/3/field/${text.id}/context/${textContext}/option`, { as: ADMIN })).status).toBe(400);
  });

  it("lets issues carry a created select field's values, by the field's own option ids, and searches them", async () => {
    const s = site();
    const { field, options } = await selectWithOptions(s, 'Risk rating', ['Low', 'High']);
    const high = options.find((o) => o.value === 'High')!;
    const created = await s.call('POST', '/rest/api/3/issue', { body: { fields: { project: { key: 'CHG' }, issuetype: { name: 'Change' }, summary: 'S', [field.id]: { value: 'High' } } } });
    expect(created.status).toBe(201);
    const { key, id } = bodyOf<{ key: string; id: string }>(created);
    const issue = bodyOf<{ fields: Record<string, unknown> }>(await s.call('GET', `/rest/api/3/issue/${key}`));
    expect(issue.fields[field.id]).toMatchObject({ id: high.id, value: 'High' });
    expect((await s.call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { [field.id]: { id: options[0]!.id } } } })).status).toBe(204);
    const refused = await s.call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { [field.id]: { value: 'Medium' } } } });
    expect(refused).toMatchObject({ status: 400, body: { errors: { [field.id]: "Specify a valid 'id' or 'name' for Risk rating" } } });
    const found = bodyOf<{ issues: { id: string }[] }>(await s.call('POST', '/rest/api/3/search/jql', { body: { jql: `"Risk rating" = Low` } }));
    expect(found.issues.map((i) => i.id)).toEqual([id]);
    const none = bodyOf<{ issues: unknown[] }>(await s.call('POST', '/rest/api/3/search/jql', { body: { jql: `"Risk rating" = High` } }));
    expect(none.issues).toEqual([]);
  });
});

describe('sandbox admin: license and project style', () => {
  it('flips the license flag, refusing anything but { active: boolean }', async () => {
    const s = site();
    expect(bodyOf(await s.call('GET', '/sandbox/admin/license'))).toEqual({ active: true });
    expect(bodyOf(await s.call('PUT', '/sandbox/admin/license', { body: { active: false } }))).toEqual({ active: false });
    expect(s.state.licensed).toBe(false);
    expect((await s.call('PUT', '/sandbox/admin/license', { body: { active: 'no' } })).status).toBe(400);
    expect((await s.call('PUT', '/sandbox/admin/license', { body: { active: true, extra: 1 } })).status).toBe(400);
    expect(s.state.licensed).toBe(false);
    expect((await s.call('DELETE', '/sandbox/admin/license')).status).toBe(405);
  });

  it('PUT /sandbox/admin/project-style makes CHG team-managed, as the project endpoints then say', async () => {
    const s = site();
    expect(bodyOf(await s.call('PUT', '/sandbox/admin/project-style', { body: { style: 'next-gen' } }))).toEqual({ style: 'next-gen' });
    expect(bodyOf(await s.call('GET', '/rest/api/3/project/CHG'))).toMatchObject({ style: 'next-gen', simplified: true });
    expect((await s.call('PUT', '/sandbox/admin/project-style', { body: { style: 'team' } })).status).toBe(400);
    expect(bodyOf(await s.call('GET', '/sandbox/admin/project-style'))).toEqual({ style: 'next-gen' });
  });
});
