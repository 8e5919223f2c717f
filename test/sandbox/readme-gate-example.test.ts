/**
 * The README's curl example for the deployment gate, run as written (bash, jq, openssl, curl)
 * against the sandbox's web trigger: an approved change is allowed (exit 0), an unapproved one is
 * denied (curl exits 22 on the 403), and a pipeline whose CI found no key is denied as detached.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO_USERS } from '../../sandbox/demo/demo-users';
import { startSandbox } from '../../sandbox/start-sandbox';
import { createPipeline } from '../../src/deployments/pipelines';
import { DEPLOYMENT_GATE_MODULE_KEY } from '../../src/forge/deployment-gate';
import { sandboxClient } from './sandbox-client';
import { gateCurlExample } from '../../src/shared/gate-example';

jest.setTimeout(60_000);
const run = promisify(execFile);

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const curlBlock = (): string => {
  const match = /<!-- gate-example:curl[^>]*-->\n```sh\n([\s\S]*?)```/.exec(README);
  if (!match) throw new Error('README.md has no block marked <!-- gate-example:curl -->');
  return match[1]!;
};

const TOOLS = ['bash', 'curl', 'jq', 'openssl'];
beforeAll(async () => {
  const missing: string[] = [];
  for (const tool of TOOLS) await run('bash', ['-c', `command -v ${tool}`]).catch(() => missing.push(tool));
  if (missing.length) throw new Error(`The README's gate example needs ${missing.join(', ')}: install them (.ci/run does, with apt).`);
});

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
let token = '';
beforeAll(async () => {
  // The real clock: the example signs with `date +%s`.
  sandbox = await startSandbox({ port: 0, triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined, forgeRuntime: { log: () => undefined } });
  token = (await createPipeline(sandbox.runtime.store, { name: 'readme', by: { accountId: DEMO_USERS.admin.accountId, displayName: 'Adam Admin' }, now: new Date() })).token;
});
afterAll(async () => sandbox.close());

const runExample = async (changeKey: string) => {
  const env = { PATH: process.env.PATH ?? '', CC81_GATE_URL: `${sandbox.url}/x1/${DEPLOYMENT_GATE_MODULE_KEY}`, CC81_GATE_TOKEN: token, CHANGE_KEY: changeKey, DEPLOY_ENV: 'production', GIT_SHA: '0123456789abcdef0123456789abcdef01234567', DEPLOYER: 'ci "quoted" bot' };
  try {
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', curlBlock()], { env });
    return { code: 0, body: JSON.parse(stdout) as { decision: string } };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, body: JSON.parse(e.stdout) as { decision: string } };
  }
};

it("is the example the admin page shows (one source: src/shared/gate-example.ts)", () => {
  expect(curlBlock()).toBe(gateCurlExample());
});

it('allows an approved, scheduled change with exit code 0, and denies others with curl exit code 22', async () => {
  const client = sandboxClient(() => sandbox.url, () => sandbox.state);
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
  const key = await client.createChange('Normal', 'Medium', 'README gate example');
  for (const [who, step, fields] of [
    ['requester', 'Submit for assessment', {}],
    ['approver', 'Approve', {}],
    ['requester', 'Schedule', { [client.fieldId('Maintenance window start')]: iso(now - 3_600_000), [client.fieldId('Maintenance window end')]: iso(now + 3_600_000) }],
  ] as const) {
    expect((await client.move(who, key, step, fields)).status).toBe(204);
  }
  expect(await runExample(key)).toEqual({ code: 0, body: expect.objectContaining({ decision: 'allow' }) });
  expect(await runExample('CHG-1')).toEqual({ code: 22, body: expect.objectContaining({ decision: 'deny' }) });
  expect(await runExample('')).toEqual({ code: 22, body: expect.objectContaining({ decision: 'deny', reasons: [expect.objectContaining({ code: 'DEPLOYMENT_WITHOUT_CHANGE' })] }) });
});
