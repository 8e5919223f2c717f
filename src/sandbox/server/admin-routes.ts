/**
 * Sandbox administration (not Jira): the fault plan (`GET`/`PUT /sandbox/admin/faults`) and
 * request counts (`GET`/`DELETE /sandbox/admin/stats`). Never faulted, never counted, no auth
 * (the server listens on 127.0.0.1 only).
 */
import type { RouterRequest, RouterResponse } from '../workflow/workflow-port';
import { FaultController, FaultPlanPatchSchema } from './faults';
import { empty, json, jiraError, parseWith } from './jira-responses';
import type { RequestStats } from './request-stats';

export const ADMIN_PREFIX = '/sandbox/admin';

export const serveAdmin = (request: RouterRequest, method: string, path: string, faults: FaultController, stats: RequestStats): RouterResponse => {
  const resource = path.slice(ADMIN_PREFIX.length);
  if (resource === '/faults') {
    if (method === 'GET') return json(200, faults.plan());
    if (method === 'PUT') {
      const parsed = parseWith(FaultPlanPatchSchema, request.body ?? {});
      if (!parsed.ok) return parsed.response;
      const updated = faults.update(parsed.value);
      return 'error' in updated ? jiraError(400, [updated.error]) : json(200, updated);
    }
  } else if (resource === '/stats') {
    if (method === 'GET') return json(200, stats.snapshot());
    if (method === 'DELETE') {
      stats.reset();
      return empty(204);
    }
  } else {
    return jiraError(404, [`No sandbox admin resource at ${path}.`]);
  }
  return jiraError(405, [`${method} is not allowed on ${path}.`]);
};
