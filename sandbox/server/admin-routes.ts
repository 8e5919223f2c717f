/**
 * Sandbox administration (not Jira): the fault plan (`GET`/`PUT /sandbox/admin/faults`), request
 * counts (`GET`/`DELETE /sandbox/admin/stats`), the app's license (`GET`/`PUT
 * /sandbox/admin/license` `{ active }`) and whether CHG is company-managed (`GET`/`PUT
 * /sandbox/admin/project-style` `{ style: 'classic' | 'next-gen' }`), and the policy the app stores
 * (`GET /sandbox/admin/policy`, the record `cc81 --policy` reads), and the app's public evidence key
 * (`GET /sandbox/admin/evidence-key`, what `cc81 --evidence-key` takes). Never faulted, never counted, no auth (the server listens
 * on 127.0.0.1 only). Workflows are edited over Jira's own `POST /rest/api/3/workflows/update`.
 */
import { z } from 'zod';
import type { Logger } from '../../src/ports/logger';
import { storedPolicyOf } from '../forge-runtime/stored-policy';
import { exportPublicKey, keyIdOf, signingKeyOf } from '../../src/evidence-log/mirror-seal';
import type { SandboxState } from '../state/sandbox-state';
import type { RouterRequest, RouterResponse } from '../workflow/workflow-port';
import { FaultController, FaultPlanPatchSchema } from './faults';
import { empty, json, jiraError, Parsed, parseWith } from './jira-responses';
import type { RequestStats } from './request-stats';

export const ADMIN_PREFIX = '/sandbox/admin';

export interface AdminDeps {
  faults: FaultController;
  stats: RequestStats;
  state: SandboxState;
  log: Logger;
}

const LicenseSchema = z.object({ active: z.boolean() }).strict();
const ProjectStyleSchema = z.object({ style: z.enum(['classic', 'next-gen']) }).strict();

/** A site setting: `GET` reads it, `PUT` sets it from a strict body (refused with 400 and the field path). */
interface Setting {
  read: (state: SandboxState) => Record<string, string | boolean>;
  set: (state: SandboxState, body: unknown) => Parsed<unknown>;
}

const SETTINGS: Record<string, Setting> = {
  '/license': {
    read: (state) => ({ active: state.licensed }),
    set: (state, body) => {
      const parsed = parseWith(LicenseSchema, body);
      if (parsed.ok) state.licensed = parsed.value.active;
      return parsed;
    },
  },
  '/project-style': {
    read: (state) => ({ style: state.projectStyle }),
    set: (state, body) => {
      const parsed = parseWith(ProjectStyleSchema, body);
      if (parsed.ok) state.projectStyle = parsed.value.style;
      return parsed;
    },
  },
};

export const serveAdmin = (request: RouterRequest, method: string, path: string, { faults, stats, state, log }: AdminDeps): RouterResponse => {
  const resource = path.slice(ADMIN_PREFIX.length);
  const site = Object.hasOwn(SETTINGS, resource) ? SETTINGS[resource]! : null;
  if (site) {
    if (method === 'GET') return json(200, site.read(state));
    if (method === 'PUT') {
      const parsed = site.set(state, request.body ?? {});
      if (!parsed.ok) return parsed.response;
      log('sandbox-admin', { event: 'setting', resource, ...site.read(state) });
      return json(200, site.read(state));
    }
  } else if (resource === '/faults') {
    if (method === 'GET') return json(200, faults.plan());
    if (method === 'PUT') {
      const parsed = parseWith(FaultPlanPatchSchema, request.body ?? {});
      if (!parsed.ok) return parsed.response;
      const updated = faults.update(parsed.value);
      return 'error' in updated ? jiraError(400, [updated.error]) : json(200, updated);
    }
  } else if (resource === '/policy') {
    // The sandbox follows the policy the app stores (workflow engine), so this is what the app enforces.
    if (method === 'GET') return json(200, storedPolicyOf(state.policy, new Date()));
  } else if (resource === '/evidence-key') {
    // The app's public evidence key (on a site: the self-test on the admin page), for `cc81 --evidence-key`.
    if (method === 'GET') {
      const publicKey = signingKeyOf(state.appSigningKey).publicKey;
      return json(200, { publicKey: exportPublicKey(publicKey), keyId: keyIdOf(publicKey) });
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
