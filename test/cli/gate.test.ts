/**
 * `cc81 gate` through the CLI entry against a fake gate (node:http on port 0) that checks each call
 * as the real one does: bearer token, timestamp, fresh nonce, HMAC signature, body schema.
 */
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXIT } from '../../cli/cli-errors';
import { GATE_HEADERS, GateAnswer, GateRequest, GateRequestSchema, NonceSchema, parsePipelineToken, pipelineToken, sameSecretText, signGateCall } from '../../src/deployments/gate-signature';
import { memoryIo, NOW, run } from './cli-fixture';

const PIPELINE = '0123456789abcdef';
const SECRET = 'ab'.repeat(32);
const TOKEN = pipelineToken(PIPELINE, SECRET);

interface Seen {
  body: GateRequest;
  nonce: string;
}

let server: Server;
let url: string;
const seen: Seen[] = [];

const answer = (decision: 'allow' | 'deny', key: string): GateAnswer => ({
  decision,
  callId: 'f'.repeat(32),
  changes: [
    {
      key,
      decision,
      path: decision === 'allow' ? 'approved' : 'refused',
      reasons: decision === 'deny' ? [{ code: 'NOT_APPROVED', message: `${key} is in Assessment: it must be approved before it is deployed.` }] : [],
      notices: [],
    },
  ],
  reasons: [],
});

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk) => (text += String(chunk)));
    req.on('end', () => resolve(text));
  });

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      const refuse = (status: number, code: string, message: string) => send(status, { error: { code, message } });
      const token = /^Bearer (.+)$/.exec(String(req.headers[GATE_HEADERS.authorization] ?? ''))?.[1];
      const parsed = token ? parsePipelineToken(token) : null;
      const timestamp = String(req.headers[GATE_HEADERS.timestamp] ?? '');
      const nonce = String(req.headers[GATE_HEADERS.nonce] ?? '');
      const signature = String(req.headers[GATE_HEADERS.signature] ?? '');
      if (req.method !== 'POST') return refuse(405, 'METHOD', 'POST only');
      if (!parsed || parsed.pipelineId !== PIPELINE || parsed.secret !== SECRET) return refuse(401, 'UNAUTHORIZED', 'Unknown or revoked pipeline token.');
      if (Math.abs(Number(timestamp) - NOW.getTime() / 1000) > 300) return refuse(401, 'STALE', 'The timestamp is more than 5 minutes off.');
      if (!NonceSchema.safeParse(nonce).success || seen.some((s) => s.nonce === nonce)) return refuse(401, 'REPLAY', 'The nonce was seen before.');
      if (!sameSecretText(signature, signGateCall(SECRET, timestamp, nonce, body))) return refuse(401, 'BAD_SIGNATURE', 'The signature does not match the body.');
      const request = GateRequestSchema.parse(JSON.parse(body));
      seen.push({ body: request, nonce });
      const key = request.changeKey ?? 'CHG-0';
      if (request.environment === 'busy') return refuse(429, 'RATE_LIMITED', 'Too many calls from this pipeline.');
      if (request.environment === 'broken') {
        res.writeHead(502, { 'content-type': 'text/html' });
        return res.end('<html>Bad gateway</html>');
      }
      if (key === 'CHG-6') return send(403, answer('deny', key));
      return send(200, answer('allow', key));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x1/gate`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

const call = (args: string[], env: Record<string, string> = { CC81_GATE_TOKEN: TOKEN }) =>
  run(['gate', '--url', url, '--environment', 'production', '--sha', 'ABCDEF0123', '--deployer', 'gh-actions', ...args], memoryIo(env));

describe('cc81 gate', () => {
  it('sends the signed body the gate expects and exits 0 on allow', async () => {
    const { code, io } = await call(['--branch', 'feature/CHG-12-x', '--pr-title', 'Rotate (CHG-12)', '--message', 'msg', '--deployer-account-id', 'acc-1', '--change', 'CHG-12']);
    expect(io.stderrText).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(seen.at(-1)!.body).toEqual({ changeKey: 'CHG-12', branch: 'feature/CHG-12-x', prTitle: 'Rotate (CHG-12)', commitMessage: 'msg', environment: 'production', sha: 'ABCDEF0123', deployer: 'gh-actions', deployerAccountId: 'acc-1' });
    expect(io.stdoutText).toMatch(/^Gate: ALLOW \(call f{32}\)\nCHANGE\s+DECISION\s+PATH\nCHG-12\s+allow\s+approved\n$/);
  });

  it('uses a new nonce for every call', async () => {
    await call(['--change', 'CHG-1']);
    await call(['--change', 'CHG-1']);
    const [a, b] = seen.slice(-2);
    expect(a!.nonce).not.toBe(b!.nonce);
  });

  it('exits 6 on deny and prints the reasons', async () => {
    const { code, io } = await call(['--change', 'CHG-6']);
    expect(code).toBe(EXIT.denied);
    expect(io.stdoutText).toContain('Gate: DENY');
    expect(io.stdoutText).toMatch(/CHG-6\s+reason\s+NOT_APPROVED\s+CHG-6 is in Assessment/);
  });

  it('prints the answer as JSON with --format json', async () => {
    const { code, io } = await call(['--change', 'CHG-6', '--format', 'json']);
    expect(code).toBe(EXIT.denied);
    expect(JSON.parse(io.stdoutText)).toEqual(answer('deny', 'CHG-6'));
  });

  it.each([
    ['a wrong secret', { CC81_GATE_TOKEN: pipelineToken(PIPELINE, 'cd'.repeat(32)) }, [], '(401 UNAUTHORIZED): Unknown or revoked pipeline token.'],
    ['too many calls', { CC81_GATE_TOKEN: TOKEN }, ['--environment', 'busy'], '(429 RATE_LIMITED): Too many calls from this pipeline.'],
    ['an answer that is not the gate', { CC81_GATE_TOKEN: TOKEN }, ['--environment', 'broken'], 'The gate answered 502 with no decision'],
  ])('exits 7 on %s, printing the gate message and never the token', async (_what, env, args, message) => {
    const { code, io } = await call(['--change', 'CHG-1', ...args], env);
    expect(code).toBe(EXIT.gate);
    expect(io.stderrText).toContain(message);
    expect(io.stderrText + io.stdoutText).not.toContain(env.CC81_GATE_TOKEN.slice(6));
  });

  it('exits 7 when the gate cannot be reached', async () => {
    const { code, io } = await run(['gate', '--url', 'http://127.0.0.1:1/x', '--environment', 'production', '--sha', 'abcdef0', '--deployer', 'bot'], memoryIo({ CC81_GATE_TOKEN: TOKEN }));
    expect(code).toBe(EXIT.gate);
    expect(io.stderrText).toContain('Could not reach the gate at http://127.0.0.1:1');
  });

  it.each([
    [['--sha', 'xyz'], {}, '--sha: a commit SHA is 7 to 64 hex digits'],
    [[], { CC81_GATE_TOKEN: '' }, 'Give the pipeline token'],
    [[], { CC81_GATE_TOKEN: 'cc81p_not-a-token-secret' }, 'not a CC8.1 pipeline token'],
    [['--url', 'ftp://x'], {}, '--url must be an http(s) URL'],
    [['--format', 'xml'], {}, '--format must be json or table'],
  ])('usage error %j %j', async (args, env, message) => {
    const base = ['gate', '--url', url, '--environment', 'production', '--sha', 'abcdef0', '--deployer', 'bot'];
    const { code, io } = await run([...base, ...args], memoryIo({ CC81_GATE_TOKEN: TOKEN, ...env }));
    expect(code).toBe(EXIT.usage);
    expect(io.stderrText).toContain(message);
    expect(io.stderrText).not.toContain('not-a-token-secret');
  });

  it('takes the token from --token too, and the URL from CC81_GATE_URL', async () => {
    const { code } = await run(['gate', '--token', TOKEN, '--environment', 'production', '--sha', 'abcdef0', '--deployer', 'bot', '--change', 'CHG-1'], memoryIo({ CC81_GATE_URL: url }));
    expect(code).toBe(EXIT.ok);
  });
});
