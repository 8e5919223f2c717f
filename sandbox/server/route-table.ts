/** Routes by method and path template (`/rest/api/3/issue/{issueIdOrKey}`), and what a handler receives. */
import type { Logger } from '../../src/ports/logger';
import type { SandboxState, SandboxUser } from '../state/sandbox-state';
import type { RouterRequest, RouterResponse, SandboxWorkflow } from '../workflow/workflow-port';

/** Who a request acts as: a site user, or the app itself (Forge `asApp()`). */
export interface Caller {
  user: SandboxUser;
  isApp: boolean;
}

export interface RouteDeps {
  state: SandboxState;
  workflow: SandboxWorkflow;
  clock: () => Date;
  log: Logger;
}

export interface RouteContext {
  request: RouterRequest;
  params: Record<string, string>;
  caller: Caller;
  /** The site's base URL for `self` links (`http://host:port`). */
  baseUrl: string;
  deps: RouteDeps;
}

export type RouteHandler = (ctx: RouteContext) => RouterResponse | Promise<RouterResponse>;

export interface Route {
  method: string;
  template: string;
  handler: RouteHandler;
  pattern: RegExp;
  names: string[];
}

export const route = (method: string, template: string, handler: RouteHandler): Route => {
  const names: string[] = [];
  const source = template.replace(/[.*+?^$()|\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { method, template, handler, pattern: new RegExp(`^${source}$`), names };
};

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; template: string }
  | { kind: 'none' };

const decode = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null; // malformed percent-encoding: no route matches it
  }
};

export const matchRoute = (routes: readonly Route[], method: string, path: string): RouteMatch => {
  let wrongMethod: string | null = null;
  for (const candidate of routes) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    if (candidate.method !== method) {
      wrongMethod ??= candidate.template;
      continue;
    }
    const values = match.slice(1).map(decode);
    if (values.some((v) => v === null)) return { kind: 'none' };
    return { kind: 'found', route: candidate, params: Object.fromEntries(candidate.names.map((name, i) => [name, values[i]!])) };
  }
  return wrongMethod ? { kind: 'wrong-method', template: wrongMethod } : { kind: 'none' };
};
