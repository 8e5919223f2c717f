/** A REST client of the running sandbox, as an external client sees it: Basic auth per demo user, JSON in and out. */
import { DEMO_USERS, DemoRole } from '../../sandbox/demo/demo-users';

export const sandboxClient = (baseUrl: () => string) => {
  const call = async (as: DemoRole | null, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (as) headers.Authorization = `Basic ${Buffer.from(`${DEMO_USERS[as].emailAddress}:any-token`).toString('base64')}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${baseUrl()}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  const transitions = async (as: DemoRole, key: string) => (await call(as, 'GET', `/rest/api/3/issue/${key}/transitions`)).body!.transitions as { id: string; name: string }[];
  /** Takes the transition named `name` as `as`; `hidden` when Jira does not offer it to them. */
  const move = async (as: DemoRole, key: string, name: string, fields: Record<string, unknown> = {}) => {
    const t = (await transitions(as, key)).find((x) => x.name === name);
    if (!t) return { status: 'hidden' as const, body: null };
    return call(as, 'POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: t.id }, fields });
  };
  return { call, transitions, move };
};
