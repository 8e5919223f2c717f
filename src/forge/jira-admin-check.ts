import { asUser, route } from '@forge/api';
import { z } from 'zod';
import { JiraHttpError, MalformedResponseError } from '../shared/app-error';

const ENDPOINT = '/rest/api/3/mypermissions';

/** The part of `GET /rest/api/3/mypermissions?permissions=ADMINISTER` the check relies on. */
export const MyAdminPermissionSchema = z.object({
  permissions: z.object({
    ADMINISTER: z.object({ havePermission: z.boolean() }),
  }),
});

/** The minimal response the check needs from Jira; `asUser().requestJira` satisfies it. */
export interface JiraResponse {
  ok: boolean;
  status: number;
  json: () => Promise<unknown>;
}

/** Reads the caller's Administer Jira global permission from a `mypermissions` response. */
export const parseAdminPermission = async (response: JiraResponse): Promise<boolean> => {
  if (!response.ok) throw new JiraHttpError(response.status, ENDPOINT);
  const parsed = MyAdminPermissionSchema.safeParse(await response.json());
  if (!parsed.success) throw MalformedResponseError.fromZod(ENDPOINT, parsed.error);
  return parsed.data.permissions.ADMINISTER.havePermission;
};

/**
 * Whether the user who invoked the resolver is a Jira admin: one REST call made as that user
 * (scope `read:jira-work`). Throws on a non-2xx answer or an unexpected body; never guesses.
 */
export const checkAdminAsUser = async (): Promise<boolean> =>
  parseAdminPermission(
    await asUser().requestJira(route`/rest/api/3/mypermissions?permissions=ADMINISTER`, {
      headers: { Accept: 'application/json' },
    }),
  );
