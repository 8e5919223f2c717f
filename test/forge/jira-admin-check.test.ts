import { z } from 'zod';
import { parseAdminPermission, type JiraResponse } from '../../src/forge/jira-admin-check';
import { JiraHttpError, MalformedResponseError } from '../../src/shared/app-error';
import { readOpenApiJson } from '../fakes/openapi';

const response = (status: number, body: unknown): JiraResponse => ({ ok: status >= 200 && status < 300, status, json: async () => body });

const permission = (havePermission: boolean) => ({
  permissions: { ADMINISTER: { id: '0', key: 'ADMINISTER', name: 'Administer Jira', type: 'GLOBAL', description: 'x', havePermission } },
});

describe('parseAdminPermission (GET /rest/api/3/mypermissions?permissions=ADMINISTER)', () => {
  it.each([[true], [false]])('reads havePermission = %s', async (have) => {
    await expect(parseAdminPermission(response(200, permission(have)))).resolves.toBe(have);
  });

  it('throws JiraHttpError on a non-2xx answer without reading the body', async () => {
    const json = jest.fn();
    await expect(parseAdminPermission({ ok: false, status: 401, json })).rejects.toEqual(expect.any(JiraHttpError));
    expect(json).not.toHaveBeenCalled();
  });

  it.each([[{}], [{ permissions: {} }], [{ permissions: { ADMINISTER: { havePermission: 'yes' } } }], [null]])(
    'throws MalformedResponseError for %j (never guesses admin)',
    async (body) => {
      await expect(parseAdminPermission(response(200, body))).rejects.toEqual(expect.any(MalformedResponseError));
    },
  );
});

describe('the mypermissions call against the Jira OpenAPI document', () => {
  const doc = z
    .object({
      paths: z.record(z.string(), z.record(z.string(), z.object({ parameters: z.array(z.object({ name: z.string(), in: z.string() })), security: z.array(z.record(z.string(), z.array(z.string()))) }).partial())),
      components: z.object({ schemas: z.record(z.string(), z.object({ properties: z.record(z.string(), z.object({ type: z.string().optional() })) }).partial()) }),
    })
    .parse(readOpenApiJson());
  const operation = doc.paths['/rest/api/3/mypermissions']?.['get'];

  it('is a GET with a `permissions` query parameter', () => {
    expect(operation?.parameters).toContainEqual(expect.objectContaining({ name: 'permissions', in: 'query' }));
  });

  it('needs only read:jira-work, a scope the app already has', () => {
    expect(operation?.security).toContainEqual({ OAuth2: ['read:jira-work'] });
  });

  it('answers havePermission as a boolean', () => {
    expect(doc.components.schemas['UserPermission']?.properties?.['havePermission']?.type).toBe('boolean');
  });
});
