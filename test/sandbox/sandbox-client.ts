/** A REST client of the running sandbox, as an external client sees it: Basic auth per demo user, JSON in and out. */
import { DEMO_USERS, DemoRole } from '../../sandbox/demo/demo-users';
import type { SandboxState } from '../../sandbox/state/sandbox-state';

export const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
export const userRef = (role: DemoRole) => ({ accountId: DEMO_USERS[role].accountId });

export const sandboxClient = (baseUrl: () => string, state: () => SandboxState) => {
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
  const fieldId = (label: string) => state().fields.find((f) => f.name === label)!.id;
  /** A complete change ticket in CHG, filed by the requester (`fields` override any); its key. */
  const createChange = async (type: 'Normal' | 'Standard' | 'Emergency', risk: 'Low' | 'Medium' | 'High', summary: string, fields: Record<string, unknown> = {}) => {
    const res = await call('requester', 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'CHG' },
        issuetype: { name: 'Change' },
        summary,
        description: adf('Filed by a test'),
        [fieldId('Change type')]: { value: type },
        [fieldId('Risk rating')]: { value: risk },
        [fieldId('Target systems')]: ['prod-eu-1'],
        [fieldId('Implementer')]: userRef('implementer'),
        [fieldId('Approver')]: userRef('approver'),
        [fieldId('Verifier')]: userRef('verifier'),
        [fieldId('Test plan')]: adf('Staging first'),
        [fieldId('Rollback plan')]: adf('Redeploy previous release'),
        [fieldId('CAB reference')]: 'CAB-2026-11-23',
        ...(type === 'Standard' ? { [fieldId('Standard change template')]: 'STD-007' } : {}),
        ...(type === 'Emergency' ? { [fieldId('Emergency justification')]: 'INC-4242' } : {}),
        ...fields,
      },
    });
    if (res.status !== 201) throw new Error(`creating a change failed: ${res.status} ${JSON.stringify(res.body)}`);
    return String(res.body!.key);
  };
  return { call, transitions, move, fieldId, createChange };
};
