/** Bad input gets a clear message and its documented exit code: export files, policies, credentials, JQL, the site. */
import { EXIT } from '../../cli/cli-errors';
import { exportPages, memoryIo, PERIOD, run, Sandbox, startDemoFiles, storedPolicy, writeJson } from './cli-fixture';

jest.setTimeout(60_000);

let sandbox: Sandbox;
let dir: string;
let policyFile: string;
let pages: unknown[];
beforeAll(async () => {
  ({ sandbox, dir, policyFile } = await startDemoFiles());
  pages = await exportPages(sandbox);
});
afterAll(async () => sandbox.close());

const auditExport = (file: string, policy = policyFile) => run(['audit', '--export', file, '--policy', policy, ...PERIOD]);
const auditSite = (args: string[] = [], io = memoryIo()) => run(['audit', '--site', sandbox.url, '--policy', policyFile, '--jql', 'project = CHG', ...PERIOD, ...args], io);

describe('export files', () => {
  it('refuses a truncated file, saying it may be truncated', async () => {
    const text = JSON.stringify(pages);
    const { code, io } = await auditExport(writeJson(dir, 'truncated.json', text.slice(0, Math.floor(text.length / 2))));
    expect(code).toBe(EXIT.input);
    expect(io.stderrText).toMatch(/truncated\.json: not valid JSON \(unexpected end of file inside .*looks truncated at byte \d+\)/);
    expect(io.stdoutText).toBe('');
  });

  it('refuses issues without a changelog and says how to export', async () => {
    const stripped = (pages as { issues: Record<string, unknown>[] }[]).map((p) => ({ ...p, issues: p.issues.map(({ changelog: _c, ...rest }) => (void _c, rest)) }));
    const { code, io } = await auditExport(writeJson(dir, 'no-changelog.json', stripped));
    expect(code).toBe(EXIT.input);
    expect(io.stderrText).toMatch(/Issue CHG-\d+ has no changelog/);
    expect(io.stderrText).toContain('expand');
  });

  it('refuses a truncated changelog (search returns at most 100 histories per issue)', async () => {
    const first = structuredClone(pages[0]) as { issues: { key: string; changelog: { total: number } }[] };
    first.issues[0]!.changelog.total = 140;
    const { code, io } = await auditExport(writeJson(dir, 'short-changelog.json', first));
    expect(code).toBe(EXIT.input);
    expect(io.stderrText).toContain(`the changelog of ${first.issues[0]!.key} is truncated`);
  });

  it('refuses an export that lacks a mapped field', async () => {
    const approverId = sandbox.state.policy.fields.approver!;
    const without = (pages as { issues: { fields: Record<string, unknown> }[] }[]).map((p) => ({ ...p, issues: p.issues.map((i) => ({ ...i, fields: Object.fromEntries(Object.entries(i.fields).filter(([id]) => id !== approverId)) })) }));
    const { code, io } = await auditExport(writeJson(dir, 'no-approver.json', without));
    expect(code).toBe(EXIT.input);
    expect(io.stderrText).toContain(`${approverId} (Approver)`);
  });

  it('names a missing file', async () => {
    const { code, io } = await auditExport(`${dir}/nope.json`);
    expect(code).toBe(EXIT.input);
    expect(io.stderrText).toContain('nope.json: cannot be read (ENOENT)');
  });

  it('reads several files, and overlapping pages once', async () => {
    const a = writeJson(dir, 'a.json', pages.slice(0, 2));
    const b = writeJson(dir, 'b.json', pages.slice(1));
    const { code, io } = await run(['population', '--export', a, '--export', b, '--policy', policyFile, ...PERIOD]);
    expect(code).toBe(0);
    expect((JSON.parse(io.stdoutText) as { count: number }).count).toBe(sandbox.state.issues.length);
  });
});

describe('policy files', () => {
  const exportFile = () => writeJson(dir, 'export.json', pages);

  it('gives parsePolicy’s field-level errors for an invalid policy', async () => {
    const bad = writeJson(dir, 'bad-policy.json', { ...storedPolicy(sandbox), policy: { ...sandbox.state.policy, postHoc: { windowHours: 12, warnBeforeHours: 6 } } });
    const { code, io } = await auditExport(exportFile(), bad);
    expect(code).toBe(EXIT.input);
    expect(io.stderrText).toContain('postHoc.windowHours: The post-hoc window is 48 to 72 hours');
  });

  it('accepts the bare policy as well as the stored record', async () => {
    const bare = writeJson(dir, 'bare-policy.json', sandbox.state.policy);
    expect((await auditExport(exportFile(), bare)).code).toBe(0);
  });

  it('refuses a policy that leaves statuses or fields unmapped, naming them', async () => {
    const unmapped = writeJson(dir, 'unmapped.json', { ...sandbox.state.policy, statuses: {} });
    const { code, io } = await auditExport(exportFile(), unmapped);
    expect(code).toBe(EXIT.input);
    expect(io.stderrText).toContain('Status: Draft');
  });

  it('refuses a policy file that is not JSON', async () => {
    const { code, io } = await auditExport(exportFile(), writeJson(dir, 'not-json.json', '{"statuses": '));
    expect(code).toBe(EXIT.input);
    expect(io.stderrText).toContain('not-json.json: not valid JSON');
  });
});

describe('the site', () => {
  it('explains a 401 (bad credentials)', async () => {
    const { code, io } = await auditSite([], memoryIo({ JIRA_EMAIL: 'nobody@example.com', JIRA_API_TOKEN: 'x' }));
    expect(code).toBe(EXIT.jira);
    expect(io.stderrText).toContain('Jira refused the credentials (401)');
    expect(io.stderrText).toContain('JIRA_EMAIL and JIRA_API_TOKEN');
  });

  it('asks for the credentials when they are not set', async () => {
    const { code, io } = await auditSite([], memoryIo({}));
    expect(code).toBe(EXIT.usage);
    expect(io.stderrText).toContain('Set JIRA_EMAIL and JIRA_API_TOKEN');
  });

  it('shows Jira’s own message for invalid JQL', async () => {
    const { code, io } = await run(['audit', '--site', sandbox.url, '--policy', policyFile, '--jql', 'project = = CHG', ...PERIOD]);
    expect(code).toBe(EXIT.input);
    expect(io.stderrText).toContain('Jira rejected the JQL');
    expect(io.stderrText).toMatch(/Error in the JQL Query: Expecting .* but got '='/);
    expect(io.stderrText).toContain('JQL sent');
  });

  it('explains an unreachable site', async () => {
    const unreachable = memoryIo(undefined, { fetch: async () => Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') })) });
    const { code, io } = await run(['audit', '--site', 'https://cc81-nowhere.invalid', '--policy', policyFile, '--jql', 'project = CHG', ...PERIOD], unreachable);
    expect(code).toBe(EXIT.jira);
    expect(io.stderrText).toContain('Could not reach https://cc81-nowhere.invalid: fetch failed (connect ECONNREFUSED)');
  });

  it('refuses a site URL with a path', async () => {
    const { code, io } = await run(['audit', '--site', `${sandbox.url}/jira`, '--policy', policyFile, '--jql', 'x = y', ...PERIOD]);
    expect(code).toBe(EXIT.usage);
    expect(io.stderrText).toContain('--site must be the base URL');
  });

  /** A fetch that records each call's path and sets the sandbox's 429 rate for it from `script` (1: always 429, 0: served). */
  const scriptedFetch = (script: readonly (0 | 1)[]) => {
    const paths: string[] = [];
    const fetchFn: typeof fetch = async (input, init) => {
      sandbox.router.faults.update({ rate429: script[paths.length] ?? 0, retryAfterSeconds: 2 });
      paths.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    return { paths, fetchFn };
  };

  it('waits out 429s (Retry-After) on the search and the changelog calls, retries the same call, and counts every REST call', async () => {
    // Calls 1, 3 and 4 are answered 429 by construction: search, search again, changelogs, changelogs again, changelogs a third time.
    const { paths, fetchFn } = scriptedFetch([1, 0, 1, 1, 0]);
    const waits: number[] = [];
    try {
      const { code, io } = await auditSite(['--format', 'json'], memoryIo(undefined, { fetch: fetchFn, sleep: async (ms) => void waits.push(ms) }));
      expect(code).toBe(0);
      expect((JSON.parse(io.stdoutText) as { tickets: unknown[] }).tickets).toHaveLength(sandbox.state.issues.length);
      expect(waits).toEqual([2000, 2000, 2000]);
      expect(paths).toEqual(['/rest/api/3/search/jql', '/rest/api/3/search/jql', '/rest/api/3/changelog/bulkfetch', '/rest/api/3/changelog/bulkfetch', '/rest/api/3/changelog/bulkfetch']);
      expect(io.stderrText).toContain('5 REST call(s)');
    } finally {
      sandbox.router.faults.update({ rate429: 0 });
    }
  });

  it('gives up with the Jira exit code when 429s outlast the retries', async () => {
    const { paths, fetchFn } = scriptedFetch([1, 1, 1, 1, 1, 1]);
    const waits: number[] = [];
    try {
      const { code, io } = await auditSite([], memoryIo(undefined, { fetch: fetchFn, sleep: async (ms) => void waits.push(ms) }));
      expect(code).toBe(EXIT.jira);
      expect(io.stderrText).toContain('and retries ran out. Run again later.');
      expect(waits).toEqual([2000, 2000, 2000, 2000, 2000]);
      expect(paths).toHaveLength(6);
      expect(io.stdoutText).toBe('');
    } finally {
      sandbox.router.faults.update({ rate429: 0 });
    }
  });

  // Random 429s: whatever the seed draws, every wait is the Retry-After, one per 429 waited out, and every call is counted.
  it.each([1, 2, 3, 4])('under random 429s (seed %i), waits once per 429 and counts every REST call', async (seed) => {
    sandbox.router.faults.update({ rate429: 0.5, retryAfterSeconds: 2, seed });
    const served429 = () => sandbox.router.stats.snapshot().faults.rate429;
    const before = served429();
    const waits: number[] = [];
    let calls = 0;
    const counting: typeof fetch = async (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    try {
      const { code, io } = await auditSite(['--format', 'json'], memoryIo(undefined, { fetch: counting, sleep: async (ms) => void waits.push(ms) }));
      const got429 = served429() - before;
      expect(io.stderrText).toContain(`${calls} REST call(s)`);
      expect(waits).toEqual(Array.from({ length: waits.length }, () => 2000));
      // On success every 429 was waited out; when retries ran out, the last one was not.
      expect({ code, waited: waits.length }).toEqual(code === 0 ? { code: 0, waited: got429 } : { code: EXIT.jira, waited: got429 - 1 });
      if (code === 0) expect((JSON.parse(io.stdoutText) as { tickets: unknown[] }).tickets).toHaveLength(sandbox.state.issues.length);
      else expect(io.stderrText).toContain('and retries ran out. Run again later.');
    } finally {
      sandbox.router.faults.update({ rate429: 0 });
    }
  });
});
