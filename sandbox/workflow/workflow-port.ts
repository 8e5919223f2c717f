import type { SandboxIssue, SandboxUser } from '../state/sandbox-state';

/** A transition as `GET /rest/api/3/issue/{key}/transitions` returns it. */
export interface TransitionJson {
  id: string;
  name: string;
  to: { id: string; name: string; statusCategory: { id: number; key: string; name: string } };
  hasScreen: boolean;
  isGlobal: boolean;
  isInitial: boolean;
  isAvailable: boolean;
  isConditional: boolean;
  isLooped: boolean;
}

/** Jira's error body for a refused transition (400). */
export interface JiraErrorBody {
  errorMessages: string[];
  errors: Record<string, string>;
}

export type TransitionOutcome = { ok: true } | { ok: false; status: 400 | 404; body: JiraErrorBody };

/** What the sandbox server asks of the workflow engine. The engine runs the app's rules. */
export interface SandboxWorkflow {
  /** The transitions `user` may see on `issue` now (conditions applied). */
  transitionsFor(issue: SandboxIssue, user: SandboxUser): Promise<TransitionJson[]>;
  /**
   * Performs transition `transitionId` as `user`, with transition-screen field values (REST v3
   * shapes, by field id). Runs validators first; on success moves the status, records one
   * changelog history (status + edits), then runs post functions.
   */
  transition(issue: SandboxIssue, transitionId: string, user: SandboxUser, fields: Record<string, unknown>): Promise<TransitionOutcome>;
}

/** An HTTP request as the router sees it, so the app's own REST calls can be served in process. */
export interface RouterRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: unknown;
  /** Set for in-process calls made as the app (Forge `asApp()`); skips user authentication. */
  asApp?: boolean;
  /** Set for in-process calls made as a user (Forge `asUser()`). */
  asAccountId?: string;
}

export interface RouterResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type SandboxRouter = (request: RouterRequest) => Promise<RouterResponse>;
