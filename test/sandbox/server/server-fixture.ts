/**
 * Test fixture for the sandbox server: a site with a few users, a permissive workflow fake (every
 * other status is one transition away; it records calls and can be told to refuse), a settable
 * clock, and helpers to call the router as a user (basic auth), as the app or as an account id.
 */
import type { LogFields } from '../../../src/ports/logger';
import { createRouter, SandboxServerRouter } from '../../../sandbox/server';
import type { FaultPlan } from '../../../sandbox/server';
import { adf } from '../../../sandbox/state/jira-json';
import { applyFieldChanges, createSandboxState, SandboxIssue, SandboxSite, SandboxState, SandboxUser, statusOf } from '../../../sandbox/state/sandbox-state';
import type { RouterResponse, SandboxWorkflow, TransitionJson, TransitionOutcome } from '../../../sandbox/workflow/workflow-port';
import { State } from '../../../src/domain';
import { statusJson } from '../../../sandbox/workflow/cc81-workflow';

const user = (accountId: string, displayName: string, emailAddress: string, active = true, groups: string[] = []): SandboxUser => ({
  accountId,
  displayName,
  emailAddress,
  active,
  groups: ['jira-users', ...groups],
  timeZone: 'UTC',
});

export const USERS = {
  rita: user('acc-rita', 'Rita Requester', 'rita@example.com'),
  ivan: user('acc-ivan', 'Ivan Implementer', 'ivan@example.com'),
  ada: user('acc-ada', 'Ada Approver', 'ada@example.com', true, ['cab-members']),
  former: user('acc-former', 'Former user', 'former@example.com', false),
};

/** A Jira admin (not in USERS, so the user lists other tests expect stay as they are). */
export const ADMIN = user('acc-admin', 'Adam Admin', 'adam@example.com', true, ['jira-administrators']);

export const T0 = new Date('2026-03-02T08:00:00.000Z');
export const hours = (h: number): Date => new Date(T0.getTime() + h * 3_600_000);

export interface TransitionCall {
  issueKey: string;
  transitionId: string;
  accountId: string;
  fields: Record<string, unknown>;
}

export class PermissiveWorkflow implements SandboxWorkflow {
  readonly calls: TransitionCall[] = [];
  refuseNext: TransitionOutcome | null = null;

  constructor(
    private readonly state: SandboxState,
    private readonly clock: () => Date,
  ) {}

  /** One transition to every other status; the id is the target status id. */
  async transitionsFor(issue: SandboxIssue): Promise<TransitionJson[]> {
    const current = (issue.fields.status as { id: string }).id;
    return this.state.statuses
      .filter((s) => s.id !== current)
      .map((s) => ({
        id: s.id,
        name: `Move to ${s.name}`,
        to: statusJson(s),
        hasScreen: false,
        isGlobal: false,
        isInitial: false,
        isAvailable: true,
        isConditional: false,
        isLooped: false,
      }));
  }

  async transition(issue: SandboxIssue, transitionId: string, actor: SandboxUser, fields: Record<string, unknown>): Promise<TransitionOutcome> {
    this.calls.push({ issueKey: issue.key, transitionId, accountId: actor.accountId, fields });
    if (this.refuseNext) {
      const outcome = this.refuseNext;
      this.refuseNext = null;
      return outcome;
    }
    const to = this.state.statuses.find((s) => s.id === transitionId);
    if (!to) return { ok: false, status: 400, body: { errorMessages: [`Transition id '${transitionId}' is not valid for this issue.`], errors: {} } };
    applyFieldChanges(this.state, issue, { status: statusJson(to), ...fields }, actor, this.clock());
    return { ok: true };
  }
}

export interface CallOptions {
  query?: Record<string, string>;
  body?: unknown;
  /** A user (basic auth with their email), `'app'`, `{ accountId }`, or `'anonymous'` (no credentials). */
  as?: SandboxUser | 'app' | { accountId: string } | 'anonymous';
  headers?: Record<string, string>;
}

export const basic = (email: string, token = 'any-api-token'): string => `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;

export interface Site {
  state: SandboxState;
  router: SandboxServerRouter;
  workflow: PermissiveWorkflow;
  logs: { event: string; fields: LogFields }[];
  setNow(date: Date): void;
  now(): Date;
  call(method: string, path: string, options?: CallOptions): Promise<RouterResponse>;
  /** Creates a change through `POST /issue` as Rita, at `at` (default: now). */
  create(fields?: Record<string, unknown>, at?: Date): Promise<SandboxIssue>;
}

export const createSite = (options: { faults?: FaultPlan; sleep?: (ms: number) => Promise<void>; users?: SandboxUser[]; site?: SandboxSite } = {}): Site => {
  const state = createSandboxState(options.users ?? Object.values(USERS), {}, { site: options.site ?? 'demo' });
  let now = T0;
  const clock = () => now;
  const workflow = new PermissiveWorkflow(state, clock);
  const logs: Site['logs'] = [];
  const router = createRouter({
    state,
    workflow,
    clock,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    log: (event, fields) => logs.push({ event, fields }),
  });
  const call: Site['call'] = (method, path, { query = {}, body, as = USERS.rita, headers = {} } = {}) => {
    const isUser = (who: CallOptions['as']): who is SandboxUser => typeof who === 'object' && 'emailAddress' in who;
    const auth: Record<string, string> = isUser(as) ? { authorization: basic(as.emailAddress) } : {};
    return router({
      method,
      path,
      query,
      headers: { ...auth, ...headers },
      body,
      ...(as === 'app' ? { asApp: true } : {}),
      ...(typeof as === 'object' && !isUser(as) ? { asAccountId: as.accountId } : {}),
    });
  };
  const create: Site['create'] = async (fields = {}, at) => {
    const before = now;
    if (at) now = at;
    const response = await call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'CHG' }, issuetype: { name: 'Change' }, summary: 'A change', ...fields } },
    });
    now = at ? before : now;
    if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`);
    return state.issues.find((i) => i.id === (response.body as { id: string }).id)!;
  };
  return { state, router, workflow, logs, setNow: (d) => (now = d), now: () => now, call, create };
};

/** Moves an issue to `to` as `actor` at `at`, as history (bypassing the workflow). */
export const moveTo = (site: Site, issue: SandboxIssue, to: State, actor: SandboxUser, at: Date) =>
  applyFieldChanges(site.state, issue, { status: statusJson(statusOf(site.state, to)) }, actor, at);

export const doc = adf;

export const fieldIdOf = (state: SandboxState, name: string): string => {
  const field = state.fields.find((f) => f.name === name);
  if (!field) throw new Error(`no field ${name}`);
  return field.id;
};

export const bodyOf = <T = Record<string, unknown>>(response: RouterResponse): T => response.body as T;
