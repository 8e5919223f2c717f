/** Test support for the `cc81` CLI: the demo sandbox, an in-memory io, policy and export files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliIo, runCli } from '../../cli/run-cli';
import { DEMO_USERS } from '../../sandbox/demo/demo-users';
import { startSandbox } from '../../sandbox/start-sandbox';

export const NOW = new Date('2026-11-23T12:00:00.000Z');
export const PERIOD = ['--from', '2026-01-01', '--to', '2026-12-31'] as const;
export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export const startDemoSandbox = (): Promise<Sandbox> =>
  startSandbox({ port: 0, clock: () => NOW, triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined });

export const auth = (role: keyof typeof DEMO_USERS = 'compliance') => ({ JIRA_EMAIL: DEMO_USERS[role].emailAddress, JIRA_API_TOKEN: 'any-token' });

export interface MemoryIo extends CliIo {
  out: string[];
  err: string[];
  readonly stdoutText: string;
  readonly stderrText: string;
}

export const memoryIo = (env: Record<string, string> = auth(), overrides: Partial<CliIo> = {}): MemoryIo => {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    get stdoutText() {
      return out.join('');
    },
    get stderrText() {
      return err.join('');
    },
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    stderrIsTTY: false,
    env,
    now: () => NOW,
    sleep: async () => undefined,
    ...overrides,
  };
};

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'cc81-cli-'));

export const writeJson = (dir: string, name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};

/** The sandbox's policy as the app stores it (`{version, policy, updatedBy, updatedAt}`). */
export const storedPolicy = (sandbox: Sandbox) => ({ version: 1, policy: sandbox.state.policy, updatedBy: null, updatedAt: NOW.toISOString() });

/** What an auditor exports: `search/jql` pages with `expand=changelog`, every field and the evidence property. */
export const exportPages = async (sandbox: Sandbox, jql = 'project = CHG', pageSize = 10): Promise<unknown[]> => {
  const pages: unknown[] = [];
  let nextPageToken: string | undefined;
  const headers = { Authorization: `Basic ${Buffer.from(`${DEMO_USERS.compliance.emailAddress}:x`).toString('base64')}`, 'Content-Type': 'application/json' };
  do {
    const res = await fetch(`${sandbox.url}/rest/api/3/search/jql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jql, fields: ['*all'], expand: 'changelog', properties: ['cc81.evidence'], maxResults: pageSize, ...(nextPageToken ? { nextPageToken } : {}) }),
    });
    const page = (await res.json()) as { nextPageToken?: string };
    pages.push(page);
    nextPageToken = page.nextPageToken;
  } while (nextPageToken);
  return pages;
};

export const run = async (argv: readonly string[], io: MemoryIo = memoryIo()) => ({ code: await runCli(argv, io), io });

/** The demo sandbox, a temporary directory and the sandbox's policy file in it. */
export const startDemoFiles = async (): Promise<{ sandbox: Sandbox; dir: string; policyFile: string }> => {
  const sandbox = await startDemoSandbox();
  const dir = tempDir();
  return { sandbox, dir, policyFile: writeJson(dir, 'policy.json', storedPolicy(sandbox)) };
};
